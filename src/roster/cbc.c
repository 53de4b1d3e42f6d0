/* The exact roster: a MIP over binaries x[shift, volunteer] for the pairs
 * roster_allowed admits, solved by CBC in a forked worker process so a
 * solver crash or a runaway search never takes the server down: the
 * parent reads the answer from a pipe with a deadline, kills the child
 * when it passes, and checks whatever comes back.
 *
 * Rows: a shift's places (Σ x ≤ need) and untrained places (Σ over the
 * untrained ≤ need − need_trained); per volunteer, one clique row for each
 * maximal set of their shifts that share a second (the shifts running at
 * some start time), one row per Shanghai day and one per ISO week where
 * they could otherwise pass their limit. Objective: (K + 1) × covered +
 * kept, K the number of previous pairs, so coverage comes first and kept
 * second. Fairness (Σ count²) is left out of the MIP: squares would need
 * a column per volunteer and count, and CBC's time is better spent on
 * coverage; the roster CBC returns goes through the heuristic's fairness
 * swaps (roster_polish), which keep covered and kept. */
#include "roster.h"
#include "internal.h"
#include "../base/err.h"
#include "../base/worker.h"

#include "Cbc_C_Interface.h"

#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define GRACE_SECONDS 5.0 /* past 1.25 × the time limit, before the kill */

/* ---- the model ---- */

struct mip {
	int ncols, nrows;
	struct roster_pair *col; /* [ncols]: by volunteer, then shift start */
	double *obj;		 /* [ncols] */
	double *rowub;		 /* [nrows]: row <= rowub */
	int *row_start;		 /* [nrows + 1] into row_index */
	int *row_index;		 /* the columns of each row (coefficients all 1) */
	int *first;		 /* [nvolunteers + 1]: volunteer v's columns */
	int caprows, capnz;	 /* allocated rows and entries */
};

static void mip_release(struct mip *m)
{
	free(m->col);
	free(m->obj);
	free(m->rowub);
	free(m->row_start);
	free(m->row_index);
	free(m->first);
	memset(m, 0, sizeof(*m));
}

/* grow: *p holds room for *cap items of size; make it at least want. */
static int grow(void **p, int *cap, int want, size_t size)
{
	int n = *cap ? *cap : 1024;
	void *q;

	while (n < want)
		n *= 2;
	if (n == *cap)
		return 0;
	q = realloc(*p, (size_t)n * size);
	if (!q)
		return LIN_ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

/* row_add: Σ cols[0..n) <= ub, unless it can never bind. */
static int row_add(struct mip *m, const int *cols, int n, double ub)
{
	int nz = m->row_start[m->nrows];

	if (n <= ub)
		return 0;
	if (m->nrows + 2 > m->caprows) {
		int cap = m->caprows;
		if (grow((void **)&m->rowub, &cap, m->nrows + 2, sizeof(*m->rowub)))
			return LIN_ENOMEM;
		cap = m->caprows;
		if (grow((void **)&m->row_start, &cap, m->nrows + 2, sizeof(*m->row_start)))
			return LIN_ENOMEM;
		m->caprows = cap;
	}
	if (grow((void **)&m->row_index, &m->capnz, nz + n, sizeof(*m->row_index)))
		return LIN_ENOMEM;
	memcpy(m->row_index + nz, cols, (size_t)n * sizeof(*cols));
	m->rowub[m->nrows] = ub;
	m->row_start[++m->nrows] = nz + n;
	return 0;
}

long roster_cbc_columns(const struct roster_instance *in)
{
	long n = 0;

	for (int v = 0; v < in->nvolunteers; v++)
		for (int s = 0; s < in->nshifts; s++)
			n += roster_allowed(in, s, v);
	return n;
}

/* A shift with its times, to sort by start without a context pointer. */
struct timed {
	int64_t start, end;
	int shift;
};

static int by_start(const void *a, const void *b)
{
	const struct timed *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return (x->shift > y->shift) - (x->shift < y->shift);
}

/* volunteer_rows: the overlap cliques and the day and week limits of the
 * volunteer whose columns are m->col[first..last), sorted by start. */
static int volunteer_rows(const struct roster_instance *in, struct mip *m, int first, int last,
			  int *scratch)
{
	const struct roster_volunteer *vo = &in->volunteer[m->col[first].volunteer];
	int nactive = 0, rc = 0;

	/* Sweep the starts: the shifts running at a start form a clique; it
	 * is written when the next start ends one of them (maximal). */
	for (int i = first; i < last && !rc; i++) {
		const struct roster_shift *si = &in->shift[m->col[i].shift];
		int keep = 0;
		for (int k = 0; k < nactive; k++)
			if (in->shift[m->col[scratch[k]].shift].end > si->start)
				scratch[keep++] = scratch[k];
		nactive = keep;
		scratch[nactive++] = i;
		if (i + 1 < last) {
			int64_t next = in->shift[m->col[i + 1].shift].start, ends = 0;
			if (next == si->start)
				continue;
			for (int k = 0; k < nactive; k++)
				ends |= in->shift[m->col[scratch[k]].shift].end <= next;
			if (!ends)
				continue;
		}
		if (nactive >= 2)
			rc = row_add(m, scratch, nactive, 1);
	}
	/* Days and weeks: the columns are in start order, so each day's and
	 * each week's columns are runs. */
	for (int i = first, j; i < last && !rc; i = j) {
		int64_t d = roster_day(in->shift[m->col[i].shift].start);
		int n = 0;
		for (j = i; j < last && roster_day(in->shift[m->col[j].shift].start) == d; j++)
			scratch[n++] = j;
		rc = row_add(m, scratch, n, vo->max_per_day);
	}
	for (int i = first, j; i < last && !rc; i = j) {
		int64_t w = roster_week(in->shift[m->col[i].shift].start);
		int n = 0;
		for (j = i; j < last && roster_week(in->shift[m->col[j].shift].start) == w; j++)
			scratch[n++] = j;
		rc = row_add(m, scratch, n, vo->max_per_week);
	}
	return rc;
}

static int mip_build(const struct roster_instance *in, struct mip *m)
{
	struct roster_pair *prev = roster_previous_sorted(in);
	struct timed *order = malloc(((size_t)in->nshifts + 1) * sizeof(*order));
	int *scratch = NULL, rc = LIN_ENOMEM;
	long ncols = roster_cbc_columns(in);
	double weight = (double)in->nprevious + 1;

	memset(m, 0, sizeof(*m));
	m->col = malloc((size_t)(ncols ? ncols : 1) * sizeof(*m->col));
	m->obj = malloc((size_t)(ncols ? ncols : 1) * sizeof(*m->obj));
	m->row_start = calloc(1, sizeof(*m->row_start));
	m->first = calloc((size_t)in->nvolunteers + 1, sizeof(*m->first));
	scratch = malloc((size_t)(ncols ? ncols : 1) * sizeof(*scratch));
	if (!prev || !order || !m->col || !m->obj || !m->row_start || !m->first || !scratch)
		goto out;
	for (int s = 0; s < in->nshifts; s++)
		order[s] = (struct timed){in->shift[s].start, in->shift[s].end, s};
	qsort(order, (size_t)in->nshifts, sizeof(*order), by_start);
	/* Columns by volunteer, each volunteer's in start order. */
	for (int v = 0; v < in->nvolunteers; v++) {
		m->first[v] = m->ncols;
		for (int k = 0; k < in->nshifts; k++) {
			int s = order[k].shift;
			if (!roster_allowed(in, s, v))
				continue;
			m->obj[m->ncols] = weight + roster_previous_has(prev, in->nprevious, s, v);
			m->col[m->ncols++] = (struct roster_pair){s, v};
		}
	}
	m->first[in->nvolunteers] = m->ncols;
	rc = 0;
	for (int v = 0; v < in->nvolunteers && !rc; v++)
		if (m->first[v + 1] > m->first[v])
			rc = volunteer_rows(in, m, m->first[v], m->first[v + 1], scratch);
	/* A shift's places and untrained places: its columns, one per
	 * volunteer, gathered shift by shift. */
	if (!rc) {
		int *count = calloc((size_t)in->nshifts + 1, sizeof(*count));
		int *at = calloc((size_t)in->nshifts + 1, sizeof(*at));
		int *byshift = malloc((size_t)(m->ncols ? m->ncols : 1) * sizeof(*byshift));
		rc = count && at && byshift ? 0 : LIN_ENOMEM;
		for (int c = 0; !rc && c < m->ncols; c++)
			count[m->col[c].shift + 1]++;
		for (int s = 0; !rc && s < in->nshifts; s++)
			count[s + 1] += count[s];
		for (int c = 0; !rc && c < m->ncols; c++)
			byshift[count[m->col[c].shift] + at[m->col[c].shift]++] = c;
		for (int s = 0; !rc && s < in->nshifts; s++) {
			const struct roster_shift *sh = &in->shift[s];
			int n = 0, *cols = byshift + count[s];
			rc = row_add(m, cols, at[s], sh->need);
			for (int k = 0; k < at[s]; k++)
				if (!in->volunteer[m->col[cols[k]].volunteer].trained)
					scratch[n++] = cols[k];
			if (!rc)
				rc = row_add(m, scratch, n, sh->need - sh->need_trained);
		}
		free(count);
		free(at);
		free(byshift);
	}
out:
	free(prev);
	free(order);
	free(scratch);
	if (rc)
		mip_release(m);
	return rc;
}

/* ---- the worker ---- */

#define ANSWER_MAGIC 0x524f5354u /* "ROST" */

/* What the child writes to the pipe, then count column indices. */
struct answer {
	uint32_t magic;
	int32_t found;	 /* 1: a solution follows */
	int32_t optimal; /* CBC proved it optimal */
	int32_t count;	 /* columns at 1 */
	double bound;	 /* CBC's best possible objective */
};

/* child_solve runs in the worker: CBC on m, the answer on fd. Never
 * returns; the kernel frees what it leaves. */
struct job {
	const struct mip *m;
	const int *start; /* the MIP start's columns */
	int nstart;
	double limit; /* CBC's seconds */
};

static void child_solve(void *arg, int fd)
{
	const struct job *job = arg;
	const struct mip *m = job->m;
	const int *start = job->start;
	int nstart = job->nstart;
	double limit = job->limit;
	struct answer a = {ANSWER_MAGIC, 0, 0, 0, 0};
	int nnz = m->row_start[m->nrows], devnull;
	int *colstart = calloc((size_t)m->ncols + 1, sizeof(*colstart));
	int *index = malloc((size_t)(nnz ? nnz : 1) * sizeof(*index));
	int *fill = calloc((size_t)m->ncols + 1, sizeof(*fill));
	double *value = malloc((size_t)(nnz ? nnz : 1) * sizeof(*value));
	double *lb = calloc((size_t)m->ncols + 1, sizeof(*lb));
	double *ub = malloc(((size_t)m->ncols + 1) * sizeof(*ub));
	double *ones = malloc(((size_t)nstart + 1) * sizeof(*ones));
	const double *x;
	Cbc_Model *model;

	/* CBC talks on standard output even when asked not to. */
	devnull = open("/dev/null", O_WRONLY);
	if (devnull >= 0) {
		dup2(devnull, STDOUT_FILENO);
		close(devnull);
	}
	if (!colstart || !index || !fill || !value || !lb || !ub || !ones)
		_exit(4);
	for (int k = 0; k < nnz; k++)
		colstart[m->row_index[k] + 1]++;
	for (int c = 0; c < m->ncols; c++) {
		colstart[c + 1] += colstart[c];
		ub[c] = 1;
	}
	for (int r = 0; r < m->nrows; r++)
		for (int k = m->row_start[r]; k < m->row_start[r + 1]; k++) {
			int c = m->row_index[k], at = colstart[c] + fill[c]++;
			index[at] = r;
			value[at] = 1;
		}
	model = Cbc_newModel();
	Cbc_loadProblem(model, m->ncols, m->nrows, colstart, index, value, lb, ub, m->obj, NULL,
			m->rowub);
	for (int c = 0; c < m->ncols; c++)
		Cbc_setInteger(model, c);
	Cbc_setObjSense(model, -1);
	Cbc_setLogLevel(model, 0);
	/* Wall-clock seconds: on a busy machine CPU seconds run slow. */
	Cbc_setParameter(model, "timeMode", "elapsed");
	Cbc_setMaximumSeconds(model, limit);
	/* The objective is an integer: a gap under 1 is optimality. */
	Cbc_setAllowableGap(model, 0.999);
	if (nstart) {
		for (int i = 0; i < nstart; i++)
			ones[i] = 1;
		Cbc_setMIPStartI(model, nstart, start, ones);
		/* CBC 2.10's preprocessing can lose a MIP start's columns and
		 * then stop with no solution at all: with a start, it is off. */
		Cbc_setParameter(model, "preprocess", "off");
	}
	if (m->ncols)
		Cbc_solve(model);
	x = m->ncols ? Cbc_bestSolution(model) : NULL;
	a.found = !m->ncols || x != NULL;
	a.optimal = !m->ncols || Cbc_isProvenOptimal(model);
	a.bound = m->ncols ? Cbc_getBestPossibleObjValue(model) : 0;
	for (int c = 0; x && c < m->ncols; c++)
		a.count += x[c] > 0.5;
	if (lin_write_all(fd, &a, sizeof(a)))
		_exit(3);
	for (int32_t c = 0; x && c < m->ncols; c++)
		if (x[c] > 0.5 && lin_write_all(fd, &c, sizeof(c)))
			_exit(3);
	_exit(0);
}

/* start_columns: the columns of start's assignments (a MIP start). */
static int *start_columns(const struct mip *m, const struct roster_result *start, int *n)
{
	int *cols;

	*n = 0;
	cols = malloc(((size_t)(start ? start->nassign : 0) + 1) * sizeof(*cols));
	if (!cols || !start)
		return cols;
	for (int i = 0; i < start->nassign; i++) {
		int v = start->assign[i].volunteer;
		for (int c = m->first[v]; c < m->first[v + 1]; c++)
			if (m->col[c].shift == start->assign[i].shift) {
				cols[(*n)++] = c;
				break;
			}
	}
	return cols;
}

static int run_worker(const struct mip *m, const int *start, int nstart, double limit,
		      struct answer *a, char **data, size_t *len, char *err, size_t errlen)
{
	/* CBC looks at the clock only now and then (not inside the root LP
	 * of a large model): it gets a quarter more, then the grace. */
	double deadline = limit * 1.25 + GRACE_SECONDS;
	struct job job = {m, start, nstart, limit};
	int status, got;

	got = lin_worker_run(child_solve, &job, deadline, (size_t)256 << 20, data, len, &status);
	if (got == 1) {
		roster_fail(
		    err, errlen,
		    "CBC 求解进程超时（%.1f 秒）已被终止 the CBC worker passed its deadline "
		    "(%.1f s) and was killed",
		    deadline, deadline);
		return LIN_EIO;
	}
	if (got < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		roster_fail(err, errlen, "CBC 求解进程失败 the CBC worker failed (%s %d)",
			    WIFSIGNALED(status) ? "signal" : "status",
			    WIFSIGNALED(status) ? WTERMSIG(status)
			    : WIFEXITED(status) ? WEXITSTATUS(status)
						: -1);
		return LIN_EIO;
	}
	if (*len < sizeof(*a)) {
		roster_fail(err, errlen, "CBC 求解进程没有回答 the CBC worker gave no answer");
		return LIN_EIO;
	}
	memcpy(a, *data, sizeof(*a));
	if (a->magic != ANSWER_MAGIC || a->count < 0 || a->count > m->ncols ||
	    *len != sizeof(*a) + (size_t)a->count * sizeof(int32_t)) {
		roster_fail(err, errlen,
			    "CBC 求解进程的回答无法读取 the CBC worker's answer is unreadable");
		return LIN_EIO;
	}
	if (!a->found) {
		roster_fail(err, errlen,
			    "CBC 在时限内没有找到可行解 CBC found no feasible roster in time");
		return LIN_ENOTFOUND;
	}
	return 0;
}

int roster_cbc(const struct roster_instance *in, const struct roster_result *start,
	       const struct roster_options *o, struct roster_result *out, char *err, size_t errlen)
{
	struct answer a;
	struct mip m;
	double t0 = lin_monotonic();
	char *data = NULL, why[ROSTER_MESSAGE_MAX];
	size_t len = 0;
	int *cols = NULL, ncols = 0, rc;
	long n;

	memset(out, 0, sizeof(*out));
	if (!(o->time_limit > 0))
		return roster_fail(err, errlen, "时间限制须大于 0 the time limit must be above 0");
	n = roster_cbc_columns(in);
	if (n > ROSTER_CBC_MAX_COLUMNS)
		return roster_fail(
		    err, errlen,
		    "模型过大（%ld 列，上限 %d）请用启发式 the MIP is too large (%ld "
		    "columns, at most %d): use the heuristic",
		    n, ROSTER_CBC_MAX_COLUMNS, n, ROSTER_CBC_MAX_COLUMNS);
	rc = mip_build(in, &m);
	if (rc) {
		roster_fail(err, errlen, "内存不足 out of memory");
		return LIN_ENOMEM;
	}
	cols = start_columns(&m, start, &ncols);
	rc = cols ? run_worker(&m, cols, ncols, o->time_limit, &a, &data, &len, err, errlen)
		  : LIN_ENOMEM;
	if (rc)
		goto out;
	out->assign = malloc(((size_t)a.count + 1) * sizeof(*out->assign));
	if (!out->assign) {
		rc = LIN_ENOMEM;
		goto out;
	}
	for (int32_t i = 0; i < a.count; i++) {
		int32_t c;
		memcpy(&c, data + sizeof(a) + (size_t)i * sizeof(c), sizeof(c));
		if (c < 0 || c >= m.ncols) {
			rc = roster_fail(err, errlen,
					 "CBC 求解进程的回答无法读取 the CBC worker's "
					 "answer is unreadable");
			goto out;
		}
		out->assign[out->nassign++] = m.col[c];
	}
	rc = roster_finish(in, out);
	if (!rc)
		rc = roster_check(in, out, why, sizeof(why));
	if (rc) {
		roster_fail(err, errlen, "CBC 的结果未通过检查 CBC's roster failed the check: %s",
			    why);
		goto out;
	}
	/* The bound on the objective, as a bound on covered. */
	out->optimal = a.optimal;
	out->bound = a.optimal ? out->covered
			       : (int64_t)floor((a.bound + 1e-6) / ((double)in->nprevious + 1));
	if (out->bound < out->covered)
		out->bound = out->covered;
	out->solver = "cbc";
	rc = roster_polish(in, out, o->seed);
out:
	free(cols);
	free(data);
	mip_release(&m);
	if (rc)
		roster_result_release(out);
	out->seconds = lin_monotonic() - t0;
	return rc;
}
