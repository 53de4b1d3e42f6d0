/* The listening-address parser (addr.h). */
#include "addr.h"
#include "err.h"
#include "parse.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

int lin_parse_listen(const char *s, struct sockaddr_storage *ss, int *v6)
{
	char host[128];
	const char *colon = strrchr(s, ':');
	size_t hlen, plen;
	long port = 0;

	if (!colon)
		return LIN_EINVAL;
	plen = strlen(colon + 1);
	if (!plen || plen > 5 || strspn(colon + 1, "0123456789") != plen)
		return LIN_EINVAL;
	for (const char *p = colon + 1; *p; p++)
		port = port * 10 + (*p - '0');
	if (port > 65535)
		return LIN_EINVAL;
	hlen = (size_t)(colon - s);
	if (hlen >= sizeof(host))
		return LIN_EINVAL;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && hlen > 2 && host[hlen - 1] == ']') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		host[hlen - 1] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*v6 = 1;
		return inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1 ? 0 : LIN_EINVAL;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	*v6 = 0;
	if (!hlen || !strcmp(host, "*"))
		return 0;
	return inet_pton(AF_INET, host, &s4->sin_addr) == 1 ? 0 : LIN_EINVAL;
}

/* parse_ip: a numeric IPv4 or IPv6 address into 16 bytes. */
static int parse_ip(const char *text, unsigned char out[16])
{
	struct in_addr v4;

	memset(out, 0, 16);
	if (inet_pton(AF_INET, text, &v4) == 1) {
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &v4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, text, out) == 1 ? 0 : LIN_EINVAL;
}

int lin_parse_addr_limits(const char *text, unsigned max_limit, struct lin_addr_limit *out, int max)
{
	const char *p = text;
	int n = 0;

	for (;;) {
		char entry[80], *eq;
		size_t len;
		int64_t limit = 0;

		p += strspn(p, ", \t");
		if (!*p)
			return n;
		len = strcspn(p, ", \t");
		if (len >= sizeof(entry) || n >= max)
			return LIN_EINVAL;
		memcpy(entry, p, len);
		entry[len] = '\0';
		p += len;
		eq = strchr(entry, '=');
		if (eq) {
			*eq = '\0';
			if (parse_int64(eq + 1, 1, max_limit, &limit))
				return LIN_EINVAL;
		}
		if (parse_ip(entry, out[n].addr))
			return LIN_EINVAL;
		out[n++].limit = (unsigned)limit;
	}
}
