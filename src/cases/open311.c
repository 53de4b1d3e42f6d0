/* Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the
 * cases feature: discovery, services and their definitions, reading
 * requests and tokens, in JSON and XML, and the route table (filing a
 * request is in open311_post.c). Private categories never appear and
 * reporters' details never leave. docs/open311.md lists what we chose
 * where the specification leaves room. */
#include "open311.h"
#include "open311_answer.h"
#include "photos.h"
#include "cases.h"
#include "store.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../db/sqlb.h"
#include "../web/http.h"
#include "../web/router.h"
#include "../web/server.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define OPEN311_SPEC	  "http://wiki.open311.org/GeoReport_v2"
#define OPEN311_CHANGESET "2026-11-29T00:00:00+08:00" /* when this API last changed */
#define OPEN311_LIST_MAX  50 /* ids or codes in one filter (a statement binds at most 256) */

/* ---- discovery ---- */

/* base_url: "http://HOST/open311/v2" as the client reached us. */
static const char *base_url(struct http_req *req)
{
	return arena_printf(req->arena, "%s/open311/v2", req_origin(req));
}

static int discovery(struct http_req *req, struct http_resp *resp)
{
	enum open311_format fmt = open311_format_of(req_param(req, 0));
	json_t *doc;

	if (fmt == FMT_UNKNOWN)
		return open311_fail(req, resp, fmt, 404, M_FORMAT, NULL);
	doc = json_pack("{s:s,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:[s,s]}]}", "changeset",
			OPEN311_CHANGESET, "contact",
			open311_lang_en(req) ? "The residents' committee of your area"
					     : "所在居民区的居民委员会",
			"key_service",
			open311_lang_en(req)
			    ? "API keys are issued by the committee's administrator "
			      "(linli token add NAME --role staff)"
			    : "API 密钥由居委会系统管理员签发（linli token add 名称 --role staff）",
			"endpoints", "specification", OPEN311_SPEC, "url", base_url(req),
			"changeset", OPEN311_CHANGESET, "type", "production", "formats",
			"application/json", "text/xml");
	return open311_finish(req, resp, fmt, open311_send(resp, fmt, 200, "discovery", NULL, doc));
}

/* ---- services ---- */

static int services(struct http_req *req, struct http_resp *resp)
{
	enum open311_format fmt = open311_format_of(req_param(req, 0));
	struct open311_area area;
	json_t *cats = NULL, *list = NULL, *c;
	size_t i;
	int rc;

	if (fmt == FMT_UNKNOWN)
		return open311_fail(req, resp, fmt, 404, M_FORMAT, NULL);
	rc = open311_find_area(req, resp, fmt, req_query(req, "jurisdiction_id"), &area);
	if (rc || !area.id)
		goto out;
	rc = case_categories(req->db, area.id, 1, &cats);
	if (rc)
		goto out;
	list = json_array();
	json_array_foreach (cats, i, c) {
		const char *zh = json_string_value(json_object_get(c, "name_zh"));
		const char *en = json_string_value(json_object_get(c, "name_en"));
		json_t *questions = json_object_get(c, "questions");

		if (json_is_true(json_object_get(c, "private")))
			continue; /* case_categories left them out already */
		json_array_append_new(
		    list,
		    json_pack("{s:s,s:s,s:s,s:b,s:s,s:s,s:s}", "service_code",
			      json_string_value(json_object_get(c, "code")), "service_name",
			      open311_lang_en(req) ? en : zh, "description",
			      json_string_value(json_object_get(c, "description")), "metadata",
			      json_array_size(questions) > 0, "type", "realtime", "keywords",
			      arena_printf(req->arena, "%s,%s", zh, en), "group", ""));
	}
	rc = open311_send(resp, fmt, 200, "services", "service", list);
	list = NULL;
out:
	json_decref(cats);
	json_decref(list);
	return open311_finish(req, resp, fmt, rc);
}

static int service_definition(struct http_req *req, struct http_resp *resp)
{
	const char *code;
	enum open311_format fmt = open311_split_format(req, req_param(req, 0), &code);
	struct case_category cat;
	struct open311_area area;
	json_t *attributes = NULL, *q;
	size_t i;
	int rc;

	memset(&cat, 0, sizeof(cat));
	if (fmt == FMT_UNKNOWN)
		return open311_fail(req, resp, fmt, 404, M_FORMAT, NULL);
	rc = open311_find_area(req, resp, fmt, req_query(req, "jurisdiction_id"), &area);
	if (rc || !area.id)
		goto out;
	rc = case_category_get(req->db, area.id, code, &cat);
	if (rc == LIN_ENOTFOUND || (!rc && cat.private_)) {
		rc = open311_fail(req, resp, fmt, 404, M_SERVICE_UNKNOWN, NULL);
		goto out;
	}
	if (rc)
		goto out;
	attributes = json_array();
	json_array_foreach (cat.questions, i, q) {
		const char *type = json_string_value(json_object_get(q, "datatype"));
		const char *desc = json_string_value(
		    json_object_get(q, open311_lang_en(req) ? "description_en" : "description_zh"));
		json_t *a, *values = json_array(), *v;
		size_t k;

		json_array_foreach (json_object_get(q, "values"), k, v) {
			const char *key = json_string_value(json_object_get(v, "key"));
			const char *name = json_string_value(
			    json_object_get(v, open311_lang_en(req) ? "name_en" : "name_zh"));
			if (key)
				json_array_append_new(values, json_pack("{s:s,s:s}", "key", key,
									"name", name ? name : key));
		}
		a = json_pack("{s:b,s:s,s:s,s:b,s:s,s:I,s:s}", "variable", 1, "code",
			      json_string_value(json_object_get(q, "code")), "datatype",
			      type ? type : "string", "required",
			      json_is_true(json_object_get(q, "required")), "datatype_description",
			      "", "order", (json_int_t)(i + 1), "description", desc ? desc : "");
		/* Only the list types carry values. */
		if (a && type && strstr(type, "valuelist"))
			json_object_set_new(a, "values", values);
		else
			json_decref(values);
		json_array_append_new(attributes, a);
	}
	rc = open311_send(
	    resp, fmt, 200, "service_definition", NULL,
	    json_pack("{s:s,s:o}", "service_code", cat.code, "attributes", attributes));
	attributes = NULL;
out:
	case_category_release(&cat);
	json_decref(attributes);
	return open311_finish(req, resp, fmt, rc);
}

/* ---- reading requests ---- */

/* The columns write_request expects, in order. */
#define REQUEST_COLUMNS                                                                            \
	"c.id, c.state, c.public_note, k.code, k.name_zh, k.name_en, c.description, u.name,"       \
	" t.name, c.created_at, COALESCE(c.public_updated_at, c.updated_at), c.resolve_due,"       \
	" c.address, cp.name, b.name, h.door, c.household_id, c.lat_e6, c.lon_e6, c.resolved_at,"  \
	" c.closed_at, c.photos_public,"                                                           \
	" (SELECT p.sha256 FROM case_photos p WHERE p.case_id = c.id ORDER BY p.id LIMIT 1),"      \
	" ar.name, ar.code"
#define REQUEST_FROM                                                                               \
	" FROM cases c JOIN case_categories k ON k.id = c.category_id"                             \
	" JOIN areas ar ON ar.id = c.area_id"                                                      \
	" LEFT JOIN compounds cp ON cp.id = c.compound_id"                                         \
	" LEFT JOIN buildings b ON b.id = c.building_id"                                           \
	" LEFT JOIN households h ON h.id = c.household_id"                                         \
	" LEFT JOIN teams t ON t.id = c.handler_team_id"                                           \
	" LEFT JOIN units u ON u.id = c.agency_unit_id"

/* place_text: "普善一村 3号楼" and any free text, joined by spaces. The
 * door is left out: in a public feed it would point at one household,
 * the reporter's or a neighbour's. */
static const char *place_text(struct http_req *req, struct db_stmt *st)
{
	struct buf b;
	const char *parts[4], *out;

	buf_init(&b, 4096);
	parts[0] = db_column_text(st, 13);
	parts[1] = db_column_text(st, 14);
	parts[2] = ""; /* the door (column 15) stays private */
	parts[3] = db_column_text(st, 12);
	for (int i = 0; i < 4; i++) {
		if (!*parts[i])
			continue;
		if (b.len)
			buf_addc(&b, ' ');
		if (i == 2 && open311_lang_en(req))
			buf_addf(&b, "Room %s", parts[i]);
		else
			buf_addf(&b, "%s%s", parts[i], i == 2 ? "室" : "");
	}
	out = b.failed ? "" : arena_strdup(req->arena, b.buf);
	buf_release(&b);
	return out ? out : "";
}

/* write_request writes a row of REQUEST_COLUMNS as a public request: the
 * reporter's name, phone and e-mail are not even selected. */
static void write_request(struct http_req *req, struct db_stmt *st, const struct open311_area *area,
			  struct open311_writer *w)
{
	char when[32], id[24], household[1] = "";
	enum case_state state = CASE_SUBMITTED;
	const char *agency = db_column_text(st, 7);

	if (!*agency)
		agency = db_column_text(st, 8);
	if (!*agency)
		agency = db_column_text(st, 23); /* the case's own area's name */
	case_state_from_name(db_column_text(st, 1), &state);
	snprintf(id, sizeof(id), "%lld", (long long)db_column_int64(st, 0));
	/* address_id would name the household: accepted on POST, never shown. */
	open311_writer_record(w);
	open311_writer_text(w, "service_request_id", id);
	open311_writer_text(w, "status", case_state_open(state) ? "open" : "closed");
	open311_writer_text(w, "status_notes", db_column_text(st, 2));
	open311_writer_text(w, "service_name", db_column_text(st, open311_lang_en(req) ? 5 : 4));
	open311_writer_text(w, "service_code", db_column_text(st, 3));
	open311_writer_text(w, "description", db_column_text(st, 6));
	open311_writer_text(w, "agency_responsible", agency);
	open311_writer_text(w, "service_notice", "");
	/* across a street or district: which area's the request is */
	if (area->scope != ROLE_NONE)
		open311_writer_text(w, "jurisdiction_id", db_column_text(st, 24));
	open311_format_datetime(db_column_int64(st, 9), when, sizeof(when));
	open311_writer_text(w, "requested_datetime", when);
	/* A closed request's is the date it was closed, as the specification
	 * says; an open one's moves only with what the public sees. */
	open311_format_datetime(
	    state == CASE_RESOLVED && !db_column_is_null(st, 19)    ? db_column_int64(st, 19)
	    : !case_state_open(state) && !db_column_is_null(st, 20) ? db_column_int64(st, 20)
								    : db_column_int64(st, 10),
	    when, sizeof(when));
	open311_writer_text(w, "updated_datetime", when);
	open311_format_datetime(db_column_int64(st, 11), when, sizeof(when));
	open311_writer_text(w, "expected_datetime", when);
	open311_writer_text(w, "address", place_text(req, st));
	open311_writer_text(w, "address_id", household);
	open311_writer_text(w, "zipcode", "");
	if (!db_column_is_null(st, 17) && !db_column_is_null(st, 18)) {
		open311_writer_degrees(w, "lat", db_column_int64(st, 17));
		open311_writer_degrees(w, "long", db_column_int64(st, 18));
	}
	/* The first photo's downscaled copy, when the reporter allowed it. */
	open311_writer_text(w, "media_url",
			    db_column_int64(st, 21) && *db_column_text(st, 22)
				? arena_printf(req->arena, "%s/media/%s-%s.jpg", base_url(req), id,
					       db_column_text(st, 22))
				: "");
}

/* ---- media ---- */

/* GET media/ID-SHA.jpg: the downscaled copy of one of a case's photos
 * whose reporter allowed it to be public (never a private category's),
 * for media_url. The name is checked against the case's own photos. */
static int media(struct http_req *req, struct http_resp *resp)
{
	const char *name = req_param(req, 0), *dash = name ? strchr(name, '-') : NULL;
	char idtext[24], sha[65], mime[32], path[4200];
	int64_t id;
	int rc;

	if (!dash || dash - name >= (ptrdiff_t)sizeof(idtext) || strlen(dash + 1) != 68 ||
	    strcmp(dash + 65, ".jpg") || strspn(dash + 1, "0123456789abcdef") != 64)
		return open311_fail(req, resp, FMT_JSON, 404, M_REQUEST_UNKNOWN, NULL);
	snprintf(idtext, sizeof(idtext), "%.*s", (int)(dash - name), name);
	snprintf(sha, sizeof(sha), "%.64s", dash + 1);
	if (parse_int64(idtext, 1, INT64_MAX, &id))
		return open311_fail(req, resp, FMT_JSON, 404, M_REQUEST_UNKNOWN, NULL);
	rc = case_public_photo(req->db, id, sha, mime, sizeof(mime));
	if (rc == LIN_ENOTFOUND ||
	    (!rc && (photo_view_ensure(req->route->data, sha, mime) ||
		     photo_view_path(req->route->data, sha, path, sizeof(path)) ||
		     photo_read(path, &resp->body))))
		return open311_fail(req, resp, FMT_JSON, 404, M_REQUEST_UNKNOWN, NULL);
	if (rc)
		return open311_finish(req, resp, FMT_JSON, rc);
	resp->status = 200;
	resp->content_type = "image/jpeg";
	resp_header(req, resp, "Cache-Control", "public, max-age=86400");
	return 0;
}

/* What GET requests asks for, checked. */
struct request_query {
	int64_t *ids;	     /* service_request_id list; the other filters are ignored */
	int nids;	     /* entries in ids (0: no id filter) */
	const char **codes;  /* service_code list */
	int ncodes;	     /* entries in codes (0: every public service) */
	int open, closed;    /* status wanted (both when status is absent) */
	int64_t start, end;  /* requested_datetime window, inclusive */
	int64_t page, limit; /* 1-based page of limit rows */
};

/* split_list cuts a comma-separated value into at most max arena strings
 * (empty items dropped). Returns the count, LIN_ETOOBIG when there are
 * more, LIN_ENOMEM when the arena is full. */
static int split_list(struct http_req *req, const char *value, const char **out, int max)
{
	char *copy = arena_strdup(req->arena, value ? value : "");
	int n = 0;

	if (!copy)
		return LIN_ENOMEM;
	for (char *p = copy; p && *p;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		p = str_trim(p);
		if (*p) {
			if (n == max)
				return LIN_ETOOBIG;
			out[n++] = p;
		}
		p = comma ? comma + 1 : NULL;
	}
	return n;
}

/* parse_request_query reads GET requests' parameters into q; on a problem
 * it sends the 400 and returns LIN_EINVAL. */
static int parse_request_query(struct http_req *req, struct http_resp *resp,
			       enum open311_format fmt, struct request_query *q)
{
	const char *start = req_query(req, "start_date"), *end = req_query(req, "end_date");
	const char *page = req_query(req, "page"), *page_size = req_query(req, "page_size");
	const char *items[OPEN311_LIST_MAX], *field = NULL;
	enum open311_msg m = M_PAGE;
	int n, has_start = start && *start, has_end = end && *end;
	int64_t window = (int64_t)OPEN311_WINDOW_DAYS * 86400, ignored;

	memset(q, 0, sizeof(*q));
	q->page = 1;
	q->limit = OPEN311_MAX_RESULTS;
	if ((page && parse_int64(page, 1, 1000000, &q->page)) ||
	    (page_size && parse_int64(page_size, 1, OPEN311_MAX_RESULTS, &q->limit)))
		goto bad;
	m = M_IDS;
	n = split_list(req, req_query_list(req, "service_request_id"), items, OPEN311_LIST_MAX);
	if (n == LIN_ENOMEM)
		return n;
	if (n < 0)
		goto bad;
	if (n > 0) {
		q->ids = arena_alloc(req->arena, (size_t)n * sizeof(*q->ids));
		if (!q->ids)
			return LIN_ENOMEM;
		for (int i = 0; i < n; i++)
			if (parse_int64(items[i], 1, INT64_MAX, &q->ids[i]))
				goto bad;
		q->nids = n;
		return 0; /* the specification: other parameters are ignored */
	}
	m = M_LIST_LONG;
	field = "service_code";
	q->codes = arena_alloc(req->arena, OPEN311_LIST_MAX * sizeof(*q->codes));
	if (!q->codes)
		return LIN_ENOMEM;
	q->ncodes =
	    split_list(req, req_query_list(req, "service_code"), q->codes, OPEN311_LIST_MAX);
	if (q->ncodes == LIN_ENOMEM)
		return LIN_ENOMEM;
	if (q->ncodes < 0)
		goto bad;
	m = M_STATUS;
	n = split_list(req, req_query_list(req, "status"), items, 2);
	if (n == LIN_ENOMEM)
		return n;
	if (n < 0)
		goto bad;
	for (int i = 0; i < n; i++) {
		if (!strcmp(items[i], "open"))
			q->open = 1;
		else if (!strcmp(items[i], "closed"))
			q->closed = 1;
		else
			goto bad;
	}
	if (!n)
		q->open = q->closed = 1;
	m = M_DATE;
	field = "start_date";
	/* A date names its whole day: from its first second, to its last. */
	if (has_start && open311_parse_datetime(start, &q->start, &ignored))
		goto bad;
	field = "end_date";
	if (has_end && open311_parse_datetime(end, &ignored, &q->end))
		goto bad;
	/* The window: the last 90 days, or 90 days from or to the date given. */
	if (!has_start && !has_end) {
		q->end = (int64_t)time(NULL);
		q->start = q->end - window;
	} else if (!has_end) {
		q->end = q->start + window;
	} else if (!has_start) {
		q->start = q->end - window;
	}
	m = q->end < q->start ? M_DATE_ORDER : M_WINDOW;
	if (q->end < q->start || q->end - q->start > window)
		goto bad;
	return 0;
bad:
	open311_fail(req, resp, fmt, 400, m, field);
	return LIN_EINVAL;
}

static int state_closed(enum case_state s)
{
	return !case_state_open(s);
}

/* list_sql builds the one statement of GET requests: public categories of
 * the area, the filters, newest first, one page. */
/* area_where appends the statement's WHERE on the jurisdiction: its
 * area, or every area of its street or district (a subquery, not a list
 * of ids: a district's hundreds would pass the engine's bound values). */
static void area_where(struct sqlb *b, const struct open311_area *area)
{
	if (area->scope == ROLE_STREET_STAFF)
		buf_adds(&b->sql, " WHERE c.area_id IN (SELECT id FROM areas WHERE street_id = ?)");
	else if (area->scope == ROLE_DISTRICT_STAFF)
		buf_adds(&b->sql, " WHERE c.area_id IN (SELECT a.id FROM areas a JOIN streets s"
				  " ON s.id = a.street_id WHERE s.district_id = ?)");
	else
		buf_adds(&b->sql, " WHERE c.area_id = ?");
	sqlb_int(b, area->scope != ROLE_NONE ? area->scope_id : area->id);
}

static int list_sql(const struct request_query *q, const struct open311_area *area, struct sqlb *b)
{
	char states[256];

	buf_adds(&b->sql, "SELECT " REQUEST_COLUMNS REQUEST_FROM);
	area_where(b, area);
	buf_adds(&b->sql, " AND k.private = 0");
	if (q->nids) {
		buf_adds(&b->sql, " AND c.id IN (");
		for (int i = 0; i < q->nids; i++) {
			buf_adds(&b->sql, i ? ", ?" : "?");
			sqlb_int(b, q->ids[i]);
		}
		buf_addc(&b->sql, ')');
	} else {
		buf_adds(&b->sql, " AND c.created_at >= ? AND c.created_at <= ?");
		sqlb_int(b, q->start);
		sqlb_int(b, q->end);
		if (q->ncodes) {
			buf_adds(&b->sql, " AND k.code IN (");
			for (int i = 0; i < q->ncodes; i++) {
				buf_adds(&b->sql, i ? ", ?" : "?");
				sqlb_text(b, q->codes[i]);
			}
			buf_addc(&b->sql, ')');
		}
		/* The open or the closed states, from the model. */
		if (q->open != q->closed) {
			if (case_states_sql(q->open ? case_state_open : state_closed, states,
					    sizeof(states)))
				return LIN_ENOMEM;
			buf_addf(&b->sql, " AND c.state IN (%s)", states);
		}
	}
	buf_adds(&b->sql, " ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?");
	sqlb_int(b, q->limit);
	sqlb_int(b, (q->page - 1) * q->limit);
	return 0;
}

/* run_list runs b's statement and writes each row as a public request into the
 * response, in fmt. OUT: *rows. On failure nothing is sent. */
static int run_list(struct http_req *req, struct http_resp *resp, enum open311_format fmt,
		    struct sqlb *b, const struct open311_area *area, int *rows)
{
	struct open311_writer w;
	struct db_stmt *st = NULL;
	int rc;

	*rows = 0;
	buf_reset(&resp->body);
	open311_writer_begin(&w, &resp->body, fmt == FMT_XML, "service_requests", "request");
	rc = sqlb_prepare(req->db, b, &st);
	if (rc)
		goto out;
	while ((rc = db_step(st)) == DB_ROW)
		write_request(req, st, area, &w);
	if (rc < 0)
		goto out;
	rc = open311_writer_end(&w);
	if (!rc) {
		*rows = w.records;
		open311_answered(resp, fmt, 200);
	}
out:
	db_finalize(st);
	return rc;
}

static int requests_list(struct http_req *req, struct http_resp *resp)
{
	enum open311_format fmt = open311_format_of(req_param(req, 0));
	struct request_query q;
	struct open311_area area;
	struct sqlb b;
	int rc, rows;

	sqlb_init(&b);
	if (fmt == FMT_UNKNOWN) {
		rc = open311_fail(req, resp, fmt, 404, M_FORMAT, NULL);
		goto out;
	}
	rc = open311_find_area(req, resp, fmt, req_query(req, "jurisdiction_id"), &area);
	if (rc || !area.id)
		goto out;
	rc = parse_request_query(req, resp, fmt, &q);
	if (rc == LIN_EINVAL) {
		rc = 0; /* answered */
		goto out;
	}
	if (!rc)
		rc = list_sql(&q, &area, &b);
	if (!rc)
		rc = run_list(req, resp, fmt, &b, &area, &rows);
out:
	sqlb_release(&b);
	return open311_finish(req, resp, fmt, rc);
}

static int request_one(struct http_req *req, struct http_resp *resp)
{
	const char *id_text;
	enum open311_format fmt = open311_split_format(req, req_param(req, 0), &id_text);
	struct open311_area area;
	struct sqlb b;
	int64_t id;
	int rc, rows = 0;

	if (fmt == FMT_UNKNOWN)
		return open311_fail(req, resp, fmt, 404, M_FORMAT, NULL);
	sqlb_init(&b);
	rc = open311_find_area(req, resp, fmt, req_query(req, "jurisdiction_id"), &area);
	if (rc || !area.id)
		goto out;
	if (parse_int64(id_text, 1, INT64_MAX, &id)) {
		rc = open311_fail(req, resp, fmt, 404, M_REQUEST_UNKNOWN, NULL);
		goto out;
	}
	buf_adds(&b.sql, "SELECT " REQUEST_COLUMNS REQUEST_FROM);
	area_where(&b, &area);
	buf_adds(&b.sql, " AND c.id = ? AND k.private = 0");
	sqlb_int(&b, id);
	rc = run_list(req, resp, fmt, &b, &area, &rows);
	if (!rc && !rows)
		rc = open311_fail(req, resp, fmt, 404, M_REQUEST_UNKNOWN, NULL);
out:
	sqlb_release(&b);
	return open311_finish(req, resp, fmt, rc);
}

/* GET tokens/{token}: our requests get their id at once, so the only
 * tokens are tracking codes, which give back the request id. */
static int token_lookup(struct http_req *req, struct http_resp *resp)
{
	const char *token;
	enum open311_format fmt = open311_split_format(req, req_param(req, 0), &token);
	struct db_stmt *st = NULL;
	struct open311_area area;
	char code[TRACKING_CODE_LEN + 1], id[24] = "";
	struct sqlb b;
	int rc;

	if (fmt == FMT_UNKNOWN)
		return open311_fail(req, resp, fmt, 404, M_FORMAT, NULL);
	sqlb_init(&b);
	rc = open311_find_area(req, resp, fmt, req_query(req, "jurisdiction_id"), &area);
	if (rc || !area.id)
		goto out;
	/* Codes are printed in capitals; people type them in either case. */
	snprintf(code, sizeof(code), "%s", token);
	for (char *p = code; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	if (strlen(token) != TRACKING_CODE_LEN || !tracking_code_valid(code)) {
		rc = open311_fail(req, resp, fmt, 404, M_TOKEN_UNKNOWN, NULL);
		goto out;
	}
	buf_adds(&b.sql, "SELECT c.id FROM cases c JOIN case_categories k ON k.id = c.category_id");
	area_where(&b, &area);
	buf_adds(&b.sql, " AND c.tracking_code = ? AND k.private = 0");
	sqlb_text(&b, code);
	rc = sqlb_prepare(req->db, &b, &st);
	if (rc)
		goto out;
	rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(id, sizeof(id), "%lld", (long long)db_column_int64(st, 0));
	if (rc < 0)
		goto out;
	rc = 0;
	if (!*id)
		open311_fail(req, resp, fmt, 404, M_TOKEN_UNKNOWN, NULL);
	else
		rc =
		    open311_send(resp, fmt, 200, "service_requests", "request",
				 json_pack("[{s:s,s:s}]", "service_request_id", id, "token", code));
out:
	db_finalize(st);
	sqlb_release(&b);
	return open311_finish(req, resp, fmt, rc);
}

/* ---- routes ---- */

static const struct route open311_routes[] = {
    {"GET", "/open311/v2/discovery.:fmt", discovery, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/open311/v2/services.:fmt", services, PERM_PUBLIC, ROUTE_CACHEABLE, NULL, 0},
    {"GET", "/open311/v2/services/:code", service_definition, PERM_PUBLIC, ROUTE_CACHEABLE, NULL,
     0},
    {"GET", "/open311/v2/requests.:fmt", requests_list, PERM_PUBLIC, ROUTE_CACHEABLE, NULL, 0},
    {"GET", "/open311/v2/requests/:id", request_one, PERM_PUBLIC, ROUTE_CACHEABLE, NULL, 0},
    {"GET", "/open311/v2/tokens/:token", token_lookup, PERM_PUBLIC, ROUTE_CACHEABLE, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};

int open311_add_routes(struct router *r, const struct cases_uploads *up)
{
	/* The routes that store or serve media carry where photos go. */
	const struct route media_route[] = {
	    {"POST", "/open311/v2/requests.:fmt", open311_request_post, PERM_PUBLIC, ROUTE_UPLOAD,
	     up, 0},
	    {"GET", "/open311/v2/media/:file", media, PERM_PUBLIC, 0, up->dir, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	int rc = router_add(r, open311_routes);

	if (!rc)
		rc = router_add(r, media_route);
	return rc ? rc : router_error_writer(r, "/open311/", open311_error_writer);
}
