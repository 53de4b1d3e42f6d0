/* The MQTT subscriber: one thread runs libmosquitto's network loop and its
 * own reconnection with back-off, and stores each message's batch from the
 * message callback through its own database connection, with the checks
 * and the table of HTTP ingest. Why our own loop rather than
 * mosquitto_loop_start: the library's thread never retries when the first
 * connection fails (a broker started after linli), while ours treats every
 * failure alike. See mqtt.h for when a message is acknowledged. */
#include "mqtt.h"
#include "ingest.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/i18n.h"

#include <errno.h>
#include <jansson.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define LOOP_MS 1000 /* longest wait in one pass of the network loop */

struct mqtt_ingest {
	pthread_t thread;	/* network loop, callbacks and storage */
	pthread_mutex_t lock;	/* orders connecting against mqtt_ingest_stop */
	pthread_cond_t wake;	/* ends a back-off wait when stopping */
	int stopping;		/* set once by mqtt_ingest_stop (atomic) */
	struct mosquitto *mosq; /* the client: the thread's, but for the stop's disconnect */
	struct db *db;		/* the thread's own connection */
	struct mqtt_url url;	/* where the broker is */
	char topic[MQTT_TOPIC_MAX + 1]; /* the subscription */
	int meter_level;		/* index of the "+" level in a message's topic */
	unsigned backoff;		/* seconds before the next connection attempt */
	unsigned store_failures;	/* writes refused in a row by the database */
	struct mqtt_counts n;		/* counters, updated atomically */
};

static void count(uint64_t *counter, uint64_t by)
{
	__atomic_fetch_add(counter, by, __ATOMIC_RELAXED);
}

static int is_stopping(struct mqtt_ingest *s)
{
	return __atomic_load_n(&s->stopping, __ATOMIC_ACQUIRE);
}

/* printable copies s for a log line: control bytes become '?', and it is
 * cut at n - 1 bytes. */
static const char *printable(const char *s, char *out, size_t n)
{
	size_t i = 0;

	for (; s && *s && i + 1 < n; s++)
		out[i++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
	out[i] = '\0';
	return out;
}

/* ---- storing a message ---- */

/* meter_for_topic: the live meter whose MN is name, else the one whose
 * number it is; LIN_ENOTFOUND for none. */
static int meter_for_topic(struct db *db, const char *name, struct noise_meter *m)
{
	int64_t id = 0;
	int rc = noise_meter_by_mn(db, name, NULL, m);

	if (rc == LIN_ENOTFOUND && !parse_int64(name, 1, INT64_MAX, &id))
		rc = noise_meter_by_id(db, id, m);
	return rc;
}

/* refuse_ack drops the connection from inside the message callback, before
 * the network loop writes the PUBACK that libmosquitto has queued for the
 * message; the reconnection discards the queue, so the broker keeps the
 * message and sends it again. */
static void refuse_ack(struct mosquitto *mosq)
{
	int fd = mosquitto_socket(mosq);

	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);
}

/* store_message checks and stores one message; a database fault returns
 * LIN_EDB (the message must not be acknowledged), anything else 0. */
static int store_message(struct mqtt_ingest *s, const struct mosquitto_message *msg)
{
	char meter_name[MQTT_METER_MAX + 1], topic[MQTT_TOPIC_MAX + 1], shown[MQTT_METER_MAX + 1];
	struct noise_reading *list = NULL;
	struct noise_meter meter;
	json_error_t jerr;
	json_t *body;
	const char *why = NULL;
	int n = 0, bad = -1, stored = 0, dups = 0, rc;

	printable(msg->topic, topic, sizeof(topic));
	if (mqtt_topic_meter(msg->topic, s->meter_level, meter_name, sizeof(meter_name)) ||
	    !utf8_valid(meter_name, strlen(meter_name))) {
		log_warn("mqtt: %s: the topic names no meter at level %d; message dropped", topic,
			 s->meter_level + 1);
		count(&s->n.rejected, 1);
		return 0;
	}
	printable(meter_name, shown, sizeof(shown));
	rc = meter_for_topic(s->db, meter_name, &meter);
	if (rc == LIN_ENOTFOUND) {
		log_warn("mqtt: %s: no meter has the MN or number '%s'; message dropped", topic,
			 shown);
		count(&s->n.rejected, 1);
		return 0;
	}
	if (rc) {
		log_error("mqtt: %s: cannot look up meter '%s': %s", topic, shown,
			  db_errmsg(s->db));
		return LIN_EDB;
	}
	if (msg->payloadlen <= 0 || msg->payloadlen > MQTT_PAYLOAD_MAX) {
		log_warn("mqtt: %s: meter %lld: a batch of %d bytes (1 to %d); message dropped",
			 topic, (long long)meter.id, msg->payloadlen, MQTT_PAYLOAD_MAX);
		count(&s->n.rejected, 1);
		return 0;
	}
	body = json_loadb(msg->payload, (size_t)msg->payloadlen, JSON_REJECT_DUPLICATES, &jerr);
	if (!body) {
		log_warn("mqtt: %s: meter %lld: not JSON (%s at byte %d); message dropped", topic,
			 (long long)meter.id, jerr.text, jerr.position);
		count(&s->n.rejected, 1);
		return 0;
	}
	rc = noise_readings_parse(body, (int64_t)time(NULL), &list, &n, &bad, &why);
	json_decref(body);
	if (rc == LIN_EINVAL) {
		log_warn("mqtt: %s: meter %lld: batch refused at reading %d: %s (%s); nothing "
			 "stored",
			 topic, (long long)meter.id, bad, why ? i18n_t("en", why) : "?",
			 why ? why : "-");
		count(&s->n.rejected, 1);
		return 0;
	}
	if (rc) {
		log_error("mqtt: %s: meter %lld: cannot read the batch: %s", topic,
			  (long long)meter.id, lin_strerror(rc));
		return LIN_EDB;
	}
	/* The meter's calibration is applied as the levels arrive, as over HTTP. */
	for (int i = 0; i < n; i++) {
		list[i].laeq_centi += meter.calibration_centi;
		if (list[i].has_lmax)
			list[i].lmax_centi += meter.calibration_centi;
	}
	rc = noise_store_readings(s->db, meter.id, list, n, "mqtt", &stored, &dups);
	free(list);
	if (rc)
		return LIN_EDB;
	count(stored ? &s->n.stored : &s->n.duplicates, 1);
	count(&s->n.seconds_stored, (uint64_t)stored);
	log_debug("mqtt: %s: meter %lld: %d seconds stored, %d already", topic, (long long)meter.id,
		  stored, dups);
	return 0;
}

/* ---- libmosquitto's callbacks, on the thread ---- */

static void on_message(struct mosquitto *mosq, void *arg, const struct mosquitto_message *msg)
{
	struct mqtt_ingest *s = arg;
	char topic[MQTT_TOPIC_MAX + 1];

	count(&s->n.received, 1);
	if (!store_message(s, msg)) {
		s->store_failures = 0;
		return;
	}
	count(&s->n.failed, 1);
	s->store_failures++;
	log_error("mqtt: message on %s not stored and not acknowledged; reconnecting so the "
		  "broker sends it again",
		  printable(msg->topic, topic, sizeof(topic)));
	refuse_ack(mosq);
}

static void on_connect(struct mosquitto *mosq, void *arg, int rc)
{
	struct mqtt_ingest *s = arg;

	if (rc) {
		log_error("mqtt: %s:%d refused the connection: %s", s->url.host, s->url.port,
			  mosquitto_connack_string(rc));
		return;
	}
	/* A database that keeps failing keeps the back-off growing. */
	if (!s->store_failures)
		s->backoff = MQTT_BACKOFF_MIN;
	/* After every connection: a broker restarted without persistence has
	 * forgotten the subscription. */
	rc = mosquitto_subscribe(mosq, NULL, s->topic, 1);
	if (rc)
		log_error("mqtt: cannot subscribe to %s: %s", s->topic, mosquitto_strerror(rc));
}

static void on_subscribe(struct mosquitto *mosq, void *arg, int mid, int n, const int *granted)
{
	struct mqtt_ingest *s = arg;

	(void)mosq;
	(void)mid;
	if (n < 1 || granted[0] > 2)
		log_error("mqtt: %s:%d refused the subscription to %s (its ACL?)", s->url.host,
			  s->url.port, s->topic);
	else
		log_info("mqtt: connected to %s:%d, subscribed to %s (QoS %d)", s->url.host,
			 s->url.port, s->topic, granted[0]);
}

/* ---- the thread ---- */

/* back_off waits s->backoff seconds (less when stopping), then doubles it. */
static void back_off(struct mqtt_ingest *s)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += s->backoff;
	pthread_mutex_lock(&s->lock);
	while (!s->stopping && pthread_cond_timedwait(&s->wake, &s->lock, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&s->lock);
	s->backoff = s->backoff * 2 > MQTT_BACKOFF_MAX ? MQTT_BACKOFF_MAX : s->backoff * 2;
}

static const char *mosq_error(int rc)
{
	return rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc);
}

static void *run(void *arg)
{
	struct mqtt_ingest *s = arg;
	int rc;

	while (!is_stopping(s)) {
		pthread_mutex_lock(&s->lock);
		rc = s->stopping ? MOSQ_ERR_SUCCESS
				 : mosquitto_connect_async(s->mosq, s->url.host, s->url.port,
							   MQTT_KEEPALIVE);
		pthread_mutex_unlock(&s->lock);
		if (rc) {
			log_warn("mqtt: cannot connect to %s:%d: %s; next try in %u s", s->url.host,
				 s->url.port, mosq_error(rc), s->backoff);
		} else {
			do
				rc = mosquitto_loop(s->mosq, LOOP_MS, 1);
			while (!rc && !is_stopping(s));
			if (is_stopping(s))
				break;
			log_warn("mqtt: no connection to %s:%d (%s); next try in %u s", s->url.host,
				 s->url.port, mosq_error(rc), s->backoff);
		}
		back_off(s);
	}
	/* Let the DISCONNECT queued by mqtt_ingest_stop go out. */
	for (int i = 0; i < 3 && mosquitto_socket(s->mosq) >= 0; i++)
		if (mosquitto_loop(s->mosq, 100, 1))
			break;
	return NULL;
}

int mqtt_ingest_start(const struct mqtt_options *opt, const char *db_url, struct mqtt_ingest **out)
{
	struct mqtt_ingest *s;
	const char *why = NULL;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return LIN_ENOMEM;
	if (mqtt_url_parse(opt->url, &s->url, &why)) {
		fprintf(stderr, "linli: MQTT 地址无效 bad --mqtt-url: %s\n", why);
		free(s);
		return LIN_EINVAL;
	}
	if (mqtt_topic_check(opt->topic, &s->meter_level, &why)) {
		fprintf(stderr, "linli: MQTT 主题无效 bad --mqtt-topic %s: %s\n",
			opt->topic ? opt->topic : "", why);
		free(s);
		return LIN_EINVAL;
	}
	if (!opt->client_id || !*opt->client_id || strlen(opt->client_id) > MQTT_CLIENT_ID_MAX ||
	    !utf8_valid(opt->client_id, strlen(opt->client_id))) {
		fprintf(stderr,
			"linli: MQTT 客户端标识无效 bad --mqtt-client-id: 1 to %d bytes of "
			"text\n",
			MQTT_CLIENT_ID_MAX);
		free(s);
		return LIN_EINVAL;
	}
	snprintf(s->topic, sizeof(s->topic), "%s", opt->topic);
	s->backoff = MQTT_BACKOFF_MIN;
	rc = db_open(db_url, &s->db);
	if (rc) {
		free(s);
		return rc;
	}
	mosquitto_lib_init();
	/* clean_session false: the broker keeps the subscription and queues
	 * QoS 1 messages for this client id while linli is away. */
	s->mosq = mosquitto_new(opt->client_id, false, s);
	if (!s->mosq ||
	    (s->url.has_user &&
	     mosquitto_username_pw_set(s->mosq, s->url.user,
				       s->url.password[0] ? s->url.password : NULL)) ||
	    mosquitto_threaded_set(s->mosq, true)) {
		rc = LIN_ENOMEM;
		goto fail;
	}
	mosquitto_connect_callback_set(s->mosq, on_connect);
	mosquitto_subscribe_callback_set(s->mosq, on_subscribe);
	mosquitto_message_callback_set(s->mosq, on_message);
	if (pthread_mutex_init(&s->lock, NULL)) {
		rc = LIN_ENOMEM;
		goto fail;
	}
	if (pthread_cond_init(&s->wake, NULL)) {
		pthread_mutex_destroy(&s->lock);
		rc = LIN_ENOMEM;
		goto fail;
	}
	if (pthread_create(&s->thread, NULL, run, s)) {
		pthread_cond_destroy(&s->wake);
		pthread_mutex_destroy(&s->lock);
		rc = LIN_ENOMEM;
		goto fail;
	}
	log_info("mqtt: client %s subscribing to %s on %s:%d", opt->client_id, s->topic,
		 s->url.host, s->url.port);
	*out = s;
	return 0;
fail:
	fprintf(stderr, "linli: 无法启动 MQTT 客户端 cannot start the MQTT client\n");
	mosquitto_destroy(s->mosq);
	mosquitto_lib_cleanup();
	db_close(s->db);
	free(s);
	return rc;
}

void mqtt_ingest_counts(struct mqtt_ingest *s, struct mqtt_counts *out)
{
	out->received = __atomic_load_n(&s->n.received, __ATOMIC_RELAXED);
	out->stored = __atomic_load_n(&s->n.stored, __ATOMIC_RELAXED);
	out->duplicates = __atomic_load_n(&s->n.duplicates, __ATOMIC_RELAXED);
	out->rejected = __atomic_load_n(&s->n.rejected, __ATOMIC_RELAXED);
	out->failed = __atomic_load_n(&s->n.failed, __ATOMIC_RELAXED);
	out->seconds_stored = __atomic_load_n(&s->n.seconds_stored, __ATOMIC_RELAXED);
}

void mqtt_ingest_metrics(struct buf *out, void *ctx)
{
	static const char *const results[] = {"stored", "duplicate", "rejected", "failed"};
	struct mqtt_counts c;
	uint64_t v[4];

	mqtt_ingest_counts(ctx, &c);
	v[0] = c.stored;
	v[1] = c.duplicates;
	v[2] = c.rejected;
	v[3] = c.failed;
	buf_adds(out, "# HELP linli_mqtt_messages_total MQTT messages by what became of them.\n"
		      "# TYPE linli_mqtt_messages_total counter\n");
	for (int i = 0; i < 4; i++)
		buf_addf(out, "linli_mqtt_messages_total{result=\"%s\"} %llu\n", results[i],
			 (unsigned long long)v[i]);
	buf_addf(out,
		 "# HELP linli_mqtt_readings_stored_total Per-second readings stored from MQTT.\n"
		 "# TYPE linli_mqtt_readings_stored_total counter\n"
		 "linli_mqtt_readings_stored_total %llu\n",
		 (unsigned long long)c.seconds_stored);
}

void mqtt_ingest_stop(struct mqtt_ingest *s)
{
	struct mqtt_counts c;

	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	__atomic_store_n(&s->stopping, 1, __ATOMIC_RELEASE);
	/* Queues a DISCONNECT and wakes the loop; without a connection it
	 * only marks the client as leaving. */
	mosquitto_disconnect(s->mosq);
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	mqtt_ingest_counts(s, &c);
	log_info("mqtt: stopped: %llu messages, %llu stored, %llu duplicates, %llu refused, "
		 "%llu not stored (sent again by the broker); %llu seconds stored",
		 (unsigned long long)c.received, (unsigned long long)c.stored,
		 (unsigned long long)c.duplicates, (unsigned long long)c.rejected,
		 (unsigned long long)c.failed, (unsigned long long)c.seconds_stored);
	mosquitto_destroy(s->mosq);
	mosquitto_lib_cleanup();
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	db_close(s->db);
	free(s);
}
