/* The registry's rules (docs/pets.md): what a pet's kind, name, licence
 * and vaccination dates may be, and the days reminders count from. No
 * I/O: the store and every caller (pages, API, demo) ask pets_check. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/timeutil.h"

#include <stdio.h>
#include <string.h>

int pets_day(const char *s, int64_t *day)
{
	int y, m, d;

	if (!s || parse_date(s, &y, &m, &d))
		return LIN_EINVAL;
	*day = lin_days_from_civil(y, m, d);
	return 0;
}

void pets_day_text(int64_t day, char *out, size_t n)
{
	int y, m, d;

	lin_civil_from_days(day, &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

int64_t pets_rabies_due(int64_t day)
{
	int y, m, d;

	lin_civil_from_days(day, &y, &m, &d);
	return lin_days_from_civil(y + 1, m, d);
}

int64_t pets_today(int64_t now)
{
	return lin_local_day(now, LIN_SHANGHAI_OFFSET);
}

static int given(const char *s)
{
	return s && s[0];
}

/* licence_chars: letters, digits and '-' only (what a licence shows). */
static int licence_chars(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= 'a' && *s <= 'z') || *s == '-'))
			return 0;
	return 1;
}

#define REFUSE(f, k)                                                                               \
	do {                                                                                       \
		*field = (f);                                                                      \
		*key = (k);                                                                        \
		return LIN_EINVAL;                                                                 \
	} while (0)

int pets_check(const struct pet_in *in, int64_t today, const char **field, const char **key)
{
	int64_t issued = 0, expires = 0, rabies = 0;
	int dog;

	*field = NULL;
	*key = NULL;
	if (!given(in->kind) ||
	    (strcmp(in->kind, "dog") && strcmp(in->kind, "cat") && strcmp(in->kind, "other")))
		REFUSE("kind", "pets.err.kind");
	dog = !strcmp(in->kind, "dog");
	if (!given(in->name) || !utf8_valid(in->name, strlen(in->name)) ||
	    utf8_chars(in->name) > PETS_NAME_MAX)
		REFUSE("name", "pets.err.name");
	if (given(in->licence_no) || given(in->licence_issued_on) ||
	    given(in->licence_expires_on)) {
		if (!dog)
			REFUSE("licence_no", "pets.err.licence_dog_only");
		if (!given(in->licence_no) || strlen(in->licence_no) > PETS_LICENCE_MAX ||
		    !licence_chars(in->licence_no))
			REFUSE("licence_no", "pets.err.licence_no");
		if (pets_day(in->licence_issued_on, &issued))
			REFUSE("licence_issued_on", "pets.err.date");
		if (issued > today)
			REFUSE("licence_issued_on", "pets.err.issued_future");
		if (pets_day(in->licence_expires_on, &expires))
			REFUSE("licence_expires_on", "pets.err.date");
		if (expires <= issued || expires > issued + 3 * 366)
			REFUSE("licence_expires_on", "pets.err.expires_range");
	}
	if (given(in->rabies_on)) {
		if (pets_day(in->rabies_on, &rabies) || rabies < lin_days_from_civil(2000, 1, 1))
			REFUSE("rabies_on", "pets.err.date");
		if (rabies > today)
			REFUSE("rabies_on", "pets.err.rabies_future");
	}
	return 0;
}
