/* The independent checker: every hard rule of roster.h read again from
 * the raw instance with its own loops (pairwise, no shared counters with
 * the solvers), and the reported counts recounted. Nothing a solver or a
 * file produces is used before it passes here. */
#include "roster.h"
#include "internal.h"
#include "../base/err.h"
#include "../base/timeutil.h"

#include <stdlib.h>
#include <string.h>

/* Its own calendar arithmetic: the Shanghai day, and the Monday that
 * starts the ISO week (1970-01-05 was a Monday: day 4). */
static int64_t local_day(int64_t t)
{
	return lin_local_day(t, LIN_SHANGHAI_OFFSET);
}

static int64_t monday_of(int64_t t)
{
	int64_t d = local_day(t), r = (d - 4) % 7;

	return d - (r < 0 ? r + 7 : r);
}

static int check_cmp(const void *a, const void *b)
{
	const struct roster_pair *x = a, *y = b;

	if (x->volunteer != y->volunteer)
		return x->volunteer < y->volunteer ? -1 : 1;
	return (x->shift > y->shift) - (x->shift < y->shift);
}

/* check_volunteer: the rules about one volunteer's shifts a[0..n). */
static int check_volunteer(const struct roster_instance *in, const struct roster_pair *a, int n,
			   char *err, size_t errlen)
{
	const struct roster_volunteer *vo = &in->volunteer[a[0].volunteer];
	char t0[32], t1[32];

	for (int i = 0; i < n; i++) {
		const struct roster_shift *si = &in->shift[a[i].shift];
		int same_day = 0, same_week = 0;
		for (int k = 0; k < vo->nunavailable; k++) {
			const struct roster_span *sp = &vo->unavailable[k];
			if (si->start < sp->end && sp->start < si->end) {
				roster_time_text(sp->start, t0, sizeof(t0));
				roster_time_text(sp->end, t1, sizeof(t1));
				return roster_fail(err, errlen,
						   "志愿者 %s 在 %s 至 %s 不可用，却排在班次 %s "
						   "volunteer %s is unavailable from %s to %s but "
						   "holds shift %s",
						   vo->id, t0, t1, si->id, vo->id, t0, t1, si->id);
			}
		}
		for (int j = 0; j < n; j++) {
			const struct roster_shift *sj = &in->shift[a[j].shift];
			if (j > i && si->start < sj->end && sj->start < si->end)
				return roster_fail(
				    err, errlen,
				    "志愿者 %s 的班次 %s 与 %s 时间重叠 volunteer %s "
				    "holds shifts %s and %s, which overlap",
				    vo->id, si->id, sj->id, vo->id, si->id, sj->id);
			same_day += local_day(sj->start) == local_day(si->start);
			same_week += monday_of(sj->start) == monday_of(si->start);
		}
		if (same_day > vo->max_per_day) {
			roster_time_text(si->start, t0, sizeof(t0));
			return roster_fail(err, errlen,
					   "志愿者 %s 在 %.10s 有 %d 个班次，超过每日上限 %d "
					   "volunteer %s holds %d shifts on %.10s, over the daily "
					   "limit of %d",
					   vo->id, t0, same_day, vo->max_per_day, vo->id, same_day,
					   t0, vo->max_per_day);
		}
		if (same_week > vo->max_per_week) {
			int y, m, d;
			lin_civil_from_days(monday_of(si->start), &y, &m, &d);
			return roster_fail(
			    err, errlen,
			    "志愿者 %s 在 %04d-%02d-%02d 起的一周有 %d 个班次，超过"
			    "每周上限 %d volunteer %s holds %d shifts in the week of "
			    "%04d-%02d-%02d, over the weekly limit of %d",
			    vo->id, y, m, d, same_week, vo->max_per_week, vo->id, same_week, y, m,
			    d, vo->max_per_week);
		}
	}
	return 0;
}

int roster_check(const struct roster_instance *in, const struct roster_result *r, char *err,
		 size_t errlen)
{
	struct roster_pair *a = NULL, *prev = NULL;
	int *held = NULL, *untrained = NULL, rc = 0, filled = 0, kept = 0, nshort = 0;
	int64_t spread = 0;

	if (r->nassign < 0 || r->nunfilled < 0 || (r->nassign && !r->assign) ||
	    (r->nunfilled && !r->unfilled))
		return roster_fail(err, errlen, "排班结果无效 the roster is malformed");
	for (int i = 0; i < r->nassign; i++)
		if (r->assign[i].shift < 0 || r->assign[i].shift >= in->nshifts ||
		    r->assign[i].volunteer < 0 || r->assign[i].volunteer >= in->nvolunteers)
			return roster_fail(err, errlen,
					   "第 %d 条安排指向不存在的班次或志愿者 assignment %d "
					   "names no such shift or volunteer",
					   i, i);
	a = malloc((size_t)(r->nassign ? r->nassign : 1) * sizeof(*a));
	held = calloc((size_t)in->nshifts + 1, sizeof(*held));
	untrained = calloc((size_t)in->nshifts + 1, sizeof(*untrained));
	prev = malloc(((size_t)in->nprevious + 1) * sizeof(*prev));
	if (!a || !held || !untrained || !prev) {
		rc = LIN_ENOMEM;
		roster_fail(err, errlen, "内存不足 out of memory");
		goto out;
	}
	if (r->nassign)
		memcpy(a, r->assign, (size_t)r->nassign * sizeof(*a));
	qsort(a, (size_t)r->nassign, sizeof(*a), check_cmp);
	if (in->nprevious)
		memcpy(prev, in->previous, (size_t)in->nprevious * sizeof(*prev));
	qsort(prev, (size_t)in->nprevious, sizeof(*prev), check_cmp);
	for (int i = 0; i < r->nassign; i++) {
		if (i && a[i].shift == a[i - 1].shift && a[i].volunteer == a[i - 1].volunteer) {
			rc =
			    roster_fail(err, errlen,
					"志愿者 %s 在班次 %s 上出现两次 volunteer %s is on shift "
					"%s twice",
					in->volunteer[a[i].volunteer].id, in->shift[a[i].shift].id,
					in->volunteer[a[i].volunteer].id, in->shift[a[i].shift].id);
			goto out;
		}
		held[a[i].shift]++;
		untrained[a[i].shift] += !in->volunteer[a[i].volunteer].trained;
		kept += in->nprevious && bsearch(&a[i], prev, (size_t)in->nprevious, sizeof(*prev),
						 check_cmp) != NULL;
	}
	for (int s = 0; s < in->nshifts; s++) {
		const struct roster_shift *sh = &in->shift[s];
		if (held[s] > sh->need) {
			rc = roster_fail(err, errlen,
					 "班次 %s 需要 %d 人，却排了 %d 人 shift %s needs %d but "
					 "holds %d",
					 sh->id, sh->need, held[s], sh->id, sh->need, held[s]);
			goto out;
		}
		if (untrained[s] > sh->need - sh->need_trained) {
			rc = roster_fail(
			    err, errlen,
			    "班次 %s 的未受训志愿者 %d 人，至多 %d 人（%d 个位置留给受训"
			    "志愿者） shift %s holds %d untrained volunteers, at most %d "
			    "(%d places are for trained ones)",
			    sh->id, untrained[s], sh->need - sh->need_trained, sh->need_trained,
			    sh->id, untrained[s], sh->need - sh->need_trained, sh->need_trained);
			goto out;
		}
		if (held[s] == sh->need)
			filled++;
	}
	for (int i = 0, j; i < r->nassign; i = j) {
		for (j = i; j < r->nassign && a[j].volunteer == a[i].volunteer; j++)
			;
		spread += (int64_t)(j - i) * (j - i);
		rc = check_volunteer(in, a + i, j - i, err, errlen);
		if (rc)
			goto out;
	}
	if (r->filled != filled || r->covered != r->nassign || r->kept != kept ||
	    r->spread != spread) {
		rc = roster_fail(err, errlen,
				 "统计不符：满员 %d（报告 %d）、已排 %d（报告 %d）、保留 %d（报告 "
				 "%d）、平方和 %lld（报告 %lld） the counts disagree: filled %d "
				 "(reported %d), covered %d (%d), kept %d (%d), spread %lld (%lld)",
				 filled, r->filled, r->nassign, r->covered, kept, r->kept,
				 (long long)spread, (long long)r->spread, filled, r->filled,
				 r->nassign, r->covered, kept, r->kept, (long long)spread,
				 (long long)r->spread);
		goto out;
	}
	for (int s = 0; s < in->nshifts; s++) {
		const struct roster_unfilled *u;
		if (held[s] == in->shift[s].need)
			continue;
		u = nshort < r->nunfilled ? &r->unfilled[nshort] : NULL;
		if (!u || u->shift != s || u->missing != in->shift[s].need - held[s]) {
			rc =
			    roster_fail(err, errlen,
					"班次 %s 缺 %d 人，未如实列为未满 shift %s is %d short and "
					"not listed as such among the unfilled",
					in->shift[s].id, in->shift[s].need - held[s],
					in->shift[s].id, in->shift[s].need - held[s]);
			goto out;
		}
		nshort++;
	}
	if (nshort != r->nunfilled)
		rc =
		    roster_fail(err, errlen,
				"未满班次列表多出 %d 项 the unfilled list holds %d shifts too many",
				r->nunfilled - nshort, r->nunfilled - nshort);
out:
	free(a);
	free(prev);
	free(held);
	free(untrained);
	return rc;
}
