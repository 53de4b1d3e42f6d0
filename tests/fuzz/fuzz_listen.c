/* Fuzz target for the listening-address parser (base/addr.c): the input is
 * one "ADDR:PORT" setting; the answer is compared with a reference that
 * splits it another way and asks inet_pton only about the address. */
#include "fuzz.h"
#include "base/addr.h"
#include "base/err.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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
	free(s);
	return 0;
}
