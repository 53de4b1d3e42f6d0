/* Prometheus counters; see metrics.h. */
#include "metrics.h"
#include "router.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const int status_codes[] = {200, 201, 204, 302, 303, 304, 400, 401, 403, 404,
				   405, 409, 413, 415, 422, 429, 500, 503, 507, 0};
#define NSTATUS (sizeof(status_codes) / sizeof(status_codes[0]))
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
				 0.05,	 0.1,	0.25,	0.5,   1,    2.5};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct route_metrics {
	uint64_t by_status[NSTATUS];	  /* requests per status (last slot: others) */
	uint64_t histogram[NBUCKETS + 1]; /* latency buckets, last is +Inf */
	uint64_t micros_sum;		  /* total latency in microseconds */
};

/* The guard's rules as labels, in enum conn_guard_rule's order. */
static const struct {
	const char *metric; /* refused or closed */
	const char *label;  /* the rule */
} conn_rules[GUARD_NRULES] = {
    [GUARD_REFUSED_PER_IP] = {"refused", "per_ip"},
    [GUARD_REFUSED_BUSY] = {"refused", "busy"},
    [GUARD_REFUSED_FULL] = {"refused", "full"},
    [GUARD_CLOSED_HEADERS] = {"closed", "header_timeout"},
    [GUARD_CLOSED_BODY_RATE] = {"closed", "body_rate"},
};

struct metrics {
	uint64_t conn_rules[GUARD_NRULES]; /* connections refused or closed, by rule */
	int64_t conn_open;		   /* connections open now */
	int nroutes;			   /* routes; slot nroutes is "unmatched" */
	struct route_metrics routes[];	   /* nroutes + 1 entries */
};

struct metrics *metrics_new(int nroutes)
{
	struct metrics *m = calloc(1, sizeof(*m) + (size_t)(nroutes + 1) * sizeof(m->routes[0]));
	if (m)
		m->nroutes = nroutes;
	return m;
}

void metrics_observe(struct metrics *m, int route_index, int status, double seconds)
{
	struct route_metrics *rm;
	size_t s = NSTATUS - 1, b = NBUCKETS;

	if (!m)
		return;
	if (route_index < 0 || route_index >= m->nroutes)
		route_index = m->nroutes;
	rm = &m->routes[route_index];
	for (size_t i = 0; i + 1 < NSTATUS; i++)
		if (status_codes[i] == status) {
			s = i;
			break;
		}
	for (size_t i = 0; i < NBUCKETS; i++)
		if (seconds <= buckets[i]) {
			b = i;
			break;
		}
	__atomic_fetch_add(&rm->by_status[s], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rm->histogram[b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rm->micros_sum, (uint64_t)(seconds * 1e6), __ATOMIC_RELAXED);
}

void metrics_connection(struct metrics *m, enum conn_guard_rule rule)
{
	if (m && rule >= 0 && rule < GUARD_NRULES)
		__atomic_fetch_add(&m->conn_rules[rule], 1, __ATOMIC_RELAXED);
}

void metrics_connections_open(struct metrics *m, int delta)
{
	if (m)
		__atomic_fetch_add(&m->conn_open, delta, __ATOMIC_RELAXED);
}

static void route_label(const struct router *r, int i, int nroutes, struct buf *out)
{
	const struct route *rt = i < nroutes ? router_at(r, i) : NULL;
	if (rt)
		buf_addf(out, "method=\"%s\",route=\"%s\"", rt->method, rt->pattern);
	else
		buf_adds(out, "method=\"\",route=\"unmatched\"");
}

/* conn_rules_render: linli_http_connections_<what>_total by rule. */
static void conn_rules_render(struct metrics *m, const char *what, const char *why, struct buf *out)
{
	buf_addf(out,
		 "# HELP linli_http_connections_%s_total Connections %s %s, by rule.\n"
		 "# TYPE linli_http_connections_%s_total counter\n",
		 what, what, why, what);
	for (int k = 0; k < GUARD_NRULES; k++)
		if (!strcmp(conn_rules[k].metric, what))
			buf_addf(out, "linli_http_connections_%s_total{rule=\"%s\"} %llu\n", what,
				 conn_rules[k].label,
				 (unsigned long long)__atomic_load_n(&m->conn_rules[k],
								     __ATOMIC_RELAXED));
}

int metrics_render(struct metrics *m, const struct router *r, struct buf *out)
{
	buf_adds(out, "# HELP linli_http_requests_total HTTP requests by route and status.\n"
		      "# TYPE linli_http_requests_total counter\n");
	for (int i = 0; i <= m->nroutes; i++) {
		struct route_metrics *rm = &m->routes[i];
		for (size_t s = 0; s < NSTATUS; s++) {
			uint64_t v = __atomic_load_n(&rm->by_status[s], __ATOMIC_RELAXED);
			if (!v)
				continue;
			buf_adds(out, "linli_http_requests_total{");
			route_label(r, i, m->nroutes, out);
			if (status_codes[s])
				buf_addf(out, ",status=\"%d\"} %llu\n", status_codes[s],
					 (unsigned long long)v);
			else
				buf_addf(out, ",status=\"other\"} %llu\n", (unsigned long long)v);
		}
	}
	buf_adds(out, "# HELP linli_http_request_duration_seconds Time to answer a request.\n"
		      "# TYPE linli_http_request_duration_seconds histogram\n");
	for (int i = 0; i <= m->nroutes; i++) {
		struct route_metrics *rm = &m->routes[i];
		uint64_t cum = 0;
		for (size_t b = 0; b <= NBUCKETS; b++)
			cum += __atomic_load_n(&rm->histogram[b], __ATOMIC_RELAXED);
		if (!cum)
			continue;
		cum = 0;
		for (size_t b = 0; b <= NBUCKETS; b++) {
			cum += __atomic_load_n(&rm->histogram[b], __ATOMIC_RELAXED);
			buf_adds(out, "linli_http_request_duration_seconds_bucket{");
			route_label(r, i, m->nroutes, out);
			if (b < NBUCKETS)
				buf_addf(out, ",le=\"%g\"} %llu\n", buckets[b],
					 (unsigned long long)cum);
			else
				buf_addf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)cum);
		}
		buf_adds(out, "linli_http_request_duration_seconds_sum{");
		route_label(r, i, m->nroutes, out);
		buf_addf(out, "} %.6f\n",
			 (double)__atomic_load_n(&rm->micros_sum, __ATOMIC_RELAXED) / 1e6);
		buf_adds(out, "linli_http_request_duration_seconds_count{");
		route_label(r, i, m->nroutes, out);
		buf_addf(out, "} %llu\n", (unsigned long long)cum);
	}
	buf_adds(out, "# HELP linli_http_connections_open HTTP connections open now.\n"
		      "# TYPE linli_http_connections_open gauge\n");
	buf_addf(out, "linli_http_connections_open %lld\n",
		 (long long)__atomic_load_n(&m->conn_open, __ATOMIC_RELAXED));
	conn_rules_render(m, "refused", "at accept", out);
	conn_rules_render(m, "closed", "for arriving too slowly", out);
	return out->failed ? -1 : 0;
}
