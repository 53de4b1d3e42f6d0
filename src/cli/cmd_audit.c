/* linli audit verify and linli audit anchor: the audit chain checked, and
 * its head signed into a file or syslog kept apart from the database
 * (db/audit.h). */
#include "cli.h"
#include "../assembly/assembly.h"
#include "../base/err.h"
#include "../base/opts.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../hours/hours.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

/* trusted_key: the public key anchors must be signed with: --public-key,
 * else the public half of the signing key file. */
static int trusted_key(const struct config *cfg, const char *hex,
		       unsigned char pk[AUDIT_SIGN_PUBLIC])
{
	unsigned char sk[AUDIT_SIGN_SECRET];
	char why[128];
	size_t len = 0;
	int rc;

	if (hex) {
		if (strlen(hex) != 2 * AUDIT_SIGN_PUBLIC ||
		    sodium_hex2bin(pk, AUDIT_SIGN_PUBLIC, hex, strlen(hex), NULL, &len, NULL) ||
		    len != AUDIT_SIGN_PUBLIC) {
			fprintf(stderr, "linli: --public-key 须为 64 个十六进制数字 must be 64 hex "
					"digits\n");
			return LIN_EXIT_USAGE;
		}
		return 0;
	}
	rc = audit_sign_key_load(cfg->audit_sign_key, 0, sk, why, sizeof(why));
	if (rc == LIN_ENOTFOUND)
		fprintf(stderr,
			"linli: 没有签名密钥文件 %s，请用 --public-key 给出公钥 no signing key "
			"file %s: "
			"give the public key with --public-key\n",
			cfg->audit_sign_key, cfg->audit_sign_key);
	else if (rc)
		fprintf(stderr,
			"linli: 签名密钥文件 %s 无法使用 cannot use the signing key file: %s\n",
			cfg->audit_sign_key, why);
	if (rc)
		return 1;
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	sodium_memzero(sk, sizeof(sk));
	return 0;
}

/* check_anchors reads FILE's anchor lines (blank lines and # comments
 * skipped) and says of each whether the log still holds it. Returns the
 * number of anchors not held, or -1 when the file cannot be read. */
static int check_anchors(struct db *db, const char *path, const unsigned char pk[AUDIT_SIGN_PUBLIC],
			 int *held)
{
	static const char *const said[] = {
	    [ANCHOR_MALFORMED] = "不是锚点行 not an anchor line",
	    [ANCHOR_FORGED] = "签名无效 the signature does not verify",
	    [ANCHOR_OTHER_KEY] = "由其他密钥签名 signed by another key",
	    [ANCHOR_MISSING] = "所锚定的条目已不存在 the anchored entry is gone",
	    [ANCHOR_CHANGED] = "日志与锚点不符 the log differs from the anchor",
	};
	FILE *f = fopen(path, "r");
	char line[AUDIT_ANCHOR_MAX + 8];
	int lineno = 0, bad = 0;

	*held = 0;
	if (!f) {
		fprintf(stderr, "linli: 无法读取 cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		int64_t id = 0;
		int r;
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		r = audit_anchor_check(db, line, pk, &id);
		if (r < 0) {
			fclose(f);
			fprintf(stderr, "linli: 无法读取审计日志 cannot read the audit log: %s\n",
				db_errmsg(db));
			return -1;
		}
		if (r == ANCHOR_HELD) {
			(*held)++;
			continue;
		}
		bad++;
		printf("%s:%d: 第 %lld 条的锚点 anchor of entry %lld: %s\n", path, lineno,
		       (long long)id, (long long)id, said[r]);
	}
	fclose(f);
	return bad;
}

static void print_line(void *ctx, const char *line)
{
	printf("%s\n", line);
}

/* check_hours: the service-hours balances against their ledger
 * (hours/hours.h). Returns non-zero when any differs or it cannot read. */
static int check_hours(struct db *db)
{
	int64_t people = 0, bad = 0;

	if (hours_verify(db, &people, &bad, print_line, NULL)) {
		fprintf(stderr, "linli: 无法读取服务时长 cannot read the service hours: %s\n",
			db_errmsg(db));
		return 1;
	}
	if (bad)
		printf("服务时长有 %lld 处不符 service hours: %lld discrepancies\n", (long long)bad,
		       (long long)bad);
	else
		printf("服务时长余额与分录一致，共 %lld 人 service-hour balances match the ledger: "
		       "%lld people\n",
		       (long long)people, (long long)people);
	return bad ? 1 : 0;
}

/* check_ballots: every ballot of the owners' assemblies against its audit
 * entry (assembly/assembly.h). Non-zero when any differs or is missing. */
static int check_ballots(struct db *db)
{
	int64_t ballots = 0, bad = 0;

	if (assembly_verify(db, &ballots, &bad, print_line, NULL)) {
		fprintf(stderr,
			"linli: 无法读取业主大会选票 cannot read the assemblies' ballots: %s\n",
			db_errmsg(db));
		return 1;
	}
	if (bad)
		printf(
		    "业主大会选票有 %lld 处与审计记录不符 assembly ballots: %lld differ from the "
		    "audit log\n",
		    (long long)bad, (long long)bad);
	else
		printf(
		    "业主大会选票与审计记录一致，共 %lld 张 assembly ballots match the audit log: "
		    "%lld ballots\n",
		    (long long)ballots, (long long)ballots);
	return bad ? 1 : 0;
}

int cmd_audit_verify(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct config *cfg = ctx->owner;
	const char *anchors = NULL, *public_hex = NULL, *pos[1];
	unsigned char pk[AUDIT_SIGN_PUBLIC];
	const struct opt opts[] = {
	    {"--anchors", OPT_TEXT, &anchors, 0, 0},
	    {"--public-key", OPT_TEXT, &public_hex, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	int64_t bad = 0, count = 0;
	int npos = 0, rc, unheld = 0, held = 0, hours_bad = 0, ballots_bad = 0;

	if (opts_parse(opts, argc, argv, pos, 0, &npos) || (public_hex && !anchors)) {
		fprintf(stderr,
			"用法 usage: linli audit verify [--anchors FILE [--public-key HEX]]\n");
		return LIN_EXIT_USAGE;
	}
	if (anchors && (rc = trusted_key(cfg, public_hex, pk)))
		return rc;
	if (cmd_open(ctx))
		return 1;
	rc = audit_verify(ctx->db, &bad, &count);
	if (rc == LIN_EINVAL)
		printf("审计链在第 %lld 条断开 audit chain broken at entry %lld\n", (long long)bad,
		       (long long)bad);
	else if (rc)
		fprintf(stderr, "linli: 无法读取审计日志 cannot read the audit log\n");
	else
		printf("审计链完整，共 %lld 条 audit chain intact: %lld entries\n",
		       (long long)count, (long long)count);
	if (rc != LIN_EDB)
		hours_bad = check_hours(ctx->db);
	if (rc != LIN_EDB)
		ballots_bad = check_ballots(ctx->db);
	if (anchors && rc != LIN_EDB) {
		unheld = check_anchors(ctx->db, anchors, pk, &held);
		if (unheld == 0)
			printf("日志包含全部 %d 个锚点 the log holds all %d anchors\n", held, held);
		else if (unheld > 0)
			printf("%d 个锚点不符 %d anchors do not hold\n", unheld, unheld);
	}
	return rc || unheld || hours_bad || ballots_bad ? 1 : 0;
}

/* append_line adds line and a newline to path (created 0600), flushed to
 * disk before we say so. */
static int append_line(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	size_t len = strlen(line);
	int rc = 0;

	if (fd < 0)
		return LIN_EIO;
	if (write(fd, line, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd))
		rc = LIN_EIO;
	if (close(fd))
		rc = LIN_EIO;
	return rc;
}

int cmd_audit_anchor(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct config *cfg = ctx->owner;
	const char *out = NULL, *pos[1];
	unsigned char sk[AUDIT_SIGN_SECRET];
	char line[AUDIT_ANCHOR_MAX], why[128];
	int64_t bad = 0, count = 0;
	int use_syslog = 0, npos = 0, rc;
	const struct opt opts[] = {
	    {"--out", OPT_TEXT, &out, 0, 0},
	    {"--syslog", OPT_FLAG, &use_syslog, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};

	if (opts_parse(opts, argc, argv, pos, 0, &npos)) {
		fprintf(stderr, "用法 usage: linli audit anchor [--out FILE] [--syslog]\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	/* Never sign a head that does not verify. */
	rc = audit_verify(ctx->db, &bad, &count);
	if (rc == LIN_EINVAL) {
		fprintf(stderr,
			"linli: 审计链在第 %lld 条断开，不予锚定 audit chain broken at entry %lld: "
			"not anchored\n",
			(long long)bad, (long long)bad);
		return 1;
	} else if (rc) {
		fprintf(stderr, "linli: 无法读取审计日志 cannot read the audit log: %s\n",
			db_errmsg(ctx->db));
		return 1;
	}
	rc = audit_sign_key_load(cfg->audit_sign_key, 1, sk, why, sizeof(why));
	if (rc) {
		fprintf(stderr,
			"linli: 签名密钥文件 %s 无法使用 cannot use the signing key file: %s\n",
			cfg->audit_sign_key, why);
		return 1;
	}
	rc = audit_anchor_line(ctx->db, sk, line);
	sodium_memzero(sk, sizeof(sk));
	if (rc) {
		fprintf(stderr, "linli: 无法读取审计日志 cannot read the audit log: %s\n",
			db_errmsg(ctx->db));
		return 1;
	}
	if (out && append_line(out, line)) {
		fprintf(stderr, "linli: 无法写入 cannot write %s: %s\n", out, strerror(errno));
		return 1;
	}
	if (use_syslog) {
		openlog("linli-audit", LOG_PID, LOG_AUTHPRIV);
		syslog(LOG_NOTICE, "%s", line);
		closelog();
	}
	printf("%s\n", line);
	return 0;
}
