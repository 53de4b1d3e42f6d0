/* HJ 212-2017 stations over TCP (`linli serve --hj212-listen ADDR:PORT`):
 * a network thread accepts stations and reassembles their frames, a store
 * thread stores known stations' real-time levels (CN=2011, LA-Rtd) as
 * readings and their minute and hour statistics (CN=2051, 2061) as minute
 * rows, all the frames waiting in one transaction, and answers them only
 * once it is committed.
 *
 * Nobody can hold the listener. A new connection waits in a small pool of
 * unauthenticated ones (per address capped, the oldest pushed out when full)
 * until it sends a frame with the MN and password of a known meter, within
 * the authentication deadline; it then holds that meter's one slot (a
 * reconnecting station replaces its old connection) until it is silent
 * longer than the idle timeout. Bytes that are not an authenticated frame
 * reset neither clock. Sockets are non-blocking and answers wait in a
 * bounded queue per connection: a station that does not read them is
 * dropped when its queue is full. */
#ifndef LINLI_NOISE_HJ212_SERVER_H
#define LINLI_NOISE_HJ212_SERVER_H

#define HJ212_AUTH_TIMEOUT   10	   /* seconds to the first authenticated frame */
#define HJ212_IDLE_TIMEOUT   900   /* seconds without one before a station is closed */
#define HJ212_PENDING_MAX    64	   /* connections not yet authenticated */
#define HJ212_PENDING_PER_IP 8	   /* of them from one address (IPv6: one /64) */
#define HJ212_OUT_MAX	     16384 /* bytes of answers queued per connection */
#define HJ212_SNDBUF	     16384 /* the kernel's send buffer asked per connection */

/* What `serve` was given; 0 for a number means its default above. */
struct hj212_options {
	const char *listen;	      /* ADDR:PORT */
	unsigned auth_timeout_s;      /* hj212_auth_timeout */
	unsigned idle_timeout_s;      /* hj212_idle_timeout */
	unsigned pending_max;	      /* hj212_pending_max */
	unsigned pending_per_address; /* hj212_pending_per_ip */
};

struct hj212_server;

/* hj212_server_start listens on opt->listen and serves from its own two
 * threads, the store thread with its own connection to db_url. Returns 0, or LIN_EINVAL (bad
 * address), LIN_EIO (cannot listen) or LIN_ENOMEM, with a message on
 * standard error. */
int hj212_server_start(const struct hj212_options *opt, const char *db_url,
		       struct hj212_server **out);
/* hj212_server_stop closes every connection, stores the frames received
 * (unanswered: nobody is left to answer), joins the threads, frees s. */
void hj212_server_stop(struct hj212_server *s);

#endif
