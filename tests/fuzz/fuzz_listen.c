/* Fuzz target for the address parsers (base/addr.c): the input is one
 * "ADDR:PORT" setting, whose answer is compared with a reference that
 * splits it another way and asks inet_pton only about the address; and
 * the same input as an "ADDR[=LIMIT], ..." list, whose entries must hold
 * limits in range and read back the same once written out again. */
#include "fuzz.h"
#include "base/addr.h"
#include "base/err.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* check_addr_limits: the list parser on s (at most 4 entries, limits up
 * to 1000), and a round trip through inet_ntop. */
static void check_addr_limits(const char *s)
{
	struct lin_addr_limit got[4], again[4];
	char text[4 * 80] = "";
	size_t len = 0;
	int n = lin_parse_addr_limits(s, 1000, got, 4);

	FUZZ_CHECK(n == LIN_EINVAL || (n >= 0 && n <= 4));
	if (n < 0)
		return;
	for (int i = 0; i < n; i++) {
		char ip[INET6_ADDRSTRLEN];
		static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0,    0,
							    0, 0, 0, 0, 0xff, 0xff};
		FUZZ_CHECK(got[i].limit <= 1000);
		if (!memcmp(got[i].addr, v4_mapped, 12))
			FUZZ_CHECK(inet_ntop(AF_INET, got[i].addr + 12, ip, sizeof(ip)) != NULL);
		else
			FUZZ_CHECK(inet_ntop(AF_INET6, got[i].addr, ip, sizeof(ip)) != NULL);
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					got[i].limit ? "%s=%u, " : "%s ", ip, got[i].limit);
	}
	FUZZ_CHECK(lin_parse_addr_limits(text, 1000, again, 4) == n);
	for (int i = 0; i < n; i++)
		FUZZ_CHECK(!memcmp(got[i].addr, again[i].addr, 16) &&
			   got[i].limit == again[i].limit);
}

/* ref_listen: 0 with the family, port and address bytes, or -1. */
static int ref_listen(const char *s, int *family, unsigned *port, unsigned char addr[16])
{
	size_t len = strlen(s), colon = len, digits = 0;
	unsigned long p = 0;
	char host[160];

	while (colon > 0 && s[colon - 1] != ':')
		colon--;
	if (!colon)
		return -1;
	for (size_t i = colon; i < len; i++, digits++) {
		if (s[i] < '0' || s[i] > '9' || digits == 5)
			return -1;
		p = p * 10 + (unsigned long)(s[i] - '0');
	}
	if (!digits || p > 65535)
		return -1;
	*port = (unsigned)p;
	if (colon - 1 >= 128)
		return -1;
	memcpy(host, s, colon - 1);
	host[colon - 1] = '\0';
	memset(addr, 0, 16);
	if (colon - 1 > 2 && host[0] == '[' && host[colon - 2] == ']') {
		host[colon - 2] = '\0';
		*family = AF_INET6;
		return inet_pton(AF_INET6, host + 1, addr) == 1 ? 0 : -1;
	}
	*family = AF_INET;
	if (!host[0] || !strcmp(host, "*"))
		return 0;
	return inet_pton(AF_INET, host, addr) == 1 ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);
	struct sockaddr_storage ss;
	unsigned char want[16];
	unsigned port = 0;
	int v6 = -1, family = 0;
	int rc = lin_parse_listen(s, &ss, &v6), ref = ref_listen(s, &family, &port, want);

	FUZZ_CHECK(rc == 0 || rc == LIN_EINVAL);
	FUZZ_CHECK((rc == 0) == (ref == 0));
	if (rc == 0) {
		FUZZ_CHECK(ss.ss_family == family);
		FUZZ_CHECK(v6 == (family == AF_INET6));
		if (v6) {
			const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;
			FUZZ_CHECK(ntohs(s6->sin6_port) == port);
			FUZZ_CHECK(!memcmp(&s6->sin6_addr, want, 16));
		} else {
			const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ss;
			FUZZ_CHECK(ntohs(s4->sin_port) == port);
			FUZZ_CHECK(!memcmp(&s4->sin_addr, want, 4));
		}
	}
	check_addr_limits(s);
	free(s);
	return 0;
}
