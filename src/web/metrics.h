/* Request counters and latency histograms per route, rendered in the
 * Prometheus text format at /metrics. Lock-free: atomic adds only. */
#ifndef LINLI_WEB_METRICS_H
#define LINLI_WEB_METRICS_H

#include "../base/buf.h"
#include "conn_guard.h"

struct metrics;
struct router;

/* metrics_new: counters for nroutes routes plus one "unmatched" slot.
 * The caller frees the result with free(). */
struct metrics *metrics_new(int nroutes);
/* metrics_observe: route_index -1 means no route matched. */
void metrics_observe(struct metrics *m, int route_index, int status, double seconds);
/* metrics_connection counts a connection the guard refused or closed. */
void metrics_connection(struct metrics *m, enum conn_guard_rule rule);
/* metrics_connections_open moves the open-connections gauge by delta. */
void metrics_connections_open(struct metrics *m, int delta);
int metrics_render(struct metrics *m, const struct router *r, struct buf *out);

#endif
