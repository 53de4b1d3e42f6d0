/* Settings precedence (defaults < linli.conf < LINLI_* < flags) and the
 * errors a mistyped config file gets. */
#include "cli/cli.h"
#include "base/err.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static char conf_path[64];

static void write_conf(const char *text)
{
	FILE *f;

	snprintf(conf_path, sizeof(conf_path), "/tmp/linli-conf.XXXXXX");
	int fd = mkstemp(conf_path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
}

static void clear_env(void)
{
	unsetenv("LINLI_DB");
	unsetenv("LINLI_LISTEN");
	unsetenv("LINLI_THREADS");
	unsetenv("LINLI_CONFIG");
}

static void defaults_without_a_file(void **state)
{
	struct config cfg;
	char *argv[] = {"linli", "serve", "--config", "/nonexistent/linli.conf", NULL};

	(void)state;
	clear_env();
	/* A file named explicitly must exist. */
	assert_int_not_equal(config_load(&cfg, 4, argv), 0);
	char *argv2[] = {"linli", "serve", NULL};
	assert_int_equal(config_load(&cfg, 2, argv2), 0);
	assert_string_equal(cfg.db, "sqlite:linli.db");
	assert_string_equal(cfg.listen, "127.0.0.1:8080");
	assert_int_equal(cfg.threads, 4);
}

static void file_then_environment_then_flags(void **state)
{
	struct config cfg;

	(void)state;
	clear_env();
	write_conf("# a comment\n\ndb = sqlite:/srv/linli/area.db\nlisten = 0.0.0.0:9000\n"
		   "threads = 8\nsecure_cookies = yes\n");
	char *argv[] = {"linli", "serve", "--config", conf_path, NULL};
	assert_int_equal(config_load(&cfg, 4, argv), 0);
	assert_string_equal(cfg.db, "sqlite:/srv/linli/area.db");
	assert_string_equal(cfg.listen, "0.0.0.0:9000");
	assert_int_equal(cfg.threads, 8);
	assert_int_equal(cfg.secure_cookies, 1);

	setenv("LINLI_LISTEN", "127.0.0.1:7000", 1);
	assert_int_equal(config_load(&cfg, 4, argv), 0);
	assert_string_equal(cfg.listen, "127.0.0.1:7000");
	assert_string_equal(cfg.db, "sqlite:/srv/linli/area.db");

	char *flags[] = {"--listen", "127.0.0.1:6000", "--db", "postgres://x@127.0.0.1/y"};
	assert_int_equal(config_flag(&cfg, 4, flags, 0), 2);
	assert_int_equal(config_flag(&cfg, 4, flags, 2), 2);
	assert_string_equal(cfg.listen, "127.0.0.1:6000");
	assert_string_equal(cfg.db, "postgres://x@127.0.0.1/y");
	char *other[] = {"--dry-run"};
	assert_int_equal(config_flag(&cfg, 1, other, 0), 0);
	char *missing[] = {"--db"};
	assert_int_equal(config_flag(&cfg, 1, missing, 0), -1);
	clear_env();
	unlink(conf_path);
}

static void bad_files_are_refused(void **state)
{
	static const char *const bad[] = {"colour = blue\n", "threads = many\n", "threads = 0\n",
					  "just words\n", "secure_cookies = perhaps\n"};
	struct config cfg;

	(void)state;
	clear_env();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_conf(bad[i]);
		char *argv[] = {"linli", "serve", "--config", conf_path, NULL};
		assert_int_equal(config_load(&cfg, 4, argv), LIN_EINVAL);
		unlink(conf_path);
	}
	setenv("LINLI_THREADS", "lots", 1);
	char *argv[] = {"linli", "serve", NULL};
	assert_int_equal(config_load(&cfg, 2, argv), LIN_EINVAL);
	clear_env();
}

/* Each setting's limits and the environment variable that sets it. */
static void settings_at_their_limits(void **state)
{
	static const struct {
		const char *line; /* in linli.conf */
		int ok;		  /* accepted */
	} lines[] = {
	    {"threads = 1\n", 1},
	    {"threads = 64\n", 1},
	    {"threads = 65\n", 0},
	    {"smtp_url = smtp://127.0.0.1:2525\n", 1},
	    {"smtp_url = smtps://mail.example.cn:465\n", 1},
	    {"smtp_url = http://mail.example.cn/\n", 0},
	    /* a tile template: http(s), {z} {x} {y}, nothing that breaks out
	     * of the Content-Security-Policy or an attribute */
	    {"map_tiles = https://t{s}.tianditu.gov.cn/w?l={z}&r={y}&c={x}&tk=K\n", 1},
	    {"map_tiles = http://10.0.0.5/tiles/{z}/{x}/{y}.png\n", 1},
	    {"map_tiles = https://gis.example.cn/{z}/{x}.png\n", 0},
	    {"map_tiles = ftp://gis.example.cn/{z}/{x}/{y}.png\n", 0},
	    {"map_tiles = https://gis.example.cn/{z}/{x}/{y}.png;img-src:*\n", 0},
	    {"map_tiles = https://gis.example.cn/{z}/{x}/{y}.png\" onload=\"x\n", 0},
	    {"map_tiles = https://gis.example.cn/{z}/{x}/{y}.png,https://evil.example\n", 0},
	    {"map_tiles_crs = gcj02\n", 1},
	    {"map_tiles_crs = bd09\n", 0},
	    {"log_level = warn\n", 1},
	    {"log_level = verbose\n", 0},
	    {"body_max = 1024\n", 1},
	    {"body_max = 1023\n", 0},
	    {"hj212_auth_timeout = 1\n", 1},
	    {"hj212_auth_timeout = 3600\n", 1},
	    {"hj212_auth_timeout = 0\n", 0},
	    {"hj212_auth_timeout = 3601\n", 0},
	    {"hj212_idle_timeout = 1\n", 1},
	    {"hj212_idle_timeout = 86400\n", 1},
	    {"hj212_idle_timeout = 0\n", 0},
	    {"hj212_idle_timeout = 86401\n", 0},
	    {"hj212_pending_max = 1\n", 1},
	    {"hj212_pending_max = 4096\n", 1},
	    {"hj212_pending_max = 4097\n", 0},
	    {"hj212_pending_per_ip = 0\n", 0},
	    {"hj212_pending_per_ip = 4096\n", 1},
	    {"hj212_pending_per_ip = 4097\n", 0},
	    /* raw noise seconds: more than the 7 days a batch may reach back */
	    {"readings_keep_days = 7\n", 0},
	    {"readings_keep_days = 8\n", 1},
	    {"readings_keep_days = 36500\n", 1},
	    {"readings_keep_days = 36501\n", 0},
	    {"header_timeout = 1\n", 1},
	    {"header_timeout = 0\n", 0},
	    {"header_timeout = 3600\n", 1},
	    {"header_timeout = 3601\n", 0},
	    {"body_timeout = 0\n", 0},
	    {"body_min_rate = 1\n", 1},
	    {"body_min_rate = 0\n", 0},
	    {"conn_max = 0\n", 0},
	    {"conn_max = 100000\n", 1},
	    {"conn_max = 100001\n", 0},
	    {"conn_max = 1\n", 1}, /* its reserve: a quarter, 0 */
	    {"conn_reserve = 4095\n", 1},
	    {"conn_reserve = 4096\n", 0}, /* not less than conn_max */
	    {"conn_max = 100\nconn_reserve = 99\n", 1},
	    {"conn_reserve = 100\nconn_max = 100\n", 0},
	    {"reserve_per_ip = 0\n", 0},
	    {"stream_max = 0\n", 0},
	    {"stream_max = 1\n", 1},
	    {"stream_max = 100000\n", 1},
	    {"stream_max = 100001\n", 0},
	    {"stream_poll_ms = 99\n", 0},
	    {"stream_poll_ms = 100\n", 1},
	    {"stream_poll_ms = 60000\n", 1},
	    {"stream_poll_ms = 60001\n", 0},
	    {"proxy_limit = 100000\n", 1},
	    {"proxy_limit = 0\n", 0},
	    {"trusted_proxies = 10.0.0.1=2000, 192.0.2.7 2001:db8::1=300\n", 1},
	    {"trusted_proxies =\n", 1},
	    {"trusted_proxies = 10.0.0.300\n", 0},
	    {"trusted_proxies = proxy.example.org\n", 0},
	    {"trusted_proxies = 10.0.0.1=0\n", 0},
	    {"trusted_proxies = 10.0.0.1=100001\n", 0},
	    {"trusted_proxies = 10.0.0.1=\n", 0},
	    {"trusted_proxies = 1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.5 1.1.1.6 1.1.1.7 1.1.1.8 "
	     "1.1.1.9 1.1.1.10 1.1.1.11 1.1.1.12 1.1.1.13 1.1.1.14 1.1.1.15 1.1.1.16\n",
	     1},
	    {"trusted_proxies = 1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.5 1.1.1.6 1.1.1.7 1.1.1.8 "
	     "1.1.1.9 1.1.1.10 1.1.1.11 1.1.1.12 1.1.1.13 1.1.1.14 1.1.1.15 1.1.1.16 1.1.1.17\n",
	     0},
	};
	struct config cfg;
	char *argv[] = {"linli", "serve", "--config", conf_path, NULL};

	(void)state;
	clear_env();
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		write_conf(lines[i].line);
		if ((config_load(&cfg, 4, argv) == 0) != lines[i].ok)
			fail_msg("\"%.*s\" was %s", (int)strcspn(lines[i].line, "\n"),
				 lines[i].line, lines[i].ok ? "refused" : "accepted");
		unlink(conf_path);
	}
	/* A comment between settings skips only itself. */
	write_conf("threads = 3\n# upload_max = 1\nupload_max = 4096\n");
	assert_int_equal(config_load(&cfg, 4, argv), 0);
	assert_int_equal(cfg.threads, 3);
	assert_int_equal(cfg.upload_max, 4096);
	unlink(conf_path);
	/* LINLI_UPLOAD_MAX sets the upload cap, not the body cap. */
	setenv("LINLI_UPLOAD_MAX", "5000000", 1);
	char *plain[] = {"linli", "serve", NULL};
	assert_int_equal(config_load(&cfg, 2, plain), 0);
	assert_int_equal(cfg.upload_max, 5000000);
	assert_int_equal(cfg.body_max, 1 << 20);
	unsetenv("LINLI_UPLOAD_MAX");
	assert_int_equal(config_load(&cfg, 2, plain), 0);
	assert_int_equal(cfg.upload_max, 30 << 20);
	/* The HJ 212 listener's limits: 0 (its defaults) unless set. */
	assert_int_equal(cfg.hj212_auth_timeout, 0);
	assert_int_equal(cfg.hj212_pending_per_ip, 0);
	setenv("LINLI_HJ212_AUTH_TIMEOUT", "7", 1);
	setenv("LINLI_HJ212_IDLE_TIMEOUT", "60", 1);
	setenv("LINLI_HJ212_PENDING_MAX", "16", 1);
	setenv("LINLI_HJ212_PENDING_PER_IP", "2", 1);
	assert_int_equal(config_load(&cfg, 2, plain), 0);
	assert_int_equal(cfg.hj212_auth_timeout, 7);
	assert_int_equal(cfg.hj212_idle_timeout, 60);
	assert_int_equal(cfg.hj212_pending_max, 16);
	assert_int_equal(cfg.hj212_pending_per_ip, 2);
	unsetenv("LINLI_HJ212_AUTH_TIMEOUT");
	unsetenv("LINLI_HJ212_IDLE_TIMEOUT");
	unsetenv("LINLI_HJ212_PENDING_MAX");
	unsetenv("LINLI_HJ212_PENDING_PER_IP");
	/* Raw noise seconds: 180 days unless set. */
	assert_int_equal(cfg.readings_keep_days, 180);
	setenv("LINLI_READINGS_KEEP_DAYS", "31", 1);
	assert_int_equal(config_load(&cfg, 2, plain), 0);
	assert_int_equal(cfg.readings_keep_days, 31);
	unsetenv("LINLI_READINGS_KEEP_DAYS");
	/* The connection rules' defaults; the reserve follows conn_max. */
	assert_int_equal(cfg.header_timeout, 10);
	assert_int_equal(cfg.body_timeout, 10);
	assert_int_equal(cfg.body_min_rate, 500);
	assert_int_equal(cfg.per_ip_limit, 256);
	assert_int_equal(cfg.conn_max, 4096);
	assert_int_equal(cfg.conn_reserve, 1024);
	assert_int_equal(cfg.reserve_per_ip, 16);
	assert_int_equal(cfg.proxy_limit, 2048);
	setenv("LINLI_CONN_MAX", "1000", 1);
	assert_int_equal(config_load(&cfg, 2, plain), 0);
	assert_int_equal(cfg.conn_reserve, 250);
	unsetenv("LINLI_CONN_MAX");
}

/* A value too long for its setting is refused, never cut short in
 * silence (a database URL of 1023 characters fits, 1024 do not), and so
 * is a line longer than the reader's 2 KiB. */
static void long_values_and_lines_are_refused(void **state)
{
	static char text[4200], value[1100];
	struct config cfg;

	(void)state;
	clear_env();
	for (int len = 1022; len <= 1024; len++) {
		memset(value, 'x', sizeof(value));
		memcpy(value, "sqlite:", 7);
		value[len] = '\0';
		snprintf(text, sizeof(text), "db = %s\n", value);
		write_conf(text);
		char *argv[] = {"linli", "serve", "--config", conf_path, NULL};
		int rc = config_load(&cfg, 4, argv);
		unlink(conf_path);
		if (len < 1024) {
			assert_int_equal(rc, 0);
			assert_string_equal(cfg.db, value);
		} else {
			assert_int_equal(rc, LIN_EINVAL);
		}
	}
	/* smtp_from has 128 bytes: 127 characters fit, 128 do not. */
	memset(value, 'a', 128);
	value[128] = '\0';
	snprintf(text, sizeof(text), "smtp_from = %s\n", value);
	write_conf(text);
	char *argv[] = {"linli", "serve", "--config", conf_path, NULL};
	assert_int_equal(config_load(&cfg, 4, argv), LIN_EINVAL);
	unlink(conf_path);
	/* A comment of 3000 characters is one line too long, not two lines. */
	memset(text, '#', 3000);
	snprintf(text + 3000, sizeof(text) - 3000, "\nthreads = 8\n");
	write_conf(text);
	assert_int_equal(config_load(&cfg, 4, argv), LIN_EINVAL);
	unlink(conf_path);
	clear_env();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(defaults_without_a_file),
	    cmocka_unit_test(file_then_environment_then_flags),
	    cmocka_unit_test(bad_files_are_refused),
	    cmocka_unit_test(settings_at_their_limits),
	    cmocka_unit_test(long_values_and_lines_are_refused),
	};
	/* Tests run from a folder without a linli.conf of its own. */
	if (chdir("/tmp"))
		return 1;
	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
