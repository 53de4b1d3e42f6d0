/* Long-lived event streams (Server-Sent Events) for live pages. A handler
 * answers with resp_stream: the connection stays open, its first events
 * go out at once and later ones as the hub writes them. The hub (one
 * thread per server) keeps the streams in groups, one per source and key
 * (an area's live page, one meter's display): it renders each group's
 * events once and hands the same bytes to every stream of the group, so
 * a thousand open pages of one area cost one render, not a thousand
 * requests. It renders a group when a change notification concerns it
 * (db_listen: other servers' writes on PostgreSQL, this server's on
 * SQLite) and otherwise every poll_ms, or idle_ms while the listener
 * hears other servers. Between events a stream's connection is suspended
 * (libmicrohttpd's suspend/resume): no thread waits for it. */
#ifndef LINLI_WEB_STREAM_H
#define LINLI_WEB_STREAM_H

#include "../base/buf.h"

#include <stdint.h>

struct db;
struct http_req;
struct http_resp;
struct MHD_Connection;

/* What a kind of stream shows; the feature's, static. */
struct stream_source {
	const char *topic; /* notifications "TOPIC ARGS" concern it */
	/* key_of: the key of the group that notification ARGS concern, 0 for
	 * none; e.g. "3 17" (area 3, meter 17) gives the area or the meter. */
	int64_t (*key_of)(const char *args);
	/* render appends to out the events every stream of key gets now;
	 * *cursor is the group's own state (what it has told of so far),
	 * starting at its first stream's. Returns 0 or an LIN_E* code. */
	int (*render)(struct db *db, int64_t key, int64_t *cursor, struct buf *out);
};

/* The hub's bounds and clocks (linli.conf: stream_max, stream_poll_ms). */
struct stream_config {
	unsigned max;	  /* open streams at most; past it 503 */
	unsigned poll_ms; /* render every group this often without notifications */
	unsigned idle_ms; /* ... and this often when the listener hears other servers */
	size_t queue_max; /* bytes waiting for one slow reader before it is dropped */
};

struct stream_hub;
struct app;

/* stream_hub_new: a hub over the database at db_url with cfg; its thread
 * starts with stream_hub_start. Owned by server_run. */
struct stream_hub *stream_hub_new(const char *db_url, const struct stream_config *cfg);
int stream_hub_start(struct stream_hub *h);
/* stream_hub_stop stops the thread and ends every stream (each gets the
 * end of its answer; the browser comes back to another server), waiting
 * up to wait_ms for them to go: call it before the daemon stops. */
void stream_hub_stop(struct stream_hub *h, int wait_ms);
/* stream_hub_free frees the hub after the daemon has stopped. */
void stream_hub_free(struct stream_hub *h);
/* stream_hub_metrics appends the hub's Prometheus lines. */
void stream_hub_metrics(struct stream_hub *h, struct buf *out);

/* resp_stream makes resp a long-lived answer of src's group key (what
 * resp->body holds already goes first; cursor is the group's starting
 * state when this stream opens it). Returns 0, or LIN_ELIMIT when the hub
 * holds its max (or there is no hub): answer 503. */
int resp_stream(struct http_req *req, struct http_resp *resp, const struct stream_source *src,
		int64_t key, int64_t cursor);
/* req_wants_stream: the client asked for an event stream (Accept:
 * text/event-stream, as EventSource does); others get one answer. */
int req_wants_stream(struct http_req *req);

/* ---- for server.c ---- */

/* stream_response: the libmicrohttpd response of the stream resp_stream
 * set up on resp, for conn (takes resp->body), or NULL (then the slot is
 * given back). */
struct MHD_Response *stream_response(struct stream_hub *h, struct MHD_Connection *conn,
				     struct http_resp *resp);

#endif
