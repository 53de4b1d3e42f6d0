/* Roster instances and rosters as JSON (jansson): every value checked
 * and every error naming its field, times in ISO 8601 with an offset
 * ("2026-12-07T07:00:00+08:00"), written back in Shanghai time. */
#include "roster.h"
#include "internal.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/timeutil.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- times ---- */

static int digits(const char *s, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (s[i] - '0');
	}
	return 0;
}

/* parse_time reads "YYYY-MM-DDTHH:MM:SS" followed by "Z" or "+HH:MM" /
 * "-HH:MM" (a real calendar day, 1900 to 2100) as Unix seconds. */
static int parse_time(const char *s, int64_t *out)
{
	char date[11];
	int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
	size_t len = strlen(s);

	if (len != 20 && len != 25)
		return LIN_EINVAL;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (parse_date(date, &y, &mo, &d) || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se) || h > 23 ||
	    mi > 59 || se > 59)
		return LIN_EINVAL;
	if (len == 20) {
		if (s[19] != 'Z')
			return LIN_EINVAL;
	} else {
		sign = s[19] == '+' ? 1 : s[19] == '-' ? -1 : 0;
		if (!sign || s[22] != ':' || digits(s + 20, 2, &oh) || digits(s + 23, 2, &om) ||
		    oh > 14 || om > 59)
			return LIN_EINVAL;
	}
	*out = lin_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
	       sign * (oh * 3600 + om * 60);
	return 0;
}

/* ---- reading ---- */

static int only_keys(json_t *obj, const char *const *keys, const char *where, char *err,
		     size_t errlen)
{
	const char *key;
	json_t *v;

	json_object_foreach (obj, key, v) {
		int known = 0;
		for (const char *const *k = keys; *k && !known; k++)
			known = !strcmp(*k, key);
		if (!known)
			return roster_fail(err, errlen,
					   "%s：未知字段 \"%s\" %s: unknown key \"%s\"", where, key,
					   where, key);
	}
	return 0;
}

static int get_int(json_t *obj, const char *key, int min, int max, int required, int def, int *out,
		   const char *where, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, key);

	if (!v) {
		if (required)
			return roster_fail(err, errlen, "%s.%s：缺少此字段 %s.%s is missing", where,
					   key, where, key);
		*out = def;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return roster_fail(err, errlen,
				   "%s.%s 须为 %d 到 %d 的整数 %s.%s must be an integer from "
				   "%d to %d",
				   where, key, min, max, where, key, min, max);
	*out = (int)json_integer_value(v);
	return 0;
}

static int get_time(json_t *obj, const char *key, int64_t *out, const char *where, char *err,
		    size_t errlen)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_string(v) || parse_time(json_string_value(v), out))
		return roster_fail(err, errlen,
				   "%s.%s 须为带时区的 ISO 8601 时间，如 "
				   "2026-12-07T07:00:00+08:00 %s.%s must be an ISO 8601 time "
				   "with an offset, such as 2026-12-07T07:00:00+08:00",
				   where, key, where, key);
	return 0;
}

static int get_id(json_t *obj, const char *key, char *out, const char *where, char *err,
		  size_t errlen)
{
	json_t *v = json_object_get(obj, key);
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	size_t len = s ? json_string_length(v) : 0;

	if (!s || !len || len >= ROSTER_ID_MAX || strlen(s) != len || !utf8_valid(s, len))
		return roster_fail(err, errlen,
				   "%s.%s 须为 1 到 %d 字节的文本 %s.%s must be text of 1 to "
				   "%d bytes",
				   where, key, ROSTER_ID_MAX - 1, where, key, ROSTER_ID_MAX - 1);
	memcpy(out, s, len + 1);
	return 0;
}

static json_t *get_array(json_t *obj, const char *key, int required, const char *where, char *err,
			 size_t errlen, int *rc)
{
	json_t *v = json_object_get(obj, key);

	*rc = 0;
	if (!v && !required)
		return NULL;
	if (!json_is_array(v))
		*rc = roster_fail(err, errlen, "%s%s%s 须为数组 %s%s%s must be an array", where,
				  *where ? "." : "", key, where, *where ? "." : "", key);
	return v;
}

static int parse_shift(json_t *o, struct roster_shift *sh, int i, char *err, size_t errlen)
{
	static const char *const keys[] = {"id", "start", "end", "need", "need_trained", NULL};
	char where[40];
	int rc;

	snprintf(where, sizeof(where), "shifts[%d]", i);
	if (!json_is_object(o))
		return roster_fail(err, errlen, "%s 须为对象 %s must be an object", where, where);
	rc = only_keys(o, keys, where, err, errlen);
	if (!rc)
		rc = get_id(o, "id", sh->id, where, err, errlen);
	if (!rc)
		rc = get_time(o, "start", &sh->start, where, err, errlen);
	if (!rc)
		rc = get_time(o, "end", &sh->end, where, err, errlen);
	if (!rc)
		rc = get_int(o, "need", 0, ROSTER_MAX_NEED, 1, 0, &sh->need, where, err, errlen);
	if (!rc)
		rc = get_int(o, "need_trained", 0, ROSTER_MAX_NEED, 0, 0, &sh->need_trained, where,
			     err, errlen);
	if (!rc && sh->start >= sh->end)
		rc = roster_fail(err, errlen,
				 "%s（%s）的 end 须晚于 start %s (%s): end must come after start",
				 where, sh->id, where, sh->id);
	if (!rc && sh->need_trained > sh->need)
		rc = roster_fail(err, errlen,
				 "%s（%s）的 need_trained 不能超过 need %s (%s): need_trained "
				 "cannot exceed need",
				 where, sh->id, where, sh->id);
	return rc;
}

static int parse_volunteer(json_t *o, struct roster_volunteer *vo, int i, char *err, size_t errlen)
{
	static const char *const keys[] = {"id",	   "trained",	  "max_per_day",
					   "max_per_week", "unavailable", NULL};
	static const char *const span_keys[] = {"start", "end", NULL};
	char where[40], at[96];
	json_t *spans, *e, *t;
	size_t k;
	int rc;

	snprintf(where, sizeof(where), "volunteers[%d]", i);
	if (!json_is_object(o))
		return roster_fail(err, errlen, "%s 须为对象 %s must be an object", where, where);
	rc = only_keys(o, keys, where, err, errlen);
	if (!rc)
		rc = get_id(o, "id", vo->id, where, err, errlen);
	if (rc)
		return rc;
	t = json_object_get(o, "trained");
	if (t && !json_is_boolean(t))
		return roster_fail(err, errlen,
				   "%s.trained 须为 true 或 false %s.trained must "
				   "be true or false",
				   where, where);
	vo->trained = t && json_is_true(t);
	rc = get_int(o, "max_per_day", 0, ROSTER_MAX_SHIFTS, 1, 0, &vo->max_per_day, where, err,
		     errlen);
	if (!rc)
		rc = get_int(o, "max_per_week", 0, ROSTER_MAX_SHIFTS, 1, 0, &vo->max_per_week,
			     where, err, errlen);
	if (!rc)
		spans = get_array(o, "unavailable", 0, where, err, errlen, &rc);
	if (rc || !spans)
		return rc;
	if (json_array_size(spans) > ROSTER_MAX_SPANS)
		return roster_fail(err, errlen,
				   "%s.unavailable 至多 %d 段 %s.unavailable holds at most %d "
				   "spans",
				   where, ROSTER_MAX_SPANS, where, ROSTER_MAX_SPANS);
	json_array_foreach (spans, k, e) {
		struct roster_span *sp = &vo->unavailable[k];
		snprintf(at, sizeof(at), "%s.unavailable[%zu]", where, k);
		if (!json_is_object(e))
			return roster_fail(err, errlen, "%s 须为对象 %s must be an object", at, at);
		rc = only_keys(e, span_keys, at, err, errlen);
		if (!rc)
			rc = get_time(e, "start", &sp->start, at, err, errlen);
		if (!rc)
			rc = get_time(e, "end", &sp->end, at, err, errlen);
		if (!rc && sp->start >= sp->end)
			rc = roster_fail(err, errlen,
					 "%s 的 end 须晚于 start %s: end must come after start", at,
					 at);
		if (rc)
			return rc;
		vo->nunavailable++;
	}
	return 0;
}

/* Ids are looked up in a sorted copy (a scan per lookup would be
 * quadratic on a month of shifts). */
struct id_entry {
	const char *id; /* the instance's id */
	int at;		/* its index */
};

struct id_index {
	struct id_entry *e; /* [n], sorted by id */
	int n;
};

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct id_entry *)a)->id, ((const struct id_entry *)b)->id);
}

static int index_build(struct id_index *x, const char *first, size_t stride, int n)
{
	x->n = n;
	x->e = malloc((size_t)(n ? n : 1) * sizeof(*x->e));
	if (!x->e)
		return LIN_ENOMEM;
	for (int i = 0; i < n; i++)
		x->e[i] = (struct id_entry){first + (size_t)i * stride, i};
	qsort(x->e, (size_t)n, sizeof(*x->e), by_id);
	return 0;
}

static void index_release(struct id_index *x)
{
	free(x->e);
	x->e = NULL;
}

static int index_find(const struct id_index *x, const char *id)
{
	struct id_entry key = {id, -1}, *hit;

	hit = x->n ? bsearch(&key, x->e, (size_t)x->n, sizeof(key), by_id) : NULL;
	return hit ? hit->at : -1;
}

/* parse_pair reads {"shift": id, "volunteer": id} into indices. */
static int parse_pair(json_t *o, const struct id_index *shifts, const struct id_index *vols,
		      const char *where, struct roster_pair *out, char *err, size_t errlen)
{
	static const char *const keys[] = {"shift", "volunteer", NULL};
	char id[ROSTER_ID_MAX];
	int rc;

	if (!json_is_object(o))
		return roster_fail(err, errlen, "%s 须为对象 %s must be an object", where, where);
	rc = only_keys(o, keys, where, err, errlen);
	if (!rc)
		rc = get_id(o, "shift", id, where, err, errlen);
	if (rc)
		return rc;
	out->shift = index_find(shifts, id);
	if (out->shift < 0)
		return roster_fail(err, errlen, "%s.shift：没有班次 %s %s.shift: no shift %s",
				   where, id, where, id);
	rc = get_id(o, "volunteer", id, where, err, errlen);
	if (rc)
		return rc;
	out->volunteer = index_find(vols, id);
	if (out->volunteer < 0)
		return roster_fail(err, errlen,
				   "%s.volunteer：没有志愿者 %s %s.volunteer: no volunteer %s",
				   where, id, where, id);
	return 0;
}

static int indexes(const struct roster_instance *in, struct id_index *shifts, struct id_index *vols)
{
	memset(shifts, 0, sizeof(*shifts));
	memset(vols, 0, sizeof(*vols));
	if (index_build(shifts, in->shift ? in->shift[0].id : NULL, sizeof(*in->shift),
			in->nshifts) ||
	    index_build(vols, in->volunteer ? in->volunteer[0].id : NULL, sizeof(*in->volunteer),
			in->nvolunteers)) {
		index_release(shifts);
		index_release(vols);
		return LIN_ENOMEM;
	}
	return 0;
}

static json_t *load(const char *text, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);

	if (!root)
		roster_fail(err, errlen,
			    "JSON 无法解析（第 %d 行）：%s JSON does not parse (line "
			    "%d): %s",
			    je.line, je.text, je.line, je.text);
	else if (!json_is_object(root)) {
		roster_fail(err, errlen, "JSON 顶层须为对象 the JSON must be an object");
		json_decref(root);
		root = NULL;
	}
	return root;
}

int roster_instance_from_json(const char *text, size_t len, struct roster_instance *out, char *err,
			      size_t errlen)
{
	static const char *const keys[] = {"shifts", "volunteers", "previous", NULL};
	json_t *root = load(text, len, err, errlen), *shifts, *vols, *prev = NULL, *e;
	struct id_index si, vi;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!root)
		return LIN_EINVAL;
	rc = only_keys(root, keys, "JSON", err, errlen);
	if (!rc)
		shifts = get_array(root, "shifts", 1, "", err, errlen, &rc);
	if (!rc)
		vols = get_array(root, "volunteers", 1, "", err, errlen, &rc);
	if (!rc)
		prev = get_array(root, "previous", 0, "", err, errlen, &rc);
	if (rc)
		goto out;
	if (json_array_size(shifts) > ROSTER_MAX_SHIFTS ||
	    json_array_size(vols) > ROSTER_MAX_VOLS ||
	    json_array_size(prev) > (size_t)ROSTER_MAX_SHIFTS * ROSTER_MAX_NEED) {
		rc = roster_fail(err, errlen,
				 "班次至多 %d 个、志愿者至多 %d 人 at most %d shifts and %d "
				 "volunteers",
				 ROSTER_MAX_SHIFTS, ROSTER_MAX_VOLS, ROSTER_MAX_SHIFTS,
				 ROSTER_MAX_VOLS);
		goto out;
	}
	rc = roster_instance_init(out, (int)json_array_size(shifts), (int)json_array_size(vols),
				  (int)json_array_size(prev));
	if (rc) {
		roster_fail(err, errlen, "内存不足 out of memory");
		goto out;
	}
	json_array_foreach (shifts, i, e) {
		rc = parse_shift(e, &out->shift[i], (int)i, err, errlen);
		if (rc)
			goto out;
	}
	json_array_foreach (vols, i, e) {
		rc = parse_volunteer(e, &out->volunteer[i], (int)i, err, errlen);
		if (rc)
			goto out;
	}
	/* Duplicate ids before previous, whose ids must name one thing. */
	{
		int nprevious = out->nprevious;
		out->nprevious = 0;
		rc = roster_instance_validate(out, err, errlen);
		out->nprevious = nprevious;
	}
	if (rc)
		goto out;
	rc = indexes(out, &si, &vi);
	if (rc) {
		roster_fail(err, errlen, "内存不足 out of memory");
		goto out;
	}
	json_array_foreach (prev, i, e) {
		char where[40];
		snprintf(where, sizeof(where), "previous[%zu]", i);
		rc = parse_pair(e, &si, &vi, where, &out->previous[i], err, errlen);
		if (rc)
			break;
	}
	index_release(&si);
	index_release(&vi);
	if (!rc)
		rc = roster_instance_validate(out, err, errlen);
out:
	json_decref(root);
	if (rc)
		roster_instance_release(out);
	return rc;
}

int roster_result_from_json(const struct roster_instance *in, const char *text, size_t len,
			    struct roster_result *out, char *err, size_t errlen)
{
	static const char *const keys[] = {"assignments", "unfilled", "filled", "covered",
					   "kept",	  "spread",   "bound",	"optimal",
					   "solver",	  "seconds",  "value",	NULL};
	static const char *const unfilled_keys[] = {"shift", "missing", "reason", NULL};
	json_t *root = load(text, len, err, errlen), *as, *un, *e;
	struct id_index si, vi;
	size_t i;
	int rc, have_index = 0;

	memset(out, 0, sizeof(*out));
	out->solver = "file";
	if (!root)
		return LIN_EINVAL;
	rc = only_keys(root, keys, "JSON", err, errlen);
	if (!rc)
		as = get_array(root, "assignments", 1, "", err, errlen, &rc);
	if (!rc)
		un = get_array(root, "unfilled", 0, "", err, errlen, &rc);
	if (rc)
		goto out;
	if (json_array_size(as) > (size_t)ROSTER_MAX_SHIFTS * ROSTER_MAX_NEED ||
	    json_array_size(un) > ROSTER_MAX_SHIFTS) {
		rc = roster_fail(err, errlen, "排班过大 the roster is too large");
		goto out;
	}
	out->assign = calloc(json_array_size(as) + 1, sizeof(*out->assign));
	rc = out->assign ? indexes(in, &si, &vi) : LIN_ENOMEM;
	if (rc) {
		roster_fail(err, errlen, "内存不足 out of memory");
		goto out;
	}
	have_index = 1;
	json_array_foreach (as, i, e) {
		char where[40];
		snprintf(where, sizeof(where), "assignments[%zu]", i);
		rc = parse_pair(e, &si, &vi, where, &out->assign[i], err, errlen);
		if (rc)
			goto out;
		out->nassign++;
	}
	/* The counts a file leaves out are recounted; those it gives are
	 * held to the truth by roster_check. */
	rc = roster_finish(in, out);
	if (rc) {
		roster_fail(err, errlen, "内存不足 out of memory");
		goto out;
	}
	if (un) {
		free(out->unfilled);
		out->nunfilled = 0;
		out->unfilled = calloc(json_array_size(un) + 1, sizeof(*out->unfilled));
		if (!out->unfilled) {
			rc = roster_fail(err, errlen, "内存不足 out of memory");
			goto out;
		}
		json_array_foreach (un, i, e) {
			struct roster_unfilled *u = &out->unfilled[i];
			char where[40], id[ROSTER_ID_MAX];
			json_t *reason;
			snprintf(where, sizeof(where), "unfilled[%zu]", i);
			if (!json_is_object(e)) {
				rc = roster_fail(err, errlen, "%s 须为对象 %s must be an object",
						 where, where);
				goto out;
			}
			rc = only_keys(e, unfilled_keys, where, err, errlen);
			if (!rc)
				rc = get_id(e, "shift", id, where, err, errlen);
			if (!rc && (u->shift = index_find(&si, id)) < 0)
				rc = roster_fail(err, errlen,
						 "%s.shift：没有班次 %s %s.shift: no shift %s",
						 where, id, where, id);
			if (!rc)
				rc = get_int(e, "missing", 1, ROSTER_MAX_NEED, 1, 0, &u->missing,
					     where, err, errlen);
			if (rc)
				goto out;
			reason = json_object_get(e, "reason");
			if (json_is_string(reason))
				snprintf(u->reason, sizeof(u->reason), "%s",
					 json_string_value(reason));
			out->nunfilled++;
		}
	}
	{
		static const char *const counts[] = {"filled", "covered", "kept", NULL};
		int *to[] = {&out->filled, &out->covered, &out->kept};
		json_t *sp = json_object_get(root, "spread");
		for (int k = 0; counts[k] && !rc; k++)
			rc = get_int(root, counts[k], 0, ROSTER_MAX_SHIFTS * ROSTER_MAX_NEED, 0,
				     *to[k], to[k], "JSON", err, errlen);
		if (!rc && sp && (!json_is_integer(sp) || json_integer_value(sp) < 0))
			rc = roster_fail(err, errlen,
					 "spread 须为非负整数 spread must be a non-negative "
					 "integer");
		if (!rc && sp)
			out->spread = json_integer_value(sp);
	}
out:
	if (have_index) {
		index_release(&si);
		index_release(&vi);
	}
	json_decref(root);
	if (rc) {
		roster_result_release(out);
		out->solver = "file";
	}
	return rc;
}

/* ---- writing ---- */

int roster_instance_to_json(const struct roster_instance *in, struct buf *out)
{
	char a[32], b[32];

	buf_adds(out, "{\"shifts\": [");
	for (int s = 0; s < in->nshifts; s++) {
		const struct roster_shift *sh = &in->shift[s];
		roster_time_text(sh->start, a, sizeof(a));
		roster_time_text(sh->end, b, sizeof(b));
		buf_adds(out, s ? ",\n  {\"id\": " : "\n  {\"id\": ");
		buf_add_json_string(out, sh->id);
		buf_addf(out,
			 ", \"start\": \"%s\", \"end\": \"%s\", \"need\": %d, "
			 "\"need_trained\": %d}",
			 a, b, sh->need, sh->need_trained);
	}
	buf_adds(out, "],\n \"volunteers\": [");
	for (int v = 0; v < in->nvolunteers; v++) {
		const struct roster_volunteer *vo = &in->volunteer[v];
		buf_adds(out, v ? ",\n  {\"id\": " : "\n  {\"id\": ");
		buf_add_json_string(out, vo->id);
		buf_addf(out, ", \"trained\": %s, \"max_per_day\": %d, \"max_per_week\": %d",
			 vo->trained ? "true" : "false", vo->max_per_day, vo->max_per_week);
		if (vo->nunavailable)
			buf_adds(out, ", \"unavailable\": [");
		for (int k = 0; k < vo->nunavailable; k++) {
			roster_time_text(vo->unavailable[k].start, a, sizeof(a));
			roster_time_text(vo->unavailable[k].end, b, sizeof(b));
			buf_addf(out, "%s{\"start\": \"%s\", \"end\": \"%s\"}", k ? ", " : "", a,
				 b);
		}
		buf_adds(out, vo->nunavailable ? "]}" : "}");
	}
	buf_adds(out, "],\n \"previous\": [");
	for (int i = 0; i < in->nprevious; i++) {
		buf_adds(out, i ? ",\n  {\"shift\": " : "\n  {\"shift\": ");
		buf_add_json_string(out, in->shift[in->previous[i].shift].id);
		buf_adds(out, ", \"volunteer\": ");
		buf_add_json_string(out, in->volunteer[in->previous[i].volunteer].id);
		buf_adds(out, "}");
	}
	buf_adds(out, "]}\n");
	return out->failed ? LIN_ENOMEM : 0;
}

int roster_result_to_json(const struct roster_instance *in, const struct roster_result *r,
			  struct buf *out)
{
	buf_addf(out,
		 "{\"solver\": \"%s\", \"optimal\": %s, \"seconds\": %.3f, \"filled\": %d, "
		 "\"covered\": %d, \"kept\": %d, \"spread\": %lld, \"bound\": %lld,\n "
		 "\"assignments\": [",
		 r->solver ? r->solver : "file", r->optimal ? "true" : "false", r->seconds,
		 r->filled, r->covered, r->kept, (long long)r->spread, (long long)r->bound);
	for (int i = 0; i < r->nassign; i++) {
		buf_adds(out, i ? ",\n  {\"shift\": " : "\n  {\"shift\": ");
		buf_add_json_string(out, in->shift[r->assign[i].shift].id);
		buf_adds(out, ", \"volunteer\": ");
		buf_add_json_string(out, in->volunteer[r->assign[i].volunteer].id);
		buf_adds(out, "}");
	}
	buf_adds(out, "],\n \"unfilled\": [");
	for (int i = 0; i < r->nunfilled; i++) {
		buf_adds(out, i ? ",\n  {\"shift\": " : "\n  {\"shift\": ");
		buf_add_json_string(out, in->shift[r->unfilled[i].shift].id);
		buf_addf(out, ", \"missing\": %d, \"reason\": ", r->unfilled[i].missing);
		buf_add_json_string(out, r->unfilled[i].reason);
		buf_adds(out, "}");
	}
	buf_adds(out, "]}\n");
	return out->failed ? LIN_ENOMEM : 0;
}
