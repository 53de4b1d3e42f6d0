/* An acknowledged write is never lost: the server is killed with SIGKILL
 * at a random moment while four clients write at once, then started again
 * on the same database, and everything it acknowledged must be there with
 * exactly the values sent:
 *   - a resident's public report with a photo (POST /report, anonymous);
 *   - a meter's batch of readings (POST /api/v1/noise/readings), which is
 *     stored whole or not at all, acknowledged or not;
 *   - a resident added through the JSON API with a staff token;
 *   - a co-building unit added through the HTML form with a session and
 *     its CSRF token.
 * After each restart SQLite's integrity check and `linli audit verify`
 * must pass. LINLI_CRASH_TRIALS sets the number of trials (10 in
 * `make test`, 100 in `make soak`); LINLI_CRASH_SEED makes a run
 * repeatable (the seed is printed). */
#include "checks.h"
#include "upload.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#define BATCH	   100	/* readings in one batch: several INSERTs of 32 rows */
#define MAX_WRITES 4000 /* per kind over the whole run */

enum kind { K_REPORT, K_READINGS, K_RESIDENT, K_UNIT, K_COUNT };
static const char *const kind_name[K_COUNT] = {"report", "readings", "resident", "unit"};

/* One attempted write and what the server said. */
struct write {
	int trial;     /* which trial sent it */
	int acked;     /* the server answered that it is stored */
	long long key; /* readings: first second; others: the id the server gave */
	char code[16]; /* report: tracking code */
	char text[96]; /* the unique text sent (description, name) */
};

struct writer {
	enum kind kind;
	struct write w[MAX_WRITES];
	int n;		    /* attempts so far */
	volatile int stop;  /* set when the server is dead */
	struct client c;    /* its own connection and cookies */
	char hdr[200];	    /* Authorization header (tokens) */
	long long meter_id; /* readings: the meter */
	long long base_t;   /* readings: next free second */
	int trial;	    /* the current trial */
};

static struct writer writers[K_COUNT];
static char staff_hdr[200];

static void token(const char *name, const char *role, char *hdr, size_t n, long long *id)
{
	char *out = NULL;
	const char *p;

	assert_int_equal(run_cli(&srv, NULL, &out, "token", "add", name, "--role", role, NULL), 0);
	snprintf(hdr, n, "Authorization: Bearer %.*s", (int)strcspn(out, "\n"), out);
	if (id) {
		p = strstr(out, "Token ");
		assert_non_null(p);
		*id = strtoll(p + 6, NULL, 10);
	}
	free(out);
}

/* ------------------------------------------------------------ writing */

/* level: the hundredths of dB sent for second k of a batch (exact values
 * the check recomputes). */
static int level(long long t)
{
	return 4000 + (int)(t % 3000);
}

static int write_one(struct writer *wr, struct write *w)
{
	struct response r;
	char body[8192], loc[256];
	int rc, len = 0;

	switch (wr->kind) {
	case K_REPORT: {
		static __thread struct form f;
		unsigned char png[512];
		size_t n = make_png(png);
		f.len = 0;
		form_field(&f, "category", "noise");
		form_field(&f, "description", w->text);
		form_field(&f, "q_source", "square_dance");
		form_field(&f, "q_now", "yes");
		form_field(&f, "compound_id", "1");
		form_field(&f, "confirm_new", "1"); /* not the same as the last one */
		form_file(&f, "photo", "p.png", "image/png", png, n);
		form_end(&f);
		rc = form_post(&wr->c, &srv, "/report", &f, NULL, &r);
		if (!rc && r.status == 303 && header_value(&r, "Location", loc, sizeof(loc)) &&
		    !strncmp(loc, "/track/", 7)) {
			snprintf(w->code, sizeof(w->code), "%.*s", (int)strcspn(loc + 7, "?"),
				 loc + 7);
			w->acked = 1;
		}
		break;
	}
	case K_READINGS:
		w->key = wr->base_t;
		wr->base_t += BATCH;
		len = snprintf(body, sizeof(body), "{\"readings\":[");
		for (int k = 0; k < BATCH; k++)
			len += snprintf(body + len, sizeof(body) - (size_t)len,
					"%s{\"t\":%lld,\"laeq\":%d.%02d}", k ? "," : "", w->key + k,
					level(w->key + k) / 100, level(w->key + k) % 100);
		snprintf(body + len, sizeof(body) - (size_t)len, "]}");
		rc = request(&wr->c, &srv, "POST", "/api/v1/noise/readings", body,
			     "application/json", wr->hdr, &r);
		if (!rc && r.status == 200 && json_int(r.body, "stored") == BATCH)
			w->acked = 1;
		break;
	case K_RESIDENT:
		snprintf(body, sizeof(body),
			 "{\"name\":\"%s\",\"gender\":\"F\",\"birth_year\":1950,\"phone\":"
			 "\"13800138000\"}",
			 w->text);
		rc = request(&wr->c, &srv, "POST", "/api/v1/residents", body, "application/json",
			     wr->hdr, &r);
		if (!rc && r.status == 201) {
			w->key = json_int(r.body, "id");
			w->acked = 1;
		}
		break;
	default:
		snprintf(body, sizeof(body), "_csrf=%s&name=%s&kind=shop&contact=%%E5%%BC%%A0",
			 wr->c.csrf, w->text);
		rc = request(&wr->c, &srv, "POST", "/units", body,
			     "application/x-www-form-urlencoded", NULL, &r);
		if (!rc && r.status == 303 && header_value(&r, "Location", loc, sizeof(loc)) &&
		    !strncmp(loc, "/units/", 7)) {
			w->key = strtoll(loc + 7, NULL, 10);
			w->acked = w->key > 0;
		}
		break;
	}
	response_release(&r);
	return rc;
}

static void *writer_run(void *arg)
{
	struct writer *wr = arg;

	while (!wr->stop && wr->n < MAX_WRITES) {
		struct write *w = &wr->w[wr->n++];
		memset(w, 0, sizeof(*w));
		w->trial = wr->trial;
		/* Unit names go into a form body as they are: ASCII only. */
		snprintf(w->text, sizeof(w->text), "crash-%s-%d-%d", kind_name[wr->kind], wr->trial,
			 wr->n);
		if (write_one(wr, w))
			break; /* the server is gone */
	}
	return NULL;
}

/* ------------------------------------------------------------ checking */

static json_t *get_json(const char *path)
{
	struct client c;
	struct response r;
	json_t *v;

	client_init(&c);
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, staff_hdr, &r), 0);
	if (r.status != 200) {
		print_message("# GET %s: %ld %s\n", path, r.status, r.body);
		response_release(&r);
		client_release(&c);
		return NULL;
	}
	v = json_loads(r.body, 0, NULL);
	response_release(&r);
	client_release(&c);
	return v;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* check_report: the case is there with its words and its photo, which
 * staff can open. */
static int check_report(const struct write *w)
{
	char path[160];
	json_t *pub, *c = NULL;
	int ok = 0;

	snprintf(path, sizeof(path), "/api/v1/track/%s", w->code);
	if (!(pub = get_json(path)))
		return 0;
	snprintf(path, sizeof(path), "/api/v1/cases/%lld",
		 (long long)json_integer_value(json_object_get(pub, "id")));
	if ((c = get_json(path))) {
		json_t *photos = json_object_get(c, "photos");
		json_t *p = json_array_get(photos, 0);
		ok = !strcmp(str(c, "description"), w->text) && json_array_size(photos) == 1;
		if (ok) {
			struct client cl;
			struct response r;
			const char *mime = str(p, "mime");
			snprintf(path, sizeof(path), "/cases/%lld/photos/%s.%s",
				 (long long)json_integer_value(json_object_get(pub, "id")),
				 str(p, "sha256"), strchr(mime, '/') ? strchr(mime, '/') + 1 : "");
			client_init(&cl);
			ok = !request(&cl, &srv, "GET", path, NULL, NULL, staff_hdr, &r) &&
			     r.status == 200 &&
			     (long long)r.len == json_integer_value(json_object_get(p, "bytes"));
			if (!ok)
				print_message("# photo %s: %ld, %zu bytes\n", path, r.status,
					      r.len);
			response_release(&r);
			client_release(&cl);
		}
	}
	if (!ok)
		print_message("# report %s (%s) lost or changed\n", w->code, w->text);
	json_decref(c);
	json_decref(pub);
	return ok;
}

/* stored_seconds: how many seconds of the batch are stored; -1 if one has
 * another level than the one sent. */
static int stored_seconds(long long meter, long long t0)
{
	char path[160];
	json_t *v, *rows;
	size_t i;
	json_t *row;
	int n = 0;

	snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/readings?from=%lld&to=%lld", meter,
		 t0, t0 + BATCH);
	if (!(v = get_json(path)))
		return -1;
	rows = json_object_get(v, "readings");
	json_array_foreach (rows, i, row) {
		long long t = json_integer_value(json_object_get(row, "t"));
		double laeq = json_number_value(json_object_get(row, "laeq"));
		long centi = (long)(laeq * 100 + (laeq >= 0 ? 0.5 : -0.5));
		if (centi != level(t)) {
			print_message("# reading %lld: %.2f, sent %d.%02d\n", t, laeq,
				      level(t) / 100, level(t) % 100);
			n = -1;
			break;
		}
		n++;
	}
	json_decref(v);
	return n;
}

static int check_named(const char *entity, const struct write *w)
{
	char path[160];
	json_t *v;
	int ok;

	snprintf(path, sizeof(path), "/api/v1/%s/%lld", entity, w->key);
	v = get_json(path);
	ok = v && !strcmp(str(v, "name"), w->text);
	if (ok && !strcmp(entity, "residents"))
		ok = json_integer_value(json_object_get(v, "birth_year")) == 1950 &&
		     !strcmp(str(v, "phone"), "13800138000") && !strcmp(str(v, "gender"), "F");
	if (!ok)
		print_message("# %s %lld (%s) lost or changed\n", entity, w->key, w->text);
	json_decref(v);
	return ok;
}

/* check_trial: every acknowledged write of the trial is there; no batch of
 * readings is there in part. */
static void check_trial(int trial, int counts[K_COUNT])
{
	int bad = 0;

	for (int k = 0; k < K_COUNT; k++) {
		struct writer *wr = &writers[k];
		for (int i = 0; i < wr->n; i++) {
			struct write *w = &wr->w[i];
			if (w->trial != trial)
				continue;
			if (k == K_READINGS) {
				int n = stored_seconds(wr->meter_id, w->key);
				if (n != BATCH && (w->acked || n != 0)) {
					print_message("# batch at %lld (%s): %d of %d seconds "
						      "stored\n",
						      w->key,
						      w->acked ? "acknowledged" : "unanswered", n,
						      BATCH);
					bad++;
				}
			} else if (w->acked) {
				bad += !(k == K_REPORT	   ? check_report(w)
					 : k == K_RESIDENT ? check_named("residents", w)
							   : check_named("units", w));
			}
			counts[k] += w->acked;
		}
	}
	assert_int_equal(bad, 0);
}

static void check_database(void)
{
	char *out = NULL;
	int rc = run_cli(&srv, NULL, &out, "audit", "verify", NULL);

	if (rc != 0 || !strstr(out, "audit chain intact"))
		fail_msg("linli audit verify: %d %s", rc, out ? out : "");
	free(out);
	if (!strncmp(srv.db, "sqlite:", 7)) {
		sqlite3 *db = NULL;
		sqlite3_stmt *st = NULL;
		assert_int_equal(sqlite3_open_v2(srv.db + 7, &db, SQLITE_OPEN_READONLY, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
}

/* ------------------------------------------------------------ the run */

static int setup(void **state)
{
	int rc = srv_setup(state);
	long long meter_token = 0;
	char body[256];
	struct response r;
	struct client sec;

	if (rc)
		return rc;
	token("crash-staff", "staff", staff_hdr, sizeof(staff_hdr), NULL);
	for (int k = 0; k < K_COUNT; k++) {
		writers[k].kind = (enum kind)k;
		client_init(&writers[k].c);
	}
	snprintf(writers[K_RESIDENT].hdr, sizeof(writers[K_RESIDENT].hdr), "%s", staff_hdr);
	token("crash-meter", "meter", writers[K_READINGS].hdr, sizeof(writers[K_READINGS].hdr),
	      &meter_token);
	login_as(&sec, "secretary");
	snprintf(body, sizeof(body),
		 "{\"name\":\"压测声级计\",\"zone_class\":\"1\",\"token_id\":%lld}", meter_token);
	assert_int_equal(api(&sec, &srv, "POST", "/api/v1/meters", body, &r), 0);
	assert_int_equal(r.status, 201);
	writers[K_READINGS].meter_id = json_int(r.body, "id");
	response_release(&r);
	client_release(&sec);
	/* Readings must lie within the last seven days. */
	writers[K_READINGS].base_t = (long long)time(NULL) - 6 * 86400;
	return 0;
}

static int teardown(void **state)
{
	for (int k = 0; k < K_COUNT; k++)
		client_release(&writers[k].c);
	return srv_teardown(state);
}

static void test_kill_during_writes(void **state)
{
	const char *env = getenv("LINLI_CRASH_TRIALS");
	const char *seed_env = getenv("LINLI_CRASH_SEED");
	int trials = env ? (int)strtol(env, NULL, 10) : 10;
	unsigned seed = seed_env ? (unsigned)strtoul(seed_env, NULL, 10) : (unsigned)time(NULL);
	int counts[K_COUNT] = {0};

	(void)state;
	print_message("# %d trials, LINLI_CRASH_SEED=%u\n", trials, seed);
	srand(seed);
	for (int trial = 1; trial <= trials; trial++) {
		pthread_t th[K_COUNT];
		struct timespec pause;
		long ms = 150 + rand() % 900;

		/* The form writer signs in again: the session outlives the kill,
		 * but each trial starts as a person would, at the sign-in page. */
		client_release(&writers[K_UNIT].c);
		client_init(&writers[K_UNIT].c);
		assert_int_equal(client_login(&writers[K_UNIT].c, &srv, "staff", "pushan-staff"),
				 200);
		for (int k = 0; k < K_COUNT; k++) {
			writers[k].stop = 0;
			writers[k].trial = trial;
			assert_int_equal(pthread_create(&th[k], NULL, writer_run, &writers[k]), 0);
		}
		pause.tv_sec = ms / 1000;
		pause.tv_nsec = (ms % 1000) * 1000000L;
		nanosleep(&pause, NULL);
		server_kill(&srv);
		for (int k = 0; k < K_COUNT; k++)
			writers[k].stop = 1;
		for (int k = 0; k < K_COUNT; k++)
			pthread_join(th[k], NULL);
		assert_int_equal(server_spawn(&srv), 0);
		check_database();
		check_trial(trial, counts);
	}
	print_message("# acknowledged and found again: %d reports, %d batches, %d residents, "
		      "%d units\n",
		      counts[K_REPORT], counts[K_READINGS], counts[K_RESIDENT], counts[K_UNIT]);
	/* The trials really wrote: each kind had acknowledged writes. */
	for (int k = 0; k < K_COUNT; k++)
		if (counts[k] == 0)
			fail_msg("no %s was acknowledged in %d trials", kind_name[k], trials);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_ALL);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kill_during_writes),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
