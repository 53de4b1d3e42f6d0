/* HTTP tests of the HJ 212 listener's limits against the real server: a
 * crowd of connections that never authenticate cannot keep a station out
 * (their pool is capped, per address too, the oldest pushed out); a new
 * connection has hj212_auth_timeout seconds to send a frame with a known
 * MN and password, and a station may stay silent hj212_idle_timeout
 * seconds, bytes that are no such frame resetting neither; a reconnecting
 * station replaces its old connection; a station that never reads its
 * answers is dropped while the others are served; 300 stations at once,
 * one frame a second each, are all answered and all stored. Connections
 * come from several loopback addresses (127.0.0.N) and go to 127.0.0.1
 * only. */
#include "checks.h"

#include <errno.h>
#include <poll.h>
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

#define AUTH_S	  2  /* hj212_auth_timeout of this server */
#define IDLE_S	  3  /* hj212_idle_timeout of this server */
#define POOL	  64 /* hj212_pending_max: its default */
#define PER_IP	  8  /* hj212_pending_per_ip: its default */
#define SETTLE_MS 200

static char hj212_port[8];

/* The stations registered by setup_stations. */
static const char *const mn[3] = {"LINLIT001", "LINLIT002", "LINLIT003"};
static const char *const pw[3] = {"111111", "222222", "333333"};
static long long meter[3];

static long long mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* sleep_ms: ms milliseconds; none when ms is not positive. */
static void sleep_ms(long long ms)
{
	if (ms > 0)
		usleep((useconds_t)(ms * 1000));
}

/* frame: a real-time frame of station k (password p) for second t, LA-Rtd
 * 55.5; Flag 5 asks for an answer. The QN (the time of t) goes to qn. */
static void frame(char *out, size_t n, int k, const char *p, long long t, char qn[24])
{
	char seg[400], dt[16];
	time_t local = (time_t)(t + 8 * 3600);
	struct tm tm;

	gmtime_r(&local, &tm);
	strftime(dt, sizeof(dt), "%Y%m%d%H%M%S", &tm);
	snprintf(qn, 24, "%s000", dt);
	snprintf(seg, sizeof(seg),
		 "QN=%s;ST=23;CN=2011;PW=%s;MN=%s;Flag=5;CP=&&DataTime=%s;LA-Rtd=55.5,LA-Flag=N&&",
		 qn, p, mn[k], dt);
	snprintf(out, n, "##%04zu%s%04X\r\n", strlen(seg), seg, hj212_crc(seg, strlen(seg)));
}

/* connect_from: a connection to the listener from loopback address from
 * ("127.0.0.N"); rcvbuf > 0 shrinks its receive buffer first. */
static int connect_from(const char *from, int rcvbuf)
{
	struct sockaddr_in a = {.sin_family = AF_INET}, to = {.sin_family = AF_INET};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(inet_pton(AF_INET, from, &a.sin_addr), 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	if (rcvbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons((uint16_t)strtol(hj212_port, NULL, 10));
	assert_int_equal(connect(fd, (struct sockaddr *)&to, sizeof(to)), 0);
	return fd;
}

/* closed: the server has closed fd (what it had sent is read and thrown
 * away); never waits. */
static int closed(int fd)
{
	char junk[4096];

	for (;;) {
		ssize_t n = recv(fd, junk, sizeof(junk), MSG_DONTWAIT);
		if (n > 0)
			continue;
		return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
	}
}

/* closed_at: when (mono_ms) the server closes fd, waiting until limit;
 * -1 if it is still open then. */
static long long closed_at(int fd, long long limit)
{
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		long long now = mono_ms();
		if (closed(fd))
			return now;
		if (now >= limit)
			return -1;
		poll(&p, 1, (int)(limit - now));
	}
}

/* roundtrip: station k sends its reading of second t on fd; the
 * milliseconds until the answer to it came, or -1 after limit_ms. */
static long long roundtrip(int fd, int k, long long t, long long limit_ms)
{
	char f[512], qn[24], back[8192];
	long long t0 = mono_ms();
	size_t len = 0;

	frame(f, sizeof(f), k, pw[k], t, qn);
	if (send(fd, f, strlen(f), MSG_NOSIGNAL) != (ssize_t)strlen(f))
		return -1;
	back[0] = '\0';
	while (!(strstr(back, qn) && strstr(back, "CN=9014"))) {
		struct pollfd p = {fd, POLLIN, 0};
		long long left = t0 + limit_ms - mono_ms();
		ssize_t n;
		if (left <= 0 || poll(&p, 1, (int)left) != 1)
			return -1;
		if (len == sizeof(back) - 1)
			len = 0; /* older answers: only the latest matters */
		n = recv(fd, back + len, sizeof(back) - 1 - len, 0);
		if (n <= 0)
			return -1;
		len += (size_t)n;
		back[len] = '\0';
	}
	return mono_ms() - t0;
}

/* stored: how many readings of station k lie in [t0, t1], through the API
 * (whose to is exclusive). */
static int stored(int k, long long t0, long long t1)
{
	struct client staff;
	struct response r;
	char path[160];
	int n = 0;
	const char *p;

	login_as(&staff, "staff");
	snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/readings?from=%lld&to=%lld",
		 meter[k], t0, t1 + 1);
	assert_int_equal(api(&staff, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	for (p = r.body; (p = strstr(p, "\"t\":")); p++)
		n++;
	response_release(&r);
	client_release(&staff);
	return n;
}

static void setup_stations(void **state)
{
	(void)state;
	for (int k = 0; k < 3; k++) {
		char name[32], *out = NULL;
		const char *p;

		snprintf(name, sizeof(name), "测试站%d", k + 1);
		assert_int_equal(run_cli(&srv, NULL, &out, "noise", "meter", "add", name, "--mn",
					 mn[k], "--password", pw[k], NULL),
				 0);
		p = strstr(out, "meter ");
		assert_non_null(p);
		meter[k] = atoll(p + 6);
		assert_true(meter[k] > 0);
		free(out);
	}
}

/* A crowd as large as the pool and more, from nine addresses, cannot keep
 * a station out nor push a connected station out. */
static void test_crowd_cannot_keep_stations_out(void **state)
{
	int crowd[POOL + 7], station, late, n = 0;
	long long t = (long long)time(NULL) - 120, start;
	char from[16];

	(void)state;
	station = connect_from("127.0.0.1", 0);
	assert_true(roundtrip(station, 0, t, 2000) >= 0);

	start = mono_ms();
	for (int a = 2; a <= 9; a++) {
		snprintf(from, sizeof(from), "127.0.0.%d", a);
		for (int i = 0; i < PER_IP; i++)
			crowd[n++] = connect_from(from, 0);
	}
	sleep_ms(SETTLE_MS);
	/* The pool holds 64: all are still there. */
	for (int i = 0; i < POOL; i++)
		if (closed(crowd[i]))
			fail_msg("connection %d of %d closed before the pool was full", i + 1,
				 POOL);
	/* One more: the oldest goes, the new one stays. */
	crowd[n++] = connect_from("127.0.0.10", 0);
	sleep_ms(SETTLE_MS);
	assert_true(closed(crowd[0]));
	for (int i = 1; i < n; i++)
		if (closed(crowd[i]))
			fail_msg("connection %d closed; only the oldest should go", i + 1);
	for (int i = 0; i < 6; i++)
		crowd[n++] = connect_from("127.0.0.10", 0);

	/* A station connecting now gets in and its reading is stored. */
	late = connect_from("127.0.0.1", 0);
	if (roundtrip(late, 2, t, 1000) < 0)
		fail_msg("a station found no room behind %d idle connections", n);
	/* The connected one was not pushed out, and is still served. */
	assert_false(closed(station));
	assert_true(roundtrip(station, 0, t + 1, 1000) >= 0);
	/* All of that happened before the crowd's deadline. */
	assert_true(mono_ms() - start < AUTH_S * 1000);
	assert_int_equal(stored(2, t, t), 1);
	assert_int_equal(stored(0, t, t + 1), 2);
	for (int i = 0; i < n; i++)
		close(crowd[i]);
	close(station);
	close(late);
	sleep_ms(SETTLE_MS);
}

/* One address holds at most 8 unauthenticated connections: the ninth
 * pushes out its oldest, not another address's, and a station from that
 * address still gets in and is not counted against it. */
static void test_per_address_cap(void **state)
{
	int other, mine[PER_IP + 2], station;
	long long t = (long long)time(NULL) - 100;

	(void)state;
	other = connect_from("127.0.0.21", 0);
	sleep_ms(50);
	for (int i = 0; i < PER_IP; i++)
		mine[i] = connect_from("127.0.0.20", 0);
	sleep_ms(SETTLE_MS);
	for (int i = 0; i < PER_IP; i++)
		if (closed(mine[i]))
			fail_msg("connection %d of %d from one address closed", i + 1, PER_IP);
	mine[PER_IP] = connect_from("127.0.0.20", 0);
	sleep_ms(SETTLE_MS);
	assert_true(closed(mine[0]));
	for (int i = 1; i <= PER_IP; i++)
		if (closed(mine[i]))
			fail_msg("connection %d from the address closed; only its oldest should go",
				 i + 1);
	assert_false(closed(other));

	station = connect_from("127.0.0.20", 0);
	assert_true(roundtrip(station, 1, t, 1000) >= 0);
	assert_true(closed(mine[1]));
	/* Seven wait from that address now, besides the station: one more
	 * pushes nobody out. */
	mine[PER_IP + 1] = connect_from("127.0.0.20", 0);
	sleep_ms(SETTLE_MS);
	for (int i = 2; i <= PER_IP + 1; i++)
		if (closed(mine[i]))
			fail_msg("connection %d closed, as if the station still counted", i + 1);
	assert_false(closed(station));
	for (int i = 0; i < PER_IP + 2; i++)
		close(mine[i]);
	close(other);
	close(station);
	sleep_ms(SETTLE_MS);
}

/* A new connection has AUTH_S seconds for a frame with a known MN and
 * password: junk every half second and a frame with a wrong password do
 * not count; a good frame does. */
static void test_authentication_deadline(void **state)
{
	long long t0 = mono_ms(), t = (long long)time(NULL) - 80, end1, end2;
	int trickle = connect_from("127.0.0.1", 0), wrong = connect_from("127.0.0.1", 0);
	int good = connect_from("127.0.0.1", 0);
	char f[512], qn[24];

	(void)state;
	frame(f, sizeof(f), 1, "999999", t, qn);
	assert_int_equal(send(wrong, f, strlen(f), MSG_NOSIGNAL), (ssize_t)strlen(f));
	assert_true(roundtrip(good, 1, t, 1000) >= 0);
	for (int i = 1; i * 500 < AUTH_S * 1000; i++) {
		sleep_ms(t0 + i * 500 - mono_ms());
		assert_int_equal(send(trickle, "x", 1, MSG_NOSIGNAL), 1);
	}
	/* Half a second before the deadline all are open. */
	assert_true(mono_ms() - t0 < AUTH_S * 1000);
	assert_false(closed(trickle));
	assert_false(closed(wrong));
	/* Closed at the deadline, within a second. */
	end1 = closed_at(trickle, t0 + AUTH_S * 1000 + 1000);
	end2 = closed_at(wrong, t0 + AUTH_S * 1000 + 1000);
	if (end1 < 0 || end2 < 0)
		fail_msg("unauthenticated connections still open %d s after the deadline", 1);
	assert_true(end1 - t0 >= AUTH_S * 1000);
	assert_true(end2 - t0 >= AUTH_S * 1000);
	/* The authenticated one outlives the deadline. */
	assert_false(closed(good));
	close(trickle);
	close(wrong);
	close(good);
}

/* A station may stay silent IDLE_S seconds; its frames restart the clock,
 * junk does not. */
static void test_idle_timeout(void **state)
{
	long long t = (long long)time(NULL) - 60, t0, t1, end;
	int fd = connect_from("127.0.0.1", 0);

	(void)state;
	assert_true(roundtrip(fd, 2, t, 1000) >= 0);
	t0 = mono_ms();
	sleep_ms(IDLE_S * 1000 - 500);
	assert_false(closed(fd));
	t1 = mono_ms();
	assert_true(roundtrip(fd, 2, t + 1, 1000) >= 0);
	/* Past the first frame's timeout, junk only. */
	sleep_ms(t0 + IDLE_S * 1000 + 500 - mono_ms());
	assert_int_equal(send(fd, "x", 1, MSG_NOSIGNAL), 1);
	sleep_ms(t1 + IDLE_S * 1000 - 1000 - mono_ms());
	assert_int_equal(send(fd, "x", 1, MSG_NOSIGNAL), 1);
	sleep_ms(t1 + IDLE_S * 1000 - 500 - mono_ms());
	assert_false(closed(fd));
	end = closed_at(fd, t1 + IDLE_S * 1000 + 1000);
	if (end < 0)
		fail_msg("a silent station still connected %d s after the idle timeout", 1);
	assert_true(end - t1 >= IDLE_S * 1000);
	close(fd);
}

/* A station that connects again replaces its old connection. */
static void test_station_reconnects(void **state)
{
	long long t = (long long)time(NULL) - 40;
	int old = connect_from("127.0.0.1", 0), now;

	(void)state;
	assert_true(roundtrip(old, 2, t, 1000) >= 0);
	now = connect_from("127.0.0.1", 0);
	assert_false(closed(old));
	assert_true(roundtrip(now, 2, t + 1, 1000) >= 0);
	assert_true(closed_at(old, mono_ms() + 1000) >= 0);
	assert_true(roundtrip(now, 2, t + 2, 1000) >= 0);
	assert_int_equal(stored(2, t, t + 2), 3);
	close(now);
}

/* A station that sends and never reads its answers is dropped; another
 * is answered within a second all along. */
static void test_station_that_does_not_read(void **state)
{
	long long t = (long long)time(NULL) - 400, worst = 0;
	int deaf = connect_from("127.0.0.1", 2048), good = connect_from("127.0.0.2", 0);
	struct timeval tv = {1, 0};
	int sent = 0, asked = 0, dropped = 0;
	char f[512], qn[24];

	(void)state;
	setsockopt(deaf, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	frame(f, sizeof(f), 1, pw[1], t, qn);
	while (sent < 100000 && !dropped) {
		ssize_t n = send(deaf, f, strlen(f), MSG_NOSIGNAL);
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
			dropped = 1;
		else if (n > 0 && ++sent % 100 != 0)
			continue;
		/* Every 100 frames, and whenever the deaf one cannot send. */
		long long ms = roundtrip(good, 0, t + asked, 1000);
		if (ms < 0) {
			close(deaf); /* else an old server would stay blocked in send() */
			fail_msg("a station was not answered within 1 s while another sent %d "
				 "frames and read nothing",
				 sent);
		}
		worst = ms > worst ? ms : worst;
		asked++;
	}
	if (!dropped)
		fail_msg("a station that read none of %d answers is still connected", sent);
	print_message("# dropped after %d frames; the other station waited %lld ms at most\n", sent,
		      worst);
	assert_true(asked >= 2); /* asked at least once while the deaf one was there */
	assert_int_equal(stored(0, t, t + asked), asked);
	close(deaf);
	close(good);
}

#define CITY	    300 /* stations of test_many_stations */
#define CITY_ROUNDS 3	/* seconds each sends, after its first frame */

/* city_frame: the real-time frame of city station i (MN LINLIC1000 + i,
 * password 212212) for second t, answer wanted, LA-Rtd db dB (0: one of
 * 40.5..79.5); its length. */
static int city_frame(char *out, size_t n, int i, long long t, int db)
{
	char seg[300], dt[16];
	time_t local = (time_t)(t + 8 * 3600);
	struct tm tm;
	int len;

	gmtime_r(&local, &tm);
	strftime(dt, sizeof(dt), "%Y%m%d%H%M%S", &tm);
	len = snprintf(seg, sizeof(seg),
		       "QN=%s000;ST=23;CN=2011;PW=212212;MN=LINLIC%d;Flag=5;CP=&&DataTime=%s;"
		       "LA-Rtd=%d.5,LA-Flag=N&&",
		       dt, 1000 + i, dt, db ? db : 40 + i % 40);
	return snprintf(out, n, "##%04d%s%04X\r\n", len, seg, hj212_crc(seg, (size_t)len));
}

/* answers_within waits up to limit (mono_ms) for one answer (CN=9014) on
 * each fd[i] with want[i] set, clearing it and noting when in at[i];
 * returns how many are still missing. A closed connection stays missing. */
static int answers_within(const int *fd, int *want, long long *at, int n, long long limit)
{
	struct pollfd p[CITY];
	int missing = 0;

	for (;;) {
		int k = 0;
		for (int i = 0; i < n; i++)
			if (want[i])
				p[k++] = (struct pollfd){fd[i], POLLIN, 0};
		missing = k;
		if (!k || mono_ms() >= limit || poll(p, (nfds_t)k, (int)(limit - mono_ms())) <= 0)
			return missing;
		for (int i = 0, j = 0; i < n; i++) {
			char back[512];
			ssize_t got;
			if (!want[i])
				continue;
			if (!(p[j++].revents & POLLIN))
				continue;
			got = recv(fd[i], back, sizeof(back) - 1, MSG_DONTWAIT);
			if (got <= 0)
				continue;
			back[got] = '\0';
			if (strstr(back, "CN=9014")) {
				want[i] = 0;
				at[i] = mono_ms();
			}
		}
	}
}

/* 300 stations connect (from eight addresses, 40 dialling at a time, as
 * the pool allows) and send one frame a second each, the answer asked:
 * every frame is answered, no connection is closed, and every answered
 * frame is in the database. */
static void test_many_stations(void **state)
{
	static int fd[CITY], want[CITY];
	static long long sent[CITY], at[CITY];
	long long t = (long long)time(NULL) - 300, worst = 0;
	char f[512], from[16], count[32], sql[512];
	int missing;

	(void)state;
	snprintf(sql, sizeof(sql),
		 "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
		 " INSERT INTO meters (area_id, name, zone_class, mn, hj212_password)"
		 " SELECT m.area_id, 'city' || n.i, '1', 'LINLIC' || (1000 + n.i), '212212'"
		 " FROM n, meters m WHERE m.mn = 'LINLIT001';",
		 CITY - 1);
	sql_exec(sql);
	for (int i = 0; i < CITY; i += 40) {
		for (int k = i; k < i + 40 && k < CITY; k++) {
			int len = city_frame(f, sizeof(f), k, t, 0);
			snprintf(from, sizeof(from), "127.0.0.%d", 40 + k % 8);
			fd[k] = connect_from(from, 0);
			assert_int_equal(send(fd[k], f, (size_t)len, MSG_NOSIGNAL), len);
			want[k] = 1;
		}
		missing = answers_within(fd + i, want + i, at + i, CITY - i < 40 ? CITY - i : 40,
					 mono_ms() + 5000);
		if (missing)
			fail_msg("%d stations of %d..%d not answered their first frame", missing, i,
				 i + 39);
	}
	for (int r = 1; r <= CITY_ROUNDS; r++) {
		long long start = mono_ms();
		/* The stations' frames spread over the second. */
		for (int k = 0; k < CITY; k++) {
			int len = city_frame(f, sizeof(f), k, t + r, 0);
			/* Reading the answers meanwhile, so each is timed. */
			answers_within(fd, want, at, k, start + k * 1000 / CITY);
			sleep_ms(start + k * 1000 / CITY - mono_ms());
			sent[k] = mono_ms();
			assert_int_equal(send(fd[k], f, (size_t)len, MSG_NOSIGNAL), len);
			want[k] = 1;
		}
		missing = answers_within(fd, want, at, CITY, mono_ms() + 5000);
		if (missing)
			fail_msg("round %d: %d of %d frames not answered within 5 s", r, missing,
				 CITY);
		for (int k = 0; k < CITY; k++)
			worst = at[k] - sent[k] > worst ? at[k] - sent[k] : worst;
	}
	for (int k = 0; k < CITY; k++)
		if (closed(fd[k]))
			fail_msg("station %d was closed", k);
	snprintf(
	    sql, sizeof(sql),
	    "SELECT COUNT(*) FROM noise_readings r JOIN meters m ON m.id = r.meter_id"
	    " WHERE m.mn LIKE 'LINLIC%%' AND r.source = 'hj212' AND r.t BETWEEN %lld AND %lld;",
	    t, t + CITY_ROUNDS);
	sql_query(count, sizeof(count), sql);
	assert_int_equal(strtol(count, NULL, 10), CITY * (CITY_ROUNDS + 1));
	/* Stored many stations at once, each second is in its minute too
	 * (the reports read the minutes; docs/scale.md). */
	snprintf(sql, sizeof(sql),
		 "SELECT COALESCE(SUM(u.seconds), 0) FROM noise_rollup_minutes u JOIN meters m"
		 " ON m.id = u.meter_id WHERE m.mn LIKE 'LINLIC%%' AND u.t BETWEEN %lld AND %lld;",
		 t - 60, t + CITY_ROUNDS);
	sql_query(count, sizeof(count), sql);
	assert_int_equal(strtol(count, NULL, 10), CITY * (CITY_ROUNDS + 1));
	print_message("# %d stations, %d frames each: all answered and stored, the slowest answer "
		      "in %lld ms\n",
		      CITY, CITY_ROUNDS + 1, worst);
	for (int k = 0; k < CITY; k++)
		close(fd[k]);
}

/* Readings of many stations stored at once still go past the alert
 * rules, and only the rules that watch them: a rule on one city meter
 * opens an alert on its loud second, its neighbour's equally loud second
 * in the same transaction opens none. */
static void test_many_stations_meet_their_rules(void **state)
{
	long long t = (long long)time(NULL) - 30;
	int fd[2], want[2] = {1, 1};
	long long at[2];
	char f[512], sql[512], count[32];

	(void)state;
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO noise_alert_rules (area_id, name, meter_id, kind, window_s, open_case)"
	    " SELECT area_id, 'city-loud', id, 'laeq_limit', 1, 0 FROM meters"
	    " WHERE mn = 'LINLIC1000';");
	sql_exec(sql);
	for (int k = 0; k < 2; k++)
		fd[k] = connect_from("127.0.0.50", 0);
	/* Both frames before either answer: one batch, most likely. */
	for (int k = 0; k < 2; k++) {
		int len = city_frame(f, sizeof(f), k, t, 120);
		assert_int_equal(send(fd[k], f, (size_t)len, MSG_NOSIGNAL), len);
	}
	assert_int_equal(answers_within(fd, want, at, 2, mono_ms() + 5000), 0);
	for (int k = 0; k < 2; k++) {
		snprintf(sql, sizeof(sql),
			 "SELECT COUNT(*) FROM noise_alerts a JOIN meters m ON m.id = a.meter_id"
			 " WHERE m.mn = 'LINLIC%d' AND a.opened_t = %lld;",
			 1000 + k, t);
		sql_query(count, sizeof(count), sql);
		assert_int_equal(strtol(count, NULL, 10), k == 0 ? 1 : 0);
		close(fd[k]);
	}
}

/* hj212_setup: a free loopback port for the listener, short deadlines,
 * then the server. */
static int hj212_setup(void **state)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	static char listen_arg[32], auth[8], idle[8];

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	snprintf(hj212_port, sizeof(hj212_port), "%u", (unsigned)ntohs(a.sin_port));
	close(fd);
	snprintf(listen_arg, sizeof(listen_arg), "127.0.0.1:%s", hj212_port);
	server_extra_args[0] = "--hj212-listen";
	server_extra_args[1] = listen_arg;
	snprintf(auth, sizeof(auth), "%d", AUTH_S);
	snprintf(idle, sizeof(idle), "%d", IDLE_S);
	setenv("LINLI_HJ212_AUTH_TIMEOUT", auth, 1);
	setenv("LINLI_HJ212_IDLE_TIMEOUT", idle, 1);
	return srv_setup(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(setup_stations),
	    cmocka_unit_test(test_crowd_cannot_keep_stations_out),
	    cmocka_unit_test(test_per_address_cap),
	    cmocka_unit_test(test_authentication_deadline),
	    cmocka_unit_test(test_idle_timeout),
	    cmocka_unit_test(test_station_reconnects),
	    cmocka_unit_test(test_station_that_does_not_read),
	    cmocka_unit_test(test_many_stations),
	    cmocka_unit_test(test_many_stations_meet_their_rules),
	};
	return cmocka_run_group_tests(tests, hj212_setup, srv_teardown);
}
