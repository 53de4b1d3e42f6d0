/* The roster model: instances (made, freed, validated), results, the
 * objective folded into one number, Shanghai days and ISO weeks, and the
 * counts and reasons every solver's roster is finished with. */
#include "roster.h"
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/rand.h"
#include "../base/timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small shared helpers ---- */

int64_t roster_day(int64_t t)
{
	return lin_local_day(t, LIN_SHANGHAI_OFFSET);
}

int64_t roster_week(int64_t t)
{
	/* Day 0 (1970-01-01) was a Thursday: day -3 the Monday of week 0. */
	int64_t d = roster_day(t) + 3;

	return d >= 0 ? d / 7 : (d - 6) / 7;
}

void roster_time_text(int64_t t, char *out, size_t n)
{
	int64_t local = t + LIN_SHANGHAI_OFFSET, day = roster_day(t);
	int64_t sec = local - day * 86400;
	int y, m, d;

	lin_civil_from_days(day, &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y, m, d, (int)(sec / 3600),
		 (int)(sec / 60 % 60), (int)(sec % 60));
}

void roster_rng_seed(struct roster_rng *g, uint64_t seed)
{
	g->state = seed;
}

uint64_t roster_rng_next(struct roster_rng *g)
{
	return lin_splitmix64(&g->state);
}

uint32_t roster_rng_below(struct roster_rng *g, uint32_t n)
{
	return (uint32_t)(((roster_rng_next(g) >> 32) * (uint64_t)n) >> 32);
}

int roster_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return LIN_EINVAL;
}

/* ---- instances ---- */

int roster_instance_init(struct roster_instance *in, int nshifts, int nvolunteers, int nprevious)
{
	memset(in, 0, sizeof(*in));
	if (nshifts < 0 || nshifts > ROSTER_MAX_SHIFTS || nvolunteers < 0 ||
	    nvolunteers > ROSTER_MAX_VOLS || nprevious < 0 ||
	    (int64_t)nprevious > (int64_t)ROSTER_MAX_SHIFTS * ROSTER_MAX_NEED)
		return LIN_EINVAL;
	in->shift = calloc((size_t)(nshifts ? nshifts : 1), sizeof(*in->shift));
	in->volunteer = calloc((size_t)(nvolunteers ? nvolunteers : 1), sizeof(*in->volunteer));
	in->previous = calloc((size_t)(nprevious ? nprevious : 1), sizeof(*in->previous));
	if (!in->shift || !in->volunteer || !in->previous) {
		roster_instance_release(in);
		return LIN_ENOMEM;
	}
	in->nshifts = nshifts;
	in->nvolunteers = nvolunteers;
	in->nprevious = nprevious;
	return 0;
}

void roster_instance_release(struct roster_instance *in)
{
	free(in->shift);
	free(in->volunteer);
	free(in->previous);
	memset(in, 0, sizeof(*in));
}

static int id_ok(const char *id)
{
	size_t len = strnlen(id, ROSTER_ID_MAX);

	return len > 0 && len < ROSTER_ID_MAX && utf8_valid(id, len);
}

/* Indices are sorted by id with a merge sort that takes the instance as
 * an argument (qsort has no context pointer, and no global is wanted). */
static const char *id_of(const struct roster_instance *in, int shifts, int i)
{
	return shifts ? in->shift[i].id : in->volunteer[i].id;
}

static void merge_sort(const struct roster_instance *in, int shifts, int *a, int *tmp, int n)
{
	int h = n / 2, i = 0, j = h, k = 0;

	if (n < 2)
		return;
	merge_sort(in, shifts, a, tmp, h);
	merge_sort(in, shifts, a + h, tmp, n - h);
	while (i < h && j < n)
		tmp[k++] =
		    strcmp(id_of(in, shifts, a[i]), id_of(in, shifts, a[j])) <= 0 ? a[i++] : a[j++];
	while (i < h)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, (size_t)n * sizeof(*a));
}

/* first_duplicate: the index of an id that occurs twice, or -1. */
static int first_duplicate(const struct roster_instance *in, int shifts, int n, int *dup)
{
	int *a = malloc((size_t)(n ? n : 1) * sizeof(*a));
	int *tmp = malloc((size_t)(n ? n : 1) * sizeof(*tmp));

	*dup = -1;
	if (!a || !tmp) {
		free(a);
		free(tmp);
		return LIN_ENOMEM;
	}
	for (int i = 0; i < n; i++)
		a[i] = i;
	merge_sort(in, shifts, a, tmp, n);
	for (int i = 1; i < n && *dup < 0; i++)
		if (!strcmp(id_of(in, shifts, a[i - 1]), id_of(in, shifts, a[i])))
			*dup = a[i];
	free(a);
	free(tmp);
	return 0;
}

int roster_pair_cmp(const void *a, const void *b)
{
	const struct roster_pair *x = a, *y = b;

	if (x->shift != y->shift)
		return x->shift < y->shift ? -1 : 1;
	return (x->volunteer > y->volunteer) - (x->volunteer < y->volunteer);
}

static int out_of_memory(char *err, size_t errlen)
{
	roster_fail(err, errlen, "内存不足 out of memory");
	return LIN_ENOMEM;
}

static int time_ok(int64_t t)
{
	return t >= ROSTER_TIME_MIN && t <= ROSTER_TIME_MAX;
}

int roster_instance_validate(const struct roster_instance *in, char *err, size_t errlen)
{
	struct roster_pair *prev;
	int dup, rc;

	if (in->nshifts < 0 || in->nshifts > ROSTER_MAX_SHIFTS || (in->nshifts && !in->shift))
		return roster_fail(err, errlen, "班次数须为 0 到 %d shifts must number 0 to %d",
				   ROSTER_MAX_SHIFTS, ROSTER_MAX_SHIFTS);
	if (in->nvolunteers < 0 || in->nvolunteers > ROSTER_MAX_VOLS ||
	    (in->nvolunteers && !in->volunteer))
		return roster_fail(err, errlen,
				   "志愿者人数须为 0 到 %d volunteers must number 0 to %d",
				   ROSTER_MAX_VOLS, ROSTER_MAX_VOLS);
	if (in->nprevious < 0 || (in->nprevious && !in->previous))
		return roster_fail(err, errlen, "previous 无效 previous is invalid");
	for (int s = 0; s < in->nshifts; s++) {
		const struct roster_shift *sh = &in->shift[s];
		if (!id_ok(sh->id))
			return roster_fail(err, errlen,
					   "shifts[%d].id 须为 1 到 %d 字节的 UTF-8 文本 "
					   "shifts[%d].id must be 1 to %d bytes of UTF-8",
					   s, ROSTER_ID_MAX - 1, s, ROSTER_ID_MAX - 1);
		if (!time_ok(sh->start) || !time_ok(sh->end))
			return roster_fail(err, errlen,
					   "班次 %s 的时间须在 1900 至 2100 年之间 shift %s: times "
					   "must fall in 1900 to 2100",
					   sh->id, sh->id);
		if (sh->start >= sh->end)
			return roster_fail(err, errlen,
					   "班次 %s 的 end 须晚于 start shift %s: end must come "
					   "after start",
					   sh->id, sh->id);
		if (sh->need < 0 || sh->need > ROSTER_MAX_NEED)
			return roster_fail(err, errlen,
					   "班次 %s 的 need 须为 0 到 %d shift %s: need must be 0 "
					   "to %d",
					   sh->id, ROSTER_MAX_NEED, sh->id, ROSTER_MAX_NEED);
		if (sh->need_trained < 0 || sh->need_trained > sh->need)
			return roster_fail(err, errlen,
					   "班次 %s 的 need_trained 须为 0 到 need（%d） shift %s: "
					   "need_trained must be 0 to need (%d)",
					   sh->id, sh->need, sh->id, sh->need);
	}
	for (int v = 0; v < in->nvolunteers; v++) {
		const struct roster_volunteer *vo = &in->volunteer[v];
		if (!id_ok(vo->id))
			return roster_fail(err, errlen,
					   "volunteers[%d].id 须为 1 到 %d 字节的 UTF-8 文本 "
					   "volunteers[%d].id must be 1 to %d bytes of UTF-8",
					   v, ROSTER_ID_MAX - 1, v, ROSTER_ID_MAX - 1);
		if (vo->trained != 0 && vo->trained != 1)
			return roster_fail(err, errlen,
					   "志愿者 %s 的 trained 须为 0 或 1 volunteer %s: trained "
					   "must be 0 or 1",
					   vo->id, vo->id);
		if (vo->max_per_day < 0 || vo->max_per_day > ROSTER_MAX_SHIFTS)
			return roster_fail(err, errlen,
					   "志愿者 %s 的 max_per_day 须为 0 到 %d volunteer %s: "
					   "max_per_day must be 0 to %d",
					   vo->id, ROSTER_MAX_SHIFTS, vo->id, ROSTER_MAX_SHIFTS);
		if (vo->max_per_week < 0 || vo->max_per_week > ROSTER_MAX_SHIFTS)
			return roster_fail(err, errlen,
					   "志愿者 %s 的 max_per_week 须为 0 到 %d volunteer %s: "
					   "max_per_week must be 0 to %d",
					   vo->id, ROSTER_MAX_SHIFTS, vo->id, ROSTER_MAX_SHIFTS);
		if (vo->nunavailable < 0 || vo->nunavailable > ROSTER_MAX_SPANS)
			return roster_fail(err, errlen,
					   "志愿者 %s 的 unavailable 至多 %d 段 volunteer %s: at "
					   "most %d unavailable spans",
					   vo->id, ROSTER_MAX_SPANS, vo->id, ROSTER_MAX_SPANS);
		for (int k = 0; k < vo->nunavailable; k++) {
			const struct roster_span *sp = &vo->unavailable[k];
			if (!time_ok(sp->start) || !time_ok(sp->end) || sp->start >= sp->end)
				return roster_fail(
				    err, errlen,
				    "志愿者 %s 的 unavailable[%d]：end 须晚于 start，"
				    "时间在 1900 至 2100 年之间 volunteer %s: "
				    "unavailable[%d]: end must come after start, "
				    "within 1900 to 2100",
				    vo->id, k, vo->id, k);
		}
	}
	rc = first_duplicate(in, 1, in->nshifts, &dup);
	if (rc)
		return out_of_memory(err, errlen);
	if (dup >= 0)
		return roster_fail(err, errlen, "班次 id 重复：%s duplicate shift id: %s",
				   in->shift[dup].id, in->shift[dup].id);
	rc = first_duplicate(in, 0, in->nvolunteers, &dup);
	if (rc)
		return out_of_memory(err, errlen);
	if (dup >= 0)
		return roster_fail(err, errlen, "志愿者 id 重复：%s duplicate volunteer id: %s",
				   in->volunteer[dup].id, in->volunteer[dup].id);
	for (int i = 0; i < in->nprevious; i++) {
		const struct roster_pair *p = &in->previous[i];
		if (p->shift < 0 || p->shift >= in->nshifts || p->volunteer < 0 ||
		    p->volunteer >= in->nvolunteers)
			return roster_fail(err, errlen,
					   "previous[%d] 指向不存在的班次或志愿者 previous[%d] "
					   "names no such shift or volunteer",
					   i, i);
	}
	prev = roster_previous_sorted(in);
	if (!prev)
		return out_of_memory(err, errlen);
	for (int i = 1; i < in->nprevious; i++)
		if (!roster_pair_cmp(&prev[i - 1], &prev[i])) {
			const char *s = in->shift[prev[i].shift].id;
			const char *v = in->volunteer[prev[i].volunteer].id;
			free(prev);
			return roster_fail(err, errlen,
					   "previous 中 %s / %s 重复 previous lists %s on %s twice",
					   s, v, v, s);
		}
	free(prev);
	return 0;
}

struct roster_pair *roster_previous_sorted(const struct roster_instance *in)
{
	struct roster_pair *p = malloc((size_t)(in->nprevious ? in->nprevious : 1) * sizeof(*p));

	if (!p)
		return NULL;
	if (in->nprevious) {
		memcpy(p, in->previous, (size_t)in->nprevious * sizeof(*p));
		qsort(p, (size_t)in->nprevious, sizeof(*p), roster_pair_cmp);
	}
	return p;
}

int roster_previous_has(const struct roster_pair *sorted, int n, int s, int v)
{
	struct roster_pair key = {s, v};

	return n > 0 && bsearch(&key, sorted, (size_t)n, sizeof(key), roster_pair_cmp) != NULL;
}

int roster_allowed(const struct roster_instance *in, int s, int v)
{
	const struct roster_shift *sh = &in->shift[s];
	const struct roster_volunteer *vo = &in->volunteer[v];

	if (sh->need < 1 || vo->max_per_day < 1 || vo->max_per_week < 1)
		return 0;
	if (!vo->trained && sh->need - sh->need_trained < 1)
		return 0;
	for (int k = 0; k < vo->nunavailable; k++)
		if (roster_overlap(sh->start, sh->end, vo->unavailable[k].start,
				   vo->unavailable[k].end))
			return 0;
	return 1;
}

/* ---- results ---- */

void roster_options_default(struct roster_options *o)
{
	o->solver = ROSTER_AUTO;
	o->time_limit = 30;
	o->seed = 1;
}

void roster_result_release(struct roster_result *r)
{
	free(r->assign);
	free(r->unfilled);
	memset(r, 0, sizeof(*r));
}

int64_t roster_value(const struct roster_instance *in, const struct roster_result *r)
{
	/* covered × (K + 1) + kept, times (S + 1), minus spread, with K the
	 * most that can be kept and S the largest spread: each term outweighs
	 * every later one. Exact while Σ need is below about 55,000 (the
	 * product fits 63 bits); past that it saturates. */
	__int128 places = 0, kmax, smax, v;

	for (int s = 0; s < in->nshifts; s++)
		places += in->shift[s].need;
	kmax = in->nprevious < places ? in->nprevious : places;
	smax = places * places;
	v = ((__int128)r->covered * (kmax + 1) + r->kept) * (smax + 1) - r->spread;
	if (v > INT64_MAX)
		return INT64_MAX;
	if (v < INT64_MIN)
		return INT64_MIN;
	return (int64_t)v;
}

int roster_better(const struct roster_result *a, const struct roster_result *b)
{
	if (a->covered != b->covered)
		return a->covered > b->covered;
	if (a->kept != b->kept)
		return a->kept > b->kept;
	return a->spread < b->spread;
}

/* why_unfilled: the reason a shift is short, from who could not take it. */
static void why_unfilled(const struct roster_instance *in, const struct roster_result *r,
			 const int *first, int s, int held, int trained_held, char *out, size_t n)
{
	const struct roster_shift *sh = &in->shift[s];
	int away = 0, busy = 0, day_full = 0, week_full = 0, untrained = 0, none = 0;
	int64_t day = roster_day(sh->start), week = roster_week(sh->start);
	int trained_short = trained_held < sh->need_trained;
	char text[2 * ROSTER_REASON_MAX];
	size_t len;
	int untrained_full = held - trained_held >= sh->need - sh->need_trained;

	for (int v = 0; v < in->nvolunteers; v++) {
		const struct roster_volunteer *vo = &in->volunteer[v];
		int on = 0, overlap = 0, nday = 0, nweek = 0, blocked = 0;
		if (vo->max_per_day < 1 || vo->max_per_week < 1) {
			none++;
			continue;
		}
		for (int k = 0; k < vo->nunavailable && !blocked; k++)
			blocked = roster_overlap(sh->start, sh->end, vo->unavailable[k].start,
						 vo->unavailable[k].end);
		if (blocked) {
			away++;
			continue;
		}
		if (!vo->trained && (untrained_full || sh->need == sh->need_trained)) {
			untrained++;
			continue;
		}
		for (int i = first[v]; i < first[v + 1]; i++) {
			const struct roster_shift *o = &in->shift[r->assign[i].shift];
			on |= r->assign[i].shift == s;
			overlap |= roster_overlap(sh->start, sh->end, o->start, o->end);
			nday += roster_day(o->start) == day;
			nweek += roster_week(o->start) == week;
		}
		if (on)
			continue;
		if (overlap)
			busy++;
		else if (nday >= vo->max_per_day)
			day_full++;
		else if (nweek >= vo->max_per_week)
			week_full++;
	}
	/* Counts are at most ROSTER_MAX_VOLS (5 digits): the text fits
	 * ROSTER_REASON_MAX; written through a roomier buffer so that no
	 * compiler has to take that on trust. */
	snprintf(text, sizeof(text),
		 "%s不可用 %d 人，时间冲突 %d 人，当日已满 %d 人，本周已满 %d 人，未受训 %d 人 "
		 "%s%d unavailable, %d on an overlapping shift, %d at their daily limit, %d at "
		 "their weekly limit, %d untrained",
		 trained_short ? "缺受训志愿者：" : "", away + none, busy, day_full, week_full,
		 untrained, trained_short ? "short of trained volunteers: " : "", away + none, busy,
		 day_full, week_full, untrained);
	len = strlen(text);
	if (len >= n) {
		/* Cut at a character boundary. */
		len = n - 1;
		while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(out, text, len);
	out[len] = '\0';
}

static int by_volunteer(const void *a, const void *b)
{
	const struct roster_pair *x = a, *y = b;

	if (x->volunteer != y->volunteer)
		return x->volunteer < y->volunteer ? -1 : 1;
	return (x->shift > y->shift) - (x->shift < y->shift);
}

int roster_finish(const struct roster_instance *in, struct roster_result *r)
{
	int *held = calloc((size_t)in->nshifts + 1, sizeof(*held));
	int *trained = calloc((size_t)in->nshifts + 1, sizeof(*trained));
	int *count = calloc((size_t)in->nvolunteers + 1, sizeof(*count));
	int *first = calloc((size_t)in->nvolunteers + 2, sizeof(*first));
	struct roster_pair *prev = roster_previous_sorted(in), *byvol = NULL;
	int rc = LIN_ENOMEM, nunfilled = 0;

	if (!held || !trained || !count || !first || !prev)
		goto out;
	free(r->unfilled);
	r->unfilled = NULL;
	r->nunfilled = 0;
	if (r->nassign)
		qsort(r->assign, (size_t)r->nassign, sizeof(*r->assign), roster_pair_cmp);
	r->filled = r->covered = r->kept = 0;
	r->spread = 0;
	for (int i = 0; i < r->nassign; i++) {
		int s = r->assign[i].shift, v = r->assign[i].volunteer;
		held[s]++;
		trained[s] += in->volunteer[v].trained;
		count[v]++;
		r->kept += roster_previous_has(prev, in->nprevious, s, v);
	}
	r->covered = r->nassign;
	for (int v = 0; v < in->nvolunteers; v++)
		r->spread += (int64_t)count[v] * count[v];
	for (int s = 0; s < in->nshifts; s++) {
		if (held[s] >= in->shift[s].need && trained[s] >= in->shift[s].need_trained)
			r->filled++;
		else
			nunfilled++;
	}
	byvol = malloc((size_t)(r->nassign ? r->nassign : 1) * sizeof(*byvol));
	r->unfilled = calloc((size_t)(nunfilled ? nunfilled : 1), sizeof(*r->unfilled));
	if (!byvol || !r->unfilled)
		goto out;
	/* The volunteers' assignments in one array, first[v] to first[v + 1]. */
	if (r->nassign)
		memcpy(byvol, r->assign, (size_t)r->nassign * sizeof(*byvol));
	qsort(byvol, (size_t)r->nassign, sizeof(*byvol), by_volunteer);
	for (int v = 0; v < in->nvolunteers; v++)
		first[v + 1] = first[v] + count[v];
	{
		struct roster_result view = *r;
		view.assign = byvol;
		for (int s = 0; s < in->nshifts; s++) {
			struct roster_unfilled *u;
			if (held[s] >= in->shift[s].need && trained[s] >= in->shift[s].need_trained)
				continue;
			u = &r->unfilled[r->nunfilled++];
			u->shift = s;
			u->missing = in->shift[s].need - held[s];
			if (u->missing < 1)
				u->missing = 1;
			why_unfilled(in, &view, first, s, held[s], trained[s], u->reason,
				     sizeof(u->reason));
		}
	}
	rc = 0;
out:
	free(held);
	free(trained);
	free(count);
	free(first);
	free(prev);
	free(byvol);
	return rc;
}
