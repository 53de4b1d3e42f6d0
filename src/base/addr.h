/* Listening addresses as the settings write them: "ADDR:PORT" for IPv4
 * ("127.0.0.1:8080"; an empty or "*" ADDR means every IPv4 address) and
 * "[ADDR6]:PORT" for IPv6 ("[::1]:8080"). One parser for the web server
 * and the HJ 212 listener. */
#ifndef LINLI_BASE_ADDR_H
#define LINLI_BASE_ADDR_H

struct sockaddr_storage;

/* lin_parse_listen reads s into *ss (port 0..65535, decimal digits only,
 * at most five; the address as inet_pton reads it); *v6 says which family.
 * Returns 0 or LIN_EINVAL, touching nothing of *ss's meaning then. */
int lin_parse_listen(const char *s, struct sockaddr_storage *ss, int *v6);

#endif
