/* Noise readings over MQTT (`linli serve --mqtt-url mqtt://HOST:PORT`): a
 * thread subscribes at QoS 1 to a topic whose `+` level names the meter and
 * stores each message's batch of per-second levels as HTTP ingest does.
 *
 * When a reading counts as received. libmosquitto (2.0) queues the PUBACK
 * of a QoS 1 message before it calls us, but the network loop writes it
 * only after the callback returns, and the batch is committed inside the
 * callback. So the broker sees the PUBACK after the commit: a crash before
 * the commit leaves the message unacknowledged and the broker sends it
 * again (the session is kept: fixed client id, clean_session false); a
 * crash between the commit and the PUBACK makes it send a batch that is
 * already stored, which changes nothing. When the database refuses the
 * write, the connection is dropped from inside the callback, so the queued
 * PUBACK never leaves and the broker delivers the message again after the
 * reconnection. This rests on libmosquitto's ordering, not on a promise in
 * its documentation (tests/http/http_noise_mqtt.c checks it). A message refused
 * for its content (unknown meter, bad batch) is acknowledged and dropped:
 * sending it again would not help. */
#ifndef LINLI_NOISE_MQTT_H
#define LINLI_NOISE_MQTT_H

#include <stddef.h>
#include <stdint.h>

#define MQTT_PORT	   1883
#define MQTT_PAYLOAD_MAX   (1 << 20) /* bytes of one message's batch */
#define MQTT_TOPIC_MAX	   256	     /* bytes of the subscription */
#define MQTT_METER_MAX	   64	     /* bytes of the topic level naming the meter */
#define MQTT_BACKOFF_MIN   1	     /* seconds before the first reconnection */
#define MQTT_BACKOFF_MAX   30	     /* the back-off doubles up to this */
#define MQTT_KEEPALIVE	   30	     /* seconds between PINGREQs when idle */
#define MQTT_CLIENT_ID_MAX 128

struct mqtt_ingest;

/* What `serve` was given; the strings are read during mqtt_ingest_start
 * only. */
struct mqtt_options {
	const char *url;       /* mqtt://[USER[:PASSWORD]@]HOST[:PORT] */
	const char *topic;     /* a filter with exactly one "+" level: the meter */
	const char *client_id; /* fixed, so the broker keeps the session */
};

/* A broker address from mqtt_url_parse. */
struct mqtt_url {
	char host[256];	    /* name or address, IPv6 without its brackets */
	int port;	    /* MQTT_PORT unless given */
	char user[128];	    /* percent-decoded; "" with has_user 0 for none */
	char password[128]; /* percent-decoded; "" for none */
	int has_user;	    /* 1 when the URL names a user */
};

/* Messages since the start, by what became of them. */
struct mqtt_counts {
	uint64_t received;	 /* messages delivered by the broker */
	uint64_t stored;	 /* with at least one new second written */
	uint64_t duplicates;	 /* every second of the batch was stored already */
	uint64_t rejected;	 /* unknown meter or bad batch: acknowledged, dropped */
	uint64_t failed;	 /* the database refused: not acknowledged, sent again */
	uint64_t seconds_stored; /* readings written */
};

/* mqtt_url_parse reads mqtt://[USER[:PASSWORD]@]HOST[:PORT] (HOST may be
 * [IPv6]; %XX escapes in USER and PASSWORD) into out. LIN_EINVAL with
 * *why (English) on anything else. */
int mqtt_url_parse(const char *url, struct mqtt_url *out, const char **why);
/* mqtt_topic_check accepts a subscription with exactly one "+" level and
 * "#" only as its last level, optionally shared ("$share/GROUP/..."). OUT:
 * *meter_level, the index of the "+" level in a message's topic. */
int mqtt_topic_check(const char *filter, int *meter_level, const char **why);
/* mqtt_topic_meter copies level meter_level of topic into out (n bytes);
 * LIN_EINVAL when the topic has no such level or it is empty or too long. */
int mqtt_topic_meter(const char *topic, int meter_level, char *out, size_t n);

/* mqtt_ingest_start checks opt, opens its own connection to db_url and
 * starts the thread that connects (and reconnects, backing off from
 * MQTT_BACKOFF_MIN to MQTT_BACKOFF_MAX seconds), subscribes and stores.
 * The broker need not be up yet. Returns 0, or LIN_EINVAL (bad options)
 * or LIN_ENOMEM / LIN_EDB, with a message on standard error. The caller
 * stops and frees *out with mqtt_ingest_stop. */
int mqtt_ingest_start(const struct mqtt_options *opt, const char *db_url, struct mqtt_ingest **out);
/* mqtt_ingest_counts copies the counters (safe from any thread). */
void mqtt_ingest_counts(struct mqtt_ingest *s, struct mqtt_counts *out);
struct buf;
/* mqtt_ingest_metrics writes the counts as Prometheus lines (ctx: the
 * struct mqtt_ingest); serve hands it to /metrics. */
void mqtt_ingest_metrics(struct buf *out, void *ctx);
/* mqtt_ingest_stop disconnects cleanly (the broker keeps queueing for the
 * session), joins the thread, logs the counters and frees s. NULL is
 * allowed. */
void mqtt_ingest_stop(struct mqtt_ingest *s);

#endif
