/* Listening addresses as the settings write them: "ADDR:PORT" for IPv4
 * ("127.0.0.1:8080"; an empty or "*" ADDR means every IPv4 address) and
 * "[ADDR6]:PORT" for IPv6 ("[::1]:8080"). One parser for the web server
 * and the HJ 212 listener; and lists of addresses with a limit each
 * ("10.0.0.1=2000, ::1"), for the trusted proxies. */
#ifndef LINLI_BASE_ADDR_H
#define LINLI_BASE_ADDR_H

struct sockaddr_storage;

/* lin_parse_listen reads s into *ss (port 0..65535, decimal digits only,
 * at most five; the address as inet_pton reads it); *v6 says which family.
 * Returns 0 or LIN_EINVAL, touching nothing of *ss's meaning then. */
int lin_parse_listen(const char *s, struct sockaddr_storage *ss, int *v6);

/* One entry of an address list. */
struct lin_addr_limit {
	unsigned char addr[16]; /* IPv6, or IPv4 as ::ffff:a.b.c.d */
	unsigned limit;		/* the entry's "=LIMIT", or 0 when it gave none */
};

/* lin_parse_addr_limits reads "ADDR[=LIMIT], ..." (entries separated by
 * commas or blanks; numeric IPv4 or IPv6 addresses as inet_pton reads
 * them; LIMIT 1..max_limit) into out. Returns how many (0 for an empty
 * list), or LIN_EINVAL, also when there are more than max. */
int lin_parse_addr_limits(const char *text, unsigned max_limit, struct lin_addr_limit *out,
			  int max);

#endif
