/* Settings: defaults < linli.conf < LINLI_* environment < flags. */
#include "cli.h"
#include "../base/addr.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../noise/noise.h"    /* the limits of readings_keep_days */
#include "../web/conn_guard.h" /* the limits of trusted_proxies */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* COPY: the value into a setting's buffer, refused when it would not fit
 * (never cut short in silence). */
#define COPY(field)                                                                                \
	do {                                                                                       \
		if (strlen(value) >= sizeof(cfg->field))                                           \
			goto bad;                                                                  \
		snprintf(cfg->field, sizeof(cfg->field), "%s", value);                             \
	} while (0)

/* tiles_template_ok: an http(s) URL template with {z}, {x} and {y}, and
 * nothing that could break out of the Content-Security-Policy or an HTML
 * attribute it is written into (spaces, quotes, semicolons, commas). */
static int tiles_template_ok(const char *v)
{
	if (strncmp(v, "https://", 8) && strncmp(v, "http://", 7))
		return 0;
	if (!strstr(v, "{z}") || !strstr(v, "{x}") || !strstr(v, "{y}"))
		return 0;
	for (const char *c = v; *c; c++)
		if ((unsigned char)*c <= ' ' || strchr("\"'<>;,\\`", *c))
			return 0;
	return 1;
}

static int set_key(struct config *cfg, const char *key, const char *value, const char *where)
{
	int64_t n;
	int b;

	if (!strcmp(key, "db")) {
		COPY(db);
	} else if (!strcmp(key, "listen")) {
		COPY(listen);
	} else if (!strcmp(key, "hj212_listen")) {
		COPY(hj212_listen);
	} else if (!strcmp(key, "hj212_auth_timeout")) {
		if (parse_int64(value, 1, 3600, &n))
			goto bad;
		cfg->hj212_auth_timeout = (unsigned)n;
	} else if (!strcmp(key, "hj212_idle_timeout")) {
		if (parse_int64(value, 1, 86400, &n))
			goto bad;
		cfg->hj212_idle_timeout = (unsigned)n;
	} else if (!strcmp(key, "hj212_pending_max")) {
		if (parse_int64(value, 1, 4096, &n))
			goto bad;
		cfg->hj212_pending_max = (unsigned)n;
	} else if (!strcmp(key, "hj212_pending_per_ip")) {
		if (parse_int64(value, 1, 4096, &n))
			goto bad;
		cfg->hj212_pending_per_ip = (unsigned)n;
	} else if (!strcmp(key, "readings_keep_days")) {
		if (parse_int64(value, NOISE_KEEP_DAYS_MIN, NOISE_KEEP_DAYS_MAX, &n))
			goto bad;
		cfg->readings_keep_days = (unsigned)n;
	} else if (!strcmp(key, "mqtt_url")) {
		if (*value && strncmp(value, "mqtt://", 7))
			goto bad;
		COPY(mqtt_url);
	} else if (!strcmp(key, "mqtt_topic")) {
		if (!*value)
			goto bad;
		COPY(mqtt_topic);
	} else if (!strcmp(key, "mqtt_client_id")) {
		if (!*value)
			goto bad;
		COPY(mqtt_client);
	} else if (!strcmp(key, "area")) {
		COPY(area);
	} else if (!strcmp(key, "log_level")) {
		if (strcmp(value, "debug") && strcmp(value, "info") && strcmp(value, "warn") &&
		    strcmp(value, "error"))
			goto bad;
		COPY(log_level);
	} else if (!strcmp(key, "threads")) {
		if (parse_int64(value, 1, 64, &n))
			goto bad;
		cfg->threads = (unsigned)n;
	} else if (!strcmp(key, "conn_timeout")) {
		if (parse_int64(value, 1, 3600, &n))
			goto bad;
		cfg->conn_timeout = (unsigned)n;
	} else if (!strcmp(key, "per_ip_limit")) {
		if (parse_int64(value, 1, 100000, &n))
			goto bad;
		cfg->per_ip_limit = (unsigned)n;
	} else if (!strcmp(key, "header_timeout")) {
		if (parse_int64(value, 1, 3600, &n))
			goto bad;
		cfg->header_timeout = (unsigned)n;
	} else if (!strcmp(key, "body_timeout")) {
		if (parse_int64(value, 1, 3600, &n))
			goto bad;
		cfg->body_timeout = (unsigned)n;
	} else if (!strcmp(key, "body_min_rate")) {
		if (parse_int64(value, 1, (int64_t)1 << 30, &n))
			goto bad;
		cfg->body_min_rate = (unsigned)n;
	} else if (!strcmp(key, "conn_max")) {
		if (parse_int64(value, 1, 100000, &n))
			goto bad;
		cfg->conn_max = (unsigned)n;
	} else if (!strcmp(key, "conn_reserve")) {
		if (parse_int64(value, 0, 100000, &n))
			goto bad;
		cfg->conn_reserve = (unsigned)n;
	} else if (!strcmp(key, "reserve_per_ip")) {
		if (parse_int64(value, 1, 100000, &n))
			goto bad;
		cfg->reserve_per_ip = (unsigned)n;
	} else if (!strcmp(key, "proxy_limit")) {
		if (parse_int64(value, 1, 100000, &n))
			goto bad;
		cfg->proxy_limit = (unsigned)n;
	} else if (!strcmp(key, "stream_max")) {
		if (parse_int64(value, 1, 100000, &n))
			goto bad;
		cfg->stream_max = (unsigned)n;
	} else if (!strcmp(key, "stream_poll_ms")) {
		if (parse_int64(value, 100, 60000, &n))
			goto bad;
		cfg->stream_poll_ms = (unsigned)n;
	} else if (!strcmp(key, "trusted_proxies")) {
		struct lin_addr_limit probe[CONN_GUARD_MAX_PROXIES];
		if (lin_parse_addr_limits(value, CONN_GUARD_MAX_LIMIT, probe,
					  CONN_GUARD_MAX_PROXIES) < 0)
			goto bad;
		COPY(trusted_proxies);
	} else if (!strcmp(key, "body_max")) {
		if (parse_int64(value, 1024, (int64_t)1 << 30, &n))
			goto bad;
		cfg->body_max = (size_t)n;
	} else if (!strcmp(key, "upload_max")) {
		if (parse_int64(value, 1024, (int64_t)1 << 30, &n))
			goto bad;
		cfg->upload_max = (size_t)n;
	} else if (!strcmp(key, "smtp_url")) {
		if (*value && strncmp(value, "smtp://", 7) && strncmp(value, "smtps://", 8))
			goto bad;
		COPY(smtp_url);
	} else if (!strcmp(key, "smtp_from")) {
		COPY(smtp_from);
	} else if (!strcmp(key, "map_tiles")) {
		if (*value && !tiles_template_ok(value))
			goto bad;
		COPY(map_tiles);
	} else if (!strcmp(key, "map_tiles_crs")) {
		if (strcmp(value, "wgs84") && strcmp(value, "gcj02"))
			goto bad;
		COPY(map_tiles_crs);
	} else if (!strcmp(key, "map_tiles_attribution")) {
		COPY(map_tiles_attribution);
	} else if (!strcmp(key, "upload_dir")) {
		if (!*value)
			goto bad;
		COPY(upload_dir);
	} else if (!strcmp(key, "anon_write_limit")) {
		if (parse_int64(value, 0, 1000000, &n))
			goto bad;
		cfg->anon_write_limit = (unsigned)n;
	} else if (!strcmp(key, "anon_write_window")) {
		if (parse_int64(value, 1, 86400, &n))
			goto bad;
		cfg->anon_write_window = (unsigned)n;
	} else if (!strcmp(key, "upload_min_free")) {
		if (parse_int64(value, 0, (int64_t)1 << 50, &n))
			goto bad;
		cfg->upload_min_free = (unsigned long long)n;
	} else if (!strcmp(key, "audit_key")) {
		if (!*value)
			goto bad;
		COPY(audit_key);
	} else if (!strcmp(key, "audit_sign_key")) {
		if (!*value)
			goto bad;
		COPY(audit_sign_key);
	} else if (!strcmp(key, "secure_cookies")) {
		if (parse_bool(value, &b))
			goto bad;
		cfg->secure_cookies = b;
	} else if (!strcmp(key, "trust_proxy")) {
		if (parse_bool(value, &b))
			goto bad;
		cfg->trust_proxy = b;
	} else {
		fprintf(stderr, "linli: %s: 未知设置 unknown setting '%s'\n", where, key);
		return LIN_EINVAL;
	}
	return 0;
bad:
	fprintf(stderr, "linli: %s: 设置 %s 的值无效 invalid value for %s: '%s'\n", where, key, key,
		value);
	return LIN_EINVAL;
}

static int load_file(struct config *cfg, const char *path, int must_exist)
{
	FILE *f = fopen(path, "r");
	char line[2048], where[1100];
	int lineno = 0, rc = 0;

	if (!f) {
		if (!must_exist)
			return 0;
		fprintf(stderr, "linli: 无法读取配置文件 cannot read config file %s\n", path);
		return LIN_EIO;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s, *eq;
		size_t len = strlen(line);
		lineno++;
		/* A line the buffer cannot hold is refused, not read in pieces. */
		if (len == sizeof(line) - 1 && line[len - 1] != '\n' && !feof(f)) {
			fprintf(stderr, "linli: %s:%d: 行太长 line too long\n", path, lineno);
			rc = LIN_EINVAL;
			break;
		}
		s = str_trim(line);
		if (!*s || *s == '#')
			continue;
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		eq = strchr(s, '=');
		if (!eq) {
			fprintf(stderr, "linli: %s: 应为 key = value expected key = value\n",
				where);
			rc = LIN_EINVAL;
			break;
		}
		*eq = '\0';
		rc = set_key(cfg, str_trim(s), str_trim(eq + 1), where);
		if (rc)
			break;
	}
	fclose(f);
	return rc;
}

/* check_connections: the connection settings that depend on each other,
 * once all are read (none has a flag). */
static int check_connections(struct config *cfg)
{
	if (cfg->conn_reserve == UINT_MAX)
		cfg->conn_reserve = cfg->conn_max / 4;
	if (cfg->conn_reserve >= cfg->conn_max) {
		fprintf(stderr,
			"linli: conn_reserve (%u) 必须小于 conn_max (%u) conn_reserve must be less "
			"than conn_max\n",
			cfg->conn_reserve, cfg->conn_max);
		return LIN_EINVAL;
	}
	return 0;
}

int config_load(struct config *cfg, int argc, char **argv)
{
	static const char *const env_keys[][2] = {
	    {"LINLI_DB", "db"},
	    {"LINLI_LISTEN", "listen"},
	    {"LINLI_HJ212_LISTEN", "hj212_listen"},
	    {"LINLI_HJ212_AUTH_TIMEOUT", "hj212_auth_timeout"},
	    {"LINLI_HJ212_IDLE_TIMEOUT", "hj212_idle_timeout"},
	    {"LINLI_HJ212_PENDING_MAX", "hj212_pending_max"},
	    {"LINLI_HJ212_PENDING_PER_IP", "hj212_pending_per_ip"},
	    {"LINLI_MQTT_URL", "mqtt_url"},
	    {"LINLI_MQTT_TOPIC", "mqtt_topic"},
	    {"LINLI_MQTT_CLIENT_ID", "mqtt_client_id"},
	    {"LINLI_AREA", "area"},
	    {"LINLI_THREADS", "threads"},
	    {"LINLI_CONN_TIMEOUT", "conn_timeout"},
	    {"LINLI_PER_IP_LIMIT", "per_ip_limit"},
	    {"LINLI_HEADER_TIMEOUT", "header_timeout"},
	    {"LINLI_BODY_TIMEOUT", "body_timeout"},
	    {"LINLI_BODY_MIN_RATE", "body_min_rate"},
	    {"LINLI_CONN_MAX", "conn_max"},
	    {"LINLI_CONN_RESERVE", "conn_reserve"},
	    {"LINLI_RESERVE_PER_IP", "reserve_per_ip"},
	    {"LINLI_TRUSTED_PROXIES", "trusted_proxies"},
	    {"LINLI_PROXY_LIMIT", "proxy_limit"},
	    {"LINLI_STREAM_MAX", "stream_max"},
	    {"LINLI_STREAM_POLL_MS", "stream_poll_ms"},
	    {"LINLI_READINGS_KEEP_DAYS", "readings_keep_days"},
	    {"LINLI_BODY_MAX", "body_max"},
	    {"LINLI_SECURE_COOKIES", "secure_cookies"},
	    {"LINLI_TRUST_PROXY", "trust_proxy"},
	    {"LINLI_UPLOAD_DIR", "upload_dir"},
	    {"LINLI_SMTP_URL", "smtp_url"},
	    {"LINLI_SMTP_FROM", "smtp_from"},
	    {"LINLI_MAP_TILES", "map_tiles"},
	    {"LINLI_MAP_TILES_CRS", "map_tiles_crs"},
	    {"LINLI_MAP_TILES_ATTRIBUTION", "map_tiles_attribution"},
	    {"LINLI_UPLOAD_MAX", "upload_max"},
	    {"LINLI_LOG_LEVEL", "log_level"},
	    {"LINLI_UPLOAD_MIN_FREE", "upload_min_free"},
	    {"LINLI_ANON_WRITE_LIMIT", "anon_write_limit"},
	    {"LINLI_ANON_WRITE_WINDOW", "anon_write_window"},
	    {"LINLI_AUDIT_KEY", "audit_key"},
	    {"LINLI_AUDIT_SIGN_KEY", "audit_sign_key"},
	};
	const char *path = getenv("LINLI_CONFIG");
	int rc, explicit_path = path != NULL;

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->db, sizeof(cfg->db), "sqlite:linli.db");
	snprintf(cfg->listen, sizeof(cfg->listen), "127.0.0.1:8080");
	snprintf(cfg->log_level, sizeof(cfg->log_level), "info");
	cfg->threads = 4;
	cfg->conn_timeout = 30;
	cfg->per_ip_limit = 256;
	cfg->header_timeout = 10;
	cfg->body_timeout = 10;
	cfg->body_min_rate = 500;
	cfg->conn_max = 4096;
	cfg->conn_reserve = UINT_MAX;
	cfg->reserve_per_ip = 16;
	cfg->proxy_limit = 2048;
	cfg->body_max = 1 << 20;
	cfg->upload_max = 30 << 20;
	snprintf(cfg->upload_dir, sizeof(cfg->upload_dir), "uploads");
	snprintf(cfg->map_tiles_crs, sizeof(cfg->map_tiles_crs), "wgs84");
	snprintf(cfg->audit_key, sizeof(cfg->audit_key), "audit.key");
	cfg->upload_min_free = 512ull << 20;
	cfg->anon_write_limit = 20;
	cfg->anon_write_window = 600;
	cfg->readings_keep_days = NOISE_KEEP_DAYS_DEFAULT;
	snprintf(cfg->audit_sign_key, sizeof(cfg->audit_sign_key), "audit-sign.key");
	snprintf(cfg->mqtt_topic, sizeof(cfg->mqtt_topic), "linli/noise/+/readings");
	/* mqtt_client stays empty unless set: config_mqtt_client derives it. */
	for (int i = 0; i + 1 < argc; i++)
		if (!strcmp(argv[i], "--config")) {
			path = argv[i + 1];
			explicit_path = 1;
		}
	rc = load_file(cfg, path ? path : "linli.conf", explicit_path);
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof(env_keys) / sizeof(env_keys[0]); i++) {
		const char *v = getenv(env_keys[i][0]);
		if (v && *v && (rc = set_key(cfg, env_keys[i][1], v, env_keys[i][0])))
			return rc;
	}
	return check_connections(cfg);
}

const char *config_mqtt_client(const struct config *cfg, char *out, size_t n)
{
	const char *port = strrchr(cfg->listen, ':');
	char host[100];

	if (cfg->mqtt_client[0]) {
		snprintf(out, n, "%s", cfg->mqtt_client);
		return out;
	}
	if (gethostname(host, sizeof(host)))
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	snprintf(out, n, "linli-%s-%s", host[0] ? host : "server", port ? port + 1 : "0");
	return out;
}

int config_flag(struct config *cfg, int argc, char **argv, int i)
{
	static const char *const flags[][2] = {
	    {"--db", "db"},
	    {"--listen", "listen"},
	    {"--area", "area"},
	    {"--threads", "threads"},
	    {"--log-level", "log_level"},
	    {"--upload-dir", "upload_dir"},
	    {"--audit-key", "audit_key"},
	    {"--audit-sign-key", "audit_sign_key"},
	    {"--hj212-listen", "hj212_listen"},
	    {"--mqtt-url", "mqtt_url"},
	    {"--mqtt-topic", "mqtt_topic"},
	    {"--mqtt-client-id", "mqtt_client_id"},
	    {"--map-tiles", "map_tiles"},
	    {"--map-tiles-crs", "map_tiles_crs"},
	};

	if (!strcmp(argv[i], "--config"))
		return i + 1 < argc ? 2 : -1;
	for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
		if (strcmp(argv[i], flags[k][0]))
			continue;
		if (i + 1 >= argc) {
			fprintf(stderr, "linli: %s 需要一个值 needs a value\n", argv[i]);
			return -1;
		}
		return set_key(cfg, flags[k][1], argv[i + 1], argv[i]) ? -1 : 2;
	}
	return 0;
}
