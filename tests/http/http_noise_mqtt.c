/* HTTP tests of noise readings over MQTT, with a real Mosquitto broker
 * started here on a free loopback port: a meter's batch published at QoS 1
 * is stored with the meter's calibration and read back through the API;
 * the same batch again stores nothing twice; bad batches and unknown
 * meters store nothing and the server keeps going; linli reconnects after
 * the broker is killed and restarted, and when it starts before the
 * broker; what is published while linli is stopped arrives once it is
 * back; and a write the database refuses is not acknowledged, so the
 * broker sends it again. */
#include "checks.h"

#include <fcntl.h>
#include <mosquitto.h>
#include <setjmp.h>
#include <signal.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#define MOSQUITTO "/usr/sbin/mosquitto"
#define MN_PLAZA  "MQTT0000PLAZA0001" /* the meter registered through the API */

static char broker_dir[64];    /* mosquitto.conf and its log */
static int broker_port;	       /* the broker's loopback port, kept across restarts */
static pid_t broker_pid;       /* 0 when it is not running */
static char mqtt_url[64];      /* mqtt://127.0.0.1:PORT */
static char client_id[64];     /* linli's fixed client id */
static long long plaza_id;     /* meter with MN_PLAZA, calibration -0.50 dB */
static long long gate_id;      /* meter without an MN, known by its number */
static long long base_t;       /* the first second the tests use */
static struct client staff_cl; /* signed in once, as staff */

/* ---- the broker ---- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* broker_start runs mosquitto on broker_port (no persistence: a restart
 * forgets every session) and waits until it accepts connections. */
static int broker_start(void)
{
	char conf[128], log[128];
	double deadline = now_s() + 10;
	FILE *f;

	snprintf(conf, sizeof(conf), "%s/mosquitto.conf", broker_dir);
	snprintf(log, sizeof(log), "%s/broker.log", broker_dir);
	f = fopen(conf, "w");
	if (!f)
		return -1;
	fprintf(f, "listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n", broker_port);
	fclose(f);
	broker_pid = fork();
	if (broker_pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(MOSQUITTO, MOSQUITTO, "-c", conf, (char *)NULL);
		_exit(127);
	}
	if (broker_pid < 0)
		return -1;
	while (now_s() < deadline) {
		int status;
		if (waitpid(broker_pid, &status, WNOHANG) == broker_pid) {
			fprintf(stderr, "# mosquitto exited (status %d); see %s\n", status, log);
			broker_pid = 0;
			return -1;
		}
		if (port_accepts(broker_port))
			return 0;
		usleep(20000);
	}
	return -1;
}

static void broker_stop(int sig)
{
	if (broker_pid > 0) {
		kill(broker_pid, sig);
		waitpid(broker_pid, NULL, 0);
	}
	broker_pid = 0;
}

/* Even when a check fails or the program is cut short. */
static void broker_cleanup(void)
{
	char cmd[128];

	broker_stop(SIGKILL);
	if (broker_dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", broker_dir);
		if (system(cmd))
			fprintf(stderr, "# could not remove %s\n", broker_dir);
		broker_dir[0] = '\0';
	}
}

/* ---- publishing, as a meter does ---- */

static void on_publish(struct mosquitto *m, void *arg, int mid)
{
	(void)m;
	(void)mid;
	*(int *)arg = 1;
}

/* publish sends payload to topic at QoS 1 and waits for the broker's
 * PUBACK: from then on the broker answers for the message. */
static void publish(const char *topic, const char *payload)
{
	int acked = 0, rc;
	double deadline = now_s() + 10;
	struct mosquitto *m = mosquitto_new(NULL, true, &acked);

	assert_non_null(m);
	mosquitto_publish_callback_set(m, on_publish);
	rc = mosquitto_connect(m, "127.0.0.1", broker_port, 10);
	if (rc)
		fail_msg("publisher cannot connect: %s", mosquitto_strerror(rc));
	assert_int_equal(mosquitto_publish(m, NULL, topic, (int)strlen(payload), payload, 1, false),
			 MOSQ_ERR_SUCCESS);
	while (!acked && now_s() < deadline)
		if (mosquitto_loop(m, 100, 1))
			break;
	mosquitto_disconnect(m);
	mosquitto_loop(m, 100, 1);
	mosquitto_destroy(m);
	if (!acked)
		fail_msg("no PUBACK for %s", topic);
}

/* meter_topic: linli/noise/NAME/readings. */
static const char *meter_topic(const char *name)
{
	static char t[128];

	snprintf(t, sizeof(t), "linli/noise/%s/readings", name);
	return t;
}

/* ---- the server: its log, its readings, stopping and starting it ---- */

/* log_line copies the server's last log line holding needle into out. */
static const char *log_line(const char *needle, char *out, size_t n)
{
	char path[300], line[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/server.log", srv.dir);
	out[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return out;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, needle)) {
			size_t len = strnlen(line, n - 1);
			memcpy(out, line, len);
			out[len] = '\0';
		}
	fclose(f);
	return out;
}

static int log_count(const char *needle)
{
	char path[300], line[4096];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/server.log", srv.dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

/* wait_log waits up to seconds for the server's log to hold needle at
 * least n times. */
static void wait_log(const char *needle, int n, double seconds)
{
	double deadline = now_s() + seconds;

	while (log_count(needle) < n) {
		if (now_s() > deadline)
			fail_msg("after %.0f s the server's log holds '%s' %d times, not %d",
				 seconds, needle, log_count(needle), n);
		usleep(50000);
	}
}

static void readings(long long meter, long long t0, long long t1, struct response *r)
{
	char path[160];

	snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/readings?from=%lld&to=%lld", meter,
		 t0, t1);
	assert_int_equal(api(&staff_cl, &srv, "GET", path, NULL, r), 0);
	assert_int_equal(r->status, 200);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* wait_readings polls the API until the meter has want readings in
 * [t0, t1) (within ten seconds); r holds the last answer. */
static void wait_readings(long long meter, long long t0, long long t1, int want, struct response *r)
{
	double deadline = now_s() + 10;

	for (;;) {
		readings(meter, t0, t1, r);
		if (count(r->body, "\"t\":") == want)
			return;
		if (now_s() > deadline)
			fail_msg("meter %lld: %d readings in [%lld, %lld), not %d: %s", meter,
				 count(r->body, "\"t\":"), t0, t1, want, r->body);
		response_release(r);
		usleep(100000);
	}
}

/* server_halt stops linli (SIGTERM) and keeps its folder and database. */
static void server_halt(void)
{
	int status = 0;

	kill(srv.pid, SIGTERM);
	waitpid(srv.pid, &status, 0);
	srv.pid = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail_msg("linli exited with status %d", status);
}

/* server_resume starts linli again on the same database, as harness.c
 * does, its log appended to the same file. */
static void server_resume(void)
{
	char logpath[300], line[512];
	const char *linli = getenv("LINLI_BIN") ? getenv("LINLI_BIN") : "./linli";
	int outpipe[2];
	FILE *f;

	snprintf(logpath, sizeof(logpath), "%s/server.log", srv.dir);
	assert_int_equal(pipe(outpipe), 0);
	srv.pid = fork();
	if (srv.pid == 0) {
		int logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
		const char *argv[16] = {linli,	    "serve",	   "--db",	srv.db,
					"--listen", "127.0.0.1:0", "--threads", "4"};
		int argc = 8;
		dup2(outpipe[1], 1);
		if (logfd >= 0)
			dup2(logfd, 2);
		close(outpipe[0]);
		for (int i = 0; server_extra_args[i] && argc < 15; i++)
			argv[argc++] = server_extra_args[i];
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(outpipe[1]);
	f = fdopen(outpipe[0], "r");
	assert_non_null(f);
	srv.url[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "http://");
		if (p) {
			p[strcspn(p, "\n")] = '\0';
			if (p[strlen(p) - 1] == '/')
				p[strlen(p) - 1] = '\0';
			snprintf(srv.url, sizeof(srv.url), "%s", p);
			break;
		}
	}
	fclose(f);
	if (!srv.url[0])
		fail_msg("linli did not start again; see %s", logpath);
	/* The old session's cookie went with the old process's port. */
	client_release(&staff_cl);
	login_as(&staff_cl, "staff");
}

/* ---- the tests ---- */

static void test_meters(void **state)
{
	struct client sec;
	struct response r;
	char *out = NULL;
	const char *p;

	(void)state;
	/* One meter with an MN and a calibration of -0.50 dB, registered by
	 * the committee; one without an MN, registered from the command line. */
	login_as(&sec, "secretary");
	assert_int_equal(api(&sec, &srv, "POST", "/api/v1/meters",
			     "{\"name\":\"MQTT 广场\",\"zone_class\":\"1\",\"mn\":\"" MN_PLAZA
			     "\",\"calibration_centi\":-50}",
			     &r),
			 0);
	if (r.status != 201)
		fail_msg("create meter: %ld %s", r.status, r.body);
	plaza_id = json_int(r.body, "id");
	response_release(&r);
	client_release(&sec);
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "meter", "add", "MQTT 西门", NULL), 0);
	p = strstr(out, "meter ");
	assert_non_null(p);
	gate_id = atoll(p + 6);
	assert_true(gate_id > 0 && gate_id != plaza_id);
	free(out);
	login_as(&staff_cl, "staff");
}

static void test_batch_is_stored_with_calibration(void **state)
{
	long long t = base_t;
	struct response r;
	char body[512];

	(void)state;
	snprintf(body, sizeof(body),
		 "{\"readings\":[{\"t\":%lld,\"laeq\":57.9,\"lmax\":63.25},"
		 "{\"t\":%lld,\"laeq\":58},{\"t\":%lld,\"laeq\":61.4,\"lmax\":null}]}",
		 t, t + 1, t + 2);
	publish(meter_topic(MN_PLAZA), body);
	wait_readings(plaza_id, t, t + 3, 3, &r);
	if (!strstr(r.body, "\"laeq\":57.4,\"source\":\"mqtt\",\"lmax\":62.75") ||
	    !strstr(r.body, "\"laeq\":57.5,") || !strstr(r.body, "\"laeq\":60.9,") ||
	    strstr(r.body, "57.9"))
		fail_msg("readings: %s", r.body);
	response_release(&r);

	/* The meter sends it again (it never saw the broker's PUBACK): the
	 * server takes it and stores nothing twice. */
	publish(meter_topic(MN_PLAZA), body);
	wait_log("0 seconds stored, 3 already", 1, 10);
	readings(plaza_id, t, t + 3, &r);
	assert_int_equal(count(r.body, "\"t\":"), 3);
	assert_non_null(strstr(r.body, "\"laeq\":57.4,"));
	response_release(&r);
}

static void test_bad_messages_store_nothing(void **state)
{
	long long t = base_t + 10;
	struct response r;
	char body[512];

	(void)state;
	/* Times going backwards; a level of 151 dB; not JSON; a meter that
	 * does not exist; a topic whose meter level is empty. */
	snprintf(body, sizeof(body),
		 "{\"readings\":[{\"t\":%lld,\"laeq\":50},{\"t\":%lld,\"laeq\":50}]}", t + 1, t);
	publish(meter_topic(MN_PLAZA), body);
	snprintf(body, sizeof(body),
		 "{\"readings\":[{\"t\":%lld,\"laeq\":50},{\"t\":%lld,\"laeq\":151}]}", t + 2,
		 t + 3);
	publish(meter_topic(MN_PLAZA), body);
	publish(meter_topic(MN_PLAZA), "{\"readings\":");
	snprintf(body, sizeof(body), "{\"readings\":[{\"t\":%lld,\"laeq\":50}]}", t + 4);
	publish(meter_topic("NOSUCHMETER"), body);
	publish(meter_topic("999999"), body);
	publish("linli/noise//readings", body);
	/* Then a good batch: it is stored, so the server kept going and, the
	 * broker keeping order, has handled everything before it. */
	snprintf(body, sizeof(body), "{\"readings\":[{\"t\":%lld,\"laeq\":45.5}]}", t + 5);
	publish(meter_topic(MN_PLAZA), body);
	wait_readings(plaza_id, t, t + 6, 1, &r);
	assert_non_null(strstr(r.body, "\"laeq\":45.0,"));
	response_release(&r);

	/* Each refusal is logged with its reason and, for a batch, the index
	 * of the reading at fault. */
	assert_int_equal(log_count("batch refused at reading 1: Reading times must increase"), 1);
	assert_int_equal(log_count("batch refused at reading 1: The level laeq must be 0 to 150"),
			 1);
	assert_int_equal(log_count("not JSON"), 1);
	assert_int_equal(log_count("no meter has the MN or number 'NOSUCHMETER'"), 1);
	assert_int_equal(log_count("no meter has the MN or number '999999'"), 1);
	assert_int_equal(log_count("linli/noise//readings: the topic names no meter"), 1);

	/* /metrics counts them: the two stored batches so far, the resend of
	 * the first, and these six refusals. The counter moves just after the
	 * commit that made the reading visible, so it is read until it has
	 * (for up to 5 s). */
	{
		struct client c;
		int seen = 0;
		client_init(&c);
		for (int tries = 0; !seen && tries < 50; tries++) {
			if (tries)
				usleep(100 * 1000);
			assert_int_equal(request(&c, &srv, "GET", "/metrics", NULL, NULL, NULL, &r),
					 0);
			assert_int_equal(r.status, 200);
			seen =
			    strstr(r.body, "linli_mqtt_messages_total{result=\"stored\"} 2\n") &&
			    strstr(r.body, "linli_mqtt_messages_total{result=\"duplicate\"} 1\n") &&
			    strstr(r.body, "linli_mqtt_messages_total{result=\"rejected\"} 6\n");
			if (!seen && tries == 49)
				fail_msg("metrics: %.1500s", r.body);
			response_release(&r);
		}
		client_release(&c);
	}
}

static void test_meter_known_by_number(void **state)
{
	long long t = base_t + 20;
	struct response r;
	char body[256], name[32];

	(void)state;
	snprintf(name, sizeof(name), "%lld", gate_id);
	snprintf(body, sizeof(body), "{\"readings\":[{\"t\":%lld,\"laeq\":66.6,\"lmax\":70}]}", t);
	publish(meter_topic(name), body);
	wait_readings(gate_id, t, t + 1, 1, &r);
	if (!strstr(r.body, "\"laeq\":66.6,\"source\":\"mqtt\",\"lmax\":70"))
		fail_msg("readings: %s", r.body);
	response_release(&r);
}

static void test_broker_killed_and_restarted(void **state)
{
	const char *subscribed = "mqtt: connected to 127.0.0.1";
	int before = log_count(subscribed), retries = log_count("next try in");
	long long t = base_t + 30;
	struct response r;
	char body[256];

	(void)state;
	broker_stop(SIGKILL);
	wait_log("next try in", retries + 1, 10);
	assert_int_equal(broker_start(), 0);
	/* The new broker knows no session: linli subscribes again. */
	wait_log(subscribed, before + 1, 40);
	snprintf(body, sizeof(body), "{\"readings\":[{\"t\":%lld,\"laeq\":52.25}]}", t);
	publish(meter_topic(MN_PLAZA), body);
	wait_readings(plaza_id, t, t + 1, 1, &r);
	assert_non_null(strstr(r.body, "\"laeq\":51.75,"));
	response_release(&r);
}

static void test_published_while_linli_is_stopped(void **state)
{
	const char *subscribed = "mqtt: connected to 127.0.0.1";
	long long t = base_t + 40;
	struct response r;
	char body[256], line[512];
	int before, retries;

	(void)state;
	server_halt();
	/* Everything so far, counted: the batch and its repeat, six refused
	 * messages, the good batch after them, the one to the meter known by
	 * number and the one after the broker's restart. */
	if (log_count("mqtt: stopped: 11 messages, 4 stored, 1 duplicates, 6 refused, 0 not "
		      "stored") != 1)
		fail_msg("the counters at stop: %s",
			 log_line("mqtt: stopped: ", line, sizeof(line)));
	/* The broker keeps linli's session (fixed client id, clean session
	 * off) and queues the QoS 1 message for it. */
	snprintf(body, sizeof(body),
		 "{\"readings\":[{\"t\":%lld,\"laeq\":48},{\"t\":%lld,"
		 "\"laeq\":49}]}",
		 t, t + 1);
	publish(meter_topic(MN_PLAZA), body);
	server_resume();
	wait_readings(plaza_id, t, t + 2, 2, &r);
	assert_non_null(strstr(r.body, "\"laeq\":47.5,"));
	assert_non_null(strstr(r.body, "\"laeq\":48.5,"));
	response_release(&r);

	/* linli started before its broker: it keeps trying until it is up. */
	server_halt();
	broker_stop(SIGTERM);
	before = log_count(subscribed);
	retries = log_count("next try in");
	server_resume();
	wait_log("next try in", retries + 1, 10);
	assert_int_equal(broker_start(), 0);
	wait_log(subscribed, before + 1, 40);
	snprintf(body, sizeof(body), "{\"readings\":[{\"t\":%lld,\"laeq\":50}]}", t + 5);
	publish(meter_topic(MN_PLAZA), body);
	wait_readings(plaza_id, t + 5, t + 6, 1, &r);
	response_release(&r);
}

/* run_sql runs statements on the server's database behind its back:
 * through the SQLite library, or libpq for PostgreSQL. */
static void run_sql(const char *sql)
{
	char why[512] = "";

	if (!strncmp(srv.db, "sqlite:", 7)) {
		sqlite3 *db = NULL;
		char *err = NULL;
		if (sqlite3_open(srv.db + 7, &db) == SQLITE_OK) {
			sqlite3_busy_timeout(db, 10000);
			if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
				snprintf(why, sizeof(why), "%s", err ? err : "?");
		} else {
			snprintf(why, sizeof(why), "%s", sqlite3_errmsg(db));
		}
		sqlite3_free(err);
		sqlite3_close(db);
	} else {
		PGconn *c = PQconnectdb(srv.db);
		PGresult *res = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql) : NULL;
		if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
			snprintf(why, sizeof(why), "%s", PQerrorMessage(c));
		PQclear(res);
		PQfinish(c);
	}
	if (why[0])
		fail_msg("%s: %s", sql, why);
}

static void test_refused_write_is_sent_again(void **state)
{
	const int pg = strncmp(srv.db, "sqlite:", 7) != 0;
	long long t = base_t + 50;
	struct response r;
	char body[256];
	int failed = log_count("not stored and not acknowledged");

	(void)state;
	/* The database refuses every new reading for a while (a trigger
	 * stands in for a full disk or a lost connection): the message must
	 * not be lost. */
	run_sql(pg ? "CREATE FUNCTION mqtt_test_refuse() RETURNS trigger LANGUAGE plpgsql AS"
		     " $$BEGIN RAISE EXCEPTION 'refused by the test'; END$$;"
		     " CREATE TRIGGER mqtt_test_refuse BEFORE INSERT ON noise_readings"
		     " FOR EACH ROW EXECUTE FUNCTION mqtt_test_refuse()"
		   : "CREATE TRIGGER mqtt_test_refuse BEFORE INSERT ON noise_readings"
		     " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
	snprintf(body, sizeof(body),
		 "{\"readings\":[{\"t\":%lld,\"laeq\":61},{\"t\":%lld,\"laeq\":62}]}", t, t + 1);
	publish(meter_topic(MN_PLAZA), body);
	/* Refused, and again when the broker sends it after the reconnection. */
	wait_log("not stored and not acknowledged", failed + 2, 20);
	run_sql(pg ? "DROP TRIGGER mqtt_test_refuse ON noise_readings;"
		     " DROP FUNCTION mqtt_test_refuse()"
		   : "DROP TRIGGER mqtt_test_refuse");
	/* The next delivery, after a longer back-off, is stored, once. */
	wait_readings(plaza_id, t, t + 2, 2, &r);
	assert_non_null(strstr(r.body, "\"laeq\":60.5,"));
	assert_non_null(strstr(r.body, "\"laeq\":61.5,"));
	response_release(&r);
}

static void test_bad_settings_are_refused(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(
	    run_cli(&srv, NULL, &out, "serve", "--mqtt-url", "http://127.0.0.1:1883", NULL), 2);
	assert_non_null(strstr(out, "invalid value for mqtt_url"));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "serve", "--listen", "127.0.0.1:0", "--mqtt-url",
				 "mqtt://127.0.0.1:70000", NULL),
			 1);
	if (!strstr(out, "bad --mqtt-url: the port must be 1 to 65535"))
		fail_msg("%s", out);
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "serve", "--listen", "127.0.0.1:0", "--mqtt-url",
				 mqtt_url, "--mqtt-topic", "linli/noise/readings", NULL),
			 1);
	if (!strstr(out, "needs one + level"))
		fail_msg("%s", out);
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "serve", "--listen", "127.0.0.1:0", "--mqtt-url",
				 mqtt_url, "--mqtt-topic", "linli/+/noise/+", NULL),
			 1);
	assert_non_null(strstr(out, "only one + level"));
	free(out);
}

static int mqtt_setup(void **state)
{
	double deadline;

	snprintf(broker_dir, sizeof(broker_dir), "/tmp/linli-mqtt.XXXXXX");
	if (!mkdtemp(broker_dir)) {
		broker_dir[0] = '\0';
		return -1;
	}
	atexit(broker_cleanup);
	broker_port = free_port();
	if (broker_port <= 0 || broker_start())
		return -1;
	mosquitto_lib_init();
	snprintf(mqtt_url, sizeof(mqtt_url), "mqtt://127.0.0.1:%d", broker_port);
	snprintf(client_id, sizeof(client_id), "linli-test-%d", (int)getpid());
	/* The client id and the log level through the environment, the rest
	 * as flags. */
	setenv("LINLI_MQTT_CLIENT_ID", client_id, 1);
	setenv("LINLI_LOG_LEVEL", "debug", 1);
	server_extra_args[0] = "--mqtt-url";
	server_extra_args[1] = mqtt_url;
	server_extra_args[2] = "--mqtt-topic";
	server_extra_args[3] = "linli/noise/+/readings";
	base_t = (long long)time(NULL) - 3600;
	if (srv_setup(state))
		return -1;
	/* Not before linli has subscribed: the broker keeps nothing for a
	 * session it has never seen. */
	deadline = now_s() + 20;
	while (!log_count("mqtt: connected to 127.0.0.1")) {
		if (now_s() > deadline)
			return -1;
		usleep(50000);
	}
	return 0;
}

static int mqtt_teardown(void **state)
{
	client_release(&staff_cl);
	srv_teardown(state);
	broker_cleanup();
	mosquitto_lib_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_meters),
	    cmocka_unit_test(test_batch_is_stored_with_calibration),
	    cmocka_unit_test(test_bad_messages_store_nothing),
	    cmocka_unit_test(test_meter_known_by_number),
	    cmocka_unit_test(test_broker_killed_and_restarted),
	    cmocka_unit_test(test_published_while_linli_is_stopped),
	    cmocka_unit_test(test_refused_write_is_sent_again),
	    cmocka_unit_test(test_bad_settings_are_refused),
	};
	return cmocka_run_group_tests(tests, mqtt_setup, mqtt_teardown);
}
