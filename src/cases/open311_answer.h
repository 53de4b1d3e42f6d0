/* Internal to the Open311 files (open311.c, open311_post.c,
 * open311_answer.c): the answer formats, the messages in both languages,
 * the specification's error list and the choice of jurisdiction. */
#ifndef LINLI_CASES_OPEN311_ANSWER_H
#define LINLI_CASES_OPEN311_ANSWER_H

#include "../web/http.h"

#include <jansson.h>
#include <stdint.h>

/* Open311 answers carry their own messages in both languages rather than
 * keys of the shared catalogues (docs/open311.md). */
enum open311_msg {
	M_FORMAT,
	M_JURISDICTION_UNKNOWN,
	M_JURISDICTION_REQUIRED,
	M_JURISDICTION_AREA, /* a street's or district's jurisdiction_id on a POST */
	M_API_KEY,
	M_API_KEY_AREA,
	M_REQUIRED,
	M_SERVICE_UNKNOWN,
	M_LOCATION_REQUIRED,
	M_LATLONG,
	M_ADDRESS_ID,
	M_TOO_LONG,
	M_INVALID,
	M_MEDIA_URL,
	M_MEDIA,
	M_DISK,
	M_FORM,
	M_ATTRIBUTE_KEY,
	M_ATTRIBUTE_REPEATED,
	M_ANSWER,
	M_ANSWER_REQUIRED,
	M_DATE,
	M_WINDOW,
	M_DATE_ORDER,
	M_STATUS,
	M_IDS,
	M_LIST_LONG,
	M_PAGE,
	M_REQUEST_UNKNOWN,
	M_TOKEN_UNKNOWN,
	M_INTERNAL,
	M_NOTICE,
	M_COUNT
};

enum open311_format { FMT_JSON, FMT_XML, FMT_UNKNOWN };

/* The jurisdiction a request is about: one area, or every area of a
 * street or district (jurisdiction_id is then the street's or district's
 * code: requests are read across its areas, never filed). */
struct open311_area {
	int64_t id;	  /* areas.id; a street's or district's first area (its
			     services stand for the others': they share the
			     standard categories) */
	const char *name; /* areas.name (arena string), for agency_responsible */
	enum role scope;  /* ROLE_STREET_STAFF or ROLE_DISTRICT_STAFF for a street's
			     or district's jurisdiction, ROLE_NONE for an area's */
	int64_t scope_id; /* that street's or district's id */
};

/* open311_lang_en: the reader asked for English. */
int open311_lang_en(const struct http_req *req);
/* open311_message: the text of m in the reader's language with "{field}"
 * replaced by field (an arena string). */
const char *open311_message(struct http_req *req, enum open311_msg m, const char *field);
/* open311_send writes v (reference stolen) in fmt with status: JSON, or
 * XML under root with item elements for an array's members. On failure
 * nothing is sent (status 0) and the error is returned. */
int open311_send(struct http_resp *resp, enum open311_format fmt, int status, const char *root,
		 const char *item, json_t *v);
/* open311_answered sets status and the content type of fmt for a body
 * already written. */
void open311_answered(struct http_resp *resp, enum open311_format fmt, int status);
/* open311_fail sends the specification's error list [{code, description}]
 * (JSON when fmt is unknown) and returns 0, so handlers can return it. */
int open311_fail(struct http_req *req, struct http_resp *resp, enum open311_format fmt, int status,
		 enum open311_msg m, const char *field);
/* open311_error_writer answers the errors the dispatcher raises under
 * /open311/ (a malformed or oversize body, no such route, too many
 * requests) as that list too, in XML when the path ends in ".xml". */
int open311_error_writer(struct http_req *req, struct http_resp *resp, int status,
			 const char *message);
/* open311_finish: what a handler returns. An internal failure (rc set and
 * nothing sent) is logged and answered 500 in the specification's form. */
int open311_finish(struct http_req *req, struct http_resp *resp, enum open311_format fmt, int rc);
/* open311_format_of reads a format name ("json", "xml"). */
enum open311_format open311_format_of(const char *s);
/* open311_split_format splits a path capture "noise.json" at its last '.'.
 * OUT: *name, an arena string ("" when there is no '.'). */
enum open311_format open311_split_format(struct http_req *req, const char *capture,
					 const char **name);
/* open311_find_area chooses the area from jurisdiction_id (its code, or
 * a street's or district's code for all of its areas), or the only area
 * when code is NULL or "". On a problem (unknown: 404; none
 * given while there are several: 400) the error is sent and area->id is
 * 0; rc is only for storage failures. */
int open311_find_area(struct http_req *req, struct http_resp *resp, enum open311_format fmt,
		      const char *code, struct open311_area *area);

/* open311_request_post: POST requests.{fmt} (open311_post.c). */
int open311_request_post(struct http_req *req, struct http_resp *resp);

#endif
