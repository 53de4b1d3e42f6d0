/* Internal to src/portal: the store (store.c) that the pages (pages.c),
 * the JSON (mine.c) and the command line (cli.c) share. */
#ifndef LINLI_PORTAL_INTERNAL_H
#define LINLI_PORTAL_INTERNAL_H

#include "portal.h"

#include <jansson.h>
#include <stdint.h>

struct http_req;

/* portal_code_issue: a new code for phone (already parsed) in area_id,
 * when exactly one live resident of the area has that phone: the code
 * is written hashed and sent through the area's SMS sender (notify/sms.h)
 * in the same transaction: the outbox, or the log in development.
 * LIN_ENOTFOUND for a phone on no resident's record (or on several),
 * LIN_ELIMIT past PORTAL_CODES_PER_HOUR. The code is never returned. */
int portal_code_issue(struct db *db, int64_t area_id, const char *phone, int64_t now);
/* portal_code_use: spends the newest live code of phone if code matches
 * it, and gives the account that signs in: the resident's own
 * (users.resident_id, role resident or any), else a new password-less one
 * made for them (role resident), in one transaction with its audit entry.
 * LIN_EAUTH for a wrong, spent or expired code (a wrong one counts
 * against the code and the phone), LIN_ELIMIT past PORTAL_WRONG_PER_HOUR,
 * LIN_EPERM when the resident's only accounts are disabled (nothing
 * changes: the code stays unspent).
 * OUT: *user_id, username (n bytes). */
int portal_code_use(struct db *db, int64_t area_id, const char *phone, const char *code,
		    int64_t now, int64_t *user_id, char *username, size_t n);
/* portal_resident_of: the resident of user_id in area_id (0: none). */
int portal_resident_of(struct db *db, int64_t area_id, int64_t user_id, int64_t *resident_id,
		       char *name, size_t n);

/* portal_json: everything the page shows for the signed-in reader, as
 * a new object {resident: {id, name} or null, reports, events, pets,
 * needs, duty, hours, notices: {events, plaza, assemblies}}. */
int portal_json(struct http_req *req, json_t **out);

#endif
