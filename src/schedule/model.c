/* The staggered schedule's model: instances and timetables (life cycle and
 * validation), the level arithmetic every solver shares, the objective, and
 * the reasons given for sessions that could not be placed. */
#include "schedule.h"
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/rand.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

/* ---- names, randomness, time ---- */

const char *sched_day_zh(int d)
{
	static const char *const zh[] = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};

	return d >= 0 && d < 7 ? zh[d] : "第?天";
}

const char *sched_day_en(int d)
{
	static const char *const en[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

	return d >= 0 && d < 7 ? en[d] : "day ?";
}

void sched_when(const struct sched_instance *in, int d, int s, char *zh, size_t zhlen, char *en,
		size_t enlen)
{
	const char *label = s >= 0 && s < SCHED_MAX_SLOTS ? in->slot_label[s] : "";

	if (label[0]) {
		snprintf(zh, zhlen, "%s %s", sched_day_zh(d), label);
		snprintf(en, enlen, "%s %s (slot %d)", sched_day_en(d), label, s);
	} else {
		snprintf(zh, zhlen, "%s 第%d时段", sched_day_zh(d), s);
		snprintf(en, enlen, "%s slot %d", sched_day_en(d), s);
	}
}

void sched_rng_seed(struct sched_rng *g, uint64_t seed)
{
	/* splitmix64 of the seed, so nearby seeds start far apart. */
	uint64_t z = lin_mix64(seed);

	g->state = z ? z : 0x2545f4914f6cdd1dULL;
}

uint64_t sched_rng_next(struct sched_rng *g)
{
	uint64_t x = g->state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	g->state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

uint32_t sched_rng_below(struct sched_rng *g, uint32_t n)
{
	return (uint32_t)(((sched_rng_next(g) >> 32) * (uint64_t)n) >> 32);
}

double sched_rng_unit(struct sched_rng *g)
{
	return (double)(sched_rng_next(g) >> 11) / 9007199254740992.0;
}

double sched_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int sched_solver_parse(const char *name, enum sched_solver *out)
{
	static const enum sched_solver named[] = {SCHED_SOLVER_HEURISTIC, SCHED_SOLVER_CBC,
						  SCHED_SOLVER_AUTO};

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (!strcmp(name, sched_solver_name(named[i]))) {
			*out = named[i];
			return 0;
		}
	return LIN_EINVAL;
}

const char *sched_solver_name(enum sched_solver s)
{
	switch (s) {
	case SCHED_SOLVER_HEURISTIC:
		return "heuristic";
	case SCHED_SOLVER_CBC:
		return "cbc";
	case SCHED_SOLVER_AUTO:
		return "auto";
	case SCHED_SOLVER_NONE:
		break;
	}
	return "none";
}

void sched_options_default(struct sched_options *o)
{
	memset(o, 0, sizeof(*o));
	o->solver = SCHED_SOLVER_AUTO;
	o->time_limit = 30;
	o->grace = 5;
	o->seed = 1;
	o->auto_max_columns = SCHED_AUTO_MAX_COLUMNS;
}

/* ---- instances ---- */

int sched_instance_init(struct sched_instance *in, int nteams)
{
	memset(in, 0, sizeof(*in));
	if (nteams < 0 || nteams > SCHED_MAX_TEAMS)
		return LIN_EINVAL;
	in->team = calloc(nteams ? (size_t)nteams : 1, sizeof(*in->team));
	if (!in->team)
		return LIN_ENOMEM;
	in->nteams = nteams;
	in->ndays = SCHED_MAX_DAYS;
	in->nslots = 1;
	in->nzones = 1;
	in->weights = SCHED_DEFAULT_WEIGHTS;
	for (int d = 0; d < SCHED_MAX_DAYS; d++)
		in->slot_open[d] = ~(uint64_t)0;
	for (int z = 0; z < SCHED_MAX_ZONES; z++)
		in->zone_open[z] = ~(uint64_t)0;
	return 0;
}

void sched_instance_release(struct sched_instance *in)
{
	free(in->team);
	in->team = NULL;
	in->nteams = 0;
}

int sched_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return LIN_EINVAL;
}

static int name_ok(const char *name, size_t cap)
{
	size_t len = strnlen(name, cap);

	return len > 0 && len < cap && utf8_valid(name, len);
}

#define low_bits sched_low_bits

#define LEVEL_MAX_CENTI 15000

int sched_instance_validate(const struct sched_instance *in, char *err, size_t errlen)
{
	const struct sched_weights *w = &in->weights;

	if (in->ndays < 1 || in->ndays > SCHED_MAX_DAYS)
		return sched_fail(err, errlen, "天数须为 1 到 %d days must be 1 to %d",
				  SCHED_MAX_DAYS, SCHED_MAX_DAYS);
	if (in->nslots < 1 || in->nslots > SCHED_MAX_SLOTS)
		return sched_fail(err, errlen, "时段数须为 1 到 %d slots must be 1 to %d",
				  SCHED_MAX_SLOTS, SCHED_MAX_SLOTS);
	if (in->nzones < 1 || in->nzones > SCHED_MAX_ZONES)
		return sched_fail(err, errlen, "场区数须为 1 到 %d zones must be 1 to %d",
				  SCHED_MAX_ZONES, SCHED_MAX_ZONES);
	if (in->nreceptors < 0 || in->nreceptors > SCHED_MAX_RECEPTORS)
		return sched_fail(err, errlen, "受体数须为 0 到 %d receptors must be 0 to %d",
				  SCHED_MAX_RECEPTORS, SCHED_MAX_RECEPTORS);
	if (in->nteams < 0 || in->nteams > SCHED_MAX_TEAMS || (in->nteams && !in->team))
		return sched_fail(err, errlen, "队伍数须为 0 到 %d teams must be 0 to %d",
				  SCHED_MAX_TEAMS, SCHED_MAX_TEAMS);
	if (in->prime & ~low_bits(in->nslots))
		return sched_fail(err, errlen,
				  "黄金时段超出时段数 a prime slot is past the last slot");
	for (int s = 0; s < in->nslots; s++)
		if (strnlen(in->slot_label[s], SCHED_LABEL_MAX) >= SCHED_LABEL_MAX ||
		    !utf8_valid(in->slot_label[s], strlen(in->slot_label[s])))
			return sched_fail(err, errlen, "时段 %d 的标签无效 slot %d: bad label", s,
					  s);
	if (w->placed < 0 || w->zone < 0 || w->slot < 0 || w->fair < 0 || w->placed > 1000000000 ||
	    w->zone > 1000000000 || w->slot > 1000000000 || w->fair > 1000000000)
		return sched_fail(err, errlen, "权重须在 0 到 10^9 之间 weights must be 0 to 10^9");
	for (int z = 0; z < in->nzones; z++) {
		const struct sched_zone *zo = &in->zone[z];
		if (!name_ok(zo->name, sizeof(zo->name)))
			return sched_fail(err, errlen, "场区 %d 名称无效 zone %d: bad name", z, z);
		if (zo->capacity < 0 || zo->capacity > SCHED_MAX_CAPACITY)
			return sched_fail(
			    err, errlen,
			    "场区 %s 的容量须为 0 到 %d zone %s: capacity must be 0 to %d",
			    zo->name, SCHED_MAX_CAPACITY, zo->name, SCHED_MAX_CAPACITY);
		for (int r = 0; r < in->nreceptors; r++)
			if (in->dist_dm[z][r] <= 0 || in->dist_dm[z][r] > 100000)
				return sched_fail(err, errlen,
						  "场区 %s 到受体 %s 的距离须大于 0（分米，最多 10 "
						  "公里） zone %s "
						  "to receptor %s: distance must be 1 to 100000 dm",
						  zo->name, in->receptor[r].name, zo->name,
						  in->receptor[r].name);
	}
	for (int r = 0; r < in->nreceptors; r++) {
		const struct sched_receptor *re = &in->receptor[r];
		if (!name_ok(re->name, sizeof(re->name)))
			return sched_fail(err, errlen, "受体 %d 名称无效 receptor %d: bad name", r,
					  r);
		if (re->limit_centi < 0 || re->limit_centi > LEVEL_MAX_CENTI ||
		    re->background_centi < 0 || re->background_centi > LEVEL_MAX_CENTI)
			return sched_fail(
			    err, errlen,
			    "受体 %s 的限值和背景须为 0 到 150 dB receptor %s: limit and "
			    "background must be 0 to 150 dB",
			    re->name, re->name);
	}
	for (int t = 0; t < in->nteams; t++) {
		const struct sched_team *te = &in->team[t];
		if (!name_ok(te->name, sizeof(te->name)))
			return sched_fail(err, errlen, "队伍 %d 名称无效 team %d: bad name", t, t);
		if (te->sessions < 0 || te->sessions > in->ndays)
			return sched_fail(
			    err, errlen,
			    "队伍 %s 的每周场次须为 0 到 %d team %s: sessions must be 0 to %d",
			    te->name, in->ndays, te->name, in->ndays);
		if (te->l10m_centi < 0 || te->l10m_centi > LEVEL_MAX_CENTI)
			return sched_fail(
			    err, errlen,
			    "队伍 %s 的 10 米声级须为 0 到 150 dB team %s: level at 10 m must "
			    "be 0 to 150 dB",
			    te->name, te->name);
		if (te->pref_zones & ~low_bits(in->nzones))
			return sched_fail(
			    err, errlen, "队伍 %s 偏好的场区不存在 team %s: no such preferred zone",
			    te->name, te->name);
		if (te->pref_slots & ~low_bits(in->nslots))
			return sched_fail(
			    err, errlen, "队伍 %s 偏好的时段不存在 team %s: no such preferred slot",
			    te->name, te->name);
		if (te->allowed_days & ~(unsigned)low_bits(in->ndays))
			return sched_fail(err, errlen,
					  "队伍 %s 的可用日不存在 team %s: no such allowed day",
					  te->name, te->name);
		if (te->prime_history < 0 || te->prime_history > 1000)
			return sched_fail(
			    err, errlen,
			    "队伍 %s 的黄金时段历史须为 0 到 1000 team %s: prime history must "
			    "be 0 to 1000",
			    te->name, te->name);
		if (w->placed <= w->fair * te->prime_history)
			return sched_fail(
			    err, errlen,
			    "权重 placed 须大于 fair × 队伍 %s 的黄金时段历史 weight placed must "
			    "exceed fair × team %s's prime history",
			    te->name, te->name);
	}
	return 0;
}

/* ---- shared arithmetic ---- */

double sched_level_db(int64_t l10m_centi, int32_t dist_dm)
{
	double metres = (double)dist_dm / 10.0;

	if (metres < 1.0)
		metres = 1.0;
	return (double)l10m_centi / 100.0 - 20.0 * log10(metres / 10.0);
}

double sched_level_add(double a_db, double b_db)
{
	return 10.0 * log10(pow(10.0, a_db / 10.0) + pow(10.0, b_db / 10.0));
}

double sched_share(const struct sched_instance *in, int t, int z, int r)
{
	const struct sched_receptor *re = &in->receptor[r];
	double budget = pow(10.0, (double)re->limit_centi / 1000.0) -
			pow(10.0, (double)re->background_centi / 1000.0);
	double level = sched_level_db(in->team[t].l10m_centi, in->dist_dm[z][r]);

	if (budget <= 0)
		return HUGE_VAL;
	return pow(10.0, level / 10.0) / budget;
}

int sched_fits_alone(const struct sched_instance *in, int t, int z)
{
	if (in->zone[z].capacity < 1)
		return 0;
	for (int r = 0; r < in->nreceptors; r++)
		if (sched_share(in, t, z, r) > 1.0 + SCHED_SHARE_SLACK)
			return 0;
	return 1;
}

int64_t sched_session_value(const struct sched_instance *in, int t, int s, int z)
{
	const struct sched_team *te = &in->team[t];
	const struct sched_weights *w = &in->weights;
	int64_t v = w->placed;

	if (te->pref_zones >> z & 1)
		v += w->zone;
	if (te->pref_slots >> s & 1)
		v += w->slot;
	if (in->prime >> s & 1)
		v -= w->fair * te->prime_history;
	return v;
}

/* ---- timetables ---- */

int sched_timetable_init(struct sched_timetable *tt, int nteams)
{
	memset(tt, 0, sizeof(*tt));
	if (nteams < 0 || nteams > SCHED_MAX_TEAMS)
		return LIN_EINVAL;
	tt->plan = calloc(nteams ? (size_t)nteams : 1, sizeof(*tt->plan));
	if (!tt->plan)
		return LIN_ENOMEM;
	tt->nteams = nteams;
	return 0;
}

void sched_timetable_release(struct sched_timetable *tt)
{
	free(tt->plan);
	tt->plan = NULL;
	tt->nteams = 0;
}

int sched_timetable_copy(struct sched_timetable *dst, const struct sched_timetable *src)
{
	struct sched_timetable copy;
	int rc = sched_timetable_init(&copy, src->nteams);

	if (rc)
		return rc;
	memcpy(copy.plan, src->plan, (size_t)src->nteams * sizeof(*src->plan));
	copy.objective = src->objective;
	copy.bound = src->bound;
	copy.solver = src->solver;
	copy.optimal = src->optimal;
	copy.seconds = src->seconds;
	sched_timetable_release(dst);
	*dst = copy;
	return 0;
}

int64_t sched_objective(const struct sched_instance *in, const struct sched_timetable *tt)
{
	int64_t sum = 0;

	for (int t = 0; t < tt->nteams && t < in->nteams; t++)
		for (int k = 0; k < tt->plan[t].count; k++)
			sum += sched_session_value(in, t, tt->plan[t].session[k].slot,
						   tt->plan[t].session[k].zone);
	return sum;
}

/* ---- reasons ---- */

/* explain_too_loud: the zone where team t alone comes closest to the
 * limits, and its worst receptor there. */
static void explain_too_loud(const struct sched_instance *in, int t, char *out, size_t n)
{
	double best_excess = HUGE_VAL, best_level = 0;
	int best_z = -1, best_r = -1;

	for (int z = 0; z < in->nzones; z++) {
		double worst = -HUGE_VAL, level_at_worst = 0;
		int worst_r = -1;
		if (in->zone[z].capacity < 1)
			continue;
		for (int r = 0; r < in->nreceptors; r++) {
			double level = sched_level_add(
			    sched_level_db(in->team[t].l10m_centi, in->dist_dm[z][r]),
			    (double)in->receptor[r].background_centi / 100.0);
			double excess = level - (double)in->receptor[r].limit_centi / 100.0;
			if (excess > worst) {
				worst = excess;
				worst_r = r;
				level_at_worst = level;
			}
		}
		if (worst_r >= 0 && worst < best_excess) {
			best_excess = worst;
			best_z = z;
			best_r = worst_r;
			best_level = level_at_worst;
		}
	}
	if (best_z < 0) {
		snprintf(out, n,
			 "没有可用的场区（容量均为 0） no zone takes teams (every capacity is 0)");
		return;
	}
	snprintf(out, n,
		 "单独在任何场区都会使受体 %s 超标：在 %s 时 %.1f > %.1f dB(A) alone in every zone "
		 "it would exceed receptor %s: %.1f > %.1f dB(A) even in zone %s",
		 in->receptor[best_r].name, in->zone[best_z].name, best_level,
		 (double)in->receptor[best_r].limit_centi / 100.0, in->receptor[best_r].name,
		 best_level, (double)in->receptor[best_r].limit_centi / 100.0,
		 in->zone[best_z].name);
}

/* Usage of a timetable: teams per (day, slot, zone), shares per (day, slot,
 * receptor). */
struct usage {
	int *count;   /* [(d * nslots + s) * nzones + z] */
	double *load; /* [(d * nslots + s) * nreceptors + r] */
};

static int usage_build(const struct sched_instance *in, const struct sched_timetable *tt,
		       struct usage *u)
{
	size_t cells = (size_t)in->ndays * (size_t)in->nslots;

	u->count = calloc(cells * (size_t)in->nzones, sizeof(*u->count));
	u->load = calloc(cells * (size_t)(in->nreceptors ? in->nreceptors : 1), sizeof(*u->load));
	if (!u->count || !u->load) {
		free(u->count);
		free(u->load);
		return LIN_ENOMEM;
	}
	for (int t = 0; t < tt->nteams; t++) {
		for (int k = 0; k < tt->plan[t].count; k++) {
			const struct sched_session *se = &tt->plan[t].session[k];
			size_t cell = (size_t)se->day * (size_t)in->nslots + (size_t)se->slot;
			u->count[cell * (size_t)in->nzones + (size_t)se->zone]++;
			for (int r = 0; r < in->nreceptors; r++)
				u->load[cell * (size_t)in->nreceptors + (size_t)r] +=
				    sched_share(in, t, se->zone, r);
		}
	}
	return 0;
}

static void explain_team(const struct sched_instance *in, const struct sched_timetable *tt,
			 const struct usage *u, int t, char *out, size_t n)
{
	const struct sched_team *te = &in->team[t];
	const struct sched_plan *p = &tt->plan[t];
	int open_days = 0, fitting_zone = 0, full = 0, loud = 0, free_places = 0;
	unsigned char fits[SCHED_MAX_ZONES];

	for (int d = 0; d < in->ndays; d++)
		if ((te->allowed_days >> d & 1) && (in->slot_open[d] & low_bits(in->nslots)))
			open_days++;
	if (!open_days) {
		snprintf(out, n, "其可用日没有开放时段 no open slot on its allowed days");
		return;
	}
	for (int z = 0; z < in->nzones; z++) {
		fits[z] = (unsigned char)sched_fits_alone(in, t, z);
		fitting_zone |= fits[z];
	}
	if (!fitting_zone) {
		explain_too_loud(in, t, out, n);
		return;
	}
	if (open_days < te->sessions) {
		snprintf(
		    out, n,
		    "只有 %d 个可用日有开放时段，少于每周 %d 场 only %d allowed days have an open "
		    "slot, fewer than its %d sessions",
		    open_days, te->sessions, open_days, te->sessions);
		return;
	}
	for (int d = 0; d < in->ndays; d++) {
		int used = 0;
		if (!(te->allowed_days >> d & 1))
			continue;
		for (int k = 0; k < p->count; k++)
			used |= p->session[k].day == d;
		if (used)
			continue;
		for (int s = 0; s < in->nslots; s++) {
			size_t cell = (size_t)d * (size_t)in->nslots + (size_t)s;
			if (!(in->slot_open[d] >> s & 1))
				continue;
			for (int z = 0; z < in->nzones; z++) {
				int over = 0;
				if (!fits[z] || !(in->zone_open[z] >> s & 1))
					continue;
				if (u->count[cell * (size_t)in->nzones + (size_t)z] >=
				    in->zone[z].capacity) {
					full++;
					continue;
				}
				for (int r = 0; r < in->nreceptors && !over; r++)
					over = u->load[cell * (size_t)in->nreceptors + (size_t)r] +
						   sched_share(in, t, z, r) >
					       1.0 + SCHED_SHARE_SLACK;
				if (over)
					loud++;
				else
					free_places++;
			}
		}
	}
	if (free_places)
		snprintf(out, n,
			 "求解器未安排（仍有 %d 个空位） the solver left it out (%d places are "
			 "still free)",
			 free_places, free_places);
	else if (!loud)
		snprintf(
		    out, n,
		    "场区已满：它可用的时间和场区都已排满 zones full at every time and zone it "
		    "could use");
	else if (!full)
		snprintf(
		    out, n,
		    "受体已到限值：它可用的每个时段都会超标 receptors at their limits at every "
		    "time it could use");
	else
		snprintf(out, n,
			 "场区已满或受体已到限值（%d 处满，%d 处超标） zones full or receptors at "
			 "their limits (%d places full, %d too loud)",
			 full, loud, full, loud);
}

void sched_explain(const struct sched_instance *in, struct sched_timetable *tt)
{
	struct usage u;
	int have_usage = !usage_build(in, tt, &u);

	for (int t = 0; t < tt->nteams && t < in->nteams; t++) {
		struct sched_plan *p = &tt->plan[t];
		p->reason[0] = '\0';
		if (p->count >= in->team[t].sessions)
			continue;
		if (have_usage)
			explain_team(in, tt, &u, t, p->reason, sizeof(p->reason));
		else
			snprintf(p->reason, sizeof(p->reason), "内存不足 out of memory");
	}
	if (have_usage) {
		free(u.count);
		free(u.load);
	}
}
