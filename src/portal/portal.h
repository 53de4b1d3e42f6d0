/* The residents' portal (居民之家): one phone page where a resident sees
 * their own reports, events, pets, duties and hours and the area's
 * notices, signed in with an account or with a one-time code sent to the
 * phone the registry holds for them. docs/portal.md tells the rules; this
 * header is what the composition root and the front page use. */
#ifndef LINLI_PORTAL_PORTAL_H
#define LINLI_PORTAL_PORTAL_H

#include "../base/command.h"
#include "../web/page.h"

#include <stddef.h>
#include <stdint.h>

struct db;
struct router;

#define PORTAL_CODE_DIGITS    6	  /* digits of a one-time code */
#define PORTAL_CODE_SECONDS   300 /* a code is refused from this many seconds after it was sent */
#define PORTAL_CODE_TRIES     5	  /* wrong codes that spend a code */
#define PORTAL_CODES_PER_HOUR 3	  /* codes one phone may be sent in an hour */
#define PORTAL_WRONG_PER_HOUR 10  /* wrong codes one phone may be typed in an hour */

/* portal_phone_parse: the mobile number in in (spaces and '-' allowed,
 * an optional +86 or 86 before it) as 11 digits into out (at least 12
 * bytes): 0, or LIN_EINVAL for anything else. No I/O. */
int portal_phone_parse(const char *in, char *out, size_t n);
/* portal_code_parse: in as exactly PORTAL_CODE_DIGITS digits (spaces
 * around and between allowed) into out (at least PORTAL_CODE_DIGITS + 1
 * bytes): 0 or LIN_EINVAL. No I/O. */
int portal_code_parse(const char *in, char *out, size_t n);
/* portal_code_live: whether a code expiring at expires_at may still be
 * used at second now (now < expires_at). */
int portal_code_live(int64_t expires_at, int64_t now);

/* portal_add_routes: /portal (the page, or the phone's sign-in),
 * /portal/code, /portal/signin and /api/v1/me/portal. */
int portal_add_routes(struct router *r);
/* portal_commands: `linli portal check`. */
extern const struct command portal_commands[];

#endif
