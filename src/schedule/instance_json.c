/* Schedule instances and timetables as JSON (jansson), with every value
 * range-checked, and the seeded generator of realistic random instances
 * that tests and benchmarks use. */
#include "schedule.h"
#include "internal.h"
#include "../base/buf.h"
#include "../base/err.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

/* only_keys: obj has no key outside the NULL-terminated list (a typo in
 * a key would otherwise pass silently). */
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
			return sched_fail(err, errlen, "%s：未知字段 \"%s\" %s: unknown key \"%s\"",
					  where, key, where, key);
	}
	return 0;
}

/* get_int reads obj[key] as an integer in [min, max]; absent, it is def
 * (or an error when required). */
static int get_int(json_t *obj, const char *key, int64_t min, int64_t max, int required,
		   int64_t def, int64_t *out, const char *where, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, key);

	if (!v) {
		if (required)
			return sched_fail(err, errlen, "%s：缺少 \"%s\" %s: \"%s\" is missing",
					  where, key, where, key);
		*out = def;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return sched_fail(
		    err, errlen,
		    "%s：\"%s\" 须为 %lld 到 %lld 的整数 %s: \"%s\" must be an integer "
		    "from %lld to %lld",
		    where, key, (long long)min, (long long)max, where, key, (long long)min,
		    (long long)max);
	*out = json_integer_value(v);
	return 0;
}

static int get_name(json_t *obj, char *out, size_t n, const char *where, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, "name");
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;

	if (!s || !*s || strlen(s) >= n)
		return sched_fail(
		    err, errlen,
		    "%s：\"name\" 须为 1 到 %zu 字节的字符串 %s: \"name\" must be a string "
		    "of 1 to %zu bytes",
		    where, n - 1, where, n - 1);
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

/* get_mask reads obj[key], an array of distinct indices below n, as bits. */
static int get_mask(json_t *obj, const char *key, int n, int required, uint64_t *out,
		    const char *where, char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, key), *e;
	size_t i;

	*out = 0;
	if (!v) {
		if (required)
			return sched_fail(err, errlen, "%s：缺少 \"%s\" %s: \"%s\" is missing",
					  where, key, where, key);
		return 0;
	}
	if (!json_is_array(v))
		return sched_fail(err, errlen, "%s：\"%s\" 须为数组 %s: \"%s\" must be an array",
				  where, key, where, key);
	json_array_foreach (v, i, e) {
		json_int_t k = json_is_integer(e) ? json_integer_value(e) : -1;
		if (k < 0 || k >= n || (*out >> k & 1))
			return sched_fail(
			    err, errlen,
			    "%s：\"%s\" 须为 0 到 %d 之间不重复的序号 %s: \"%s\" must hold "
			    "distinct indices from 0 to %d",
			    where, key, n - 1, where, key, n - 1);
		*out |= (uint64_t)1 << k;
	}
	return 0;
}

static int parse_weights(json_t *w, struct sched_weights *out, char *err, size_t errlen)
{
	static const char *const keys[] = {"placed", "zone", "slot", "fair", NULL};
	int64_t v[4] = {0, 0, 0, 0};
	int rc;

	if (!json_is_object(w))
		return sched_fail(err, errlen,
				  "\"weights\" 须为对象 \"weights\" must be an object");
	rc = only_keys(w, keys, "weights", err, errlen);
	for (int i = 0; i < 4 && !rc; i++)
		rc = get_int(w, keys[i], 0, 1000000000, 0,
			     i == 0   ? SCHED_DEFAULT_WEIGHTS.placed
			     : i == 1 ? SCHED_DEFAULT_WEIGHTS.zone
			     : i == 2 ? SCHED_DEFAULT_WEIGHTS.slot
				      : SCHED_DEFAULT_WEIGHTS.fair,
			     &v[i], "weights", err, errlen);
	if (!rc)
		*out = (struct sched_weights){v[0], v[1], v[2], v[3]};
	return rc;
}

static int parse_zone(json_t *z, struct sched_instance *in, int i, char *err, size_t errlen)
{
	static const char *const keys[] = {"name", "capacity", "dist_dm", "open_slots", NULL};
	json_t *dist, *e;
	char where[48];
	int64_t cap = 0;
	size_t k;
	int rc;

	snprintf(where, sizeof(where), "zones[%d]", i);
	if (!json_is_object(z))
		return sched_fail(err, errlen, "%s 须为对象 %s must be an object", where, where);
	rc = only_keys(z, keys, where, err, errlen);
	if (!rc)
		rc = get_name(z, in->zone[i].name, sizeof(in->zone[i].name), where, err, errlen);
	if (!rc)
		rc = get_int(z, "capacity", 0, SCHED_MAX_CAPACITY, 0, 1, &cap, where, err, errlen);
	/* The zone's own allowed slots (its rules); all when absent. */
	if (!rc && json_object_get(z, "open_slots"))
		rc =
		    get_mask(z, "open_slots", in->nslots, 1, &in->zone_open[i], where, err, errlen);
	if (rc)
		return rc;
	in->zone[i].capacity = (int)cap;
	dist = json_object_get(z, "dist_dm");
	if (!json_is_array(dist) || json_array_size(dist) != (size_t)in->nreceptors)
		return sched_fail(
		    err, errlen,
		    "%s：\"dist_dm\" 须为 %d 个距离（分米）的数组 %s: \"dist_dm\" must be an "
		    "array of %d distances in decimetres",
		    where, in->nreceptors, where, in->nreceptors);
	json_array_foreach (dist, k, e) {
		json_int_t d = json_is_integer(e) ? json_integer_value(e) : 0;
		if (d <= 0 || d > 100000)
			return sched_fail(
			    err, errlen,
			    "%s：距离须为 1 到 100000 分米 %s: distances must be 1 to 100000 "
			    "dm",
			    where, where);
		in->dist_dm[i][k] = (int32_t)d;
	}
	return 0;
}

static int parse_receptor(json_t *r, struct sched_instance *in, int i, char *err, size_t errlen)
{
	static const char *const keys[] = {"name", "limit_centi", "background_centi", NULL};
	char where[48];
	int rc;

	snprintf(where, sizeof(where), "receptors[%d]", i);
	if (!json_is_object(r))
		return sched_fail(err, errlen, "%s 须为对象 %s must be an object", where, where);
	rc = only_keys(r, keys, where, err, errlen);
	if (!rc)
		rc = get_name(r, in->receptor[i].name, sizeof(in->receptor[i].name), where, err,
			      errlen);
	if (!rc)
		rc = get_int(r, "limit_centi", 0, 15000, 1, 0, &in->receptor[i].limit_centi, where,
			     err, errlen);
	if (!rc)
		rc = get_int(r, "background_centi", 0, 15000, 1, 0,
			     &in->receptor[i].background_centi, where, err, errlen);
	return rc;
}

static int parse_team(json_t *t, struct sched_instance *in, int i, char *err, size_t errlen)
{
	static const char *const keys[] = {"name",	 "sessions", "l10m_centi",    "pref_zones",
					   "pref_slots", "days",     "prime_history", NULL};
	struct sched_team *te = &in->team[i];
	char where[48];
	int64_t sessions = 0, history = 0;
	uint64_t days = 0;
	int rc;

	snprintf(where, sizeof(where), "teams[%d]", i);
	if (!json_is_object(t))
		return sched_fail(err, errlen, "%s 须为对象 %s must be an object", where, where);
	rc = only_keys(t, keys, where, err, errlen);
	if (!rc)
		rc = get_name(t, te->name, sizeof(te->name), where, err, errlen);
	if (!rc)
		rc = get_int(t, "sessions", 0, in->ndays, 1, 0, &sessions, where, err, errlen);
	if (!rc)
		rc = get_int(t, "l10m_centi", 0, 15000, 1, 0, &te->l10m_centi, where, err, errlen);
	if (!rc)
		rc = get_mask(t, "pref_zones", in->nzones, 0, &te->pref_zones, where, err, errlen);
	if (!rc)
		rc = get_mask(t, "pref_slots", in->nslots, 0, &te->pref_slots, where, err, errlen);
	if (!rc)
		rc = get_mask(t, "days", in->ndays, 0, &days, where, err, errlen);
	if (!rc)
		rc = get_int(t, "prime_history", 0, 1000, 0, 0, &history, where, err, errlen);
	if (rc)
		return rc;
	te->sessions = (int)sessions;
	te->prime_history = (int)history;
	te->allowed_days =
	    json_object_get(t, "days") ? (unsigned)days : (unsigned)((1u << in->ndays) - 1);
	return 0;
}

static int parse_instance(json_t *root, struct sched_instance *in, char *err, size_t errlen)
{
	static const char *const keys[] = {"days",    "slots", "slot_labels", "prime", "closed",
					   "weights", "zones", "receptors",   "teams", NULL};
	json_t *zones, *receptors, *teams, *labels, *closed, *e;
	int64_t days = 0, slots = 0;
	size_t i;
	int rc;

	if (!json_is_object(root))
		return sched_fail(err, errlen,
				  "实例须为 JSON 对象 the instance must be a JSON object");
	rc = only_keys(root, keys, "instance", err, errlen);
	if (!rc)
		rc = get_int(root, "days", 1, SCHED_MAX_DAYS, 0, SCHED_MAX_DAYS, &days, "instance",
			     err, errlen);
	if (!rc)
		rc = get_int(root, "slots", 1, SCHED_MAX_SLOTS, 1, 0, &slots, "instance", err,
			     errlen);
	if (rc)
		return rc;
	zones = json_object_get(root, "zones");
	receptors = json_object_get(root, "receptors");
	teams = json_object_get(root, "teams");
	if (!json_is_array(zones) || !json_array_size(zones) ||
	    json_array_size(zones) > SCHED_MAX_ZONES)
		return sched_fail(
		    err, errlen,
		    "\"zones\" 须为 1 到 %d 个场区的数组 \"zones\" must be an array of 1 to "
		    "%d zones",
		    SCHED_MAX_ZONES, SCHED_MAX_ZONES);
	if (!json_is_array(receptors) || json_array_size(receptors) > SCHED_MAX_RECEPTORS)
		return sched_fail(
		    err, errlen,
		    "\"receptors\" 须为最多 %d 个受体的数组 \"receptors\" must be an array "
		    "of at most %d receptors",
		    SCHED_MAX_RECEPTORS, SCHED_MAX_RECEPTORS);
	if (!json_is_array(teams) || json_array_size(teams) > SCHED_MAX_TEAMS)
		return sched_fail(
		    err, errlen,
		    "\"teams\" 须为最多 %d 支队伍的数组 \"teams\" must be an array of at "
		    "most %d teams",
		    SCHED_MAX_TEAMS, SCHED_MAX_TEAMS);
	rc = sched_instance_init(in, (int)json_array_size(teams));
	if (rc)
		return sched_fail(err, errlen, "内存不足 out of memory");
	in->ndays = (int)days;
	in->nslots = (int)slots;
	in->nzones = (int)json_array_size(zones);
	in->nreceptors = (int)json_array_size(receptors);
	if (json_object_get(root, "weights"))
		rc = parse_weights(json_object_get(root, "weights"), &in->weights, err, errlen);
	if (!rc)
		rc = get_mask(root, "prime", in->nslots, 0, &in->prime, "instance", err, errlen);
	if (rc)
		return rc;
	labels = json_object_get(root, "slot_labels");
	if (labels && (!json_is_array(labels) || json_array_size(labels) != (size_t)in->nslots))
		return sched_fail(
		    err, errlen,
		    "\"slot_labels\" 须为 %d 个字符串的数组 \"slot_labels\" must be an array "
		    "of %d strings",
		    in->nslots, in->nslots);
	json_array_foreach (labels, i, e) {
		const char *s = json_is_string(e) ? json_string_value(e) : NULL;
		if (!s || strlen(s) >= SCHED_LABEL_MAX)
			return sched_fail(
			    err, errlen,
			    "slot_labels[%zu] 须为最多 %d 字节的字符串 slot_labels[%zu] must "
			    "be a string of at most %d bytes",
			    i, SCHED_LABEL_MAX - 1, i, SCHED_LABEL_MAX - 1);
		memcpy(in->slot_label[i], s, strlen(s) + 1);
	}
	closed = json_object_get(root, "closed");
	if (closed && !json_is_array(closed))
		return sched_fail(
		    err, errlen,
		    "\"closed\" 须为 [日, 时段] 的数组 \"closed\" must be an array of [day, "
		    "slot]");
	json_array_foreach (closed, i, e) {
		json_t *d = json_array_get(e, 0), *s = json_array_get(e, 1);
		if (!json_is_array(e) || json_array_size(e) != 2 || !json_is_integer(d) ||
		    !json_is_integer(s) || json_integer_value(d) < 0 ||
		    json_integer_value(d) >= in->ndays || json_integer_value(s) < 0 ||
		    json_integer_value(s) >= in->nslots)
			return sched_fail(
			    err, errlen,
			    "closed[%zu] 须为 [日, 时段]，且在范围内 closed[%zu] must be [day, "
			    "slot] within range",
			    i, i);
		in->slot_open[json_integer_value(d)] &= ~((uint64_t)1 << json_integer_value(s));
	}
	for (i = 0; !rc && i < json_array_size(receptors); i++)
		rc = parse_receptor(json_array_get(receptors, i), in, (int)i, err, errlen);
	for (i = 0; !rc && i < json_array_size(zones); i++)
		rc = parse_zone(json_array_get(zones, i), in, (int)i, err, errlen);
	for (i = 0; !rc && i < json_array_size(teams); i++)
		rc = parse_team(json_array_get(teams, i), in, (int)i, err, errlen);
	return rc ? rc : sched_instance_validate(in, err, errlen);
}

int sched_instance_from_json(const char *text, size_t len, struct sched_instance *out, char *err,
			     size_t errlen)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!root)
		return sched_fail(err, errlen, "JSON 无效（第 %d 行）：%s bad JSON (line %d): %s",
				  jerr.line, jerr.text, jerr.line, jerr.text);
	rc = parse_instance(root, out, err, errlen);
	json_decref(root);
	if (rc)
		sched_instance_release(out);
	return rc;
}

/* ---- writing ---- */

static void add_mask(struct buf *b, uint64_t mask, int n)
{
	int first = 1;

	buf_addc(b, '[');
	for (int i = 0; i < n; i++)
		if (mask >> i & 1) {
			buf_addf(b, "%s%d", first ? "" : ", ", i);
			first = 0;
		}
	buf_addc(b, ']');
}

int sched_instance_to_json(const struct sched_instance *in, struct buf *b)
{
	int first = 1;

	buf_addf(b, "{\n  \"days\": %d,\n  \"slots\": %d,\n  \"slot_labels\": [", in->ndays,
		 in->nslots);
	for (int s = 0; s < in->nslots; s++) {
		if (s)
			buf_adds(b, ", ");
		buf_add_json_string(b, in->slot_label[s]);
	}
	buf_adds(b, "],\n  \"prime\": ");
	add_mask(b, in->prime, in->nslots);
	buf_adds(b, ",\n  \"closed\": [");
	for (int d = 0; d < in->ndays; d++)
		for (int s = 0; s < in->nslots; s++)
			if (!(in->slot_open[d] >> s & 1)) {
				buf_addf(b, "%s[%d, %d]", first ? "" : ", ", d, s);
				first = 0;
			}
	buf_addf(b,
		 "],\n  \"weights\": {\"placed\": %lld, \"zone\": %lld, \"slot\": %lld, \"fair\": "
		 "%lld},\n  \"receptors\": [",
		 (long long)in->weights.placed, (long long)in->weights.zone,
		 (long long)in->weights.slot, (long long)in->weights.fair);
	for (int r = 0; r < in->nreceptors; r++) {
		buf_adds(b, r ? ",\n    {\"name\": " : "\n    {\"name\": ");
		buf_add_json_string(b, in->receptor[r].name);
		buf_addf(b, ", \"limit_centi\": %lld, \"background_centi\": %lld}",
			 (long long)in->receptor[r].limit_centi,
			 (long long)in->receptor[r].background_centi);
	}
	buf_adds(b, "\n  ],\n  \"zones\": [");
	for (int z = 0; z < in->nzones; z++) {
		buf_adds(b, z ? ",\n    {\"name\": " : "\n    {\"name\": ");
		buf_add_json_string(b, in->zone[z].name);
		buf_addf(b, ", \"capacity\": %d, \"dist_dm\": [", in->zone[z].capacity);
		for (int r = 0; r < in->nreceptors; r++)
			buf_addf(b, "%s%d", r ? ", " : "", (int)in->dist_dm[z][r]);
		buf_adds(b, "]");
		if (~in->zone_open[z] & sched_low_bits(in->nslots)) {
			buf_adds(b, ", \"open_slots\": ");
			add_mask(b, in->zone_open[z], in->nslots);
		}
		buf_adds(b, "}");
	}
	buf_adds(b, "\n  ],\n  \"teams\": [");
	for (int t = 0; t < in->nteams; t++) {
		const struct sched_team *te = &in->team[t];
		buf_adds(b, t ? ",\n    {\"name\": " : "\n    {\"name\": ");
		buf_add_json_string(b, te->name);
		buf_addf(b,
			 ", \"sessions\": %d, \"l10m_centi\": %lld, \"pref_zones\": ", te->sessions,
			 (long long)te->l10m_centi);
		add_mask(b, te->pref_zones, in->nzones);
		buf_adds(b, ", \"pref_slots\": ");
		add_mask(b, te->pref_slots, in->nslots);
		buf_adds(b, ", \"days\": ");
		add_mask(b, te->allowed_days, in->ndays);
		buf_addf(b, ", \"prime_history\": %d}", te->prime_history);
	}
	buf_adds(b, in->nteams ? "\n  ]\n}\n" : "]\n}\n");
	return b->failed ? LIN_ENOMEM : 0;
}

int sched_timetable_to_json(const struct sched_instance *in, const struct sched_timetable *tt,
			    const struct sched_check *check, struct buf *b)
{
	int placed = 0, wanted = 0;

	for (int t = 0; t < tt->nteams && t < in->nteams; t++) {
		placed += tt->plan[t].count;
		wanted += in->team[t].sessions;
	}
	buf_addf(b,
		 "{\n  \"solver\": \"%s\",\n  \"optimal\": %s,\n  \"objective\": %lld,\n  "
		 "\"bound\": %lld,\n  \"seconds\": %.3f,\n  \"placed\": %d,\n  \"wanted\": %d,\n",
		 sched_solver_name(tt->solver), tt->optimal ? "true" : "false",
		 (long long)tt->objective, (long long)tt->bound, tt->seconds, placed, wanted);
	if (check && check->worst_receptor >= 0) {
		buf_addf(b, "  \"worst_margin_centi\": %lld,\n  \"worst\": {\"receptor\": ",
			 (long long)check->worst_margin_centi);
		buf_add_json_string(b, in->receptor[check->worst_receptor].name);
		buf_addf(b, ", \"day\": %d, \"slot\": %d},\n", check->worst_day, check->worst_slot);
	}
	buf_adds(b, "  \"teams\": [");
	for (int t = 0; t < tt->nteams && t < in->nteams; t++) {
		const struct sched_plan *p = &tt->plan[t];
		buf_addf(b, "%s\n    {\"team\": %d, \"name\": ", t ? "," : "", t);
		buf_add_json_string(b, in->team[t].name);
		buf_adds(b, ", \"sessions\": [");
		for (int k = 0; k < p->count && k < SCHED_MAX_DAYS; k++) {
			const struct sched_session *se = &p->session[k];
			buf_addf(b, "%s{\"day\": %d, \"slot\": %d, \"zone\": %d}", k ? ", " : "",
				 se->day, se->slot, se->zone);
		}
		buf_addf(b, "], \"unplaced\": %d",
			 in->team[t].sessions > p->count ? in->team[t].sessions - p->count : 0);
		if (p->reason[0]) {
			buf_adds(b, ", \"reason\": ");
			buf_add_json_string(b, p->reason);
		}
		buf_addc(b, '}');
	}
	buf_adds(b, tt->nteams ? "\n  ]\n}\n" : "]\n}\n");
	return b->failed ? LIN_ENOMEM : 0;
}

static int parse_timetable(const struct sched_instance *in, json_t *root,
			   struct sched_timetable *tt, char *err, size_t errlen)
{
	static const char *const keys[] = {"solver",  "optimal", "objective", "bound",
					   "seconds", "placed",	 "wanted",    "worst_margin_centi",
					   "worst",   "teams",	 NULL};
	static const char *const team_keys[] = {"team",	    "name",   "sessions",
						"unplaced", "reason", NULL};
	json_t *teams, *e, *solver;
	unsigned char *seen = NULL;
	size_t i;
	int rc;

	if (!json_is_object(root))
		return sched_fail(err, errlen,
				  "时间表须为 JSON 对象 the timetable must be a JSON object");
	rc = only_keys(root, keys, "timetable", err, errlen);
	if (rc)
		return rc;
	teams = json_object_get(root, "teams");
	if (!json_is_array(teams))
		return sched_fail(err, errlen, "缺少 \"teams\" 数组 \"teams\" must be an array");
	seen = calloc((size_t)(in->nteams ? in->nteams : 1), 1);
	if (!seen)
		return sched_fail(err, errlen, "内存不足 out of memory");
	json_array_foreach (teams, i, e) {
		char where[48];
		json_t *sessions, *s;
		int64_t t;
		size_t k;
		snprintf(where, sizeof(where), "teams[%zu]", i);
		if (!json_is_object(e)) {
			rc = sched_fail(err, errlen, "%s 须为对象 %s must be an object", where,
					where);
			break;
		}
		rc = only_keys(e, team_keys, where, err, errlen);
		if (!rc)
			rc = get_int(e, "team", 0, in->nteams - 1, 1, 0, &t, where, err, errlen);
		if (rc)
			break;
		if (seen[t]) {
			rc = sched_fail(err, errlen, "队伍 %lld 出现两次 team %lld appears twice",
					(long long)t, (long long)t);
			break;
		}
		seen[t] = 1;
		sessions = json_object_get(e, "sessions");
		if (!json_is_array(sessions) || json_array_size(sessions) > SCHED_MAX_DAYS) {
			rc = sched_fail(
			    err, errlen,
			    "%s：\"sessions\" 须为最多 %d 场的数组 %s: \"sessions\" must be an "
			    "array of at most %d",
			    where, SCHED_MAX_DAYS, where, SCHED_MAX_DAYS);
			break;
		}
		json_array_foreach (sessions, k, s) {
			static const char *const skeys[] = {"day", "slot", "zone", NULL};
			int64_t d, sl, z;
			rc = json_is_object(s) ? only_keys(s, skeys, where, err, errlen)
					       : sched_fail(err, errlen,
							    "%s：场次须为对象 %s: a session "
							    "must be an object",
							    where, where);
			if (!rc)
				rc = get_int(s, "day", -1000, 1000, 1, 0, &d, where, err, errlen);
			if (!rc)
				rc = get_int(s, "slot", -1000, 1000, 1, 0, &sl, where, err, errlen);
			if (!rc)
				rc = get_int(s, "zone", -1000, 1000, 1, 0, &z, where, err, errlen);
			if (rc)
				break;
			tt->plan[t].session[k] = (struct sched_session){(int)d, (int)sl, (int)z};
			tt->plan[t].count++;
		}
		if (rc)
			break;
	}
	free(seen);
	if (rc)
		return rc;
	solver = json_object_get(root, "solver");
	tt->solver = SCHED_SOLVER_NONE;
	if (json_is_string(solver) && !strcmp(json_string_value(solver), "heuristic"))
		tt->solver = SCHED_SOLVER_HEURISTIC;
	else if (json_is_string(solver) && !strcmp(json_string_value(solver), "cbc"))
		tt->solver = SCHED_SOLVER_CBC;
	tt->optimal = json_is_true(json_object_get(root, "optimal"));
	/* Without a claimed objective the checker has nothing to compare. */
	if (json_object_get(root, "objective"))
		rc = get_int(root, "objective", INT64_MIN / 2, INT64_MAX / 2, 1, 0, &tt->objective,
			     "timetable", err, errlen);
	else
		tt->objective = sched_objective(in, tt);
	if (!rc)
		rc = get_int(root, "bound", INT64_MIN / 2, INT64_MAX / 2, 0, tt->objective,
			     &tt->bound, "timetable", err, errlen);
	return rc;
}

int sched_timetable_from_json(const struct sched_instance *in, const char *text, size_t len,
			      struct sched_timetable *out, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root;
	int rc = sched_timetable_init(out, in->nteams);

	if (rc)
		return sched_fail(err, errlen, "内存不足 out of memory");
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return sched_fail(err, errlen, "JSON 无效（第 %d 行）：%s bad JSON (line %d): %s",
				  jerr.line, jerr.text, jerr.line, jerr.text);
	rc = parse_timetable(in, root, out, err, errlen);
	json_decref(root);
	return rc;
}

/* ---- random instances ---- */

int sched_random(struct sched_instance *in, uint64_t seed, int nteams, int nzones, int nslots,
		 int ndays)
{
	struct sched_rng g;
	double zx[SCHED_MAX_ZONES], zy[SCHED_MAX_ZONES];
	int rc;

	memset(in, 0, sizeof(*in));
	if (nteams < 0 || nteams > SCHED_MAX_TEAMS || nzones < 1 || nzones > SCHED_MAX_ZONES ||
	    nslots < 1 || nslots > SCHED_MAX_SLOTS || ndays < 1 || ndays > SCHED_MAX_DAYS)
		return LIN_EINVAL;
	rc = sched_instance_init(in, nteams);
	if (rc)
		return rc;
	sched_rng_seed(&g, seed);
	in->ndays = ndays;
	in->nslots = nslots;
	in->nzones = nzones;
	in->nreceptors = 3 + (int)sched_rng_below(&g, 6);

	/* Evenings from 18:00 in half hours; the middle half is prime time. */
	for (int s = 0; s < nslots; s++) {
		int minutes = 18 * 60 + 30 * s;
		snprintf(in->slot_label[s], SCHED_LABEL_MAX, "%02d:%02d", minutes / 60 % 24,
			 minutes % 60);
		if (s >= nslots / 4 && s < nslots / 4 + (nslots + 1) / 2)
			in->prime |= (uint64_t)1 << s;
	}
	/* A few evenings the plaza is taken (a market, a film). */
	for (int d = 0; d < ndays; d++)
		for (int s = 0; s < nslots; s++)
			if (sched_rng_below(&g, 100) < 3)
				in->slot_open[d] &= ~((uint64_t)1 << s);

	/* The plaza: zones within 35 m of its centre, façades around it at 95
	 * to 130 m, distances kept within 20 to 120 m. */
	for (int z = 0; z < nzones; z++) {
		double a = 2 * M_PI * sched_rng_unit(&g), r = 35 * sqrt(sched_rng_unit(&g));
		zx[z] = r * cos(a);
		zy[z] = r * sin(a);
		snprintf(in->zone[z].name, SCHED_NAME_MAX, "%d区", z + 1);
		in->zone[z].capacity = 1 + (int)sched_rng_below(&g, 2);
	}
	for (int r = 0; r < in->nreceptors; r++) {
		double a = 2 * M_PI * ((double)r + 0.6 * sched_rng_unit(&g)) / in->nreceptors;
		double rad = 95 + 35 * sched_rng_unit(&g);
		struct sched_receptor *re = &in->receptor[r];
		unsigned cls = sched_rng_below(&g, 20);
		snprintf(re->name, SCHED_NAME_MAX, "%d号楼", r + 1);
		/* Mostly GB 3096 class 1 (55), some class 2 (60), a few limits
		 * in between or below; the background stays 7 dB or more below. */
		re->limit_centi = cls < 11   ? 5500
				  : cls < 17 ? 6000
					     : 100 * (50 + (int)sched_rng_below(&g, 9));
		re->background_centi = 10 * (400 + (int)sched_rng_below(&g, 81));
		if (re->background_centi > re->limit_centi - 700)
			re->background_centi = re->limit_centi - 700;
		for (int z = 0; z < nzones; z++) {
			double dx = rad * cos(a) - zx[z], dy = rad * sin(a) - zy[z];
			double m = sqrt(dx * dx + dy * dy);
			m = m < 20 ? 20 : m > 120 ? 120 : m;
			in->dist_dm[z][r] = (int32_t)lround(m * 10);
		}
	}
	for (int t = 0; t < nteams; t++) {
		struct sched_team *te = &in->team[t];
		unsigned kind = sched_rng_below(&g, 10);
		double u;
		snprintf(te->name, SCHED_NAME_MAX, "舞蹈队%02d", t + 1);
		/* Most teams keep their speakers down; a few are loud. */
		u = sched_rng_unit(&g);
		te->l10m_centi = 10 * (680 + (int)lround(140 * u * u * u));
		te->sessions = 1 + (int)sched_rng_below(&g, 4);
		if (te->sessions > ndays)
			te->sessions = ndays;
		if (kind < 7 || ndays < 6) {
			te->allowed_days = (1u << ndays) - 1;
		} else if (kind < 9) {
			te->allowed_days = 0x1f; /* weekdays */
		} else {
			while (__builtin_popcount(te->allowed_days) < te->sessions)
				te->allowed_days |= 1u << sched_rng_below(&g, (uint32_t)ndays);
		}
		if (sched_rng_below(&g, 10) < 7) {
			te->pref_zones = (uint64_t)1 << sched_rng_below(&g, (uint32_t)nzones);
			if (sched_rng_below(&g, 2))
				te->pref_zones |= (uint64_t)1
						  << sched_rng_below(&g, (uint32_t)nzones);
		}
		if (sched_rng_below(&g, 10) < 6) {
			int from = (int)sched_rng_below(&g, (uint32_t)nslots);
			int len = 2 + (int)sched_rng_below(&g, 2);
			for (int s = from; s < from + len && s < nslots; s++)
				te->pref_slots |= (uint64_t)1 << s;
		}
		te->prime_history = sched_rng_below(&g, 10) < 4 ? 0 : (int)sched_rng_below(&g, 13);
	}
	rc = sched_instance_validate(in, NULL, 0);
	if (rc)
		sched_instance_release(in);
	return rc;
}
