/* HTTP tests of noise readings against the real server: the committee
 * registers a meter bound to an API token; the meter sends batches of
 * per-second levels; sending a batch again stores nothing twice; a bad
 * reading refuses the whole batch in the reader's language and stores
 * nothing; tokens that are not a meter's are refused, and a meter's token
 * opens nothing else. */
#include "checks.h"

#include <math.h>
#include <setjmp.h>
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
#include <sys/time.h>
#include <unistd.h>
#include <cmocka.h>

static char meter_hdr[200]; /* Authorization header of the meter's token */
static char staff_hdr[200]; /* a staff token that belongs to no meter */
static long long meter_id;
static long long batch_t; /* the first second of test_batch_is_stored_once */

/* new_token: `linli token add NAME --role ROLE`; the header into hdr and
 * the token's number returned. */
static long long new_token(const char *name, const char *role, char *hdr, size_t n)
{
	char *out = NULL;
	const char *p;
	long long id;

	assert_int_equal(run_cli(&srv, NULL, &out, "token", "add", name, "--role", role, NULL), 0);
	snprintf(hdr, n, "Authorization: Bearer %.*s", (int)strcspn(out, "\n"), out);
	p = strstr(out, "Token ");
	assert_non_null(p);
	id = atoll(p + 6);
	assert_true(id > 0);
	free(out);
	return id;
}

static void setup_meter(void **state)
{
	struct client sec;
	struct response r;
	char body[256];
	long long tok;

	(void)state;
	tok = new_token("plaza-meter", "meter", meter_hdr, sizeof(meter_hdr));
	new_token("robot", "staff", staff_hdr, sizeof(staff_hdr));
	login_as(&sec, "secretary");
	snprintf(body, sizeof(body),
		 "{\"name\":\"中心广场东侧\",\"zone_class\":\"1\",\"watches\":\"广场\","
		 "\"token_id\":%lld,\"calibration_centi\":-50}",
		 tok);
	assert_int_equal(api(&sec, &srv, "POST", "/api/v1/meters", body, &r), 0);
	if (r.status != 201)
		fail_msg("create meter: %ld %s", r.status, r.body);
	meter_id = json_int(r.body, "id");
	response_release(&r);
	/* A zone class outside GB 3096 is refused. */
	assert_int_equal(
	    api(&sec, &srv, "POST", "/api/v1/meters", "{\"name\":\"坏\",\"zone_class\":\"9\"}", &r),
	    0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	/* The list page's search box says what it searches: the meters' own
	 * searched fields, not a resident's name and phone. */
	assert_int_equal(request(&sec, &srv, "GET", "/meters", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	if (!strstr(r.body, "placeholder=\"名称 / 监测对象（广场分区或敏感点） / HJ 212"))
		fail_msg("search box: %.2000s",
			 strstr(r.body, "placeholder") ? strstr(r.body, "placeholder") : r.body);
	assert_null(strstr(r.body, "电话"));
	response_release(&r);
	client_release(&sec);
}

/* post: the meter's (or another) token sends body. */
static long post(const char *hdr, const char *body, const char *lang, struct response *r)
{
	struct client c;

	client_init(&c);
	c.lang = lang;
	assert_int_equal(
	    request(&c, &srv, "POST", "/api/v1/noise/readings", body, "application/json", hdr, r),
	    0);
	client_release(&c);
	return r->status;
}

/* readings: the stored readings of the meter over [t0, t1), as staff see them. */
static void readings(long long t0, long long t1, struct response *r)
{
	struct client staff;
	char path[128];

	login_as(&staff, "staff");
	snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/readings?from=%lld&to=%lld",
		 meter_id, t0, t1);
	assert_int_equal(api(&staff, &srv, "GET", path, NULL, r), 0);
	assert_int_equal(r->status, 200);
	client_release(&staff);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_batch_is_stored_once(void **state)
{
	long long t = (long long)time(NULL) - 600;
	struct response r;
	char body[512];

	(void)state;
	batch_t = t;
	snprintf(body, sizeof(body),
		 "{\"readings\":[{\"t\":%lld,\"laeq\":57.9,\"lmax\":63.25},"
		 "{\"t\":%lld,\"laeq\":58},{\"t\":%lld,\"laeq\":61.4,\"lmax\":null}]}",
		 t, t + 1, t + 2);
	assert_int_equal(post(meter_hdr, body, NULL, &r), 200);
	assert_int_equal(json_int(r.body, "meter_id"), meter_id);
	assert_int_equal(json_int(r.body, "stored"), 3);
	assert_int_equal(json_int(r.body, "duplicates"), 0);
	response_release(&r);

	/* The meter resends after a lost answer: nothing is stored twice. */
	assert_int_equal(post(meter_hdr, body, NULL, &r), 200);
	assert_int_equal(json_int(r.body, "stored"), 0);
	assert_int_equal(json_int(r.body, "duplicates"), 3);
	response_release(&r);

	/* The calibration (-0.50 dB) is applied exactly as levels arrive. */
	readings(t, t + 3, &r);
	assert_int_equal(count(r.body, "\"t\":"), 3);
	assert_non_null(strstr(r.body, "\"laeq\":57.4,"));
	assert_non_null(strstr(r.body, "\"lmax\":62.75"));
	assert_non_null(strstr(r.body, "\"laeq\":57.5,"));
	assert_non_null(strstr(r.body, "\"laeq\":60.9,"));
	assert_null(strstr(r.body, "57.9"));
	response_release(&r);
	/* The window is half-open: [t, t + 2) holds two seconds, [t + 2, t + 3)
	 * the third. */
	readings(t, t + 2, &r);
	assert_int_equal(count(r.body, "\"t\":"), 2);
	assert_null(strstr(r.body, "60.9"));
	response_release(&r);
	readings(t + 2, t + 3, &r);
	assert_int_equal(count(r.body, "\"t\":"), 1);
	assert_non_null(strstr(r.body, "\"laeq\":60.9,"));
	response_release(&r);
}

/* rollups: GET meter's rollups of span over [t0, t1) as staff, in
 * Chinese; the status. */
static long rollups(long long meter, const char *span, long long t0, long long t1,
		    struct response *r)
{
	struct client staff;
	char path[160];

	login_as(&staff, "staff");
	snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/rollups?span=%s&from=%lld&to=%lld",
		 meter, span, t0, t1);
	assert_int_equal(api(&staff, &srv, "GET", path, NULL, r), 0);
	client_release(&staff);
	return r->status;
}

/* The minute and hour rollups are written with the readings: a minute's
 * LAeq is the energetic mean of its seconds (50 and 60 dB: 57.40, never
 * the arithmetic 55), an hour's that of all its seconds; the windows at
 * their edges. A meter of its own, so no other test's seconds mix in. */
static void test_rollups_follow_the_readings(void **state)
{
	long long t0 = ((long long)time(NULL) - 3 * 86400) / 3600 * 3600, id;
	struct client sec;
	struct response r;
	char body[256], hdr[200];

	(void)state;
	snprintf(body, sizeof(body), "{\"name\":\"东门\",\"zone_class\":\"1\",\"token_id\":%lld}",
		 new_token("gate-meter", "meter", hdr, sizeof(hdr)));
	login_as(&sec, "secretary");
	assert_int_equal(api(&sec, &srv, "POST", "/api/v1/meters", body, &r), 0);
	assert_int_equal(r.status, 201);
	id = json_int(r.body, "id");
	response_release(&r);
	client_release(&sec);
	snprintf(body, sizeof(body),
		 "{\"readings\":[{\"t\":%lld,\"laeq\":50},{\"t\":%lld,\"laeq\":60}]}", t0, t0 + 1);
	assert_int_equal(post(hdr, body, NULL, &r), 200);
	response_release(&r);
	assert_int_equal(rollups(id, "minute", t0, t0 + 60, &r), 200);
	assert_int_equal(count(r.body, "\"t\":"), 1);
	assert_int_equal(json_int(r.body, "seconds"), 2);
	if (!strstr(r.body, "\"laeq\":57.4,") && !strstr(r.body, "\"laeq\":57.4}"))
		fail_msg("minute: %s", r.body);
	response_release(&r);
	/* Half an hour later, 70 dB: the hour has three seconds at 65.68. */
	snprintf(body, sizeof(body), "{\"readings\":[{\"t\":%lld,\"laeq\":70}]}", t0 + 1800);
	assert_int_equal(post(hdr, body, NULL, &r), 200);
	response_release(&r);
	assert_int_equal(rollups(id, "hour", t0, t0 + 3600, &r), 200);
	assert_int_equal(count(r.body, "\"t\":"), 1);
	assert_int_equal(json_int(r.body, "seconds"), 3);
	if (!strstr(r.body, "\"laeq\":65.68,") && !strstr(r.body, "\"laeq\":65.68}"))
		fail_msg("hour: %s", r.body);
	response_release(&r);
	assert_int_equal(rollups(id, "minute", t0, t0 + 3600, &r), 200);
	assert_int_equal(count(r.body, "\"t\":"), 2);
	response_release(&r);
	/* A day of minutes and 31 days of hours, not a second more. */
	assert_int_equal(rollups(id, "minute", t0, t0 + 86400, &r), 200);
	response_release(&r);
	assert_int_equal(rollups(id, "minute", t0, t0 + 86401, &r), 400);
	assert_non_null(strstr(r.body, "分钟数据不超过一天"));
	response_release(&r);
	assert_int_equal(rollups(id, "hour", t0, t0 + 31 * 86400, &r), 200);
	response_release(&r);
	assert_int_equal(rollups(id, "hour", t0, t0 + 31 * 86400 + 1, &r), 400);
	assert_non_null(strstr(r.body, "小时数据不超过 31 天"));
	response_release(&r);
	assert_int_equal(rollups(id, "day", t0, t0 + 60, &r), 400);
	assert_non_null(strstr(r.body, "span 应为 minute"));
	response_release(&r);
	/* The first meter's rollups are not this one's. */
	assert_int_equal(rollups(meter_id, "minute", t0, t0 + 60, &r), 200);
	assert_int_equal(count(r.body, "\"t\":"), 0);
	response_release(&r);
}

static void test_bad_reading_stores_nothing(void **state)
{
	static const struct {
		const char *fmt; /* %lld for t, t+1 */
		const char *zh;
		const char *en;
	} bad[] = {
	    {"{\"readings\":[{\"t\":%lld,\"laeq\":50},{\"t\":%lld,\"laeq\":151}]}", "声级",
	     "0 to 150"},
	    {"{\"readings\":[{\"t\":%lld,\"laeq\":50},{\"t\":%lld,\"laeq\":50.123}]}", "两位小数",
	     "two decimals"},
	    {"{\"readings\":[{\"t\":%lld,\"laeq\":50},{\"t\":%lld,\"laeq\":60,\"lmax\":55}]}",
	     "不低于", "lmax"},
	    {"{\"readings\":[{\"t\":%lld,\"laeq\":50},{\"t\":%lld,\"laeq\":\"50\"}]}", "声级",
	     "laeq"},
	};
	long long t = (long long)time(NULL) - 300;
	struct response r;
	char body[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), bad[i].fmt, t, t + 1);
		assert_int_equal(post(meter_hdr, body, NULL, &r), 422);
		if (!strstr(r.body, bad[i].zh))
			fail_msg("case %zu: %s", i, r.body);
		/* The failing reading is pointed at: the second one. */
		assert_int_equal(json_int(r.body, "index"), 1);
		response_release(&r);
		assert_int_equal(post(meter_hdr, body, "en", &r), 422);
		if (!strstr(r.body, bad[i].en))
			fail_msg("case %zu (en): %s", i, r.body);
		response_release(&r);
	}
	/* Out of order, too old, in the future, empty, not JSON. */
	snprintf(body, sizeof(body),
		 "{\"readings\":[{\"t\":%lld,\"laeq\":50},{\"t\":%lld,\"laeq\":50}]}", t + 1, t);
	assert_int_equal(post(meter_hdr, body, NULL, &r), 422);
	assert_non_null(strstr(r.body, "递增"));
	response_release(&r);
	snprintf(body, sizeof(body), "{\"readings\":[{\"t\":%lld,\"laeq\":50}]}", t - 8LL * 86400);
	assert_int_equal(post(meter_hdr, body, NULL, &r), 422);
	response_release(&r);
	snprintf(body, sizeof(body), "{\"readings\":[{\"t\":%lld,\"laeq\":50}]}", t + 3600);
	assert_int_equal(post(meter_hdr, body, NULL, &r), 422);
	response_release(&r);
	assert_int_equal(post(meter_hdr, "{\"readings\":[]}", NULL, &r), 422);
	response_release(&r);
	assert_int_equal(post(meter_hdr, "{\"readings\":", NULL, &r), 400);
	response_release(&r);

	/* None of it was stored: the first, good reading of each batch neither. */
	readings(t - 10, t + 10, &r);
	assert_int_equal(count(r.body, "\"t\":"), 0);
	response_release(&r);
}

static void test_only_meters_send_and_meters_only_send(void **state)
{
	long long t = (long long)time(NULL) - 100;
	struct client c, vol;
	struct response r;
	char body[128];

	(void)state;
	snprintf(body, sizeof(body), "{\"readings\":[{\"t\":%lld,\"laeq\":50}]}", t);
	/* A staff token is not a meter. */
	assert_int_equal(post(staff_hdr, body, NULL, &r), 403);
	response_release(&r);
	/* Without a token at all. */
	assert_int_equal(post(NULL, body, NULL, &r), 401);
	response_release(&r);
	/* A signed-in committee member is not a meter either. */
	login_as(&c, "secretary");
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/noise/readings", body, &r), 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	client_release(&c);

	/* The meter's token opens nothing but the ingest route. */
	client_init(&c);
	assert_int_equal(request(&c, &srv, "GET", "/api/v1/residents", NULL, NULL, meter_hdr, &r),
			 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	assert_int_equal(request(&c, &srv, "GET", "/api/v1/cases", NULL, NULL, meter_hdr, &r), 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	client_release(&c);

	/* Volunteers may read levels; a window longer than a day is refused. */
	login_as(&vol, "volunteer");
	{
		char path[128];

		snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/readings?from=0&to=999999",
			 meter_id);
		assert_int_equal(api(&vol, &srv, "GET", path, NULL, &r), 0);
		assert_int_equal(r.status, 400);
		response_release(&r);
	}
	client_release(&vol);
}

/* iso: epoch seconds as ISO 8601, in UTC ("Z") or at +08:00. */
static void iso(long long t, int cst, char *out, size_t n)
{
	time_t tt = (time_t)(t + (cst ? 8 * 3600 : 0));
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, n, cst ? "%Y-%m-%dT%H:%M:%S+08:00" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void test_cli_meter_add_and_report(void **state)
{
	char from[40], to[40], *out = NULL;

	(void)state;
	/* Registering an HJ 212 station; the name and the MN are unique. */
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "meter", "add", "北门", "--mn",
				 "010000A8900016F000169DC0", "--password", "123456", "--zone-class",
				 "2", NULL),
			 0);
	assert_non_null(strstr(out, "registered: 北门"));
	free(out);
	/* Audited as the command line's, without the station's password. */
	char audit[512];
	sql_query(audit, sizeof(audit),
		  "SELECT actor || ' ' || action || ' ' || after_json FROM audit_log"
		  " WHERE entity = 'meters' ORDER BY id DESC LIMIT 1;");
	assert_non_null(strstr(audit, "cli create"));
	assert_non_null(strstr(audit, "\"name\":\"北门\""));
	assert_non_null(strstr(audit, "010000A8900016F000169DC0"));
	assert_null(strstr(audit, "123456"));
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "meter", "add", "北门", NULL), 1);
	assert_non_null(strstr(out, "already in use"));
	free(out);
	/* The refused one wrote nothing, audit entry included. */
	sql_query(audit, sizeof(audit),
		  "SELECT COUNT(*) FROM audit_log WHERE entity = 'meters'"
		  " AND after_json LIKE '%北门%';");
	assert_string_equal(audit, "1");
	assert_int_equal(
	    run_cli(&srv, NULL, &out, "noise", "meter", "add", "南门", "--zone-class", "5", NULL),
	    2);
	assert_non_null(strstr(out, "4a or 4b"));
	free(out);
	assert_int_equal(
	    run_cli(&srv, NULL, &out, "noise", "meter", "add", "南门", "--mn", "ABC", NULL), 2);
	assert_non_null(strstr(out, "needs both --mn"));
	free(out);

	/* The three seconds of the batch: 57.4, 57.5 (no Lmax) and 60.9 dB,
	 * Lmax 62.75. LAeq = 10 lg((10^5.74 + 10^5.75 + 10^6.09) / 3) = 58.9. */
	iso(batch_t, 0, from, sizeof(from));
	iso(batch_t + 3, 1, to, sizeof(to));
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "report", "--meter", "中心广场东侧",
				 "--from", from, "--to", to, "--json", NULL),
			 0);
	if (!strstr(out, "{\"laeq\":58.9,\"lmax\":62.8,\"l10\":60.9,\"l50\":57.5,"
			 "\"l90\":57.4,\"seconds\":3}"))
		fail_msg("report: %s", out);
	free(out);
	/* The window is half-open: to the second before the last. */
	iso(batch_t + 2, 0, to, sizeof(to));
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "report", "--meter", "中心广场东侧",
				 "--from", from, "--to", to, NULL),
			 0);
	assert_non_null(strstr(out, "LAeq 57.5 dB(A)"));
	assert_non_null(strstr(out, "seconds with data: 2"));
	free(out);
	/* A window with nothing in it; an unknown meter; a bad time. */
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "report", "--meter", "北门", "--from",
				 from, "--to", to, "--json", NULL),
			 0);
	assert_non_null(strstr(out, "\"laeq\":null"));
	assert_non_null(strstr(out, "\"seconds\":0}"));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "report", "--meter", "西门", "--from",
				 from, "--to", to, NULL),
			 1);
	assert_non_null(strstr(out, "no meter named 西门"));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "report", "--meter", "北门", "--from",
				 "2026-02-30T19:00", "--to", to, NULL),
			 2);
	assert_non_null(strstr(out, "ISO 8601"));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "report", "--meter", "北门", "--from",
				 to, "--to", from, NULL),
			 2);
	free(out);
}

/* write_wav: a mono 16-bit 48 kHz WAV of a 1 kHz sine, amplitude 0.5 of
 * full scale for two seconds, 0.05 for the third, and half a second more. */
static void write_wav(const char *path)
{
	const uint32_t rate = 48000, n = rate * 7 / 2, bytes = n * 2;
	uint8_t h[44];
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	memcpy(h, "RIFF", 4);
	for (int i = 0; i < 4; i++) {
		h[4 + i] = (uint8_t)((36 + bytes) >> (8 * i));
		h[24 + i] = (uint8_t)(rate >> (8 * i));
		h[28 + i] = (uint8_t)((rate * 2) >> (8 * i));
		h[40 + i] = (uint8_t)(bytes >> (8 * i));
	}
	memcpy(h + 8, "WAVEfmt ", 8);
	memcpy(h + 16, "\x10\0\0\0\x01\0\x01\0", 8); /* 16-byte PCM, mono */
	memcpy(h + 32, "\x02\0\x10\0data", 8);	     /* 2-byte frames, 16 bits */
	assert_int_equal(fwrite(h, 1, sizeof(h), f), sizeof(h));
	for (uint32_t i = 0; i < n; i++) {
		double amp = i < 2 * rate ? 0.5 : 0.05;
		int16_t v = (int16_t)lround(amp * 32768.0 * sin(2.0 * M_PI * 1000.0 * i / rate));
		uint8_t b[2] = {(uint8_t)((uint16_t)v & 0xff), (uint8_t)((uint16_t)v >> 8)};
		assert_int_equal(fwrite(b, 1, 2, f), 2);
	}
	assert_int_equal(fclose(f), 0);
}

static void test_cli_import_audio(void **state)
{
	char wav[1100], bad[1100], *out = NULL;
	const char *start = "2026-11-20T19:00:00+08:00";
	FILE *f;

	(void)state;
	snprintf(wav, sizeof(wav), "%s/plaza.wav", srv.dir);
	snprintf(bad, sizeof(bad), "%s/not-audio.wav", srv.dir);
	write_wav(wav);
	f = fopen(bad, "w");
	assert_non_null(f);
	fputs("this is not a recording\n", f);
	fclose(f);

	/* Three whole seconds (the last half second is not one): 87.98, 87.98
	 * and 67.98 dB(A); the third second's Fast maximum is still the
	 * louder level decaying. */
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "import-audio", "--meter", "北门",
				 "--start", start, wav, NULL),
			 0);
	if (!strstr(out, "imported 3 seconds, 0 already stored"))
		fail_msg("import: %s", out);
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "import-audio", "--meter", "北门",
				 "--start", start, wav, NULL),
			 0);
	assert_non_null(strstr(out, "imported 0 seconds, 3 already stored"));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "report", "--meter", "北门", "--from",
				 "2026-11-20T19:00", "--to", "2026-11-20T19:01", "--json", NULL),
			 0);
	if (!strstr(out, "{\"laeq\":86.2,\"lmax\":88.0,\"l10\":88.0,\"l50\":88.0,"
			 "\"l90\":68.0,\"seconds\":3}"))
		fail_msg("report: %s", out);
	free(out);

	/* Refused, nothing stored: not audio, no such meter, too loud, bad start. */
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "import-audio", "--meter", "北门",
				 "--start", "2026-11-21T19:00", bad, NULL),
			 1);
	assert_non_null(strstr(out, "cannot analyse"));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "import-audio", "--meter", "西门",
				 "--start", "2026-11-21T19:00", wav, NULL),
			 1);
	assert_non_null(strstr(out, "no meter named 西门"));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "import-audio", "--meter", "北门",
				 "--start", "2026-11-21T19:00", "--calibration", "200", wav, NULL),
			 1);
	assert_non_null(strstr(out, "above 150 dB"));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "import-audio", "--meter", "北门",
				 "--start", "yesterday", wav, NULL),
			 2);
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "report", "--meter", "北门", "--from",
				 "2026-11-21T00:00", "--to", "2026-11-22T00:00", "--json", NULL),
			 0);
	assert_non_null(strstr(out, "\"seconds\":0}"));
	free(out);
}

static void test_assessment_against_gb3096(void **state)
{
	struct client vol;
	struct response r;
	char path[160];
	long long id;

	(void)state;
	login_as(&vol, "volunteer");
	assert_int_equal(api(&vol, &srv, "GET", "/api/v1/meters?q=%E5%8C%97%E9%97%A8", NULL, &r),
			 0);
	assert_int_equal(r.status, 200);
	id = json_int(r.body, "id");
	response_release(&r);

	/* The imported evening at 北门 (class 2, day limit 60): three seconds,
	 * LAeq 86.2, one clock minute over; no night data, so no Ldn. */
	snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/assessment?date=2026-11-20", id);
	assert_int_equal(api(&vol, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	if (!strstr(r.body, "\"zone_class\":\"2\"") ||
	    !strstr(r.body, "\"day\":{\"from\":\"06:00\",\"to\":\"22:00\",\"limit\":60.0,"
			    "\"seconds\":3,\"exceeded\":true,\"minutes_over\":1,\"laeq\":86.2,"
			    "\"lmax\":88.0}") ||
	    !strstr(r.body, "\"night\":{\"from\":\"22:00\",\"to\":\"06:00\",\"limit\":50.0,"
			    "\"seconds\":0,\"exceeded\":false,\"minutes_over\":0,\"laeq\":null,"
			    "\"lmax\":null,\"lmax_limit\":65.0,\"lmax_exceeded\":false}") ||
	    !strstr(r.body, "\"ldn\":null"))
		fail_msg("assessment: %s", r.body);
	response_release(&r);
	/* The day before holds nothing. */
	snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/assessment?date=2026-11-19", id);
	assert_int_equal(api(&vol, &srv, "GET", path, NULL, &r), 0);
	assert_non_null(strstr(r.body, "\"seconds\":0,\"exceeded\":false"));
	response_release(&r);
	/* A bad date in the reader's language; a meter that is not there. */
	snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/assessment?date=2026-02-30", id);
	assert_int_equal(api(&vol, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "日期应为"));
	response_release(&r);
	assert_int_equal(
	    api(&vol, &srv, "GET", "/api/v1/noise/meters/999/assessment?date=2026-11-20", NULL, &r),
	    0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	/* Nor are its readings and minutes an empty list: not found. */
	assert_int_equal(api(&vol, &srv, "GET", "/api/v1/noise/meters/999/readings", NULL, &r), 0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	assert_int_equal(api(&vol, &srv, "GET", "/api/v1/noise/meters/999/minutes", NULL, &r), 0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/readings", id);
	assert_int_equal(api(&vol, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	client_release(&vol);
}

/* period: "seconds" and "laeq" of the assessment's "day" or "night",
 * the limits' hours as "from-to" into hours. */
static void period(const char *body, const char *which, long long *seconds, double *laeq,
		   char *hours, size_t n)
{
	char key[16], from[8] = "", to[8] = "";
	const char *p, *q;

	snprintf(key, sizeof(key), "\"%s\":{", which);
	p = strstr(body, key);
	if (!p)
		fail_msg("no %s in %s", which, body);
	*seconds = json_int(p, "seconds");
	q = strstr(p, "\"laeq\":");
	assert_non_null(q);
	*laeq = strncmp(q + 7, "null", 4) ? strtod(q + 7, NULL) : NAN;
	json_str(p, "from", from, sizeof(from));
	json_str(p, "to", to, sizeof(to));
	snprintf(hours, n, "%s-%s", from, to);
}

/* mean_of: the energetic mean of levels (hundredths, calibration -0.50
 * dB applied here), computed in the test. */
static double mean_of(const int *levels, int n)
{
	double e = 0;

	for (int i = 0; i < n; i++)
		e += pow(10.0, (levels[i] - 50) / 1000.0);
	return 10.0 * log10(e / n);
}

/* The assessment follows the area's own night (`linli plaza hours
 * --night`): with the default 22:00-06:00 the day runs from 06:00:00 to
 * 21:59:59 Shanghai time; with 23:00-07:00 from 07:00:00 to 22:59:59,
 * and the night to 06:59:59 the next morning. */
static void test_assessment_follows_the_areas_night(void **state)
{
	/* Four days ago in Shanghai: over, and within the seven days. */
	time_t now = time(NULL), dt = now + 8 * 3600 - 4 * 86400;
	struct tm tm;
	struct response r;
	struct client staff;
	char date[11], path[160], hours[16], body[2048], *out = NULL;
	long long d, seconds;
	size_t len;
	double laeq;
	/* Seconds after the date's 00:00 and the level sent there. */
	static const struct {
		long long at;
		int centi;
	} sent[] = {
	    {6 * 3600 - 1, 4100},  {6 * 3600, 4200},  {7 * 3600 - 1, 4300},  {7 * 3600, 4400},
	    {22 * 3600 - 1, 4500}, {22 * 3600, 4600}, {23 * 3600 - 1, 4700}, {23 * 3600, 4800},
	    {30 * 3600 - 1, 4900}, {30 * 3600, 5000}, {31 * 3600 - 1, 5100}, {31 * 3600, 5200},
	};
	static const int day_default[] = {4200, 4300, 4400, 4500};
	static const int night_default[] = {4600, 4700, 4800, 4900};
	static const int day_own[] = {4400, 4500, 4600, 4700};
	static const int night_own[] = {4800, 4900, 5000, 5100};

	(void)state;
	gmtime_r(&dt, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	d = (long long)timegm(&tm) - 8 * 3600;
	len = (size_t)snprintf(body, sizeof(body), "{\"readings\":[");
	for (size_t i = 0; i < sizeof(sent) / sizeof(sent[0]); i++)
		len +=
		    (size_t)snprintf(body + len, sizeof(body) - len, "%s{\"t\":%lld,\"laeq\":%d}",
				     i ? "," : "", d + sent[i].at, sent[i].centi / 100);
	snprintf(body + len, sizeof(body) - len, "]}");
	assert_int_equal(post(meter_hdr, body, NULL, &r), 200);
	assert_int_equal(json_int(r.body, "stored"), 12);
	response_release(&r);

	login_as(&staff, "staff");
	snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/assessment?date=%s", meter_id,
		 date);
	for (int pass = 0; pass < 3; pass++) {
		const int *dl = pass == 1 ? day_own : day_default;
		const int *nl = pass == 1 ? night_own : night_default;
		if (pass == 1) {
			assert_int_equal(run_cli(&srv, NULL, &out, "plaza", "hours", "--night",
						 "23:00-07:00", NULL),
					 0);
			assert_non_null(strstr(out, "23:00-07:00"));
			free(out);
			/* Audited like any write, the new night in minutes. */
			char audit[512];
			sql_query(
			    audit, sizeof(audit),
			    "SELECT actor || ' ' || action || ' ' || after_json FROM audit_log"
			    " WHERE entity = 'areas' ORDER BY id DESC LIMIT 1;");
			assert_non_null(strstr(audit, "cli update"));
			assert_non_null(strstr(audit, "\"night_start_min\":1380"));
			assert_non_null(strstr(audit, "\"night_end_min\":420"));
		} else if (pass == 2) {
			assert_int_equal(run_cli(&srv, NULL, &out, "plaza", "hours", "--night",
						 "22:00-06:00", NULL),
					 0);
			assert_non_null(strstr(out, "22:00-06:00"));
			free(out);
		}
		assert_int_equal(api(&staff, &srv, "GET", path, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		period(r.body, "day", &seconds, &laeq, hours, sizeof(hours));
		assert_string_equal(hours, pass == 1 ? "07:00-23:00" : "06:00-22:00");
		if (seconds != 4 || fabs(laeq - mean_of(dl, 4)) > 0.051)
			fail_msg("pass %d, day: %s", pass, r.body);
		period(r.body, "night", &seconds, &laeq, hours, sizeof(hours));
		assert_string_equal(hours, pass == 1 ? "23:00-07:00" : "22:00-06:00");
		if (seconds != 4 || fabs(laeq - mean_of(nl, 4)) > 0.051)
			fail_msg("pass %d, night: %s", pass, r.body);
		response_release(&r);
	}
	client_release(&staff);
}

/* One Shanghai date's figures, computed here from the stored seconds. */
struct day_sum {
	char date[11];
	double e[2];	      /* energy of the day and the night */
	long long n[2];	      /* seconds */
	long long lmax[2];    /* hundredths */
	long long minutes[2]; /* clock minutes over the limit */
	double min_e[2];      /* the current minute's energy */
	long long min_n[2];   /* and seconds */
	long long min_at[2];  /* and which minute */
};

static double tenth(double v)
{
	return round(v * 10.0) / 10.0;
}

static void minute_close(struct day_sum *d, int k, double limit)
{
	if (d->min_n[k] && tenth(10 * log10(d->min_e[k] / d->min_n[k])) > limit)
		d->minutes[k]++;
	d->min_e[k] = 0;
	d->min_n[k] = 0;
}

/* day_read: the meter's seconds of the date whose 06:00 Shanghai is t0,
 * read back through the API and summed by period (class 1 limits). */
static void day_read(struct client *c, long long meter, long long t0, struct day_sum *d)
{
	struct response r;
	char path[160];
	const char *p;
	time_t tt = (time_t)(t0 + 8 * 3600);
	struct tm tm;

	memset(d, 0, sizeof(*d));
	gmtime_r(&tt, &tm);
	strftime(d->date, sizeof(d->date), "%Y-%m-%d", &tm);
	d->min_at[0] = d->min_at[1] = -1;
	snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/readings?from=%lld&to=%lld", meter,
		 t0, t0 + 86400);
	assert_int_equal(api(c, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	p = strstr(r.body, "\"readings\":[");
	assert_non_null(p);
	while ((p = strchr(p + 1, '{'))) {
		const char *end = strchr(p, '}'), *l = strstr(p, "\"laeq\":"),
			   *m = strstr(p, "\"lmax\":");
		long long t = json_int(p, "t"), minute = (t - t0) / 60;
		long long laeq = llround(strtod(l + 7, NULL) * 100);
		long long lmax = m && m < end ? llround(strtod(m + 7, NULL) * 100) : laeq;
		int k = t - t0 >= 16 * 3600;
		double limit = k ? 45.0 : 55.0;
		if (minute != d->min_at[k]) {
			minute_close(d, k, limit);
			d->min_at[k] = minute;
		}
		d->e[k] += pow(10.0, laeq / 1000.0);
		d->min_e[k] += pow(10.0, laeq / 1000.0);
		d->min_n[k]++;
		if (!d->n[k] || lmax > d->lmax[k])
			d->lmax[k] = lmax;
		d->n[k]++;
		p = end;
	}
	minute_close(d, 0, 55.0);
	minute_close(d, 1, 45.0);
	response_release(&r);
}

/* csv_fields splits one CSV line of plain fields into f[0..13). */
static void csv_fields(const char *line, char f[13][24])
{
	for (int i = 0; i < 13; i++) {
		size_t n = strcspn(line, ",\r\n");
		snprintf(f[i], sizeof(f[i]), "%.*s", (int)n, line);
		line += n + (line[n] == ',');
	}
}

static void expect_number(const char *what, const char *date, const char *got, double want)
{
	if (isnan(want) ? *got != '\0' : (!*got || fabs(strtod(got, NULL) - want) > 1e-6))
		fail_msg("%s %s: got \"%s\", want %g", date, what, got, want);
}

/* The report of a period by day (CSV) and by week (the page): every
 * figure computed here from the stored seconds, weeks as energetic means
 * over the seconds measured (not over days); 92 days at most. */
static void test_reports_by_day_and_week(void **state)
{
	static const struct {
		const char *start, *calibration;
	} imports[] = {
	    {"2026-11-17T19:00:00+08:00", "94"}, /* Tue: 88, 88, 68 */
	    {"2026-11-18T19:00:00+08:00", "84"}, /* Wed: 78, 78, 58 ... */
	    {"2026-11-18T19:00:10+08:00", "84"}, /* ... six seconds */
	    {"2026-11-18T22:00:00+08:00", "74"}, /* Wed night: 68, 68, 48 */
	    {"2026-11-20T05:59:58+08:00", "74"}, /* Thu's night ends, Fri's day begins */
	    {"2026-11-22T21:59:59+08:00", "60"}, /* Sun: 54 by day; 54, 34 at night */
	    {"2026-11-23T19:00:00+08:00", "94"}, /* the next Monday */
	};
	/* 06:00 of Monday 2026-11-16 in Shanghai. */
	const long long mon = 1794780000LL;
	struct day_sum d[8];
	struct client c;
	struct response r;
	char wav[1100], *out = NULL, path[200], f[13][24];
	const char *line;
	long long id;

	(void)state;
	snprintf(wav, sizeof(wav), "%s/report.wav", srv.dir);
	write_wav(wav);
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "meter", "add", "报表分贝仪",
				 "--zone-class", "1", NULL),
			 0);
	free(out);
	for (size_t i = 0; i < sizeof(imports) / sizeof(imports[0]); i++) {
		assert_int_equal(run_cli(&srv, NULL, &out, "noise", "import-audio", "--meter",
					 "报表分贝仪", "--start", imports[i].start, "--calibration",
					 imports[i].calibration, wav, NULL),
				 0);
		free(out);
	}
	login_as(&c, "staff");
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/meters?q=%E6%8A%A5%E8%A1%A8", NULL, &r), 0);
	id = json_int(r.body, "id");
	response_release(&r);
	for (int i = 0; i < 8; i++)
		day_read(&c, id, mon + i * 86400LL, &d[i]);
	/* What was imported is where the dates say. */
	assert_int_equal(d[1].n[0], 3);
	assert_int_equal(d[2].n[0], 6);
	assert_int_equal(d[2].n[1], 3);
	assert_int_equal(d[3].n[1], 2); /* 05:59:58 and :59 close Thursday's night */
	assert_int_equal(d[4].n[0], 1); /* 06:00:00 opens Friday's day */
	assert_int_equal(d[6].n[0], 1);
	assert_int_equal(d[6].n[1], 2);
	assert_int_equal(d[7].n[0], 3);

	/* By day, as CSV. */
	snprintf(path, sizeof(path), "/noise/reports.csv?meter=%lld&from=2026-11-16&to=2026-11-23",
		 id);
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	line = strchr(r.body, '\n');
	assert_non_null(line);
	for (int i = 0; i < 8; i++) {
		double ld = NAN, ln = NAN;
		line++;
		csv_fields(line, f);
		assert_string_equal(f[0], d[i].date);
		if (d[i].n[0])
			ld = 10 * log10(d[i].e[0] / d[i].n[0]);
		if (d[i].n[1])
			ln = 10 * log10(d[i].e[1] / d[i].n[1]);
		expect_number("Ld", f[0], f[1], d[i].n[0] ? tenth(ld) : NAN);
		expect_number("day limit", f[0], f[2], 55);
		expect_number("day over", f[0], f[3], d[i].n[0] ? tenth(ld) > 55 : NAN);
		expect_number("day minutes", f[0], f[4], (double)d[i].minutes[0]);
		expect_number("Ln", f[0], f[5], d[i].n[1] ? tenth(ln) : NAN);
		expect_number("night limit", f[0], f[6], 45);
		expect_number("night over", f[0], f[7], d[i].n[1] ? tenth(ln) > 45 : NAN);
		expect_number("night minutes", f[0], f[8], (double)d[i].minutes[1]);
		expect_number("night Lmax", f[0], f[9], d[i].n[1] ? d[i].lmax[1] / 100.0 : NAN);
		expect_number("night Lmax over", f[0], f[10],
			      d[i].n[1] ? d[i].lmax[1] > 4500 + 1500 : NAN);
		expect_number(
		    "Ldn", f[0], f[11],
		    d[i].n[0] && d[i].n[1]
			? tenth(10 *
				log10((16 * pow(10, ld / 10) + 8 * pow(10, (ln + 10) / 10)) / 24))
			: NAN);
		expect_number("seconds", f[0], f[12], (double)(d[i].n[0] + d[i].n[1]));
		line = strchr(line, '\n');
		assert_non_null(line);
	}
	response_release(&r);

	/* By week, on the page: the energetic mean over the seconds of the
	 * week, and the days over. */
	snprintf(path, sizeof(path), "/noise/reports?meter=%lld&from=2026-11-16&to=2026-11-23", id);
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	/* The chart, laid out for a phone and for a wider screen, draws the
	 * class's GB 3096 limits as labelled lines: day 55, night 45. */
	assert_non_null(strstr(r.body, "id=\"noise-days-n-t\""));
	assert_non_null(strstr(r.body, "id=\"noise-days-t\""));
	assert_int_equal(count(r.body, "class=\"svg-rule\""), 4);
	assert_int_equal(count(r.body, ">昼间限值 55.0</text>"), 2);
	assert_int_equal(count(r.body, ">夜间限值 45.0</text>"), 2);
	for (int w = 0; w < 2; w++) {
		double e[2] = {0, 0};
		long long n[2] = {0, 0}, over[2] = {0, 0};
		char want[200], a[2][16];
		for (int i = w * 7; i < (w ? 8 : 7); i++)
			for (int k = 0; k < 2; k++) {
				if (!d[i].n[k])
					continue;
				e[k] += d[i].e[k];
				n[k] += d[i].n[k];
				over[k] += tenth(10 * log10(d[i].e[k] / d[i].n[k])) > (k ? 45 : 55);
			}
		for (int k = 0; k < 2; k++) {
			if (n[k])
				snprintf(a[k], sizeof(a[k]), "%.1f",
					 tenth(10 * log10(e[k] / n[k])));
			else
				snprintf(a[k], sizeof(a[k]), "—");
		}
		snprintf(want, sizeof(want),
			 "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td>%lld / %lld</td>",
			 d[w * 7].date, a[0], a[1], over[0], over[1]);
		if (!strstr(r.body, want))
			fail_msg("week %s not on the page: %s", d[w * 7].date, want);
	}
	response_release(&r);

	/* A quarter (92 days) is the longest period; one more day is refused. */
	snprintf(path, sizeof(path), "/noise/reports.csv?meter=%lld&from=2026-08-24&to=2026-11-23",
		 id);
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	{
		int rows = 0;
		for (const char *q = r.body; (q = strchr(q, '\n')); q++)
			rows++;
		assert_int_equal(rows, 1 + 92);
	}
	response_release(&r);
	snprintf(path, sizeof(path), "/noise/reports.csv?meter=%lld&from=2026-08-23&to=2026-11-23",
		 id);
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 400);
	response_release(&r);
	client_release(&c);
}

static char hj212_port[8];

/* frame: a real-time noise frame of station MN with password PW, DataTime
 * the Shanghai time of t, LA-Rtd la; Flag 5 asks for an answer. */
static void frame(char *out, size_t n, const char *pw, long long t, const char *la)
{
	char seg[400], dt[16];
	time_t local = (time_t)(t + 8 * 3600);
	struct tm tm;

	gmtime_r(&local, &tm);
	strftime(dt, sizeof(dt), "%Y%m%d%H%M%S", &tm);
	snprintf(seg, sizeof(seg),
		 "QN=%s000;ST=23;CN=2011;PW=%s;MN=010000A8900016F000169DC0;Flag=5;"
		 "CP=&&DataTime=%s;LA-Rtd=%s,LA-Flag=N&&",
		 dt, pw, dt, la);
	snprintf(out, n, "##%04zu%s%04X\r\n", strlen(seg), seg, hj212_crc(seg, strlen(seg)));
}

static int station_connect(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)strtol(hj212_port, NULL, 10))};
	struct timeval tv = {2, 0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* answer: what the server sends back within two seconds ("" for nothing). */
static void answer(int fd, char *out, size_t n)
{
	ssize_t got = recv(fd, out, n - 1, 0);

	out[got > 0 ? got : 0] = '\0';
}

static void send_all(int fd, const char *p, size_t n)
{
	assert_int_equal(send(fd, p, n, MSG_NOSIGNAL), (ssize_t)n);
}

static void test_hj212_station_over_tcp(void **state)
{
	long long t = (long long)time(NULL) - 30;
	char f[512], back[512];
	struct response r;
	int fd;

	(void)state;
	/* 北门 (MN ...9DC0, password 123456) sends 57.9 dB in two pieces with
	 * junk before: reassembled, stored, answered with CN=9014. */
	fd = station_connect();
	frame(f, sizeof(f), "123456", t, "57.9");
	send_all(fd, "\r\nnoise", 7);
	send_all(fd, f, 25);
	usleep(100000);
	send_all(fd, f + 25, strlen(f) - 25);
	answer(fd, back, sizeof(back));
	if (!strstr(back, "ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&"))
		fail_msg("answer: '%s'", back);
	/* The same second again is answered and not stored twice. */
	send_all(fd, f, strlen(f));
	answer(fd, back, sizeof(back));
	assert_non_null(strstr(back, "CN=9014"));

	/* Refused without an answer: a wrong password, a bad CRC, 151 dB. */
	frame(f, sizeof(f), "654321", t + 1, "60.0");
	send_all(fd, f, strlen(f));
	answer(fd, back, sizeof(back));
	assert_string_equal(back, "");
	frame(f, sizeof(f), "123456", t + 2, "61.0");
	f[strlen(f) - 3] = f[strlen(f) - 3] == '0' ? '1' : '0';
	send_all(fd, f, strlen(f));
	answer(fd, back, sizeof(back));
	assert_string_equal(back, "");
	frame(f, sizeof(f), "123456", t + 3, "151");
	send_all(fd, f, strlen(f));
	answer(fd, back, sizeof(back));
	assert_string_equal(back, "");
	/* The start of the password, or more than it, is a wrong password. */
	frame(f, sizeof(f), "12345", t + 5, "62.0");
	send_all(fd, f, strlen(f));
	answer(fd, back, sizeof(back));
	assert_string_equal(back, "");
	frame(f, sizeof(f), "1234567", t + 6, "63.0");
	send_all(fd, f, strlen(f));
	answer(fd, back, sizeof(back));
	assert_string_equal(back, "");
	/* The connection still works after all that. */
	frame(f, sizeof(f), "123456", t + 4, "58.25");
	send_all(fd, f, strlen(f));
	answer(fd, back, sizeof(back));
	assert_non_null(strstr(back, "CN=9014"));
	close(fd);

	/* Stored: the two good seconds, nothing else. */
	{
		struct client staff;
		char path[160];

		login_as(&staff, "staff");
		assert_int_equal(
		    api(&staff, &srv, "GET", "/api/v1/meters?q=%E5%8C%97%E9%97%A8", NULL, &r), 0);
		snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/readings?from=%lld&to=%lld",
			 json_int(r.body, "id"), t, t + 10);
		response_release(&r);
		assert_int_equal(api(&staff, &srv, "GET", path, NULL, &r), 0);
		client_release(&staff);
	}
	assert_int_equal(count(r.body, "\"t\":"), 2);
	assert_non_null(strstr(r.body, "\"laeq\":57.9,\"source\":\"hj212\""));
	assert_non_null(strstr(r.body, "\"laeq\":58.25,\"source\":\"hj212\""));
	response_release(&r);
}

/* hj212_time: the Shanghai wall-clock time of t as HJ 212 writes it. */
static void hj212_time(long long t, char out[16])
{
	time_t local = (time_t)(t + 8 * 3600);
	struct tm tm;

	gmtime_r(&local, &tm);
	strftime(out, 16, "%Y%m%d%H%M%S", &tm);
}

/* stat_frame: a frame of station mn (password pw) with command cn (2051
 * minute, 2061 hour data), QN the Shanghai time of t with milliseconds
 * ms, DataTime the Shanghai time of t, then the CP items; Flag 5 asks for
 * an answer. */
static void stat_frame(char *out, size_t n, int cn, const char *mn, const char *pw, long long t,
		       int ms, const char *items)
{
	char seg[600], dt[16];

	hj212_time(t, dt);
	snprintf(seg, sizeof(seg), "QN=%s%03d;ST=23;CN=%d;PW=%s;MN=%s;Flag=5;CP=&&DataTime=%s;%s&&",
		 dt, ms, cn, pw, mn, dt, items);
	snprintf(out, n, "##%04zu%s%04X\r\n", strlen(seg), seg, hj212_crc(seg, strlen(seg)));
}

#define NORTH_GATE_MN "010000A8900016F000169DC0"

/* answers_until: what the server sends back until it holds want, or
 * until it has been silent for two seconds. */
static void answers_until(int fd, const char *want, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	while (len < n - 1 && !strstr(out, want)) {
		ssize_t got = recv(fd, out + len, n - 1 - len, 0);
		if (got <= 0)
			break;
		len += (size_t)got;
		out[len] = '\0';
	}
}

/* reply_to: the start of the data answer to the frame whose QN is the
 * Shanghai time of t with milliseconds ms. */
static void reply_to(long long t, int ms, char *out, size_t n)
{
	char dt[16];

	hj212_time(t, dt);
	snprintf(out, n, "QN=%s%03d;ST=91;CN=9014;", dt, ms);
}

/* minutes_of: the stored minute and hour rows of meter id over [t0, t1). */
static void minutes_of(long long id, long long t0, long long t1, struct response *r)
{
	struct client staff;
	char path[160];

	login_as(&staff, "staff");
	snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/minutes?from=%lld&to=%lld", id, t0,
		 t1);
	assert_int_equal(api(&staff, &srv, "GET", path, NULL, r), 0);
	assert_int_equal(r->status, 200);
	client_release(&staff);
}

/* energetic: 10 lg(Σ w_i 10^(L_i/10) / Σ w_i), written here from the
 * definition rather than taken from src/. */
static double energetic(const double *level, const double *weight, int n)
{
	double e = 0, w = 0;

	for (int i = 0; i < n; i++) {
		e += weight[i] * pow(10.0, level[i] / 10.0);
		w += weight[i];
	}
	return 10.0 * log10(e / w);
}

static void test_hj212_minute_data_over_tcp(void **state)
{
	/* A date two days ago (Shanghai): its day and night are over and
	 * within the seven days a station may send late. */
	long long now = (long long)time(NULL), day = (now + 8 * 3600) / 86400 - 2;
	long long midnight = day * 86400 - 8 * 3600, m1 = midnight + 10 * 3600;
	long long m2 = m1 + 60, m3 = m1 + 120, m4 = midnight + 23 * 3600;
	char date[16], f[700], g[700], buf[2000], want[64], path[200], from[40], to[40];
	char expect[400], *out = NULL;
	struct client vol;
	struct response r;
	long long id;
	time_t dt = (time_t)(day * 86400);
	struct tm tm;
	int fd;

	(void)state;
	gmtime_r(&dt, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	login_as(&vol, "volunteer");
	assert_int_equal(api(&vol, &srv, "GET", "/api/v1/meters?q=%E5%8C%97%E9%97%A8", NULL, &r),
			 0);
	id = json_int(r.body, "id");
	response_release(&r);

	/* 北门 sends two minutes back to back, cut into three writes at odd
	 * places: both are reassembled, stored and answered in order. */
	fd = station_connect();
	stat_frame(f, sizeof(f), 2051, NORTH_GATE_MN, "123456", m1, 101,
		   "Leq-Data=62.0,Leq-Flag=N;L10-Data=64.5;L50-Data=61.0;L90-Data=58.2;"
		   "LMx-Data=75.3;LMn-Data=55.0");
	stat_frame(g, sizeof(g), 2051, NORTH_GATE_MN, "123456", m2, 102,
		   "Leq-Data=58.4;LMx-Data=66.0");
	snprintf(buf, sizeof(buf), "%s%s", f, g);
	send_all(fd, buf, 17);
	usleep(50000);
	send_all(fd, buf + 17, strlen(f) + 9 - 17);
	usleep(50000);
	send_all(fd, buf + strlen(f) + 9, strlen(buf) - strlen(f) - 9);
	reply_to(m2, 102, want, sizeof(want));
	answers_until(fd, want, buf, sizeof(buf));
	reply_to(m1, 101, want, sizeof(want));
	if (count(buf, "CN=9014") != 2 || strstr(buf, want) != strstr(buf, "QN=") ||
	    !strstr(buf, "PW=123456;MN=" NORTH_GATE_MN ";Flag=4;CP=&&&&"))
		fail_msg("answers: '%s'", buf);
	/* The first minute again (a lost answer): answered, not stored twice. */
	send_all(fd, f, strlen(f));
	answers_until(fd, want, buf, sizeof(buf));
	assert_non_null(strstr(buf, want));

	/* Refused without an answer: 151 dB, a DataTime inside a minute, a
	 * wrong password, no LMx, two decimals too many; the good minute sent
	 * after them is the only one answered. */
	stat_frame(f, sizeof(f), 2051, NORTH_GATE_MN, "123456", m1 + 180, 201,
		   "Leq-Data=151;LMx-Data=152");
	stat_frame(g, sizeof(g), 2051, NORTH_GATE_MN, "123456", m1 + 270, 202,
		   "Leq-Data=60;LMx-Data=70");
	snprintf(buf, sizeof(buf), "%s%s", f, g);
	stat_frame(f, sizeof(f), 2051, NORTH_GATE_MN, "654321", m1 + 300, 203,
		   "Leq-Data=60;LMx-Data=70");
	stat_frame(g, sizeof(g), 2051, NORTH_GATE_MN, "123456", m1 + 360, 204, "Leq-Data=60");
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", f, g);
	stat_frame(f, sizeof(f), 2051, NORTH_GATE_MN, "123456", m1 + 420, 205,
		   "Leq-Data=60.125;LMx-Data=70");
	stat_frame(g, sizeof(g), 2051, NORTH_GATE_MN, "123456", m3, 206,
		   "Leq-Data=65.55;L5-Data=70.1;L95-Data=57.0;LMx-Data=80.0");
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", f, g);
	send_all(fd, buf, strlen(buf));
	reply_to(m3, 206, want, sizeof(want));
	answers_until(fd, want, buf, sizeof(buf));
	if (count(buf, "CN=9014") != 1 || !strstr(buf, want))
		fail_msg("answers: '%s'", buf);

	/* Hour data (CN=2061) from 10:00 and the night minute at 23:00. */
	stat_frame(f, sizeof(f), 2061, NORTH_GATE_MN, "123456", m1, 301,
		   "Leq-Data=60.0;LMx-Data=80.5");
	stat_frame(g, sizeof(g), 2051, NORTH_GATE_MN, "123456", m4, 302,
		   "Leq-Data=52.3;LMx-Data=68.0");
	snprintf(buf, sizeof(buf), "%s%s", f, g);
	send_all(fd, buf, strlen(buf));
	reply_to(m4, 302, want, sizeof(want));
	answers_until(fd, want, buf, sizeof(buf));
	assert_int_equal(count(buf, "CN=9014"), 2);
	close(fd);

	/* Stored: the three minutes and the hour, each once, as sent. */
	minutes_of(id, m1, m1 + 600, &r);
	if (count(r.body, "\"t\":") != 4 ||
	    !strstr(r.body, "\"span_s\":60,\"leq\":62.0,\"l10\":64.5,\"l50\":61.0,"
			    "\"l90\":58.2,\"lmax\":75.3,\"lmin\":55.0,\"source\":\"hj212\"}") ||
	    !strstr(r.body, "\"span_s\":3600,\"leq\":60.0,\"lmax\":80.5,\"source\"") ||
	    !strstr(r.body, "\"span_s\":60,\"leq\":58.4,\"lmax\":66.0,\"source\"") ||
	    !strstr(r.body, "\"leq\":65.55,\"l5\":70.1,\"l95\":57.0,\"lmax\":80.0,"))
		fail_msg("minutes: %s", r.body);
	snprintf(expect, sizeof(expect), "{\"t\":%lld,\"span_s\":60,", m1);
	assert_int_equal(count(r.body, expect), 1);
	response_release(&r);
	/* A window longer than a day is refused. */
	snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/minutes?from=%lld&to=%lld", id, m1,
		 m1 + 86401);
	assert_int_equal(api(&vol, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 400);
	response_release(&r);

	/* The date holds only minute data: each minute is 60 s at its LAeq.
	 * Day (class 2, limit 60): 62.0, 58.4, 65.55 dB, two minutes over,
	 * Lmax 80.0 (the hour's 80.5 is not used); night (limit 50): 52.3
	 * dB, its maximum 68.0 above 50 + 15. */
	{
		const double day_l[] = {62.0, 58.4, 65.55}, w[] = {60, 60, 60};
		double ld = energetic(day_l, w, 3), ln = 52.3;
		double ldn =
		    10.0 *
		    log10((16.0 * pow(10.0, ld / 10.0) + 8.0 * pow(10.0, (ln + 10.0) / 10.0)) /
			  24.0);

		snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/assessment?date=%s", id,
			 date);
		assert_int_equal(api(&vol, &srv, "GET", path, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		snprintf(expect, sizeof(expect),
			 "\"day\":{\"from\":\"06:00\",\"to\":\"22:00\",\"limit\":60.0,"
			 "\"seconds\":180,\"exceeded\":true,\"minutes_over\":2,\"laeq\":%.1f,"
			 "\"lmax\":80.0}",
			 round(ld * 10.0) / 10.0);
		if (!strstr(r.body, expect))
			fail_msg("assessment: %s\nwant %s", r.body, expect);
		if (!strstr(r.body, "\"night\":{\"from\":\"22:00\",\"to\":\"06:00\","
				    "\"limit\":50.0,\"seconds\":60,\"exceeded\":true,"
				    "\"minutes_over\":1,\"laeq\":52.3,\"lmax\":68.0,"
				    "\"lmax_limit\":65.0,\"lmax_exceeded\":true}"))
			fail_msg("assessment: %s", r.body);
		snprintf(expect, sizeof(expect), "\"ldn\":%.1f}", round(ldn * 10.0) / 10.0);
		if (!strstr(r.body, expect))
			fail_msg("assessment: %s\nwant %s", r.body, expect);
		response_release(&r);

		/* The report over the three minutes: no 1-s levels, so no LN. */
		iso(m1, 1, from, sizeof(from));
		iso(m3 + 60, 0, to, sizeof(to));
		assert_int_equal(run_cli(&srv, NULL, &out, "noise", "report", "--meter", "北门",
					 "--from", from, "--to", to, "--json", NULL),
				 0);
		snprintf(expect, sizeof(expect),
			 "{\"laeq\":%.1f,\"lmax\":80.0,\"l10\":null,\"l50\":null,"
			 "\"l90\":null,\"seconds\":180}",
			 round(ld * 10.0) / 10.0);
		if (!strstr(out, expect))
			fail_msg("report: %s\nwant %s", out, expect);
		free(out);
	}

	/* A second stored in the second minute: that minute now counts its
	 * seconds, not its minute row (one second at 70 dB). */
	fd = station_connect();
	frame(f, sizeof(f), "123456", m2 + 30, "70.0");
	send_all(fd, f, strlen(f));
	answer(fd, buf, sizeof(buf));
	assert_non_null(strstr(buf, "CN=9014"));
	close(fd);
	{
		const double l[] = {62.0, 70.0, 65.55}, w[] = {60, 1, 60};
		double ld = energetic(l, w, 3);

		assert_int_equal(api(&vol, &srv, "GET", path, NULL, &r), 0);
		snprintf(expect, sizeof(expect),
			 "\"seconds\":121,\"exceeded\":true,\"minutes_over\":3,\"laeq\":%.1f,"
			 "\"lmax\":80.0}",
			 round(ld * 10.0) / 10.0);
		if (!strstr(r.body, expect))
			fail_msg("assessment: %s\nwant %s", r.body, expect);
		response_release(&r);
		assert_int_equal(run_cli(&srv, NULL, &out, "noise", "report", "--meter", "北门",
					 "--from", from, "--to", to, "--json", NULL),
				 0);
		snprintf(expect, sizeof(expect),
			 "{\"laeq\":%.1f,\"lmax\":80.0,\"l10\":70.0,\"l50\":70.0,"
			 "\"l90\":70.0,\"seconds\":121}",
			 round(ld * 10.0) / 10.0);
		if (!strstr(out, expect))
			fail_msg("report: %s\nwant %s", out, expect);
		free(out);
	}
	/* A minute only partly inside the window is left out: to 10:02:30,
	 * the first minute and the second. */
	{
		const double l[] = {62.0, 70.0}, w[] = {60, 1};

		iso(m3 + 30, 1, to, sizeof(to));
		assert_int_equal(run_cli(&srv, NULL, &out, "noise", "report", "--meter", "北门",
					 "--from", from, "--to", to, NULL),
				 0);
		snprintf(expect, sizeof(expect), "LAeq %.1f dB(A)\n",
			 round(energetic(l, w, 2) * 10.0) / 10.0);
		if (!strstr(out, expect) || !strstr(out, "seconds with data: 61\n") ||
		    !strstr(out, "of which from minute data: 1 min"))
			fail_msg("report: %s\nwant %s", out, expect);
		free(out);
	}
	client_release(&vol);
}

static void test_hj212_minute_calibration(void **state)
{
	long long m = ((long long)time(NULL) / 60 - 5) * 60, id;
	char f[700], buf[600], want[64], *out = NULL;
	struct client sec;
	struct response r;
	const char *p;
	int fd;

	(void)state;
	/* A station whose meter reads 1.5 dB low. */
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "meter", "add", "东门站", "--mn",
				 "LINLI0002", "--password", "A1b2C3", NULL),
			 0);
	p = strstr(out, "meter ");
	assert_non_null(p);
	id = atoll(p + 6);
	free(out);
	login_as(&sec, "secretary");
	snprintf(buf, sizeof(buf), "/api/v1/meters/%lld", id);
	assert_int_equal(api(&sec, &srv, "PATCH", buf, "{\"calibration_centi\":150}", &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	client_release(&sec);

	fd = station_connect();
	stat_frame(f, sizeof(f), 2051, "LINLI0002", "A1b2C3", m, 7,
		   "Leq-Data=50;L10-Data=52.25;LMx-Data=60.25;LMn-Data=41.5");
	send_all(fd, f, strlen(f));
	reply_to(m, 7, want, sizeof(want));
	answers_until(fd, want, buf, sizeof(buf));
	assert_non_null(strstr(buf, want));
	close(fd);
	minutes_of(id, m, m + 60, &r);
	if (!strstr(r.body, "\"span_s\":60,\"leq\":51.5,\"l10\":53.75,\"lmax\":61.75,"
			    "\"lmin\":43.0,\"source\":\"hj212\""))
		fail_msg("minutes: %s", r.body);
	response_release(&r);
}

/* hj212_setup: a free loopback port for the HJ 212 listener, then the server. */
static int hj212_setup(void **state)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	static char listen_arg[32];

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	snprintf(hj212_port, sizeof(hj212_port), "%u", (unsigned)ntohs(a.sin_port));
	close(fd);
	snprintf(listen_arg, sizeof(listen_arg), "127.0.0.1:%s", hj212_port);
	server_extra_args[0] = "--hj212-listen";
	server_extra_args[1] = listen_arg;
	return srv_setup(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(setup_meter),
	    cmocka_unit_test(test_batch_is_stored_once),
	    cmocka_unit_test(test_rollups_follow_the_readings),
	    cmocka_unit_test(test_bad_reading_stores_nothing),
	    cmocka_unit_test(test_only_meters_send_and_meters_only_send),
	    cmocka_unit_test(test_cli_meter_add_and_report),
	    cmocka_unit_test(test_cli_import_audio),
	    cmocka_unit_test(test_assessment_against_gb3096),
	    cmocka_unit_test(test_assessment_follows_the_areas_night),
	    cmocka_unit_test(test_reports_by_day_and_week),
	    cmocka_unit_test(test_hj212_station_over_tcp),
	    cmocka_unit_test(test_hj212_minute_data_over_tcp),
	    cmocka_unit_test(test_hj212_minute_calibration),
	};
	return cmocka_run_group_tests(tests, hj212_setup, srv_teardown);
}
