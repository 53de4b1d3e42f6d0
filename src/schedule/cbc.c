/* The exact schedule: the MIP (binary x[t,d,s,z] per team, day, slot and
 * zone), written as a CPLEX LP file or solved by CBC in a forked worker
 * process, so a solver crash or a runaway search can never take the server
 * down: the parent reads the answer from a pipe with a deadline, kills the
 * child when it passes, and checks whatever comes back. */
#include "schedule.h"
#include "internal.h"
#include "../base/err.h"
#include "../base/worker.h"

#include "Cbc_C_Interface.h"

#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the model ---- */

enum row_kind {
	ROW_SESSIONS, /* a team's sessions per week */
	ROW_DAY,      /* a team's sessions per day */
	ROW_CAPACITY, /* teams in a zone at a (day, slot) */
	ROW_RECEPTOR, /* shares of a receptor's budget at a (day, slot) */
};

struct mip_col {
	int team, day, slot, zone;
};

struct mip_row {
	enum row_kind kind;
	int a, b, c; /* team[, day] / day, slot, zone / receptor, day, slot */
	double ub;   /* row <= ub */
};

struct mip {
	int ncols, nrows;
	struct mip_col *col; /* [ncols], by team, then day, slot, zone */
	double *obj;	     /* [ncols] */
	int *team_first;     /* [nteams + 1]: team t's columns */
	struct mip_row *row; /* [nrows] */
	int *row_start;	     /* [nrows + 1] into row_index / row_coef */
	int *row_index;	     /* column of each entry */
	double *row_coef;    /* coefficient of each entry */
	int caprows, capnz;  /* allocated rows and entries */
};

static void mip_release(struct mip *m)
{
	free(m->col);
	free(m->obj);
	free(m->team_first);
	free(m->row);
	free(m->row_start);
	free(m->row_index);
	free(m->row_coef);
	memset(m, 0, sizeof(*m));
}

/* row_add: a row over cols[0..n) with coefficients coef (NULL: all 1). */
static int row_add(struct mip *m, enum row_kind kind, int a, int b, int c, double ub,
		   const int *cols, const double *coef, int n)
{
	int nz = m->row_start[m->nrows];

	if (m->nrows + 1 >= m->caprows) {
		int cap = m->caprows * 2;
		struct mip_row *r = realloc(m->row, (size_t)cap * sizeof(*r));
		int *st;
		if (!r)
			return LIN_ENOMEM;
		m->row = r;
		st = realloc(m->row_start, ((size_t)cap + 1) * sizeof(*st));
		if (!st)
			return LIN_ENOMEM;
		m->row_start = st;
		m->caprows = cap;
	}
	if (nz + n > m->capnz) {
		int cap = m->capnz;
		int *ix;
		double *cf;
		while (nz + n > cap)
			cap *= 2;
		ix = realloc(m->row_index, (size_t)cap * sizeof(*ix));
		if (!ix)
			return LIN_ENOMEM;
		m->row_index = ix;
		cf = realloc(m->row_coef, (size_t)cap * sizeof(*cf));
		if (!cf)
			return LIN_ENOMEM;
		m->row_coef = cf;
		m->capnz = cap;
	}
	for (int i = 0; i < n; i++) {
		m->row_index[nz + i] = cols[i];
		m->row_coef[nz + i] = coef ? coef[i] : 1.0;
	}
	m->row[m->nrows] = (struct mip_row){kind, a, b, c, ub};
	m->row_start[++m->nrows] = nz + n;
	return 0;
}

/* mip_columns: count (list when m->col is set) the columns. */
static long mip_columns(const struct sched_instance *in, struct mip *m)
{
	long n = 0;

	for (int t = 0; t < in->nteams; t++) {
		const struct sched_team *te = &in->team[t];
		unsigned char fits[SCHED_MAX_ZONES];
		if (m && m->team_first)
			m->team_first[t] = (int)n;
		if (te->sessions < 1)
			continue;
		for (int z = 0; z < in->nzones; z++)
			fits[z] = (unsigned char)sched_fits_alone(in, t, z);
		for (int d = 0; d < in->ndays; d++) {
			if (!(te->allowed_days >> d & 1))
				continue;
			for (int s = 0; s < in->nslots; s++) {
				if (!(in->slot_open[d] >> s & 1))
					continue;
				for (int z = 0; z < in->nzones; z++) {
					if (!fits[z] || !(in->zone_open[z] >> s & 1))
						continue;
					if (m && m->col) {
						m->col[n] = (struct mip_col){t, d, s, z};
						m->obj[n] =
						    (double)sched_session_value(in, t, s, z);
					}
					n++;
				}
			}
		}
	}
	if (m && m->team_first)
		m->team_first[in->nteams] = (int)n;
	return n;
}

long sched_mip_columns(const struct sched_instance *in)
{
	return mip_columns(in, NULL);
}

static int mip_build(const struct sched_instance *in, struct mip *m)
{
	int nd = in->ndays, ns = in->nslots, nz = in->nzones, nr = in->nreceptors;
	int *cell_start = NULL, *cell_col = NULL, *buf = NULL, *fill = NULL;
	double *coef = NULL;
	long ncols;
	int rc = LIN_ENOMEM;

	memset(m, 0, sizeof(*m));
	ncols = mip_columns(in, NULL);
	if (ncols > INT32_MAX / 8)
		return LIN_ENOMEM;
	m->ncols = (int)ncols;
	m->col = malloc((size_t)(ncols ? ncols : 1) * sizeof(*m->col));
	m->obj = malloc((size_t)(ncols ? ncols : 1) * sizeof(*m->obj));
	m->team_first = malloc(((size_t)in->nteams + 1) * sizeof(*m->team_first));
	m->caprows = 64;
	m->capnz = 256;
	m->row = malloc((size_t)m->caprows * sizeof(*m->row));
	m->row_start = calloc((size_t)m->caprows + 1, sizeof(*m->row_start));
	m->row_index = malloc((size_t)m->capnz * sizeof(*m->row_index));
	m->row_coef = malloc((size_t)m->capnz * sizeof(*m->row_coef));
	cell_start = calloc((size_t)nd * (size_t)ns + 1, sizeof(*cell_start));
	fill = calloc((size_t)nd * (size_t)ns + 1, sizeof(*fill));
	cell_col = malloc((size_t)(ncols ? ncols : 1) * sizeof(*cell_col));
	buf = malloc((size_t)(ncols ? ncols : 1) * sizeof(*buf));
	coef = malloc((size_t)(ncols ? ncols : 1) * sizeof(*coef));
	if (!m->col || !m->obj || !m->team_first || !m->row || !m->row_start || !m->row_index ||
	    !m->row_coef || !cell_start || !fill || !cell_col || !buf || !coef)
		goto out;
	mip_columns(in, m);

	/* Each team: sessions per week, and at most one per day. */
	for (int t = 0; t < in->nteams; t++) {
		int a = m->team_first[t], b = m->team_first[t + 1], days = 0;
		for (int i = a; i < b;) {
			int d = m->col[i].day, j = i;
			while (j < b && m->col[j].day == d)
				j++;
			days++;
			if (j - i > 1) {
				for (int k = i; k < j; k++)
					buf[k - i] = k;
				rc = row_add(m, ROW_DAY, t, d, 0, 1, buf, NULL, j - i);
				if (rc)
					goto out;
			}
			i = j;
		}
		if (days > in->team[t].sessions) {
			for (int k = a; k < b; k++)
				buf[k - a] = k;
			rc = row_add(m, ROW_SESSIONS, t, 0, 0, in->team[t].sessions, buf, NULL,
				     b - a);
			if (rc)
				goto out;
		}
	}

	/* Columns by (day, slot), for the zone and receptor rows. */
	for (int i = 0; i < m->ncols; i++)
		cell_start[m->col[i].day * ns + m->col[i].slot + 1]++;
	for (int c = 0; c < nd * ns; c++)
		cell_start[c + 1] += cell_start[c];
	for (int i = 0; i < m->ncols; i++) {
		int c = m->col[i].day * ns + m->col[i].slot;
		cell_col[cell_start[c] + fill[c]++] = i;
	}
	for (int d = 0; d < nd; d++) {
		for (int s = 0; s < ns; s++) {
			int c = d * ns + s, a = cell_start[c], b = cell_start[c + 1];
			for (int z = 0; z < nz; z++) {
				int n = 0;
				for (int k = a; k < b; k++)
					if (m->col[cell_col[k]].zone == z)
						buf[n++] = cell_col[k];
				if (n > in->zone[z].capacity) {
					rc = row_add(m, ROW_CAPACITY, d, s, z, in->zone[z].capacity,
						     buf, NULL, n);
					if (rc)
						goto out;
				}
			}
			for (int r = 0; r < nr; r++) {
				double total = 0;
				int n = 0;
				for (int k = a; k < b; k++) {
					const struct mip_col *co = &m->col[cell_col[k]];
					buf[n] = cell_col[k];
					coef[n] = sched_share(in, co->team, co->zone, r);
					total += coef[n++];
				}
				/* A row every placement satisfies is left out. */
				if (total <= 1.0 + SCHED_SHARE_SLACK)
					continue;
				rc = row_add(m, ROW_RECEPTOR, r, d, s, 1.0 + SCHED_SHARE_SLACK, buf,
					     coef, n);
				if (rc)
					goto out;
			}
		}
	}
	rc = 0;
out:
	free(cell_start);
	free(fill);
	free(cell_col);
	free(buf);
	free(coef);
	if (rc)
		mip_release(m);
	return rc;
}

/* mip_find: the column of (t, d, s, z), or -1. */
static int mip_find(const struct mip *m, int t, int d, int s, int z)
{
	int lo = m->team_first[t], hi = m->team_first[t + 1] - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		const struct mip_col *c = &m->col[mid];
		long k = ((long)c->day * 64 + c->slot) * 64 + c->zone;
		long want = ((long)d * 64 + s) * 64 + z;
		if (k == want)
			return mid;
		if (k < want)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* ---- the LP file ---- */

static void col_name(const struct mip_col *c, char *out, size_t n)
{
	snprintf(out, n, "x_t%d_d%d_s%d_z%d", c->team, c->day, c->slot, c->zone);
}

static void row_name(const struct mip_row *r, char *out, size_t n)
{
	switch (r->kind) {
	case ROW_SESSIONS:
		snprintf(out, n, "sessions_t%d", r->a);
		break;
	case ROW_DAY:
		snprintf(out, n, "day_t%d_d%d", r->a, r->b);
		break;
	case ROW_CAPACITY:
		snprintf(out, n, "cap_d%d_s%d_z%d", r->a, r->b, r->c);
		break;
	case ROW_RECEPTOR:
		snprintf(out, n, "rec_r%d_d%d_s%d", r->a, r->b, r->c);
		break;
	}
}

/* Terms are wrapped so no line passes ~200 bytes (LP readers limit lines). */
static void lp_term(FILE *f, int *linelen, double coef, const struct mip_col *c, int first)
{
	char name[64];
	int n;

	col_name(c, name, sizeof(name));
	if (*linelen > 200) {
		fputs("\n   ", f);
		*linelen = 3;
	}
	if (coef == 1.0)
		n = fprintf(f, "%s%s", first ? " " : " + ", name);
	else if (coef < 0)
		n = fprintf(f, " - %.17g %s", -coef, name);
	else
		n = fprintf(f, "%s%.17g %s", first ? " " : " + ", coef, name);
	*linelen += n > 0 ? n : 0;
}

int sched_write_lp(const struct sched_instance *in, FILE *f)
{
	struct mip m;
	char name[64];
	int rc, linelen;

	rc = sched_instance_validate(in, NULL, 0);
	if (!rc)
		rc = mip_build(in, &m);
	if (rc)
		return rc;
	fprintf(f,
		"\\ linli staggered schedule: %d teams, %d zones, %d receptors, %d days x %d "
		"slots\n"
		"\\ x_t<team>_d<day>_s<slot>_z<zone> = 1: the team dances then and there.\n"
		"\\ objective per session: placed %lld + zone %lld if preferred + slot %lld if "
		"preferred - fair %lld x prime history if prime\n"
		"\\ rec_r<receptor>_d<day>_s<slot>: shares of 10^(limit/10) - 10^(background/10)\n",
		in->nteams, in->nzones, in->nreceptors, in->ndays, in->nslots,
		(long long)in->weights.placed, (long long)in->weights.zone,
		(long long)in->weights.slot, (long long)in->weights.fair);
	fputs("Maximize\n obj:", f);
	linelen = 5;
	for (int i = 0; i < m.ncols; i++)
		lp_term(f, &linelen, m.obj[i], &m.col[i], i == 0);
	if (!m.ncols)
		fputs(" 0 x_none", f);
	fputs("\nSubject To\n", f);
	for (int r = 0; r < m.nrows; r++) {
		row_name(&m.row[r], name, sizeof(name));
		linelen = fprintf(f, " %s:", name);
		for (int k = m.row_start[r]; k < m.row_start[r + 1]; k++)
			lp_term(f, &linelen, m.row_coef[k], &m.col[m.row_index[k]],
				k == m.row_start[r]);
		fprintf(f, " <= %.17g\n", m.row[r].ub);
	}
	if (!m.ncols)
		fputs(" none: x_none <= 0\n", f);
	fputs("Binaries\n", f);
	for (int i = 0; i < m.ncols; i++) {
		col_name(&m.col[i], name, sizeof(name));
		fprintf(f, " %s\n", name);
	}
	if (!m.ncols)
		fputs(" x_none\n", f);
	fputs("End\n", f);
	mip_release(&m);
	return ferror(f) ? LIN_EIO : 0;
}

/* ---- the worker ---- */

#define ANSWER_MAGIC 0x53434844u /* "SCHD" */

/* What the child writes to the pipe, then count column indices. */
struct answer {
	uint32_t magic;
	int32_t found;	 /* 1: a solution follows */
	int32_t optimal; /* CBC proved it optimal */
	int32_t count;	 /* columns at 1 */
	double objective;
	double bound; /* CBC's best possible objective */
};

/* child_solve runs in the worker: CBC on m, answer on fd. Never returns. */
struct job {
	const struct mip *m;
	const struct sched_timetable *start; /* the MIP start, or NULL */
	const struct sched_options *o;
};

static void child_solve(void *arg, int fd)
{
	const struct job *job = arg;
	const struct mip *m = job->m;
	const struct sched_timetable *start = job->start;
	const struct sched_options *o = job->o;
	struct answer a = {ANSWER_MAGIC, 0, 0, 0, 0, 0};
	Cbc_Model *model;
	int *start_cols = NULL, nstart = 0, devnull;
	double *ones = NULL, *lb, *ub, *rowub;
	int *colstart, *index;
	double *value;
	int nnz = m->row_start[m->nrows];
	const double *x;

	/* CBC talks on standard output even when asked not to. */
	devnull = open("/dev/null", O_WRONLY);
	if (devnull >= 0) {
		dup2(devnull, STDOUT_FILENO);
		close(devnull);
	}
	if (o->fault == SCHED_FAULT_ABORT)
		abort();
	if (o->fault == SCHED_FAULT_HANG)
		for (;;)
			pause();
	if (o->fault == SCHED_FAULT_GARBAGE) {
		/* Every column at 1: breaks each rule at once. */
		a.found = 1;
		a.count = m->ncols;
		if (lin_write_all(fd, &a, sizeof(a)))
			_exit(3);
		for (int32_t i = 0; i < m->ncols; i++)
			if (lin_write_all(fd, &i, sizeof(i)))
				_exit(3);
		_exit(0);
	}

	/* Column-major copy of the rows for Cbc_loadProblem. */
	colstart = calloc((size_t)m->ncols + 1, sizeof(*colstart));
	index = malloc((size_t)(nnz ? nnz : 1) * sizeof(*index));
	value = malloc((size_t)(nnz ? nnz : 1) * sizeof(*value));
	lb = calloc((size_t)(m->ncols ? m->ncols : 1), sizeof(*lb));
	ub = malloc((size_t)(m->ncols ? m->ncols : 1) * sizeof(*ub));
	rowub = malloc((size_t)(m->nrows ? m->nrows : 1) * sizeof(*rowub));
	if (!colstart || !index || !value || !lb || !ub || !rowub)
		_exit(4);
	for (int k = 0; k < nnz; k++)
		colstart[m->row_index[k] + 1]++;
	for (int i = 0; i < m->ncols; i++) {
		colstart[i + 1] += colstart[i];
		ub[i] = 1;
	}
	{
		int *fill = calloc((size_t)(m->ncols ? m->ncols : 1), sizeof(*fill));
		if (!fill)
			_exit(4);
		for (int r = 0; r < m->nrows; r++) {
			rowub[r] = m->row[r].ub;
			for (int k = m->row_start[r]; k < m->row_start[r + 1]; k++) {
				int c = m->row_index[k], at = colstart[c] + fill[c]++;
				index[at] = r;
				value[at] = m->row_coef[k];
			}
		}
		free(fill);
	}
	model = Cbc_newModel();
	Cbc_loadProblem(model, m->ncols, m->nrows, colstart, index, value, lb, ub, m->obj, NULL,
			rowub);
	for (int i = 0; i < m->ncols; i++)
		Cbc_setInteger(model, i);
	Cbc_setObjSense(model, -1);
	Cbc_setLogLevel(model, 0);
	/* Wall-clock seconds: on a busy machine CPU seconds run slow. */
	Cbc_setParameter(model, "timeMode", "elapsed");
	Cbc_setMaximumSeconds(model, o->time_limit);
	/* The objective is an integer: a gap under 1 is optimality. */
	Cbc_setAllowableGap(model, 0.999);
	if (start && start->nteams) {
		start_cols = malloc((size_t)start->nteams * SCHED_MAX_DAYS * sizeof(*start_cols));
		ones = malloc((size_t)start->nteams * SCHED_MAX_DAYS * sizeof(*ones));
		if (!start_cols || !ones)
			_exit(4);
		for (int t = 0; t < start->nteams; t++)
			for (int k = 0; k < start->plan[t].count; k++) {
				const struct sched_session *se = &start->plan[t].session[k];
				int c = mip_find(m, t, se->day, se->slot, se->zone);
				if (c >= 0) {
					start_cols[nstart] = c;
					ones[nstart++] = 1.0;
				}
			}
		/* CBC 2.10's preprocessing can lose a MIP start's columns
		 * ("Illegal index in ClpModel::getColumnName") and then stop
		 * with no solution at all: with a start, it is left out. */
		if (nstart) {
			Cbc_setMIPStartI(model, nstart, start_cols, ones);
			Cbc_setParameter(model, "preprocess", "off");
		}
	}
	if (m->ncols)
		Cbc_solve(model);
	x = m->ncols ? Cbc_bestSolution(model) : NULL;
	a.found = !m->ncols || x != NULL;
	a.optimal = !m->ncols || Cbc_isProvenOptimal(model);
	a.objective = m->ncols && x ? Cbc_getObjValue(model) : 0;
	a.bound = m->ncols ? Cbc_getBestPossibleObjValue(model) : 0;
	for (int i = 0; x && i < m->ncols; i++)
		a.count += x[i] > 0.5;
	if (lin_write_all(fd, &a, sizeof(a)))
		_exit(3);
	for (int32_t i = 0; x && i < m->ncols; i++)
		if (x[i] > 0.5 && lin_write_all(fd, &i, sizeof(i)))
			_exit(3);
	/* No cleanup: the process ends here and the kernel frees it all. */
	_exit(0);
}

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

int sched_cbc(const struct sched_instance *in, const struct sched_timetable *start,
	      const struct sched_options *o, struct sched_timetable *out, char *err, size_t errlen)
{
	struct sched_options defaults;
	struct sched_check check;
	struct answer a;
	struct mip m;
	double t0 = sched_now(), deadline;
	char *data = NULL;
	size_t len = 0;
	struct job job;
	int status = 0, rc, got;

	if (!o) {
		sched_options_default(&defaults);
		o = &defaults;
	}
	rc = sched_timetable_init(out, in->nteams);
	if (rc)
		return fail(err, errlen, rc, "内存不足 out of memory");
	rc = sched_instance_validate(in, err, errlen);
	if (rc)
		return rc;
	if (!(o->time_limit > 0) || !(o->grace >= 0))
		return fail(err, errlen, LIN_EINVAL,
			    "时间限制须大于 0 the time limit must be above 0");
	rc = mip_build(in, &m);
	if (rc)
		return fail(err, errlen, rc, "内存不足 out of memory");
	/* CBC looks at the clock only now and then (not inside the root LP
	 * of a large model): it gets a quarter more, then the grace. */
	deadline = o->time_limit * 1.25 + o->grace;
	job = (struct job){&m, start, o};
	got = lin_worker_run(child_solve, &job, deadline, (size_t)64 << 20, &data, &len, &status);
	if (got < 0 && !data) {
		mip_release(&m);
		return fail(err, errlen, LIN_EIO, "无法启动求解进程 cannot start the solver");
	}
	out->seconds = sched_now() - t0;

	if (got == 1) {
		rc = fail(err, errlen, LIN_EIO,
			  "CBC 求解进程超时（%.1f 秒）已被终止 the CBC worker passed its deadline "
			  "(%.1f s) and was killed",
			  deadline, deadline);
		goto out;
	}
	if (got < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFSIGNALED(status))
			rc = fail(err, errlen, LIN_EIO,
				  "CBC 求解进程因信号 %d 退出 the CBC worker died of signal %d",
				  WTERMSIG(status), WTERMSIG(status));
		else
			rc = fail(err, errlen, LIN_EIO,
				  "CBC 求解进程失败（状态 %d） the CBC worker failed (status %d)",
				  WIFEXITED(status) ? WEXITSTATUS(status) : -1,
				  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		goto out;
	}
	if (len < sizeof(a)) {
		rc = fail(err, errlen, LIN_EIO,
			  "CBC 求解进程没有回答 the CBC worker gave no answer");
		goto out;
	}
	memcpy(&a, data, sizeof(a));
	if (a.magic != ANSWER_MAGIC || a.count < 0 || a.count > m.ncols ||
	    len != sizeof(a) + (size_t)a.count * sizeof(int32_t)) {
		rc = fail(err, errlen, LIN_EIO,
			  "CBC 求解进程的回答无法读取 the CBC worker's answer is unreadable");
		goto out;
	}
	if (!a.found) {
		rc = fail(err, errlen, LIN_ENOTFOUND,
			  "CBC 在时限内没有找到可行解 CBC found no feasible timetable in time");
		goto out;
	}
	for (int32_t i = 0; i < a.count; i++) {
		int32_t c;
		struct sched_plan *p;
		memcpy(&c, data + sizeof(a) + (size_t)i * sizeof(c), sizeof(c));
		if (c < 0 || c >= m.ncols) {
			rc = fail(
			    err, errlen, LIN_EIO,
			    "CBC 求解进程的回答无法读取 the CBC worker's answer is unreadable");
			goto out;
		}
		p = &out->plan[m.col[c].team];
		if (p->count < SCHED_MAX_DAYS)
			p->session[p->count] =
			    (struct sched_session){m.col[c].day, m.col[c].slot, m.col[c].zone};
		/* Past a week it is broken; keep counting so the checker says so. */
		p->count++;
	}
	for (int t = 0; t < out->nteams; t++)
		if (out->plan[t].count > SCHED_MAX_DAYS) {
			rc = fail(err, errlen, LIN_EINVAL,
				  "CBC 的结果未通过检查：队伍 %s 超过 %d 场 CBC's timetable failed "
				  "the check: team %s has more than %d sessions",
				  in->team[t].name, SCHED_MAX_DAYS, in->team[t].name,
				  SCHED_MAX_DAYS);
			goto out;
		}
	out->objective = sched_objective(in, out);
	out->solver = SCHED_SOLVER_CBC;
	out->optimal = a.optimal;
	out->bound = a.optimal ? out->objective : (int64_t)floor(a.bound + 1e-6);
	if (out->bound < out->objective)
		out->bound = out->objective;
	rc = sched_check(in, out, &check);
	if (rc) {
		rc = fail(err, errlen, LIN_EINVAL,
			  "CBC 的结果未通过检查 CBC's timetable failed the check: %s",
			  check.message);
		goto out;
	}
	sched_explain(in, out);
out:
	free(data);
	mip_release(&m);
	if (rc) {
		double secs = out->seconds;
		sched_timetable_release(out);
		sched_timetable_init(out, 0);
		out->seconds = secs;
	}
	return rc;
}
