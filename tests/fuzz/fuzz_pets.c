/* Fuzz target for a pet as a resident types it (src/pets/model.c): six
 * lines (kind, name, licence number, issued, expires, rabies vaccination)
 * are accepted or refused without a crash, a refusal always names a field
 * and a message, and what is accepted keeps every rule: a known kind, a
 * name of 1 to 40 characters, a licence only for a dog and issued by
 * today, expiring after it was issued, a vaccination not after today,
 * whose next due day is a year later. */
#include "fuzz.h"
#include "base/parse.h"
#include "pets/internal.h"

#include <stdlib.h>
#include <string.h>

#define TODAY 20000 /* 2024-10-04 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size), *line[6] = {0}, *p;
	const char *field = NULL, *key = NULL;
	struct pet_in in;
	int64_t day;
	int n = 0, rc;

	if (!text)
		abort();
	for (p = text; n < 6; n++) {
		line[n] = p;
		p = strchr(p, '\n');
		if (!p)
			break;
		*p++ = '\0';
	}
	in = (struct pet_in){line[0], line[1], line[2], line[3], line[4], line[5]};
	rc = pets_check(&in, TODAY, &field, &key);
	if (rc) {
		FUZZ_CHECK(field && key && !strncmp(key, "pets.err.", 9));
	} else {
		FUZZ_CHECK(!strcmp(in.kind, "dog") || !strcmp(in.kind, "cat") ||
			   !strcmp(in.kind, "other"));
		FUZZ_CHECK(in.name && in.name[0] && utf8_valid(in.name, strlen(in.name)) &&
			   utf8_chars(in.name) <= PETS_NAME_MAX);
		if (in.licence_no && in.licence_no[0]) {
			int64_t issued, expires;
			FUZZ_CHECK(!strcmp(in.kind, "dog"));
			FUZZ_CHECK(!pets_day(in.licence_issued_on, &issued) && issued <= TODAY);
			FUZZ_CHECK(!pets_day(in.licence_expires_on, &expires) && expires > issued);
		}
		if (in.rabies_on && in.rabies_on[0]) {
			char again[16];
			FUZZ_CHECK(!pets_day(in.rabies_on, &day) && day <= TODAY);
			FUZZ_CHECK(pets_rabies_due(day) >= day + 365 &&
				   pets_rabies_due(day) <= day + 366);
			pets_day_text(day, again, sizeof(again));
			FUZZ_CHECK(!strcmp(again, in.rabies_on));
		}
	}
	free(text);
	return 0;
}
