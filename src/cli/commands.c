/* The house's own subcommands (cli_commands): the database and areas,
 * serving, accounts and tokens, CSV, holidays, backup, the audit chain and
 * the jobs. Each parses its arguments with opts_parse (the settings flags
 * already taken off by run.c), calls cmd_open for what it declared,
 * prints what it did in Chinese and English, and returns an exit status
 * (0 success, 1 failure, LIN_EXIT_USAGE). */
#include "cli.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/opts.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../db/jobs.h"
#include "../cases/cases.h"
#include "../demo/demo.h"
#include "../noise/hj212_server.h"
#include "../noise/mqtt.h"
#include "../noise/ingest.h"
#include "../noise/live.h"
#include "../meetings/meetings.h"
#include "../survey/survey.h"
#include "../pets/pets.h"
#include "../region/region.h"
#include "../noise/noise.h"
#include "../notify/outbox.h"
#include "../notify/sms.h"
#include "../registry/registry.h"
#include "../report/report.h"
#include "../web/audit.h"
#include "../web/auth.h"
#include "../web/core.h"
#include "../web/page.h"
#include "../web/ratelimit.h"
#include "../web/router.h"
#include "../web/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The options of the house's own commands (one table: each command
 * checks which of them it was given). */
struct args {
	const char *pos[4]; /* positional arguments */
	int npos;
	const char *role;     /* --role */
	const char *resident; /* --resident */
	int password_stdin;   /* --password-stdin */
	int dry_run;	      /* --dry-run */
	int no_serve;	      /* --no-serve */
	int no_history;	      /* --no-history: the demo without past cases */
	int no_simulate;      /* --no-simulate: the demo's plaza meter stays still */
	const char *lang;     /* --lang */
	const char *area_name, *street_name, *district_name; /* init */
	const char *street, *district; /* user add: the scope of street or district staff */
};

static int args_parse(int argc, char **argv, struct args *a)
{
	const struct opt opts[] = {
	    {"--password-stdin", OPT_FLAG, &a->password_stdin, 0, 0},
	    {"--dry-run", OPT_FLAG, &a->dry_run, 0, 0},
	    {"--no-serve", OPT_FLAG, &a->no_serve, 0, 0},
	    {"--no-history", OPT_FLAG, &a->no_history, 0, 0},
	    {"--no-simulate", OPT_FLAG, &a->no_simulate, 0, 0},
	    {"--role", OPT_TEXT, &a->role, 0, 0},
	    {"--resident", OPT_TEXT, &a->resident, 0, 0},
	    {"--lang", OPT_TEXT, &a->lang, 0, 0},
	    {"--area-name", OPT_TEXT, &a->area_name, 0, 0},
	    {"--street-name", OPT_TEXT, &a->street_name, 0, 0},
	    {"--district-name", OPT_TEXT, &a->district_name, 0, 0},
	    {"--street", OPT_TEXT, &a->street, 0, 0},
	    {"--district", OPT_TEXT, &a->district, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};

	memset(a, 0, sizeof(*a));
	return opts_parse(opts, argc, argv, a->pos, 4, &a->npos) ? LIN_EXIT_USAGE : 0;
}

/* read_password reads a new password, one line of standard input, and
 * checks its length. Returns 0, or the exit status with the reason
 * printed (LIN_EXIT_USAGE without a line, 1 when it is too short). */
static int read_password(char *out, size_t n)
{
	size_t len;

	if (!fgets(out, (int)n, stdin)) {
		fprintf(stderr, "linli: 标准输入没有密码 no password on standard input\n");
		return LIN_EXIT_USAGE;
	}
	len = strlen(out);
	while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	if (utf8_chars(out) < AUTH_MIN_PASSWORD) {
		fprintf(stderr,
			"linli: 密码至少 %d 个字符 the password needs at least %d characters\n",
			AUTH_MIN_PASSWORD, AUTH_MIN_PASSWORD);
		return 1;
	}
	return 0;
}

/* demo_cases gives the demo area half a year of reports (each written
 * as the product writes it, one transaction per step). */
static int demo_cases(struct db *db, int64_t area)
{
	return cases_demo_history(db, area, (int64_t)time(NULL), 240);
}

/* ---- serve, demo ---- */

/* warn_fence says so when PostgreSQL will not hold the second fence
 * (docs/scale.md): a superuser or BYPASSRLS role passes every row-level
 * security policy, so a query missing its WHERE area_id would leak. */
static void warn_fence(struct db *db)
{
	int yes = 0;

	if (db && db_engine(db) == DB_POSTGRES && !db_scope_enforced(db, &yes) && !yes)
		log_warn("db: 行级安全未生效：数据库角色为超级用户或 BYPASSRLS "
			 "row-level security is not enforced: the role is a superuser or "
			 "BYPASSRLS (docs/scale.md)");
}

static int serve_db(struct cmd_ctx *ctx)
{
	struct config *cfg = ctx->owner;
	struct router *r = router_new();
	struct app app = {
	    .db_url = cfg->db,
	    .listen = cfg->listen,
	    .threads = cfg->threads,
	    .conn_timeout = cfg->conn_timeout,
	    .conn_rules =
		{
		    .header_timeout = cfg->header_timeout,
		    .body_timeout = cfg->body_timeout,
		    .body_min_rate = cfg->body_min_rate,
		    .per_ip_limit = cfg->per_ip_limit,
		    .conn_max = cfg->conn_max,
		    .conn_reserve = cfg->conn_reserve,
		    .reserve_per_ip = cfg->reserve_per_ip,
		    .proxy_limit = cfg->proxy_limit,
		},
	    .stream_rules = {.max = cfg->stream_max, .poll_ms = cfg->stream_poll_ms},
	    .body_max = cfg->body_max,
	    .secure_cookies = cfg->secure_cookies,
	    .trust_proxy = cfg->trust_proxy,
	    .upload_max = cfg->upload_max,
	    .router = r,
	    .public_area = cfg->area[0] ? cfg->area : NULL,
	    .anon_writes = ratelimit_new(cfg->anon_write_limit, cfg->anon_write_window),
	};
	int rc;

	if (!r)
		return 1;
	/* Checked when the settings were read. */
	int nproxies = lin_parse_addr_limits(cfg->trusted_proxies, CONN_GUARD_MAX_LIMIT,
					     app.conn_rules.proxies, CONN_GUARD_MAX_PROXIES);
	app.conn_rules.nproxies = nproxies < 0 ? 0 : nproxies;
	rc = auth_init();
	if (!rc)
		rc = cli_add_routes(r, cfg);
	page_set_nav(cli_nav(), cli_nav_groups());
	if (!rc)
		warn_fence(ctx->db);
	/* Photos a crash left half-written go (those of a running server
	 * sharing the folder are younger than an hour). */
	cases_photos_sweep(cfg->upload_dir);
	/* The command's own connection is not needed while serving. */
	/* Periodic work, each job on one server of those sharing the
	 * database: referral notices (with retries) and the features' jobs. */
	struct outbox_config ocfg = {
	    .db_url = cfg->db,
	    .smtp_url = cfg->smtp_url[0] ? cfg->smtp_url : NULL,
	    .smtp_from = cfg->smtp_from[0] ? cfg->smtp_from : NULL,
	    .poll_seconds = 5,
	    .timeout_seconds = 10,
	};
	struct noise_parts_config pcfg = {(int)cfg->readings_keep_days};
	struct job jobs[32];
	struct job_runner *runner = NULL;
	int njobs = 0;
	if (!rc && outbox_config_check(&ocfg)) {
		fprintf(stderr, "linli: 无法启动通知发送 cannot start the notifier (smtp_url, "
				"smtp_from?)\n");
		rc = LIN_EINVAL;
	}
	if (!rc) {
		outbox_job(&ocfg, &jobs[njobs++]);
		noise_parts_job(&pcfg, &jobs[njobs++]);
		int more = cli_jobs(jobs + njobs, (int)(sizeof(jobs) / sizeof(jobs[0])) - njobs);
		rc = more < 0 ? LIN_ENOMEM : 0;
		njobs += more < 0 ? 0 : more;
	}
	if (!rc && (rc = jobs_start(cfg->db, jobs, njobs, &runner)))
		fprintf(stderr, "linli: 无法启动后台任务 cannot start the background jobs\n");
	/* HJ 212 stations, when asked for, from their own thread. */
	struct hj212_server *hj212 = NULL;
	struct hj212_options hopt = {cfg->hj212_listen, cfg->hj212_auth_timeout,
				     cfg->hj212_idle_timeout, cfg->hj212_pending_max,
				     cfg->hj212_pending_per_ip};
	if (!rc && cfg->hj212_listen[0])
		rc = hj212_server_start(&hopt, cfg->db, &hj212);
	/* Meters over MQTT, when a broker is named, from their own thread. */
	struct mqtt_ingest *mqtt = NULL;
	char mqtt_client[200];
	struct mqtt_options mopt = {cfg->mqtt_url, cfg->mqtt_topic,
				    config_mqtt_client(cfg, mqtt_client, sizeof(mqtt_client))};
	if (!rc && cfg->mqtt_url[0])
		rc = mqtt_ingest_start(&mopt, cfg->db, &mqtt);
	if (mqtt) {
		app.extra_metrics = mqtt_ingest_metrics;
		app.extra_ctx = mqtt;
	}
	if (!rc)
		rc = server_run(&app);
	mqtt_ingest_stop(mqtt);
	hj212_server_stop(hj212);
	jobs_stop(runner);
	router_free(r);
	ratelimit_free(app.anon_writes);
	return rc ? 1 : 0;
}

static int cmd_serve(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args a;

	if (args_parse(argc, argv, &a) || a.npos)
		return LIN_EXIT_USAGE;
	if (cmd_open(ctx))
		return 1;
	return serve_db(ctx);
}

/* linli routes: the route table as the server builds it, one route a
 * line: method, pattern, permission, flags. Reviewers and the access test
 * read it; it needs no database. */
static int cmd_routes(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args a;
	struct router *r;
	int rc;

	if (args_parse(argc, argv, &a) || a.npos)
		return LIN_EXIT_USAGE;
	if (!(r = router_new()))
		return 1;
	rc = cli_add_routes(r, ctx->owner);
	for (int i = 0; !rc && i < router_count(r); i++) {
		const struct route *rt = router_at(r, i);
		printf("%-6s %-48s %-14s%s%s%s\n", rt->method, rt->pattern, perm_name(rt->perm),
		       (rt->flags & ROUTE_NO_CSRF) ? " no-csrf" : "",
		       (rt->flags & ROUTE_UPLOAD) ? " upload" : "",
		       (rt->flags & ROUTE_CACHEABLE) ? " cacheable" : "");
	}
	router_free(r);
	return rc ? 1 : 0;
}

static int cmd_demo(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args a;
	struct db *db;
	int created = 0;

	if (args_parse(argc, argv, &a) || a.npos)
		return LIN_EXIT_USAGE;
	if (cmd_open(ctx))
		return 1;
	db = ctx->db;
	int64_t area = 0;
	/* All of it or nothing: each step is written as the product writes it,
	 * inside one transaction, so a failure leaves no half-loaded area that
	 * a rerun would take for a loaded one. */
	if (db_begin_outer(db) || demo_load(db, &created) || area_id_by_code(db, "pushan", &area) ||
	    cases_seed_categories(db, area, "cli") ||
	    (created && !a.no_history &&
	     (demo_cases(db, area) || noise_demo_history(db, area, (int64_t)time(NULL)) ||
	      report_demo(db, area, (int64_t)time(NULL)) ||
	      meetings_demo(db, area, (int64_t)time(NULL)) ||
	      survey_demo(db, area, (int64_t)time(NULL)) ||
	      pets_demo_history(db, area, (int64_t)time(NULL)) ||
	      region_demo(db, area, (int64_t)time(NULL)))) ||
	    db_commit(db)) {
		const char *why = db_errmsg(db);
		/* A step that undid its own savepoint leaves the engine's message
		 * empty; its own log line above says what failed. */
		if (!why[0] || !strcmp(why, "not an error"))
			why = "见上方日志 see the log above";
		fprintf(stderr,
			"linli: 演示数据载入失败，未写入任何数据 demo load failed, nothing was "
			"written: %s\n",
			why);
		db_rollback(db);
		return 1;
	}
	printf("%s\n", created ? "已载入普善居民区演示数据 Loaded the Pushan demo area."
			       : "演示数据已存在，直接使用 The demo area is already loaded.");
	printf("演示账号 Demo accounts (用户名 / 密码 / 角色 username / password / role):\n");
	for (const struct demo_account *d = demo_accounts; d->username; d++)
		printf("  %-10s %-20s %s\n", d->username, d->password, d->role);
	if (!a.no_history) /* the street's other areas come with the history */
		printf("  %-10s %-20s %s\n", REGION_DEMO_USER, "pushan-" REGION_DEMO_USER,
		       "street_staff");
	fflush(stdout);
	if (a.no_serve)
		return 0;
	/* The public pages mean Pushan, not the street's two small areas. */
	if (!((struct config *)ctx->owner)->area[0])
		snprintf(((struct config *)ctx->owner)->area,
			 sizeof(((struct config *)ctx->owner)->area), "pushan");
	/* The plaza meter follows a simulated evening while the demo serves. */
	struct noise_sim *sim = NULL;
	if (!a.no_simulate && noise_sim_start(((struct config *)ctx->owner)->db, area, &sim))
		log_warn("demo: no simulated meter (the area has no plaza meter)");
	int rc = serve_db(ctx);
	noise_sim_stop(sim);
	return rc;
}

/* ---- init, migrate ---- */

static int cmd_init(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct config *cfg = ctx->owner;
	struct args a;
	struct db *db;
	int64_t area;
	int rc;

	if (args_parse(argc, argv, &a) || a.npos)
		return LIN_EXIT_USAGE;
	if (cmd_open(ctx))
		return 1;
	db = ctx->db;
	{
		char shown[1100];
		db_url_redacted(cfg->db, shown, sizeof(shown));
		printf("数据库已就绪 Database ready: %s\n", shown);
	}
	if (!cfg->area[0]) {
		return 0;
	}
	if (!area_id_by_code(db, cfg->area, &area)) {
		/* An area from before case work gets the standard categories. */
		if (cases_seed_categories(db, area, "cli")) {
			fprintf(stderr, "linli: 无法添加反映类别 cannot add case categories\n");
			return 1;
		}
		printf("居民区 %s 已存在 Area %s exists.\n", cfg->area, cfg->area);
		return 0;
	}
	if (!a.area_name || !a.street_name || !a.district_name) {
		fprintf(stderr,
			"linli: 新建居民区需要 --area-name --street-name --district-name "
			"a new area needs --area-name, --street-name and --district-name\n");
		return LIN_EXIT_USAGE;
	}
	rc = area_create(db, cfg->area, a.area_name, a.street_name, a.district_name, "cli", &area);
	if (!rc)
		rc = cases_seed_categories(db, area, "cli");
	if (rc) {
		fprintf(stderr, "linli: 无法创建居民区 cannot create the area: %s\n",
			db_errmsg(db));
	} else {
		printf("已创建居民区 Created area %s (%s)\n", a.area_name, cfg->area);
	}
	return rc ? 1 : 0;
}

static int cmd_migrate(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct config *cfg = ctx->owner;
	struct args a;
	struct db *db;
	int applied = 0, version = 0, rc;

	if (args_parse(argc, argv, &a) || a.npos)
		return LIN_EXIT_USAGE;
	rc = db_open(cfg->db, &db);
	if (rc) {
		char shown[1100];
		db_url_redacted(cfg->db, shown, sizeof(shown));
		fprintf(stderr, "linli: 无法打开数据库 cannot open database %s\n", shown);
		return 1;
	}
	rc = db_migrate(db, &applied);
	if (!rc)
		rc = db_schema_version(db, &version);
	if (rc)
		fprintf(stderr, "linli: 数据库迁移失败 migration failed: %s\n", db_errmsg(db));
	else
		printf("已应用 %d 个迁移，当前版本 %d  Applied %d migrations; schema version %d\n",
		       applied, version, applied, version);
	db_close(db);
	return rc ? 1 : 0;
}

/* ---- accounts and tokens ---- */

/* user_add_scope: linli user add NAME --role street_staff --street CODE
 * (or district_staff --district CODE): an account of no area whose scope
 * is every area under that street or district. */
static int user_add_scope(struct cmd_ctx *ctx, const struct args *a, enum role role)
{
	const char *code = role == ROLE_STREET_STAFF ? a->street : a->district;
	char password[1024];
	enum role kind;
	int64_t id;
	int rc;

	if (!code || !*code || (role == ROLE_STREET_STAFF && a->district) ||
	    (role == ROLE_DISTRICT_STAFF && a->street) || !role_is_region(role) || a->resident) {
		fprintf(stderr, "linli: 街道工作人员用 --role street_staff --street CODE，"
				"区工作人员用 --role district_staff --district CODE; street staff "
				"take --role street_staff --street CODE, district staff --role "
				"district_staff --district CODE\n");
		return LIN_EXIT_USAGE;
	}
	if ((rc = read_password(password, sizeof(password))))
		return rc;
	if (auth_init() || cmd_open(ctx))
		return 1;
	rc = scope_by_code(ctx->db, code, &kind, &id, NULL, 0);
	if (!rc && kind != role)
		rc = LIN_ENOTFOUND;
	if (!rc)
		rc = auth_user_add_scope(ctx->db, a->pos[0], password, role, id, "cli", NULL);
	if (rc == LIN_ENOTFOUND)
		fprintf(stderr,
			role == ROLE_STREET_STAFF ? "linli: 没有街道 %s no street %s\n"
						  : "linli: 没有区 %s no district %s\n",
			code, code);
	else if (rc == LIN_ECONFLICT)
		fprintf(stderr, "linli: 用户名 %s 已存在 user %s exists\n", a->pos[0], a->pos[0]);
	else if (rc)
		fprintf(stderr, "linli: 无法创建用户 cannot add user: %s\n", lin_strerror(rc));
	else
		printf("已创建用户 Added user %s (%s %s)\n", a->pos[0], a->role, code);
	return rc ? 1 : 0;
}

static int cmd_user_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args a;
	char password[1024];
	enum role role;
	int rc;

	int64_t resident = 0;

	if (args_parse(argc, argv, &a) || a.npos != 1 || !a.role || !a.password_stdin ||
	    (a.resident && parse_int64(a.resident, 1, INT64_MAX, &resident))) {
		fprintf(stderr,
			"用法 usage: linli user add USERNAME --role ROLE [--area CODE] "
			"[--resident ID] --password-stdin\n"
			"       linli user add USERNAME --role street_staff --street CODE "
			"--password-stdin\n"
			"       linli user add USERNAME --role district_staff --district CODE "
			"--password-stdin\n");
		return LIN_EXIT_USAGE;
	}
	role = role_from_name(a.role);
	if (role == ROLE_NONE) {
		fprintf(
		    stderr,
		    "linli: 未知角色 unknown role %s (admin, secretary, staff, party_member, "
		    "volunteer, resident, unit_liaison, agency, street_staff, district_staff)\n",
		    a.role);
		return LIN_EXIT_USAGE;
	}
	if (role_is_region(role) || a.street || a.district)
		return user_add_scope(ctx, &a, role);
	if (role == ROLE_METER) {
		fprintf(stderr,
			"linli: 监测仪只用令牌登录，请用 linli token add NAME --role meter; "
			"a meter signs in with a token only: linli token add NAME --role meter\n");
		return LIN_EXIT_USAGE;
	}
	if ((rc = read_password(password, sizeof(password))))
		return rc;
	ctx->needs = CMD_AREA; /* an area's account: --area, or the only one */
	if (auth_init() || cmd_open(ctx))
		return 1;
	rc = auth_user_add(ctx->db, a.pos[0], password, role, ctx->area, resident, NULL);
	if (rc == LIN_ENOTFOUND)
		fprintf(stderr, "linli: 本居民区没有居民 %lld no resident %lld in the area\n",
			(long long)resident, (long long)resident);
	else if (rc == LIN_ECONFLICT)
		fprintf(stderr, "linli: 用户名 %s 已存在 user %s exists\n", a.pos[0], a.pos[0]);
	else if (rc)
		fprintf(stderr, "linli: 无法创建用户 cannot add user: %s\n", lin_strerror(rc));
	else
		printf("已创建用户 Added user %s (%s)\n", a.pos[0], a.role);
	return rc ? 1 : 0;
}

static int cmd_user_passwd(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args a;
	struct db *db;
	char password[1024];
	int rc;

	if (args_parse(argc, argv, &a) || a.npos != 1 || !a.password_stdin) {
		fprintf(stderr, "用法 usage: linli user passwd USERNAME --password-stdin\n");
		return LIN_EXIT_USAGE;
	}
	if ((rc = read_password(password, sizeof(password))))
		return rc;
	if (auth_init() || cmd_open(ctx))
		return 1;
	db = ctx->db;
	rc = auth_user_set_password(db, a.pos[0], password);
	if (rc == LIN_ENOTFOUND)
		fprintf(stderr, "linli: 没有用户 %s no user %s\n", a.pos[0], a.pos[0]);
	else if (rc)
		fprintf(stderr, "linli: 无法修改密码 cannot change the password: %s\n",
			lin_strerror(rc));
	else
		printf("已修改密码，原有登录已失效 Password changed; existing sessions ended.\n");
	return rc ? 1 : 0;
}

static int cmd_token_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args a;
	struct db *db;
	char *token = NULL;
	int64_t area, id = 0;
	enum role role;
	int rc;

	if (args_parse(argc, argv, &a) || a.npos != 1 || !a.role) {
		fprintf(stderr, "用法 usage: linli token add NAME --role ROLE [--area CODE]\n");
		return LIN_EXIT_USAGE;
	}
	role = role_from_name(a.role);
	if (role == ROLE_NONE) {
		fprintf(stderr, "linli: 未知角色 unknown role %s\n", a.role);
		return LIN_EXIT_USAGE;
	}
	if (auth_init() || cmd_open(ctx))
		return 1;
	db = ctx->db;
	area = ctx->area;
	rc = 0;
	if (!rc)
		rc = token_add(db, a.pos[0], role, area, &token, &id);
	if (!rc) {
		printf("%s\n", token);
		fflush(stdout);
		fprintf(stderr,
			"已创建令牌 %lld，只显示这一次 Token %lld created; it is shown only this "
			"once.\n",
			(long long)id, (long long)id);
	} else {
		fprintf(stderr, "linli: 无法创建令牌 cannot create the token: %s\n",
			lin_strerror(rc));
	}
	free(token);
	return rc ? 1 : 0;
}

static int cmd_token_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args a;
	struct db *db;
	int rc;

	if (args_parse(argc, argv, &a) || a.npos) {
		fprintf(stderr, "用法 usage: linli token list\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	db = ctx->db;
	rc = token_list(db, stdout);
	return rc ? 1 : 0;
}

static int cmd_token_revoke(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args a;
	struct db *db;
	int64_t id;
	int rc;

	if (args_parse(argc, argv, &a) || a.npos != 1 || parse_int64(a.pos[0], 1, INT64_MAX, &id)) {
		fprintf(stderr, "用法 usage: linli token revoke ID\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	db = ctx->db;
	rc = token_revoke(db, id);
	if (rc == LIN_ENOTFOUND)
		fprintf(stderr, "linli: 没有有效的令牌 %lld no live token %lld\n", (long long)id,
			(long long)id);
	else if (!rc)
		printf("已吊销令牌 Revoked token %lld\n", (long long)id);
	return rc ? 1 : 0;
}

/* ---- import, export ---- */

static const struct entity *importable(const char *name)
{
	const struct entity *e = entity_by_name(name);
	if (!e || !e->importable) {
		fprintf(stderr, "linli: 只能导入导出 households, residents, members, units "
				"only households, residents, members, units can be imported or "
				"exported\n");
		return NULL;
	}
	return e;
}

static char *read_file(const char *path, size_t *len)
{
	return buf_read_file(path, (size_t)256 << 20, len);
}

static int cmd_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args a;
	struct db *db;
	struct import_report rep;
	const struct entity *e;
	const char *lang;
	char *data;
	size_t len;
	int64_t area;
	int rc;

	if (args_parse(argc, argv, &a) || a.npos != 2) {
		fprintf(stderr, "用法 usage: linli import households|residents|members|units FILE "
				"[--dry-run] [--area CODE]\n");
		return LIN_EXIT_USAGE;
	}
	if (!(e = importable(a.pos[0])))
		return LIN_EXIT_USAGE;
	lang = a.lang ? a.lang : ctx->lang;
	lang = (lang && !strncmp(lang, "en", 2)) ? "en" : "zh-CN";
	data = read_file(a.pos[1], &len);
	if (!data) {
		fprintf(stderr, "linli: 无法读取 cannot read %s\n", a.pos[1]);
		return 1;
	}
	if (cmd_open(ctx)) {
		free(data);
		return 1;
	}
	db = ctx->db;
	area = ctx->area;
	rc = 0;
	if (!rc) {
		rc = registry_import(db, e, area, data, len, a.dry_run, lang, stderr, &rep);
		if (rep.bad)
			fprintf(stderr,
				"有 %d 行错误，未导入任何数据 %d bad rows; nothing was imported\n",
				rep.bad, rep.bad);
		else if (rc)
			fprintf(stderr, "linli: 导入失败，未导入任何数据 import failed; nothing "
					"was imported\n");
		else if (a.dry_run)
			printf("检查通过：%d 行可以导入（未写入）Dry run: all %d rows are good "
			       "(nothing "
			       "written)\n",
			       rep.rows, rep.rows);
		else
			printf("已导入 %d 行 Imported %d rows\n", rep.imported, rep.imported);
	}
	free(data);
	return rc ? 1 : 0;
}

static int cmd_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args a;
	struct db *db;
	const struct entity *e;
	int64_t area;
	int rc;

	if (args_parse(argc, argv, &a) || a.npos != 1) {
		fprintf(stderr, "用法 usage: linli export households|residents|members|units "
				"[--area CODE]\n");
		return LIN_EXIT_USAGE;
	}
	if (!(e = importable(a.pos[0])))
		return LIN_EXIT_USAGE;
	if (cmd_open(ctx))
		return 1;
	db = ctx->db;
	area = ctx->area;
	rc = 0;
	if (!rc)
		rc = registry_export(db, e, area, stdout);
	if (fflush(stdout))
		rc = LIN_EIO;
	if (rc)
		fprintf(stderr, "linli: 导出失败 export failed: %s\n", lin_strerror(rc));
	return rc ? 1 : 0;
}

/* ---- backup, audit ---- */

static int cmd_backup(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args a;
	struct db *db;
	char tmp[4200];
	int rc;

	if (args_parse(argc, argv, &a) || a.npos != 1) {
		fprintf(stderr, "用法 usage: linli backup DEST.db\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	db = ctx->db;
	if (db_engine(db) != DB_SQLITE) {
		fprintf(stderr,
			"linli: PostgreSQL 请用 pg_dump 备份 back up PostgreSQL with pg_dump\n");
		return 1;
	}
	/* Copy beside the target, then rename: the target is never half-written. */
	snprintf(tmp, sizeof(tmp), "%s.partial", a.pos[0]);
	unlink(tmp);
	rc = db_backup(db, tmp);
	if (!rc && rename(tmp, a.pos[0]))
		rc = LIN_EIO;
	if (rc) {
		unlink(tmp);
		fprintf(stderr, "linli: 备份失败 backup failed\n");
	} else {
		printf("已备份到 Backed up to %s\n", a.pos[0]);
	}
	return rc ? 1 : 0;
}

static int cmd_holidays(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args a;
	struct db *db;
	char *data = NULL;
	size_t len = 0;
	int rc, loaded = 0;

	if (args_parse(argc, argv, &a) || a.npos < 1 ||
	    (strcmp(a.pos[0], "list") && (strcmp(a.pos[0], "load") || a.npos != 2))) {
		fprintf(stderr, "用法 usage: linli holidays list | linli holidays load FILE.csv\n");
		return LIN_EXIT_USAGE;
	}
	if (!strcmp(a.pos[0], "load") && !(data = read_file(a.pos[1], &len))) {
		fprintf(stderr, "linli: 无法读取 cannot read %s\n", a.pos[1]);
		return 1;
	}
	if (cmd_open(ctx)) {
		free(data);
		return 1;
	}
	db = ctx->db;
	if (data) {
		rc = cases_holidays_load(db, data, len, stderr, &loaded);
		if (!rc)
			printf("已载入 %d 天 Loaded %d days\n", loaded, loaded);
		else
			fprintf(stderr, "linli: 未载入任何日期 nothing was loaded\n");
	} else {
		rc = cases_holidays_list(db, stdout);
	}
	free(data);
	return rc ? 1 : 0;
}

static int cmd_jobs(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args a;
	int rc;

	if (args_parse(argc, argv, &a) || a.npos) {
		fprintf(stderr, "用法 usage: linli jobs\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	rc = jobs_list(ctx->db, (int64_t)time(NULL), stdout);
	if (rc)
		fprintf(stderr, "linli: 无法读取后台任务 cannot read the jobs: %s\n",
			db_errmsg(ctx->db));
	return rc ? 1 : 0;
}

/* cmd_sms sets where the area's texts to residents' phones go: an SMS
 * gateway's webhook, or none (the log, for development). */
static int cmd_sms(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args a;
	int rc;

	if (args_parse(argc, argv, &a) || a.npos != 1) {
		fprintf(stderr, "用法 usage: linli sms URL|none [--area CODE]\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	rc = sms_sender_set(ctx->db, ctx->area, strcmp(a.pos[0], "none") ? a.pos[0] : "", "cli");
	if (rc == LIN_EINVAL || rc == LIN_ETOOBIG) {
		fprintf(stderr, "linli: 地址须以 http:// 或 https:// 开头 the address must start "
				"with http:// or https://\n");
		return 1;
	}
	if (rc) {
		fprintf(stderr, "linli: 保存失败 could not save: %s\n", lin_strerror(rc));
		return 1;
	}
	return 0;
}

/* The house's own commands; the features' come from cli/features.c. */
const struct command cli_commands[] = {
    {"init", cmd_init, CMD_DB,
     "[--area CODE --area-name NAME --street-name NAME --district-name NAME]",
     "创建数据库（可选：新建一个居民区） create the database (and optionally an area)"},
    {"migrate", cmd_migrate, CMD_NONE, "", "应用数据库迁移 apply database migrations"},
    {"serve", cmd_serve, CMD_DB, "[--listen ADDR:PORT]", "运行网站 serve the web app"},
    {"routes", cmd_routes, CMD_NONE, "",
     "列出全部路由及所需权限 list every route and the permission it needs"},
    {"demo", cmd_demo, CMD_DB, "[--listen ADDR:PORT] [--no-serve] [--no-history] [--no-simulate]",
     "载入普善演示数据并运行 load the Pushan demo area and serve it"},
    {"user add", cmd_user_add, CMD_DB,
     "USERNAME --role ROLE [--area CODE | --street CODE | --district CODE] [--resident ID] "
     "--password-stdin",
     "新建账号 add an account"},
    {"user passwd", cmd_user_passwd, CMD_DB, "USERNAME --password-stdin",
     "修改密码 change a password"},
    {"token add", cmd_token_add, CMD_AREA, "NAME --role ROLE [--area CODE]",
     "新建接口令牌（只显示一次） create an API token (shown once)"},
    {"token list", cmd_token_list, CMD_DB, "",
     "列出接口令牌（不含令牌本身） list API tokens (not the tokens)"},
    {"token revoke", cmd_token_revoke, CMD_DB, "ID", "吊销接口令牌 revoke an API token"},
    {"import", cmd_import, CMD_AREA,
     "households|residents|members|units FILE [--dry-run] [--area CODE]", "从 CSV 导入 import CSV"},
    {"export", cmd_export, CMD_AREA, "households|residents|members|units [--area CODE]",
     "导出 CSV export CSV"},
    {"holidays", cmd_holidays, CMD_DB, "list | load FILE.csv",
     "节假日与调休（计算工作日期限） holidays and make-up working days for deadlines"},
    {"backup", cmd_backup, CMD_DB, "DEST.db",
     "在线备份 SQLite 数据库 back up a live SQLite database"},
    {"audit verify", cmd_audit_verify, CMD_DB | CMD_AUDIT, "[--anchors FILE [--public-key HEX]]",
     "校验审计链（及其锚点） verify the audit chain (and that it holds its anchors)"},
    {"audit anchor", cmd_audit_anchor, CMD_DB | CMD_AUDIT, "[--out FILE] [--syslog]",
     "签署审计链当前链头，存于数据库之外 sign the audit chain's head for keeping outside the "
     "database"},
    {"jobs", cmd_jobs, CMD_DB, "",
     "后台任务由哪台服务器执行、何时运行 which server holds each background job, and its runs"},
    {"sms", cmd_sms, CMD_DB | CMD_AREA, "URL|none [--area CODE]",
     "居民手机短信的网关（网络钩子；none：只写日志） where texts to residents' phones are sent"},
    {NULL, NULL, CMD_NONE, NULL, NULL},
};
