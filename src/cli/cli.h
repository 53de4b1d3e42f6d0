/* The command line: settings from linli.conf, LINLI_* environment
 * variables and flags (flags win, then the environment, then the file),
 * and one function per subcommand. */
#ifndef LINLI_CLI_CLI_H
#define LINLI_CLI_CLI_H

#include "../base/command.h"

#include <stddef.h>
#include <stdint.h>

struct config {
	char db[1024];		    /* storage URL */
	char listen[128];	    /* ADDR:PORT */
	char hj212_listen[128];	    /* ADDR:PORT for HJ 212 stations over TCP, "" for none */
	char mqtt_url[512];	    /* mqtt://[USER[:PW]@]HOST[:PORT] of the broker, "" for none */
	char mqtt_topic[257];	    /* MQTT subscription whose "+" level names the meter */
	char mqtt_client[129];	    /* mqtt_client_id, "" for config_mqtt_client's default */
	char area[64];		    /* area code for commands that act in one area */
	unsigned threads;	    /* HTTP worker threads */
	unsigned conn_timeout;	    /* seconds */
	unsigned per_ip_limit;	    /* concurrent connections per address */
	unsigned header_timeout;    /* seconds for a request's headers */
	unsigned body_timeout;	    /* seconds for a body, plus one per body_min_rate bytes */
	unsigned body_min_rate;	    /* bytes per second */
	unsigned conn_max;	    /* connections in all */
	unsigned conn_reserve;	    /* kept for light addresses; UINT_MAX: a quarter of conn_max */
	unsigned reserve_per_ip;    /* what "light" means: fewer connections than this */
	unsigned proxy_limit;	    /* connections of a trusted proxy listed without a limit */
	unsigned stream_max;	    /* live event streams at most; 0: half of conn_max */
	unsigned stream_poll_ms;    /* live streams render this often without notifications */
	char trusted_proxies[1024]; /* "ADDR[=LIMIT], ..." */
	size_t body_max;	    /* bytes */
	size_t upload_max;	    /* bytes, for forms with photos */
	char upload_dir[1024];	    /* where photos are kept */
	unsigned long long upload_min_free; /* bytes kept free: photos are refused below */
	unsigned anon_write_limit;	    /* anonymous writes per address per window, 0: any */
	unsigned anon_write_window;	    /* seconds */
	char audit_key[1024];		    /* the audit chain's HMAC key file (db/audit.h) */
	char audit_sign_key[1024];	    /* the audit anchors' Ed25519 key file */
	char smtp_url[256];		    /* smtp://host:port for referral mail, "" for none */
	char smtp_from[128];		    /* the sender address of that mail */
	int secure_cookies;		    /* 1 behind HTTPS */
	int trust_proxy;		    /* 1 behind a reverse proxy that sets X-Forwarded-For */
	char log_level[16];		    /* debug, info, warn, error */
	char map_tiles[512];		    /* tile URL template ({z}/{x}/{y}, {s}), "" for none */
	char map_tiles_crs[8];		    /* the tiles' datum: "wgs84" or "gcj02" */
	char map_tiles_attribution[256];    /* the tile service's required credit */
	unsigned readings_keep_days;	    /* days of raw noise seconds kept (noise/parts.h) */

	/* The HJ 212 listener's limits (hj212_server.h); 0: its default. */
	unsigned hj212_auth_timeout;   /* seconds a new connection has to authenticate */
	unsigned hj212_idle_timeout;   /* seconds a station may stay silent */
	unsigned hj212_pending_max;    /* connections not yet authenticated */
	unsigned hj212_pending_per_ip; /* of those from one address */
};

/* config_load fills cfg from defaults, then the config file (the path in
 * --config, LINLI_CONFIG, or ./linli.conf if present), then the
 * environment. Flags are applied afterwards by the subcommand. Returns 0 or
 * LIN_EINVAL with a message printed. */
int config_load(struct config *cfg, int argc, char **argv);
/* config_flag applies one recognised "--name value" flag; returns the
 * number of argv entries used (0 if not a config flag, -1 on error). */
int config_flag(struct config *cfg, int argc, char **argv, int i);
/* config_mqtt_client: the MQTT client id into out: mqtt_client_id when
 * set, else "linli-HOST-PORT" (PORT of listen). Fixed, so the broker keeps
 * a server's session across its restarts; with the port, so that servers
 * sharing a host do not share an id, which a broker lets only one of them
 * hold at a time (each connecting drops the other). */
const char *config_mqtt_client(const struct config *cfg, char *out, size_t n);

/* ---- the features (features.c): the only place that knows them all ---- */
struct router;
struct nav_item;

struct job;

struct feature {
	const char *name; /* "cases", "noise", ... */
	/* its routes, or NULL; the settings its routes carry come from cfg */
	int (*add_routes)(struct router *r, const struct config *cfg);
	const struct nav_item *nav;	/* its navigation items, or NULL */
	const struct command *commands; /* its subcommands, or NULL */
	const struct job *jobs;		/* its periodic work (db/jobs.h), or NULL */
};

/* features lists every feature, the house's own first; ends with a NULL
 * name. The navigation shows their items in this order. */
extern const struct feature features[];
/* linli audit verify | anchor (cmd_audit.c). */
int cmd_audit_verify(struct cmd_ctx *ctx, int argc, char **argv);
int cmd_audit_anchor(struct cmd_ctx *ctx, int argc, char **argv);
/* cli_commands: the house's own subcommands (commands.c). */
extern const struct command cli_commands[];
/* cli_add_routes adds every feature's routes to r, with the settings they
 * need from cfg (borrowed for the router's life). */
int cli_add_routes(struct router *r, const struct config *cfg);
/* cli_jobs copies every feature's jobs into out (at most max); returns
 * how many, or -1 when they do not fit. */
int cli_jobs(struct job *out, int max);
/* cli_nav: every feature's navigation items in one list, in the order and
 * menus of features.c's nav_order (items it does not list follow on their
 * own), ending with a NULL href; built once, read-only afterwards. */
const struct nav_item *cli_nav(void);
/* cli_nav_groups: beside cli_nav's items, the menu each sits in (see
 * page_set_nav). */
const char *const *cli_nav_groups(void);

/* cli_main runs the command line (run.c): finds the subcommand, loads the
 * settings, takes the settings flags off argv and runs the command with a
 * context whose database it closes afterwards. Returns the exit status. */
int cli_main(int argc, char **argv);

#endif
