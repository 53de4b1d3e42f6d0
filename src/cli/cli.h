/* The command line: settings from linli.conf, LINLI_* environment
 * variables and flags (flags win, then the environment, then the file),
 * and one function per subcommand. */
#ifndef LINLI_CLI_CLI_H
#define LINLI_CLI_CLI_H

#include <stddef.h>
#include <stdint.h>

struct config {
	char db[1024];		/* storage URL */
	char listen[128];	/* ADDR:PORT */
	char hj212_listen[128]; /* ADDR:PORT for HJ 212 stations over TCP, "" for none */
	char mqtt_url[512];	/* mqtt://[USER[:PW]@]HOST[:PORT] of the broker, "" for none */
	char mqtt_topic[257];	/* MQTT subscription whose "+" level names the meter */
	char mqtt_client[129];	/* mqtt_client_id, fixed so the broker keeps the session */
	char area[64];		/* area code for commands that act in one area */
	unsigned threads;	/* HTTP worker threads */
	unsigned conn_timeout;	/* seconds */
	unsigned per_ip_limit;	/* concurrent connections per address */
	size_t body_max;	/* bytes */
	size_t upload_max;	/* bytes, for forms with photos */
	char upload_dir[1024];	/* where photos are kept */
	char smtp_url[256];	/* smtp://host:port for referral mail, "" for none */
	char smtp_from[128];	/* the sender address of that mail */
	int secure_cookies;	/* 1 behind HTTPS */
	int trust_proxy;	/* 1 behind a reverse proxy that sets X-Forwarded-For */
	char log_level[16];	/* debug, info, warn, error */
};

/* config_load fills cfg from defaults, then the config file (the path in
 * --config, LINLI_CONFIG, or ./linli.conf if present), then the
 * environment. Flags are applied afterwards by the subcommand. Returns 0 or
 * LIN_EINVAL with a message printed. */
int config_load(struct config *cfg, int argc, char **argv);
/* config_flag applies one recognised "--name value" flag; returns the
 * number of argv entries used (0 if not a config flag, -1 on error). */
int config_flag(struct config *cfg, int argc, char **argv, int i);

struct db;
/* cli_open_db connects to cfg->db and brings the schema up to date; errors
 * are printed. */
int cli_open_db(struct config *cfg, struct db **db);
/* cli_resolve_area: the --area code's id, or the only area in the
 * database; errors are printed. */
int cli_resolve_area(struct config *cfg, struct db *db, int64_t *area_id);

struct command {
	const char *name;				       /* "serve", "user add", ... */
	int (*run)(struct config *cfg, int argc, char **argv); /* argv after the name */
	const char *usage;				       /* one line of arguments */
	const char *help;				       /* what it does */
};

extern const struct command commands[];

#endif
