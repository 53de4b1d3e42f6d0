/* `linli assembly tally`, the auditors' stable interface, as they use it:
 * the exact JSON and the table for a roll with a multi-part owner, the
 * developer, co-owners in one quoted name and superseded ballots; each
 * bad row refused as FILE:LINE: reason (Chinese, then English) on stderr
 * with nothing on stdout and exit status 1 (2 for a wrong command line).
 * The command runs in-process with its output caught, and once more as
 * the built linli binary (LINLI_EXE) through the command line's table. */
#include "assembly/cli_tally.h"
#include "base/command.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];
static char roll_path[128], ballots_path[128], bad_path[128];

static const char roll_csv[] = "unit,owner,area_m2\n"
			       "1-101,张三,100.00\n"
			       "1-102,张三,50.5\n"
			       "1-201,李四,80\n"
			       "1-202,\"王五, 赵六\",70.25\n"
			       "2-101,开发商,60\n"
			       "2-102,开发商,60\n"
			       "2-201,陈七,40.00\n";

static const char ballots_csv[] = "owner,matter,choice\n"
				  "张三,M4,agree\n"
				  "李四,M4,oppose\n"
				  "\"王五, 赵六\",M4,agree\n"
				  "张三,M4,abstain\n"
				  "张三,M4,agree\n"
				  "开发商,M4,abstain\n"
				  "开发商,M6,agree\n"
				  "张三,M6,agree\n"
				  "李四,M6,agree\n"
				  "\"王五, 赵六\",M6,oppose\n";

/* M4 (item 4): 4 of 5 owners take part, 420.75 of 460.75 m²; 2 of 4
 * agree, exactly half: no majority by headcount, though 220.75 m² is
 * more than half the area. M6 (item 6): 3 of 4 agree, exactly three
 * quarters, with 350.50 of 420.75 m². M9: nobody voted. */
static const char want_json[] =
    "{\"owners\": 5, \"area_m2\": \"460.75\", \"matters\": ["
    "{\"matter\": \"M4\", \"item\": 4, \"rule\": \"more_than_half\", "
    "\"participating_owners\": 4, \"participating_area_m2\": \"420.75\", "
    "\"agree_owners\": 2, \"agree_area_m2\": \"220.75\", \"quorum_met\": true, "
    "\"passed\": false}, "
    "{\"matter\": \"M6\", \"item\": 6, \"rule\": \"at_least_three_quarters\", "
    "\"participating_owners\": 4, \"participating_area_m2\": \"420.75\", "
    "\"agree_owners\": 3, \"agree_area_m2\": \"350.50\", \"quorum_met\": true, "
    "\"passed\": true}, "
    "{\"matter\": \"M9\", \"item\": 9, \"rule\": \"more_than_half\", "
    "\"participating_owners\": 0, \"participating_area_m2\": \"0.00\", "
    "\"agree_owners\": 0, \"agree_area_m2\": \"0.00\", \"quorum_met\": false, "
    "\"passed\": false}]}\n";

static const char want_table[] =
    "业主大会计票 owners' assembly tally (Civil Code Art. 278)\n"
    "业主 owners: 5（专有部分 parts: 7）\n"
    "专有部分总面积 total area: 460.75 m²\n"
    "表决票 ballot rows: 10\n"
    "\n"
    "事项 matter M4 · 第二百七十八条第 4 项 Art. 278 item 4 · 过半数 more than half "
    "(more_than_half)\n"
    "  参与表决 participation (须 ≥ 2/3 needs ≥ 2/3)\n"
    "    人数 owners     4 / 5 = 80.00%                    达到 met\n"
    "    面积 area       420.75 / 460.75 m² = 91.32%       达到 met\n"
    "  同意 approval (须 > 1/2 needs > 1/2)\n"
    "    人数 owners     2 / 4 = 50.00%                    未达 not met\n"
    "    面积 area       220.75 / 420.75 m² = 52.47%       达到 met\n"
    "  反对 oppose       1 人 owners, 80.00 m²\n"
    "  弃权 abstain      1 人 owners, 120.00 m²\n"
    "  被取代 superseded 2\n"
    "  结果 verdict      未通过：同意未过半数 failed: agreement not more than half\n"
    "\n"
    "事项 matter M6 · 第二百七十八条第 6 项 Art. 278 item 6 · 四分之三以上 at least three "
    "quarters (at_least_three_quarters)\n"
    "  参与表决 participation (须 ≥ 2/3 needs ≥ 2/3)\n"
    "    人数 owners     4 / 5 = 80.00%                    达到 met\n"
    "    面积 area       420.75 / 460.75 m² = 91.32%       达到 met\n"
    "  同意 approval (须 ≥ 3/4 needs ≥ 3/4)\n"
    "    人数 owners     3 / 4 = 75.00%                    达到 met\n"
    "    面积 area       350.50 / 420.75 m² = 83.30%       达到 met\n"
    "  反对 oppose       1 人 owners, 70.25 m²\n"
    "  弃权 abstain      0 人 owners, 0.00 m²\n"
    "  被取代 superseded 0\n"
    "  结果 verdict      通过 passed\n"
    "\n"
    "事项 matter M9 · 第二百七十八条第 9 项 Art. 278 item 9 · 过半数 more than half "
    "(more_than_half)\n"
    "  参与表决 participation (须 ≥ 2/3 needs ≥ 2/3)\n"
    "    人数 owners     0 / 5 = 0.00%                     未达 not met\n"
    "    面积 area       0.00 / 460.75 m² = 0.00%          未达 not met\n"
    "  同意 approval (须 > 1/2 needs > 1/2)\n"
    "    人数 owners     0 / 0 = -                         未达 not met\n"
    "    面积 area       0.00 / 0.00 m² = -                未达 not met\n"
    "  反对 oppose       0 人 owners, 0.00 m²\n"
    "  弃权 abstain      0 人 owners, 0.00 m²\n"
    "  被取代 superseded 0\n"
    "  结果 verdict      未通过：参与表决未达三分之二 failed: participation under two thirds\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/tally-cli.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(roll_path, sizeof(roll_path), "%s/ROLL.csv", dir);
	snprintf(ballots_path, sizeof(ballots_path), "%s/BALLOTS.csv", dir);
	snprintf(bad_path, sizeof(bad_path), "%s/BAD.csv", dir);
	write_file(roll_path, roll_csv);
	write_file(ballots_path, ballots_csv);
	return 0;
}

static int teardown(void **state)
{
	unlink(roll_path);
	unlink(ballots_path);
	unlink(bad_path);
	rmdir(dir);
	return 0;
}

/* slurp: a caught stream's text (at most n - 1 bytes). */
static void slurp(int fd, char *out, size_t n)
{
	ssize_t got;
	size_t len = 0;

	lseek(fd, 0, SEEK_SET);
	while (len + 1 < n && (got = read(fd, out + len, n - 1 - len)) > 0)
		len += (size_t)got;
	out[len] = '\0';
}

/* The two files a run's stdout and stderr go to. */
struct caught {
	char opath[32], epath[32];
	int ofd, efd;
};

static void catch_open(struct caught *c)
{
	snprintf(c->opath, sizeof(c->opath), "/tmp/tally-out.XXXXXX");
	snprintf(c->epath, sizeof(c->epath), "/tmp/tally-err.XXXXXX");
	c->ofd = mkstemp(c->opath);
	c->efd = mkstemp(c->epath);
	assert_true(c->ofd >= 0 && c->efd >= 0);
}

/* catch_close: what was caught, into out and err; the files removed. */
static void catch_close(struct caught *c, char *out, size_t outlen, char *err, size_t errlen)
{
	slurp(c->ofd, out, outlen);
	slurp(c->efd, err, errlen);
	close(c->ofd);
	close(c->efd);
	unlink(c->opath);
	unlink(c->epath);
}

/* run: `linli assembly tally ARGS...` in-process, its stdout and stderr
 * caught; returns its exit status. */
static int run(char *out, size_t outlen, char *err, size_t errlen, ...)
{
	int saved_out = dup(1), saved_err = dup(2);
	struct cmd_ctx ctx = {0};
	struct caught c;
	char *argv[24];
	int argc = 0, rc;
	va_list ap;

	va_start(ap, errlen);
	for (char *a; argc < 23 && (a = va_arg(ap, char *));)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	assert_string_equal(assembly_tally_commands[0].name, "assembly tally");
	assert_int_equal(assembly_tally_commands[0].needs, CMD_NONE);
	catch_open(&c);
	fflush(stdout);
	fflush(stderr);
	dup2(c.ofd, 1);
	dup2(c.efd, 2);
	rc = assembly_tally_commands[0].run(&ctx, argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	catch_close(&c, out, outlen, err, errlen);
	return rc;
}

static void json_exact(void **state)
{
	static char out[8192], err[1024];
	char m4[] = "M4:4", m6[] = "M6:6", m9[] = "M9:9";

	assert_int_equal(run(out, sizeof(out), err, sizeof(err), "--roll", roll_path, "--ballots",
			     ballots_path, "--matter", m4, "--json", "--matter", m6, "--matter", m9,
			     NULL),
			 0);
	assert_string_equal(out, want_json);
	assert_string_equal(err, "");
}

static void table_exact(void **state)
{
	static char out[8192], err[1024];
	char m4[] = "M4:4", m6[] = "M6:6", m9[] = "M9:9";

	assert_int_equal(run(out, sizeof(out), err, sizeof(err), "--matter", m4, "--matter", m6,
			     "--matter", m9, "--ballots", ballots_path, "--roll", roll_path, NULL),
			 0);
	assert_string_equal(out, want_table);
	assert_string_equal(err, "");
}

/* A bad file: which of the two it replaces, its text, and the line and
 * reason wanted on stderr after "PATH:". */
struct bad_row {
	int roll;
	const char *text;
	const char *want; /* after "PATH:" */
};

static void bad_rows_refused(void **state)
{
	static const struct bad_row cases[] = {
	    {1, "unit,owner,area\n1,a,1\n",
	     "1: 表头须为 unit,owner,area_m2 the header must be unit,owner,area_m2\n"},
	    {1, "unit,owner,area_m2\n1,a,1\n2,b,1.234\n",
	     "3: 面积须为正数、至多两位小数 the area must be positive with at most two decimals: "
	     "\"1.234\"\n"},
	    {1, "unit,owner,area_m2\n1,a,1\n2,b,0\n",
	     "3: 面积须为正数、至多两位小数 the area must be positive with at most two decimals: "
	     "\"0\"\n"},
	    {1, "unit,owner,area_m2\n1,a,1\n2,b,-2\n",
	     "3: 面积须为正数、至多两位小数 the area must be positive with at most two decimals: "
	     "\"-2\"\n"},
	    {1, "unit,owner,area_m2\n1-101,张三,1\n1-102,李四,1\n1-101,王五,1\n",
	     "4: 房号重复（已见于第 2 行） a unit twice, first on line 2: 1-101\n"},
	    {1, "unit,owner,area_m2\n1,a,1\n2,\"b,1\n",
	     "3: CSV 引号未闭合 malformed CSV: unterminated quoted field\n"},
	    {1, "unit,owner,area_m2\n1,a,1,\n",
	     "2: 每行须有 3 列，此行有 4 列 a row needs 3 fields, this one has 4\n"},
	    {1, "unit,owner,area_m2\n", "1: 名册中没有专有部分 the roll has no parts\n"},
	    {0, "owner,matter,choice\n张三,M4,agree\n\n赵六,M4,agree\n",
	     "4: 业主不在名册上 an owner not on the roll: 赵六\n"},
	    {0, "owner,matter,choice\n张三,M4,agree\n李四,M4,yes\n",
	     "3: 表决意见须为 agree、oppose 或 abstain the choice must be agree, oppose or "
	     "abstain: "
	     "\"yes\"\n"},
	    {0, "owner,matter,choice\n张三,M4,agree\n李四,M5,agree\n",
	     "3: 表决未列出的事项 a matter not named: M5\n"},
	    {0, "owner,choice,matter\n",
	     "1: 表头须为 owner,matter,choice the header must be "
	     "owner,matter,choice\n"},
	    {0, "owner,matter,choice\n张三,M4,agree\n李四,\"M4\"x,agree\n",
	     "3: CSV 闭合引号后还有文字 malformed CSV: text after a closing quote\n"},
	};
	static char out[8192], err[1024];
	char want[1024], m4[] = "M4:4", m6[] = "M6:6";

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_row *c = &cases[i];
		int rc;

		write_file(bad_path, c->text);
		for (int json = 0; json < 2; json++) {
			rc = run(out, sizeof(out), err, sizeof(err), "--roll",
				 c->roll ? bad_path : roll_path, "--ballots",
				 c->roll ? ballots_path : bad_path, "--matter", m4, "--matter", m6,
				 json ? "--json" : NULL, NULL);
			snprintf(want, sizeof(want), "%s:%s", bad_path, c->want);
			if (rc != 1 || strcmp(err, want) || out[0])
				fail_msg("case %zu: exit %d, stderr \"%s\" (want \"%s\"), stdout "
					 "\"%s\"",
					 i, rc, err, want, out);
		}
	}
}

static void wrong_command_lines(void **state)
{
	static char out[8192], err[1024];
	char m4[] = "M4:4", m4b[] = "M4:6", item0[] = "X:0", item10[] = "X:10", nocode[] = ":4",
	     noitem[] = "X", plus[] = "X:+4";
	char missing[160];

	/* No --matter, no --roll, an unknown option, no value. */
	assert_int_equal(run(out, sizeof(out), err, sizeof(err), "--roll", roll_path, "--ballots",
			     ballots_path, NULL),
			 2);
	assert_non_null(strstr(err, "用法 usage: linli assembly tally --roll ROLL.csv"));
	assert_string_equal(out, "");
	assert_int_equal(run(out, sizeof(out), err, sizeof(err), "--ballots", ballots_path,
			     "--matter", m4, NULL),
			 2);
	assert_int_equal(run(out, sizeof(out), err, sizeof(err), "--roll", roll_path, "--ballots",
			     ballots_path, "--matter", m4, "--csv", NULL),
			 2);
	assert_int_equal(run(out, sizeof(out), err, sizeof(err), "--roll", roll_path, "--ballots",
			     ballots_path, "--matter", NULL),
			 2);
	assert_non_null(strstr(err, "--matter needs a value"));

	/* Items outside 1-9, a matter without code or item, one code twice. */
	char *bad[] = {item0, item10, nocode, noitem, plus};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char arg[16];
		snprintf(arg, sizeof(arg), "%s", bad[i]);
		assert_int_equal(run(out, sizeof(out), err, sizeof(err), "--roll", roll_path,
				     "--ballots", ballots_path, "--matter", bad[i], NULL),
				 2);
		assert_string_equal(out, "");
		char want[200];
		snprintf(want, sizeof(want),
			 "linli: --matter %s: 须写作 编号:项，项为第二百七十八条的 1–9 must be "
			 "CODE:ITEM, ITEM of Art. 278 from 1 to 9\n",
			 arg);
		assert_non_null(strstr(err, want));
	}
	assert_int_equal(run(out, sizeof(out), err, sizeof(err), "--roll", roll_path, "--ballots",
			     ballots_path, "--matter", m4, "--matter", m4b, NULL),
			 2);
	assert_non_null(
	    strstr(err, "linli: --matter M4: 事项编号重复 the matter code is given twice"));

	/* A file that is not there: exit 1. */
	snprintf(missing, sizeof(missing), "%s/none.csv", dir);
	assert_int_equal(run(out, sizeof(out), err, sizeof(err), "--roll", missing, "--ballots",
			     ballots_path, "--matter", m4, NULL),
			 1);
	assert_non_null(strstr(err, "cannot read"));
	assert_non_null(strstr(err, missing));
	assert_string_equal(out, "");
}

/* exec_linli runs the built binary; OUT: its stdout and stderr. */
static int exec_linli(char *out, size_t outlen, char *err, size_t errlen, char *const argv[])
{
	struct caught c;
	int status;
	pid_t pid;

	catch_open(&c);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		dup2(c.ofd, 1);
		dup2(c.efd, 2);
		execv(LINLI_EXE, argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	catch_close(&c, out, outlen, err, errlen);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void through_the_binary(void **state)
{
	static char out[8192], err[1024];
	char want[512];
	char *json[] = {LINLI_EXE,   "assembly",   "tally",    "--roll", roll_path,
			"--ballots", ballots_path, "--matter", "M4:4",	 "--matter",
			"M6:6",	     "--matter",   "M9:9",     "--json", NULL};
	char *bad[] = {LINLI_EXE, "assembly", "tally", "--roll", roll_path, "--ballots",
		       bad_path,  "--matter", "M4:4",  "--json", NULL};
	char *usage[] = {LINLI_EXE, "assembly", "tally", "--roll", roll_path, NULL};

	assert_int_equal(exec_linli(out, sizeof(out), err, sizeof(err), json), 0);
	assert_string_equal(out, want_json);
	assert_string_equal(err, "");

	write_file(bad_path, "owner,matter,choice\n张三,M4,agree\n王五,M4,agree\n");
	assert_int_equal(exec_linli(out, sizeof(out), err, sizeof(err), bad), 1);
	snprintf(want, sizeof(want), "%s:3: 业主不在名册上 an owner not on the roll: 王五\n",
		 bad_path);
	assert_string_equal(err, want);
	assert_string_equal(out, "");

	assert_int_equal(exec_linli(out, sizeof(out), err, sizeof(err), usage), 2);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(json_exact),	  cmocka_unit_test(table_exact),
	    cmocka_unit_test(bad_rows_refused),	  cmocka_unit_test(wrong_command_lines),
	    cmocka_unit_test(through_the_binary),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
