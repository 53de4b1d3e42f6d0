/* Fuzz target for the MQTT settings and topics (src/noise/mqtt_addr.c).
 * The input's first line is tried as a broker URL, the second as a topic
 * filter, the third as a message topic under that filter. Whatever is
 * accepted must be what the rules promise: a host without spaces and a
 * port in range; a filter with exactly one "+" level; a meter name with
 * no "/" that is the topic's level at the filter's "+". */
#include "fuzz.h"
#include "base/err.h"
#include "noise/mqtt.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size), *lines[3] = {"", "", ""}, *p = text;
	struct mqtt_url u;
	const char *why = NULL;
	char meter[128];
	int level = -1;

	for (int i = 0; i < 3 && p; i++) {
		lines[i] = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = '\0';
	}
	if (mqtt_url_parse(lines[0], &u, &why) == 0) {
		FUZZ_CHECK(u.host[0] && !strpbrk(u.host, " /?#@"));
		FUZZ_CHECK(u.port >= 1 && u.port <= 65535);
		FUZZ_CHECK(u.has_user || (!u.user[0] && !u.password[0]));
	} else {
		FUZZ_CHECK(why && *why);
	}
	why = NULL;
	if (mqtt_topic_check(lines[1], &level, &why) == 0) {
		int plus = 0;
		for (const char *s = lines[1]; (s = strchr(s, '+')); s++)
			plus++;
		FUZZ_CHECK(plus == 1 && level >= 0);
		if (mqtt_topic_meter(lines[2], level, meter, sizeof(meter)) == 0) {
			const char *s = lines[2];
			FUZZ_CHECK(meter[0] && !strchr(meter, '/'));
			for (int k = 0; k < level; k++) {
				s = strchr(s, '/');
				FUZZ_CHECK(s);
				s++;
			}
			FUZZ_CHECK(!strncmp(s, meter, strlen(meter)));
		}
	} else {
		FUZZ_CHECK(why && *why);
	}
	free(text);
	return 0;
}
