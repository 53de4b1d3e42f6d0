/* The independent checker of a timetable. It shares no tables and no level
 * arithmetic with the solvers: it recomputes every receptor level and the
 * objective from the raw instance with its own loops, so a solver bug shows
 * up here rather than at a resident's window. */
#include "schedule.h"
#include "internal.h"
#include "../base/err.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

static int violation(struct sched_check *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int violation(struct sched_check *out, const char *fmt, ...)
{
	va_list ap;

	out->ok = 0;
	va_start(ap, fmt);
	vsnprintf(out->message, sizeof(out->message), fmt, ap);
	va_end(ap);
	return LIN_EINVAL;
}

/* energy: 10^(L/10) of a team at a façade, L = l10m − 20·lg(r / 10 m),
 * written as the 10 m energy scaled by (10 m / r)², r at least 1 m. */
static double energy(int64_t l10m_centi, int32_t dist_dm)
{
	double r = dist_dm < 10 ? 1.0 : (double)dist_dm / 10.0;

	return pow(10.0, (double)l10m_centi / 1000.0) * (100.0 / (r * r));
}

/* centi: a level in hundredths of a dB, rounded half up. */
static int64_t centi(double level)
{
	return (int64_t)floor(level * 100.0 + 0.5);
}

static int check_plans(const struct sched_instance *in, const struct sched_timetable *tt,
		       struct sched_check *out)
{
	char zh[64], en[64];

	for (int t = 0; t < in->nteams; t++) {
		const struct sched_team *te = &in->team[t];
		const struct sched_plan *p = &tt->plan[t];
		unsigned days = 0;
		out->wanted += te->sessions;
		if (p->count < 0 || p->count > te->sessions)
			return violation(out,
					 "队伍 %s 安排了 %d 场，每周只要 %d 场 team %s has %d "
					 "sessions, it wants %d",
					 te->name, p->count, te->sessions, te->name, p->count,
					 te->sessions);
		out->placed += p->count;
		for (int k = 0; k < p->count; k++) {
			const struct sched_session *se = &p->session[k];
			if (se->day < 0 || se->day >= in->ndays || se->slot < 0 ||
			    se->slot >= in->nslots || se->zone < 0 || se->zone >= in->nzones)
				return violation(
				    out,
				    "队伍 %s 的第 %d 场超出范围（日 %d 时段 %d 场区 %d） team "
				    "%s session %d is out of range (day %d slot %d zone %d)",
				    te->name, k, se->day, se->slot, se->zone, te->name, k, se->day,
				    se->slot, se->zone);
			sched_when(in, se->day, se->slot, zh, sizeof(zh), en, sizeof(en));
			if (days >> se->day & 1)
				return violation(
				    out, "队伍 %s 在%s有两场 team %s has two sessions on %s",
				    te->name, sched_day_zh(se->day), te->name,
				    sched_day_en(se->day));
			days |= 1u << se->day;
			if (!(te->allowed_days >> se->day & 1))
				return violation(
				    out, "队伍 %s %s不能跳舞 team %s may not dance on %s", te->name,
				    sched_day_zh(se->day), te->name, sched_day_en(se->day));
			if (!(in->slot_open[se->day] >> se->slot & 1))
				return violation(
				    out,
				    "%s 未开放，队伍 %s 却排在此时 %s is closed, yet team "
				    "%s dances then",
				    zh, te->name, en, te->name);
			if (!(in->zone_open[se->zone] >> se->slot & 1))
				return violation(
				    out,
				    "场区 %s 在%s 不允许活动，队伍 %s 却排在此时 zone %s "
				    "does not allow %s, yet team %s dances there then",
				    in->zone[se->zone].name, zh, te->name, in->zone[se->zone].name,
				    en, te->name);
		}
	}
	return 0;
}

static int check_places(const struct sched_instance *in, const struct sched_timetable *tt,
			struct sched_check *out)
{
	int nd = in->ndays, ns = in->nslots, nz = in->nzones, nr = in->nreceptors;
	int *teams = calloc((size_t)nd * (size_t)ns * (size_t)nz, sizeof(*teams));
	double *sum = calloc((size_t)nd * (size_t)ns * (size_t)(nr ? nr : 1), sizeof(*sum));
	char zh[64], en[64];
	int rc = 0;

	if (!teams || !sum) {
		rc = violation(out, "内存不足 out of memory");
		goto out;
	}
	for (int t = 0; t < in->nteams; t++) {
		for (int k = 0; k < tt->plan[t].count; k++) {
			const struct sched_session *se = &tt->plan[t].session[k];
			int cell = se->day * ns + se->slot;
			teams[cell * nz + se->zone]++;
			for (int r = 0; r < nr; r++)
				sum[cell * nr + r] +=
				    energy(in->team[t].l10m_centi, in->dist_dm[se->zone][r]);
		}
	}
	for (int d = 0; d < nd; d++) {
		for (int s = 0; s < ns; s++) {
			int cell = d * ns + s, anyone = 0;
			for (int z = 0; z < nz; z++) {
				int n = teams[cell * nz + z];
				anyone += n;
				if (n <= in->zone[z].capacity || rc)
					continue;
				sched_when(in, d, s, zh, sizeof(zh), en, sizeof(en));
				rc = violation(
				    out,
				    "场区 %s 在 %s 有 %d 支队伍，超过容量 %d zone %s at %s "
				    "has %d teams, above its capacity %d",
				    in->zone[z].name, zh, n, in->zone[z].capacity, in->zone[z].name,
				    en, n, in->zone[z].capacity);
			}
			if (!anyone)
				continue;
			for (int r = 0; r < nr; r++) {
				const struct sched_receptor *re = &in->receptor[r];
				double bg = pow(10.0, (double)re->background_centi / 1000.0);
				int64_t level = centi(10.0 * log10(bg + sum[cell * nr + r]));
				int64_t margin = re->limit_centi - level;
				if (margin < out->worst_margin_centi) {
					out->worst_margin_centi = margin;
					out->worst_receptor = r;
					out->worst_day = d;
					out->worst_slot = s;
				}
				if (margin >= 0 || rc)
					continue;
				sched_when(in, d, s, zh, sizeof(zh), en, sizeof(en));
				rc = violation(
				    out,
				    "受体 %s 在 %s 为 %.2f dB(A)，超过 %.2f receptor %s at %s "
				    "would be %.2f dB(A), above %.2f",
				    re->name, zh, (double)level / 100.0,
				    (double)re->limit_centi / 100.0, re->name, en,
				    (double)level / 100.0, (double)re->limit_centi / 100.0);
			}
		}
	}
out:
	free(teams);
	free(sum);
	return rc;
}

int sched_check(const struct sched_instance *in, const struct sched_timetable *tt,
		struct sched_check *out)
{
	int64_t objective = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->ok = 1;
	out->worst_margin_centi = INT64_MAX;
	out->worst_receptor = out->worst_day = out->worst_slot = -1;
	if (!tt->plan || tt->nteams != in->nteams)
		return violation(out,
				 "时间表有 %d 支队伍，实例有 %d 支 the timetable has %d teams, "
				 "the instance %d",
				 tt->nteams, in->nteams, tt->nteams, in->nteams);
	rc = check_plans(in, tt, out);
	if (!rc)
		rc = check_places(in, tt, out);
	if (rc)
		return rc;
	for (int t = 0; t < in->nteams; t++) {
		const struct sched_team *te = &in->team[t];
		for (int k = 0; k < tt->plan[t].count; k++) {
			const struct sched_session *se = &tt->plan[t].session[k];
			objective += in->weights.placed;
			if (te->pref_zones & (uint64_t)1 << se->zone)
				objective += in->weights.zone;
			if (te->pref_slots & (uint64_t)1 << se->slot)
				objective += in->weights.slot;
			if (in->prime & (uint64_t)1 << se->slot)
				objective -= in->weights.fair * (int64_t)te->prime_history;
		}
	}
	out->objective = objective;
	if (tt->objective != objective)
		return violation(out,
				 "目标值为 %lld，而非声称的 %lld the objective is %lld, not the "
				 "claimed %lld",
				 (long long)objective, (long long)tt->objective,
				 (long long)objective, (long long)tt->objective);
	return 0;
}
