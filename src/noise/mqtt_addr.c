/* The MQTT settings read without a broker: the broker's URL, the topic
 * filter and the meter level of a message's topic (mqtt.h). Pure, so the
 * fuzz target runs them alone. */
#include "mqtt.h"
#include "../base/err.h"
#include "../base/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* unescape copies s[0..len) decoding %XX into out (n bytes). */
static int unescape(const char *s, size_t len, char *out, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '%') {
			int hi = i + 2 < len ? hex_digit(s[i + 1]) : -1;
			int lo = hi >= 0 ? hex_digit(s[i + 2]) : -1;
			if (lo < 0)
				return LIN_EINVAL;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (!c || o + 1 >= n)
			return LIN_EINVAL;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

int mqtt_url_parse(const char *url, struct mqtt_url *out, const char **why)
{
	const char *p, *end, *at, *colon, *host_end;
	int64_t port = MQTT_PORT;
	char portbuf[8];

	memset(out, 0, sizeof(*out));
	out->port = MQTT_PORT;
	*why = "expected mqtt://[USER[:PASSWORD]@]HOST[:PORT]";
	if (!url || strncmp(url, "mqtt://", 7))
		return LIN_EINVAL;
	p = url + 7;
	end = p + strcspn(p, "/?#");
	if (*end && strcmp(end, "/")) {
		*why = "the URL takes no path or query";
		return LIN_EINVAL;
	}
	at = memchr(p, '@', (size_t)(end - p));
	if (at) {
		for (const char *q = at + 1; q < end; q++)
			if (*q == '@') {
				*why = "write @ in the user or password as %40";
				return LIN_EINVAL;
			}
		colon = memchr(p, ':', (size_t)(at - p));
		if (unescape(p, (size_t)((colon ? colon : at) - p), out->user, sizeof(out->user)) ||
		    (colon && unescape(colon + 1, (size_t)(at - colon - 1), out->password,
				       sizeof(out->password)))) {
			*why = "bad user or password (too long, a NUL or a bad %XX escape)";
			return LIN_EINVAL;
		}
		if (!out->user[0]) {
			*why = "the user name is empty";
			return LIN_EINVAL;
		}
		out->has_user = 1;
		p = at + 1;
	}
	if (*p == '[') {
		host_end = memchr(p, ']', (size_t)(end - p));
		if (!host_end) {
			*why = "an IPv6 address needs its closing ]";
			return LIN_EINVAL;
		}
		colon = host_end + 1 < end ? host_end + 1 : NULL;
		if (colon && *colon != ':')
			return LIN_EINVAL;
		p++;
	} else {
		colon = memchr(p, ':', (size_t)(end - p));
		host_end = colon ? colon : end;
	}
	if (host_end == p || (size_t)(host_end - p) >= sizeof(out->host)) {
		*why = "the host is missing or too long";
		return LIN_EINVAL;
	}
	for (const char *q = p; q < host_end; q++)
		if ((unsigned char)*q <= ' ' || *q == '%' || *q == '[' || *q == ']') {
			*why = "the host holds a character a host name cannot";
			return LIN_EINVAL;
		}
	memcpy(out->host, p, (size_t)(host_end - p));
	if (colon) {
		size_t len = (size_t)(end - colon - 1);
		if (!len || len >= sizeof(portbuf)) {
			*why = "the port must be 1 to 65535";
			return LIN_EINVAL;
		}
		memcpy(portbuf, colon + 1, len);
		portbuf[len] = '\0';
		if (parse_int64(portbuf, 1, 65535, &port)) {
			*why = "the port must be 1 to 65535";
			return LIN_EINVAL;
		}
	}
	out->port = (int)port;
	*why = NULL;
	return 0;
}

int mqtt_topic_check(const char *filter, int *meter_level, const char **why)
{
	const char *p = filter;
	int level = 0, plus = -1;

	*meter_level = -1;
	if (!filter || !*filter || strlen(filter) > MQTT_TOPIC_MAX) {
		*why = "the topic is empty or longer than 256 bytes";
		return LIN_EINVAL;
	}
	if (!utf8_valid(filter, strlen(filter))) {
		*why = "the topic is not UTF-8 text";
		return LIN_EINVAL;
	}
	/* A shared subscription's prefix is not part of the messages' topics. */
	if (!strncmp(p, "$share/", 7)) {
		const char *group = p + 7;
		size_t n = strcspn(group, "/");
		if (!n || !group[n] || memchr(group, '+', n) || memchr(group, '#', n)) {
			*why = "a shared subscription is $share/GROUP/TOPIC";
			return LIN_EINVAL;
		}
		p = group + n + 1;
	}
	for (;; level++) {
		size_t n = strcspn(p, "/");
		int last = !p[n];
		if (n == 1 && *p == '+') {
			if (plus >= 0) {
				*why = "only one + level may name the meter";
				return LIN_EINVAL;
			}
			plus = level;
		} else if (n == 1 && *p == '#') {
			if (!last) {
				*why = "# may only be the last level";
				return LIN_EINVAL;
			}
		} else if (memchr(p, '+', n) || memchr(p, '#', n)) {
			*why = "+ and # must be whole levels";
			return LIN_EINVAL;
		}
		if (last)
			break;
		p += n + 1;
	}
	if (plus < 0) {
		*why = "the topic needs one + level, which names the meter";
		return LIN_EINVAL;
	}
	*meter_level = plus;
	*why = NULL;
	return 0;
}

int mqtt_topic_meter(const char *topic, int meter_level, char *out, size_t n)
{
	const char *p = topic;
	size_t len;

	for (int level = 0; level < meter_level; level++) {
		p = strchr(p, '/');
		if (!p)
			return LIN_EINVAL;
		p++;
	}
	len = strcspn(p, "/");
	if (!len || len >= n)
		return LIN_EINVAL;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}
