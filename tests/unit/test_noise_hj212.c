/* HJ 212-2017 frames (src/noise/hj212.c): the reference example with its
 * CRC, real-time, minute and split noise frames, every malformation refused
 * with its reason, the stream reassembler on cut, joined and dirty input,
 * value lookup, replies, DataTime in Shanghai time, and the noise
 * statistics of minute and hour data made into a row (src/noise/readings.c). */
#include "base/buf.h"
#include "base/err.h"
#include "noise/hj212.h"
#include "noise/ingest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHANGHAI 28800

/* The worked example of the reference (noise-standards.md, HJ 212). */
static const char example_segment[] =
    "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
    "CP=&&RtdInterval=30&&";
static const char example_frame[] =
    "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
    "CP=&&RtdInterval=30&&1C80\r\n";

/* A real-time noise segment and a minute-data segment. */
static const char realtime_segment[] =
    "QN=20260629200000123;ST=23;CN=2011;PW=123456;MN=NOISE0001;Flag=5;"
    "CP=&&DataTime=20260629200000;LA-Rtd=57.9,LA-Flag=N&&";
static const char minute_segment[] =
    "QN=20260629200100000;ST=23;CN=2051;PW=123456;MN=NOISE0001;Flag=4;"
    "CP=&&DataTime=20260629200000;Leq-Data=55.3;L10-Data=58.1;L50-Data=54.0;"
    "L90-Data=50.2;LMx-Data=71.4;LMn-Data=47.9&&";

/* frame_of wraps a data segment into a frame with the right length and CRC
 * (independently of hj212_build). Returns a malloc'd string. */
static char *frame_of(const char *seg)
{
	size_t n = strlen(seg);
	char *f = malloc(n + 13);
	assert_non_null(f);
	snprintf(f, n + 13, "##%04zu%s%04X\r\n", n, seg, (unsigned)hj212_crc(seg, n));
	return f;
}

/* parse_segment_why parses the frame of seg: the reason, or NULL if it
 * parsed. */
static const char *parse_segment_why(const char *seg, struct hj212_frame *f)
{
	char *frame = frame_of(seg);
	const char *why = NULL;
	int rc = hj212_parse(frame, strlen(frame), SHANGHAI, f, &why);
	free(frame);
	if (rc == 0)
		return NULL;
	assert_int_equal(rc, LIN_EINVAL);
	assert_non_null(why);
	return why;
}

/* ------------------------------------------------------------ good frames */

static void reference_example(void **state)
{
	struct hj212_frame f;
	const char *why = "unset";
	(void)state;

	/* CRC over the data segment only, as the reference gives it. */
	assert_int_equal(strlen(example_segment), 101);
	assert_int_equal(hj212_crc(example_segment, strlen(example_segment)), 0x1C80);
	assert_int_equal(hj212_parse(example_frame, strlen(example_frame), SHANGHAI, &f, &why), 0);
	assert_null(why);
	assert_string_equal(f.qn, "20160801085857223");
	assert_int_equal(f.st, 32);
	assert_int_equal(f.cn, 1062);
	assert_string_equal(f.pw, "100000");
	assert_string_equal(f.mn, "010000A8900016F000169DC0");
	assert_int_equal(f.flag, 5);
	assert_int_equal(f.has_split, 0);
	assert_int_equal(f.has_data_time, 0);
	assert_int_equal(f.nvalues, 1);
	assert_string_equal(f.values[0].code, "RtdInterval");
	assert_string_equal(f.values[0].field, "");
	assert_string_equal(f.values[0].value, "30");
}

static void realtime_noise(void **state)
{
	struct hj212_frame f;
	double v;
	(void)state;

	assert_null(parse_segment_why(realtime_segment, &f));
	assert_int_equal(f.st, 23);
	assert_int_equal(f.cn, 2011);
	assert_true(f.flag & HJ212_FLAG_A);
	assert_int_equal(f.has_data_time, 1);
	assert_string_equal(f.data_time, "20260629200000");
	/* 20:00 in Shanghai is noon UTC. */
	assert_int_equal(f.data_time_epoch, 1782734400);
	assert_int_equal(f.nvalues, 2);
	assert_string_equal(f.values[0].code, "LA");
	assert_string_equal(f.values[0].field, "Rtd");
	assert_string_equal(f.values[0].value, "57.9");
	assert_string_equal(f.values[1].field, "Flag");
	assert_string_equal(f.values[1].value, "N");

	assert_int_equal(hj212_value_double(&f, "LA", "Rtd", &v), 0);
	assert_true(v > 57.89 && v < 57.91);
	assert_int_equal(hj212_value_double(&f, "LA", "Flag", &v), LIN_EINVAL);
	assert_int_equal(hj212_value_double(&f, "LA", "Data", &v), LIN_ENOTFOUND);
	assert_int_equal(hj212_value_double(&f, "Leq", "Rtd", &v), LIN_ENOTFOUND);
}

static void data_time_offsets(void **state)
{
	struct hj212_frame f;
	char *frame = frame_of(realtime_segment);
	const char *why;
	(void)state;

	assert_int_equal(hj212_parse(frame, strlen(frame), 0, &f, &why), 0);
	assert_int_equal(f.data_time_epoch, 1782734400 + 8 * 3600);
	free(frame);
	/* Leap day and the last second of a year. */
	assert_null(parse_segment_why("QN=20240229235959999;ST=23;CN=2011;PW=1;MN=A;Flag=4;"
				      "CP=&&DataTime=20231231235959&&",
				      &f));
	assert_int_equal(f.data_time_epoch, 1704067199 - SHANGHAI);
}

static void minute_data(void **state)
{
	static const char *codes[] = {"Leq", "L10", "L50", "L90", "LMx", "LMn"};
	static const double want[] = {55.3, 58.1, 54.0, 50.2, 71.4, 47.9};
	struct hj212_frame f;
	double v;
	(void)state;

	assert_null(parse_segment_why(minute_segment, &f));
	assert_int_equal(f.cn, 2051);
	assert_int_equal(f.nvalues, 6);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(hj212_value_double(&f, codes[i], "Data", &v), 0);
		assert_true(v > want[i] - 1e-9 && v < want[i] + 1e-9);
	}
	/* Daily values. */
	assert_null(parse_segment_why("QN=20260630000500000;ST=23;CN=2031;PW=123456;MN=N1;Flag=4;"
				      "CP=&&DataTime=20260629000000;Ld-DayData=58.2;"
				      "Ln-NightData=47.5;Ldn-Data=58.6&&",
				      &f));
	assert_int_equal(hj212_value_double(&f, "Ldn", "Data", &v), 0);
	assert_int_equal(hj212_value_double(&f, "Ln", "NightData", &v), 0);
	assert_true(v > 47.49 && v < 47.51);
}

/* ------------------------------------------------------------ minute data */

/* stats_why: the reason hj212_noise_stats refuses the frame of seg, or NULL
 * if it takes it (the frame itself must parse). */
static const char *stats_why(const char *seg, struct hj212_frame *f, struct hj212_noise_stats *st)
{
	const char *why = NULL;
	int rc;

	assert_null(parse_segment_why(seg, f));
	rc = hj212_noise_stats(f, st, &why);
	if (rc == 0)
		return NULL;
	assert_int_equal(rc, LIN_EINVAL);
	assert_non_null(why);
	return why;
}

static void minute_statistics(void **state)
{
	/* 20:00 Shanghai on 2026-06-29, noon UTC. */
	const int64_t t = 1782734400;
	struct hj212_frame f;
	struct hj212_noise_stats st;
	struct noise_minute row;
	const char *why = NULL;
	(void)state;

	assert_null(stats_why(minute_segment, &f, &st));
	assert_int_equal(f.data_time_epoch, t);
	assert_true(st.has[HJ212_LEQ] && st.has[HJ212_L10] && st.has[HJ212_L50] &&
		    st.has[HJ212_L90] && st.has[HJ212_LMX] && st.has[HJ212_LMN]);
	assert_false(st.has[HJ212_L5] || st.has[HJ212_L95]);
	assert_true(fabs(st.level[HJ212_LEQ] - 55.3) < 1e-9);
	assert_true(fabs(st.level[HJ212_LMX] - 71.4) < 1e-9);
	assert_string_equal(hj212_noise_code(HJ212_LMX), "LMx");
	assert_string_equal(hj212_noise_code(HJ212_LMN), "LMn");
	assert_string_equal(hj212_noise_code(HJ212_L95), "L95");

	/* The row in hundredths, once the minute is over (now = its end). */
	assert_int_equal(noise_minute_check(t, NOISE_MINUTE, &st, t + 60, &row, &why), 0);
	assert_int_equal(row.t, t);
	assert_int_equal(row.span_s, 60);
	assert_int_equal(row.centi[HJ212_LEQ], 5530);
	assert_int_equal(row.centi[HJ212_L10], 5810);
	assert_int_equal(row.centi[HJ212_L50], 5400);
	assert_int_equal(row.centi[HJ212_L90], 5020);
	assert_int_equal(row.centi[HJ212_LMX], 7140);
	assert_int_equal(row.centi[HJ212_LMN], 4790);
	assert_false(row.has[HJ212_L5] || row.has[HJ212_L95]);

	/* All eight, with data flags (ignored), and two decimals. */
	assert_null(stats_why("QN=20260629200100000;ST=23;CN=2051;PW=123456;MN=N1;Flag=5;"
			      "CP=&&DataTime=20260629200000;Leq-Data=55.25,Leq-Flag=N;"
			      "L5-Data=60.05;L10-Data=58;L50-Data=54;L90-Data=50;L95-Data=49.99;"
			      "LMx-Data=71.4;LMn-Data=47.9;SD-Data=2.1&&",
			      &f, &st));
	assert_int_equal(noise_minute_check(t, NOISE_MINUTE, &st, t + 3600, &row, &why), 0);
	assert_int_equal(row.centi[HJ212_LEQ], 5525);
	assert_int_equal(row.centi[HJ212_L5], 6005);
	assert_int_equal(row.centi[HJ212_L95], 4999);
	for (int i = 0; i < HJ212_NOISE_STATS; i++)
		assert_true(row.has[i]);

	/* Hour data (CN=2061): the same statistics over the hour from 20:00. */
	assert_null(stats_why("QN=20260629210000000;ST=23;CN=2061;PW=123456;MN=N1;Flag=5;"
			      "CP=&&DataTime=20260629200000;Leq-Data=57.1;LMx-Data=80.2&&",
			      &f, &st));
	assert_int_equal(noise_minute_check(t, NOISE_HOUR, &st, t + 3600, &row, &why), 0);
	assert_int_equal(row.span_s, 3600);
	assert_int_equal(row.centi[HJ212_LEQ], 5710);
	/* ... which is not over a minute after it began. */
	assert_int_equal(noise_minute_check(t, NOISE_HOUR, &st, t + 60, &row, &why), LIN_EINVAL);
	assert_non_null(strstr(why, "out of range"));
}

static void minute_statistics_refused(void **state)
{
	static const struct {
		const char *cp;	    /* what follows CP=&& */
		const char *reason; /* what hj212_noise_stats must say */
	} cases[] = {
	    {"Leq-Data=55.3;LMx-Data=71.4&&", "missing DataTime"},
	    {"DataTime=20260629200000;LMx-Data=71.4&&", "missing Leq-Data"},
	    {"DataTime=20260629200000;Leq-Rtd=55.3;LMx-Data=71.4&&", "missing Leq-Data"},
	    {"DataTime=20260629200000;Leq-Data=55.3&&", "missing LMx-Data"},
	    {"DataTime=20260629200000;Leq-Data=N;LMx-Data=71.4&&", "bad Leq-Data"},
	    {"DataTime=20260629200000;Leq-Data=55.3;LMx-Data=7.1.4&&", "bad LMx-Data"},
	    {"DataTime=20260629200000;Leq-Data=55.3;LMx-Data=71.4;L10-Data=1e999&&",
	     "bad L10-Data"},
	    {"DataTime=20260629200000;Leq-Data=55.3;LMx-Data=71.4;LMn-Data=-&&", "bad LMn-Data"},
	    {"DataTime=20260629200000;Leq-Data=55.3;LMx-Data=71.4;L95-Data=nan&&", "bad L95-Data"},
	};
	struct hj212_frame f;
	struct hj212_noise_stats st;
	char seg[300];
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why;
		snprintf(seg, sizeof(seg),
			 "QN=20260629200100000;ST=23;CN=2051;PW=123456;MN=N1;Flag=5;CP=&&%s",
			 cases[i].cp);
		why = stats_why(seg, &f, &st);
		if (!why || strcmp(why, cases[i].reason))
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].cp, why ? why : "(taken)",
				 cases[i].reason);
		for (int k = 0; k < HJ212_NOISE_STATS; k++)
			assert_false(st.has[k]);
	}
}

static void minute_row_refused(void **state)
{
	static const struct {
		const char *cp;	    /* statistics after DataTime=20260629200000; */
		int64_t dt;	    /* seconds added to the minute's start */
		int64_t now;	    /* now, seconds after the minute's start */
		const char *reason; /* a part of what noise_minute_check says */
	} cases[] = {
	    {"Leq-Data=151;LMx-Data=152", 0, 60, "0 to 150 dB"},
	    {"Leq-Data=55.3;LMx-Data=150.01", 0, 60, "0 to 150 dB"},
	    {"Leq-Data=55.333;LMx-Data=71.4", 0, 60, "two decimals"},
	    {"Leq-Data=-0.5;LMx-Data=71.4", 0, 60, "0 to 150 dB"},
	    {"Leq-Data=55.3;LMx-Data=71.4;L90-Data=50;L95-Data=50.1", 0, 60, "L5 >= L10"},
	    {"Leq-Data=55.3;L5-Data=60;L50-Data=61;LMx-Data=71.4", 0, 60, "L5 >= L10"},
	    {"Leq-Data=55.3;LMx-Data=55.2", 0, 60, "LMx is below Leq"},
	    {"Leq-Data=55.3;LMx-Data=71.4;LMn-Data=71.5", 0, 60, "LMx is below"},
	    {"Leq-Data=55.3;LMx-Data=71.4", 30, 90, "whole minute"},
	    {"Leq-Data=55.3;LMx-Data=71.4", 0, -1, "out of range"},
	    {"Leq-Data=55.3;LMx-Data=71.4", 0, NOISE_PAST_MAX + 1, "out of range"},
	};
	const int64_t t = 1782734400;
	struct hj212_frame f;
	struct hj212_noise_stats st;
	struct noise_minute row;
	const char *why = NULL;
	char seg[300];
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;
		why = NULL;
		snprintf(seg, sizeof(seg),
			 "QN=20260629200100000;ST=23;CN=2051;PW=123456;MN=N1;Flag=5;"
			 "CP=&&DataTime=20260629200000;%s&&",
			 cases[i].cp);
		assert_null(stats_why(seg, &f, &st));
		rc = noise_minute_check(t + cases[i].dt, NOISE_MINUTE, &st, t + cases[i].now, &row,
					&why);
		if (rc != LIN_EINVAL || !why || !strstr(why, cases[i].reason))
			fail_msg("%s: got %d \"%s\", want \"%s\"", cases[i].cp, rc, why ? why : "",
				 cases[i].reason);
	}
	/* The limits themselves are taken: 0 and 150 dB, seven days old. */
	assert_null(stats_why("QN=20260629200100000;ST=23;CN=2051;PW=123456;MN=N1;Flag=5;"
			      "CP=&&DataTime=20260629200000;Leq-Data=0;LMx-Data=150&&",
			      &f, &st));
	assert_int_equal(noise_minute_check(t, NOISE_MINUTE, &st, t + NOISE_PAST_MAX, &row, &why),
			 0);
	assert_int_equal(noise_minute_check(t, NOISE_MINUTE, &st, t, &row, &why), 0);
	assert_int_equal(row.centi[HJ212_LEQ], 0);
	assert_int_equal(row.centi[HJ212_LMX], 15000);
}

static void split_packets(void **state)
{
	struct hj212_frame f;
	(void)state;

	assert_null(parse_segment_why("QN=20260629200000123;ST=36;CN=2061;PW=123456;MN=N1;Flag=7;"
				      "PNUM=3;PNO=2;CP=&&DataTime=20260629190000;Leq-Data=60.1&&",
				      &f));
	assert_int_equal(f.has_split, 1);
	assert_int_equal(f.pnum, 3);
	assert_int_equal(f.pno, 2);
	assert_int_equal(f.st, 36);
}

static void build_round_trip(void **state)
{
	struct hj212_frame f, back;
	struct buf out;
	const char *why;
	(void)state;

	assert_null(parse_segment_why(realtime_segment, &f));
	buf_init(&out, 0);
	assert_int_equal(hj212_build(&f, &out), 0);
	/* The encoder writes what the station wrote, to the byte. */
	{
		char *want = frame_of(realtime_segment);
		assert_string_equal(out.buf, want);
		free(want);
	}
	assert_int_equal(hj212_parse(out.buf, out.len, SHANGHAI, &back, &why), 0);
	assert_memory_equal(&f, &back, sizeof(f));

	/* Split, minute data, the example. */
	buf_reset(&out);
	assert_null(parse_segment_why(minute_segment, &f));
	f.flag |= HJ212_FLAG_D;
	f.has_split = 1;
	f.pnum = 2;
	f.pno = 1;
	assert_int_equal(hj212_build(&f, &out), 0);
	assert_int_equal(hj212_parse(out.buf, out.len, SHANGHAI, &back, &why), 0);
	assert_memory_equal(&f, &back, sizeof(f));
	buf_reset(&out);
	assert_int_equal(hj212_parse(example_frame, strlen(example_frame), 0, &f, &why), 0);
	assert_int_equal(hj212_build(&f, &out), 0);
	assert_string_equal(out.buf, example_frame);

	/* Fields that would not parse back are refused, out unchanged. */
	buf_reset(&out);
	f.cn = 12345;
	assert_int_equal(hj212_build(&f, &out), LIN_EINVAL);
	f.cn = 2011;
	memcpy(f.values[0].value, "a;b", 4);
	assert_int_equal(hj212_build(&f, &out), LIN_EINVAL);
	assert_int_equal(out.len, 0);
	buf_release(&out);
}

static void reply_frames(void **state)
{
	struct hj212_frame req, rep;
	struct buf out;
	const char *why;
	static const char want[] =
	    "QN=20260629200000123;ST=91;CN=9014;PW=123456;MN=NOISE0001;Flag=4;"
	    "CP=&&&&";
	(void)state;

	assert_null(parse_segment_why(realtime_segment, &req));
	buf_init(&out, 0);
	assert_int_equal(hj212_build_reply(&req, 9014, &out), 0);
	{
		char *frame = frame_of(want);
		assert_string_equal(out.buf, frame);
		free(frame);
	}
	assert_int_equal(hj212_parse(out.buf, out.len, SHANGHAI, &rep, &why), 0);
	assert_string_equal(rep.qn, req.qn);
	assert_int_equal(rep.st, 91);
	assert_int_equal(rep.cn, 9014);
	assert_int_equal(rep.flag, 4);
	assert_int_equal(rep.nvalues, 0);

	buf_reset(&out);
	assert_int_equal(hj212_build_reply(&req, 9011, &out), 0);
	assert_non_null(strstr(out.buf, "CP=&&QnRtn=1&&"));
	assert_int_equal(hj212_parse(out.buf, out.len, SHANGHAI, &rep, &why), 0);
	buf_reset(&out);
	assert_int_equal(hj212_build_reply(&req, 2011, &out), LIN_EINVAL);
	assert_int_equal(out.len, 0);
	buf_release(&out);
}

/* ------------------------------------------------------------ refusals */

/* expect_frame_refused: the frame text (not NUL-terminated at len) is
 * refused with the reason. */
static void expect_frame_refused(const char *frame, size_t len, const char *reason)
{
	struct hj212_frame f;
	const char *why = NULL;
	/* A heap copy of exactly len bytes: ASan catches a read past it. */
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, frame, len);
	assert_int_equal(hj212_parse(copy, len, SHANGHAI, &f, &why), LIN_EINVAL);
	assert_non_null(why);
	if (strcmp(why, reason))
		fail_msg("frame %.*s: got \"%s\", want \"%s\"", (int)len, frame, why, reason);
	free(copy);
}

static void framing_refused(void **state)
{
	char *good = frame_of(realtime_segment);
	size_t n = strlen(good);
	char *bad = malloc(n + 2);
	(void)state;

	assert_non_null(bad);
	expect_frame_refused("", 0, "missing ##");
	expect_frame_refused("#", 1, "missing ##");
	expect_frame_refused(good + 1, n - 1, "missing ##");
	/* Length digits: not digits, too short. */
	memcpy(bad, good, n + 1);
	bad[3] = 'x';
	expect_frame_refused(bad, n, "bad length");
	expect_frame_refused("##01", 4, "bad length");
	/* Length one more and one less than the segment. */
	memcpy(bad, good, n + 1);
	bad[5]++;
	expect_frame_refused(bad, n, "length mismatch");
	bad[5] -= 2;
	expect_frame_refused(bad, n, "length mismatch");
	/* Without the CRLF, with only CR, with a byte after it. */
	expect_frame_refused(good, n - 2, "missing CRLF");
	expect_frame_refused(good, n - 1, "missing CRLF");
	memcpy(bad, good, n);
	bad[n] = 'x';
	expect_frame_refused(bad, n + 1, "missing CRLF");
	/* One flipped character in the segment, in the CRC, lower-case CRC. */
	memcpy(bad, good, n + 1);
	bad[20] ^= 1;
	expect_frame_refused(bad, n, "bad crc");
	memcpy(bad, good, n + 1);
	bad[n - 3] = bad[n - 3] == '0' ? '1' : '0';
	expect_frame_refused(bad, n, "bad crc");
	memcpy(bad, example_frame, sizeof(example_frame));
	bad[sizeof(example_frame) - 5] = 'c';
	expect_frame_refused(bad, strlen(bad), "bad crc");
	free(bad);
	free(good);
}

static void content_refused(void **state)
{
	static const struct {
		const char *segment; /* a data segment, framed with a valid CRC */
		const char *reason;  /* what hj212_parse must say */
	} cases[] = {
	    {"ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&&&", "missing QN"},
	    {"QN=2026062920000012;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&&&", "bad QN"},
	    {"QN=202606292000001234;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&&&", "bad QN"},
	    {"QN=2026062920000012x;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&&&", "bad QN"},
	    {"QN=20260230200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&&&", "bad QN"},
	    {"QN=20261301200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&&&", "bad QN"},
	    {"QN=20260629246000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&&&", "bad QN"},
	    {"QN=20260629200000123;ST=2;CN=2011;PW=1;MN=A;Flag=4;CP=&&&&", "bad ST"},
	    {"QN=20260629200000123;CN=2011;PW=1;MN=A;Flag=4;CP=&&&&", "bad ST"},
	    {"QN=20260629200000123;ST=23;CN=201;PW=1;MN=A;Flag=4;CP=&&&&", "bad CN"},
	    {"QN=20260629200000123;ST=23;CN=20111;PW=1;MN=A;Flag=4;CP=&&&&", "bad CN"},
	    {"QN=20260629200000123;ST=23;CN=2O11;PW=1;MN=A;Flag=4;CP=&&&&", "bad CN"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1234567;MN=A;Flag=4;CP=&&&&", "bad PW"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=;MN=A;Flag=4;CP=&&&&", "bad PW"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=0123456789012345678901234;Flag=4;"
	     "CP=&&&&",
	     "bad MN"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A-B;Flag=4;CP=&&&&", "bad MN"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=256;CP=&&&&", "bad Flag"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=;CP=&&&&", "bad Flag"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=6;CP=&&&&", "Flag D without PNUM"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;PNUM=2;PNO=1;CP=&&&&",
	     "PNUM without Flag D"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=6;PNUM=0;PNO=1;CP=&&&&",
	     "bad PNUM"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=6;PNUM=2;PNO=3;CP=&&&&", "bad PNO"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=6;PNUM=2;CP=&&&&", "bad PNO"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;", "missing CP"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=LA-Rtd=5", "missing CP"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&LA-Rtd=5",
	     "unterminated CP"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&&", "unterminated CP"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&LA-Rtd=5&",
	     "unterminated CP"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&LA-Rtd=5&&x",
	     "unterminated CP"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&a&&b=1&&", "bad CP"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&LA-Rtd=5,LA-Rtd=6&&",
	     "duplicate key"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;"
	     "CP=&&DataTime=20260629200000;DataTime=20260629200000&&",
	     "duplicate key"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&LA-Rtd=5.7<&&", "bad value"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&LA-Rtd=&&", "bad value"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&LA-Rtd=1=2&&", "bad value"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;"
	     "CP=&&LA-Rtd=01234567890123456789012345678901&&",
	     "bad value"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&LA-Rtd=5 7&&",
	     "illegal character"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&LA-Rtd=5#&&",
	     "illegal character"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&-Rtd=5&&", "bad code"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&L.A-Rtd=5&&", "bad code"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&LA-=5&&", "bad field"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&LA-R-td=5&&", "bad field"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&LA-Rtd5&&",
	     "CP item without ="},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&LA-Rtd=5;;LA-Flag=N&&",
	     "empty CP item"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&LA-Rtd=5,&&",
	     "empty CP item"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&;&&", "empty CP item"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&DataTime=20260631000000&&",
	     "bad DataTime"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&DataTime=20260629250000&&",
	     "bad DataTime"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&DataTime=20250229000000&&",
	     "bad DataTime"},
	    {"QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&DataTime=202606292000&&",
	     "bad DataTime"},
	};
	struct hj212_frame f;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = parse_segment_why(cases[i].segment, &f);
		if (!why || strcmp(why, cases[i].reason))
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].segment,
				 why ? why : "(parsed)", cases[i].reason);
	}
	/* One trailing ';' is tolerated. */
	assert_null(parse_segment_why("QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;"
				      "CP=&&DataTime=20260629200000;&&",
				      &f));
}

static void value_cap(void **state)
{
	struct buf seg;
	struct hj212_frame f;
	(void)state;

	buf_init(&seg, 0);
	buf_adds(
	    &seg,
	    "QN=20260629200000123;ST=23;CN=2011;PW=1;MN=A;Flag=4;CP=&&DataTime=20260629200000");
	for (int i = 0; i < HJ212_MAX_VALUES; i++)
		buf_addf(&seg, ";V%d-Data=%d", i, i);
	buf_adds(&seg, "&&");
	assert_null(parse_segment_why(seg.buf, &f));
	assert_int_equal(f.nvalues, HJ212_MAX_VALUES);
	seg.len -= 2;
	buf_adds(&seg, ";V64-Data=1&&");
	assert_string_equal(parse_segment_why(seg.buf, &f), "too many values");
	buf_release(&seg);
}

/* ------------------------------------------------------------ stream */

/* collect feeds data in pieces of at most chunk bytes (0: all at once) and
 * returns the number of frames, their MNs and CNs concatenated in got.
 * Each frame's bytes as received (hj212_stream_frame, what the listener
 * hands its store thread) parse again to the same frame. */
static int collect(struct hj212_stream *s, const char *data, size_t len, size_t chunk,
		   struct buf *got)
{
	struct hj212_frame f;
	int frames = 0;

	for (size_t off = 0; off <= len;) {
		size_t n = chunk && len - off > chunk ? chunk : len - off, used;
		const char *p = data + off;
		int rc;
		off += n;
		do {
			rc = hj212_stream_push(s, p, n, &used, &f);
			assert_true(used <= n);
			p += used;
			n -= used;
			if (rc == 1) {
				struct hj212_frame again;
				const char *why = NULL, *raw;
				size_t raw_len;
				frames++;
				buf_addf(got, "%s/%d ", f.mn, f.cn);
				raw = hj212_stream_frame(s, &raw_len);
				assert_int_equal(hj212_parse(raw, raw_len, SHANGHAI, &again, &why),
						 0);
				assert_string_equal(again.qn, f.qn);
				assert_string_equal(again.mn, f.mn);
				assert_int_equal(again.cn, f.cn);
				assert_int_equal(again.nvalues, f.nvalues);
			}
		} while (rc == 1);
		assert_int_equal(n, 0);
		if (off == len)
			break;
	}
	return frames;
}

static void stream_every_cut(void **state)
{
	char *a = frame_of(realtime_segment);
	size_t n = strlen(a);
	(void)state;

	for (size_t cut = 0; cut <= n; cut++) {
		struct hj212_stream *s = malloc(sizeof(*s));
		struct hj212_frame f;
		size_t used;
		int rc;
		assert_non_null(s);
		hj212_stream_init(s, SHANGHAI);
		rc = hj212_stream_push(s, a, cut, &used, &f);
		assert_int_equal(rc, cut == n ? 1 : 0);
		assert_int_equal(used, cut);
		if (cut < n) {
			rc = hj212_stream_push(s, a + cut, n - cut, &used, &f);
			assert_int_equal(rc, 1);
			assert_int_equal(used, n - cut);
		}
		assert_string_equal(f.mn, "NOISE0001");
		assert_int_equal(f.data_time_epoch, 1782734400);
		/* The frame's own bytes, wherever the cut fell. */
		assert_memory_equal(hj212_stream_frame(s, &used), a, n);
		assert_int_equal(used, n);
		assert_int_equal(hj212_stream_push(s, "", 0, &used, &f), 0);
		assert_int_equal(s->frames, 1);
		assert_int_equal(s->bad_frames + s->junk_bytes, 0);
		free(s);
	}
	free(a);
}

static void stream_joined_and_dirty(void **state)
{
	char *a = frame_of(realtime_segment), *b = frame_of(minute_segment);
	struct hj212_stream *s = malloc(sizeof(*s));
	struct buf in, got, whole;
	size_t chunks[] = {0, 1, 2, 3, 7, 64, 1000};
	(void)state;

	assert_non_null(s);
	buf_init(&in, 0);
	buf_init(&got, 0);
	buf_init(&whole, 0);
	/* Junk, a frame, "#" noise, a frame cut short, two frames back to
	 * back, a frame with a bad CRC, a frame too long for its length. */
	buf_adds(&in, "hello\r\n#");
	buf_adds(&in, a);
	buf_adds(&in, "##x###12");
	buf_add(&in, b, strlen(b) / 2);
	buf_adds(&in, a);
	buf_adds(&in, b);
	buf_adds(&in, a);
	in.buf[in.len - 10] ^= 1; /* in the data segment: bad CRC */
	buf_adds(&in, b);
	in.buf[in.len - 2] = 'X'; /* a byte where the CRLF should be */
	buf_adds(&in, "\r\n");
	buf_adds(&in, a);
	buf_adds(&in, "trailing junk");

	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		hj212_stream_init(s, SHANGHAI);
		buf_reset(&got);
		assert_int_equal(collect(s, in.buf, in.len, chunks[i], &got), 4);
		assert_string_equal(got.buf,
				    "NOISE0001/2011 NOISE0001/2011 NOISE0001/2051 NOISE0001/2011 ");
		assert_int_equal(s->frames, 4);
		/* The cut frame, the bad CRC, the missing CRLF. */
		assert_int_equal(s->bad_frames, 3);
		assert_true(s->junk_bytes > 0);
		if (i == 0) {
			buf_adds(&whole, got.buf);
		} else {
			assert_string_equal(got.buf, whole.buf);
		}
	}
	free(s);
	buf_release(&in);
	buf_release(&got);
	buf_release(&whole);
	free(a);
	free(b);
}

static void stream_overlong(void **state)
{
	struct hj212_stream *s = malloc(sizeof(*s));
	char *a = frame_of(realtime_segment);
	struct buf in, got;
	(void)state;

	assert_non_null(s);
	buf_init(&in, 0);
	buf_init(&got, 0);
	/* A frame announcing 9999 bytes that go on for 30000: the stream
	 * holds at most one frame's worth, drops it and finds the next. */
	buf_adds(&in, "##9999");
	for (int i = 0; i < 30000; i++)
		buf_addc(&in, 'A');
	buf_adds(&in, a);
	/* The longest frame the length digits allow, then one more frame. */
	{
		struct buf seg;
		buf_init(&seg, 0);
		buf_adds(&seg,
			 "QN=20260629200000123;ST=23;CN=2011;PW=1;MN=LONG;Flag=4;CP=&&LA-Rtd=1");
		for (int i = 0; seg.len < HJ212_MAX_DATA - 2 - 12; i++)
			buf_addf(&seg, ";X%d=1", i % 10);
		while (seg.len < HJ212_MAX_DATA - 2)
			buf_addc(&seg, 'Z');
		buf_adds(&seg, "&&");
		assert_int_equal(seg.len, HJ212_MAX_DATA);
		char *big = frame_of(seg.buf);
		buf_adds(&in, big);
		free(big);
		buf_release(&seg);
	}
	buf_adds(&in, a);
	hj212_stream_init(s, SHANGHAI);
	assert_int_equal(collect(s, in.buf, in.len, 4096, &got), 2);
	assert_string_equal(got.buf, "NOISE0001/2011 NOISE0001/2011 ");
	/* The 9999 frame was framed right but its content is refused. */
	assert_int_equal(s->bad_frames, 2);
	assert_true(s->junk_bytes >= 30000 - HJ212_MAX_FRAME);
	free(s);
	free(a);
	buf_release(&in);
	buf_release(&got);
}

/* ---- a meter's batch of per-second readings (src/noise/readings.c) ---- */

/* batch_why parses the JSON body at now: NULL when taken (with *n), or the
 * reason, with the index of the reading it names in *bad. */
static const char *batch_why(const char *body, int64_t now, int *n, int *bad,
			     struct noise_reading **list)
{
	json_error_t err;
	json_t *j = json_loads(body, 0, &err);
	const char *why = NULL;
	int rc;

	if (!j)
		fail_msg("test JSON: %s: %s", err.text, body);
	*list = NULL;
	rc = noise_readings_parse(j, now, list, n, bad, &why);
	json_decref(j);
	if (!rc)
		return NULL;
	assert_int_equal(rc, LIN_EINVAL);
	assert_null(*list);
	assert_non_null(why);
	return why;
}

static void expect_batch(const char *body, int64_t now, const char *reason, int index)
{
	struct noise_reading *list = NULL;
	int n = -1, bad = -2;
	const char *why = batch_why(body, now, &n, &bad, &list);

	if (!why || strcmp(why, reason) || bad != index)
		fail_msg("%s: got \"%s\" at %d, want \"%s\" at %d", body, why ? why : "(taken)",
			 bad, reason, index);
}

/* The time window is [now - 7 days, now + 60 s], both ends taken; levels
 * 0 to 150 dB with two decimals at most; a maximum not below the LAeq. */
static void reading_edges(void **state)
{
	const int64_t now = 1782734400;
	struct noise_reading r;
	const char *why;
	static const struct {
		int64_t t;
		double laeq;
		int has_lmax;
		double lmax;
		const char *reason; /* NULL: taken */
	} cases[] = {
	    {now - NOISE_PAST_MAX, 57.9, 0, 0, NULL},
	    {now - NOISE_PAST_MAX - 1, 57.9, 0, 0, "noise.err.time_range"},
	    {now - NOISE_PAST_MAX + 1, 57.9, 0, 0, NULL},
	    {now + NOISE_FUTURE_MAX - 1, 57.9, 0, 0, NULL},
	    {now + NOISE_FUTURE_MAX, 57.9, 0, 0, NULL},
	    {now + NOISE_FUTURE_MAX + 1, 57.9, 0, 0, "noise.err.time_range"},
	    {now, 0, 0, 0, NULL},
	    {now, -0.01, 0, 0, "noise.err.level"},
	    {now, 150, 0, 0, NULL},
	    {now, 150.01, 0, 0, "noise.err.level"},
	    {now, 149.99, 1, 150, NULL},
	    {now, 57.123, 0, 0, "noise.err.level"},
	    {now, 57.9, 1, 57.9, NULL},
	    {now, 57.9, 1, 57.89, "noise.err.lmax"},
	    {now, 57.9, 1, 150.01, "noise.err.lmax"},
	    {now, 57.9, 1, 70.123, "noise.err.lmax"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;
		why = NULL;
		rc = noise_reading_check(cases[i].t, cases[i].laeq, cases[i].has_lmax,
					 cases[i].lmax, now, &r, &why);
		if (cases[i].reason ? rc != LIN_EINVAL || !why || strcmp(why, cases[i].reason)
				    : rc != 0)
			fail_msg("case %zu (t now%+lld, %.3f, %.3f): got %d \"%s\", want \"%s\"", i,
				 (long long)(cases[i].t - now), cases[i].laeq, cases[i].lmax, rc,
				 why ? why : "", cases[i].reason ? cases[i].reason : "(taken)");
		if (!rc) {
			assert_int_equal(r.t, cases[i].t);
			assert_int_equal(r.laeq_centi, llround(cases[i].laeq * 100));
			assert_int_equal(r.has_lmax, cases[i].has_lmax);
			if (r.has_lmax)
				assert_int_equal(r.lmax_centi, llround(cases[i].lmax * 100));
		}
	}
}

/* A batch is taken whole or refused whole, naming the reading: each field
 * of a reading missing or wrong in turn, at the first, a middle and the
 * last reading; times strictly increasing; 1 to 3600 readings. */
static void batch_refused_whole(void **state)
{
	const int64_t now = 1782734400;
	static const struct {
		const char *reading; /* put in place of one good reading */
		const char *reason;
	} bad[] = {
	    {"{\"laeq\":57.9}", "noise.err.time"},
	    {"{\"t\":\"%lld\",\"laeq\":57.9}", "noise.err.time"},
	    {"{\"t\":%lld.5,\"laeq\":57.9}", "noise.err.time"},
	    {"{\"t\":%lld}", "noise.err.level"},
	    {"{\"t\":%lld,\"laeq\":\"57.9\"}", "noise.err.level"},
	    {"{\"t\":%lld,\"laeq\":null}", "noise.err.level"},
	    {"{\"t\":%lld,\"laeq\":57.9,\"lmax\":\"70\"}", "noise.err.lmax"},
	    {"{\"t\":%lld,\"laeq\":57.9,\"lmax\":57.8}", "noise.err.lmax"},
	    {"{\"t\":%lld,\"laeq\":150.01}", "noise.err.level"},
	    {"[%lld, 57.9]", "noise.err.time"},
	};
	struct noise_reading *list = NULL;
	char body[512], one[96];
	int n, idx;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int at = 0; at < 3; at++) {
			size_t len = (size_t)snprintf(body, sizeof(body), "{\"readings\":[");
			for (int k = 0; k < 3; k++) {
				long long t = (long long)(now - 10 + k);
				if (k == at)
					snprintf(one, sizeof(one), bad[i].reading, t);
				else
					snprintf(one, sizeof(one),
						 "{\"t\":%lld,\"laeq\":57.9,\"lmax\":null}", t);
				len += (size_t)snprintf(body + len, sizeof(body) - len, "%s%s",
							k ? "," : "", one);
			}
			snprintf(body + len, sizeof(body) - len, "]}");
			expect_batch(body, now, bad[i].reason, at);
		}
	}
	/* The same second twice, or going back, at each place. */
	snprintf(body, sizeof(body),
		 "{\"readings\":[{\"t\":%lld,\"laeq\":50},{\"t\":%lld,\"laeq\":50},"
		 "{\"t\":%lld,\"laeq\":50}]}",
		 (long long)now, (long long)now, (long long)now + 1);
	expect_batch(body, now, "noise.err.order", 1);
	snprintf(body, sizeof(body),
		 "{\"readings\":[{\"t\":%lld,\"laeq\":50},{\"t\":%lld,\"laeq\":50},"
		 "{\"t\":%lld,\"laeq\":50}]}",
		 (long long)now - 2, (long long)now, (long long)now);
	expect_batch(body, now, "noise.err.order", 2);
	snprintf(body, sizeof(body),
		 "{\"readings\":[{\"t\":%lld,\"laeq\":50},{\"t\":%lld,\"laeq\":50}]}",
		 (long long)now, (long long)now - 1);
	expect_batch(body, now, "noise.err.order", 1);
	/* No batch, an empty one, or not a list. */
	expect_batch("{}", now, "noise.err.batch", -1);
	expect_batch("{\"readings\":[]}", now, "noise.err.batch", -1);
	expect_batch("{\"readings\":{}}", now, "noise.err.batch", -1);
	/* Good: levels exactly as sent, in hundredths. */
	snprintf(body, sizeof(body),
		 "{\"readings\":[{\"t\":%lld,\"laeq\":57.9,\"lmax\":70.05},"
		 "{\"t\":%lld,\"laeq\":0.01}]}",
		 (long long)now - 1, (long long)now);
	assert_null(batch_why(body, now, &n, &idx, &list));
	assert_int_equal(n, 2);
	assert_int_equal(idx, -1);
	assert_int_equal(list[0].laeq_centi, 5790);
	assert_int_equal(list[0].lmax_centi, 7005);
	assert_true(list[0].has_lmax);
	assert_int_equal(list[1].laeq_centi, 1);
	assert_false(list[1].has_lmax);
	free(list);
}

/* An hour of readings (3600) is one batch; 3601 are refused. */
static void batch_of_an_hour(void **state)
{
	const int64_t now = 1782734400;
	struct noise_reading *list = NULL;
	size_t cap = 3601 * 40 + 64;
	char *body = malloc(cap);
	int n = 0, idx = 0;

	(void)state;
	assert_non_null(body);
	for (int count = 3600; count <= 3601; count++) {
		size_t len = (size_t)snprintf(body, cap, "{\"readings\":[");
		for (int k = 0; k < count; k++)
			len += (size_t)snprintf(body + len, cap - len, "%s{\"t\":%lld,\"laeq\":%d}",
						k ? "," : "", (long long)(now - 4000 + k),
						40 + k % 50);
		snprintf(body + len, cap - len, "]}");
		if (count == 3600) {
			assert_null(batch_why(body, now, &n, &idx, &list));
			assert_int_equal(n, 3600);
			assert_int_equal(list[3599].t, now - 4000 + 3599);
			assert_int_equal(list[3599].laeq_centi, (40 + 3599 % 50) * 100);
			free(list);
		} else {
			expect_batch(body, now, "noise.err.batch_size", -1);
		}
	}
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reference_example),
	    cmocka_unit_test(realtime_noise),
	    cmocka_unit_test(data_time_offsets),
	    cmocka_unit_test(minute_data),
	    cmocka_unit_test(minute_statistics),
	    cmocka_unit_test(minute_statistics_refused),
	    cmocka_unit_test(minute_row_refused),
	    cmocka_unit_test(split_packets),
	    cmocka_unit_test(build_round_trip),
	    cmocka_unit_test(reply_frames),
	    cmocka_unit_test(framing_refused),
	    cmocka_unit_test(content_refused),
	    cmocka_unit_test(value_cap),
	    cmocka_unit_test(stream_every_cut),
	    cmocka_unit_test(stream_joined_and_dirty),
	    cmocka_unit_test(stream_overlong),
	    cmocka_unit_test(reading_edges),
	    cmocka_unit_test(batch_refused_whole),
	    cmocka_unit_test(batch_of_an_hour),
	};
	return cmocka_run_group_tests_name("hj212", tests, NULL, NULL);
}
