/* HJ 212-2017 stations over TCP (`linli serve --hj212-listen ADDR:PORT`):
 * a thread accepts stations, reassembles their frames, and stores known
 * stations' real-time levels (CN=2011, LA-Rtd) as readings and their minute
 * and hour statistics (CN=2051, 2061) as minute rows. */
#ifndef LINLI_NOISE_HJ212_SERVER_H
#define LINLI_NOISE_HJ212_SERVER_H

struct hj212_server;

/* hj212_server_start listens on listen and serves from its own thread with
 * its own connection to db_url. Returns 0, or LIN_EINVAL (bad address),
 * LIN_EIO (cannot listen) or LIN_ENOMEM, with a message on standard error. */
int hj212_server_start(const char *listen, const char *db_url, struct hj212_server **out);
/* hj212_server_stop closes every connection, joins the thread, frees s. */
void hj212_server_stop(struct hj212_server *s);

#endif
