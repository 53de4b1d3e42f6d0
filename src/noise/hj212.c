/* HJ 212-2017 frames (see hj212.h and the HJ 212 section of the shared
 * noise-standards reference): a strict parser that refuses what it does not
 * understand, an encoder, and a stream reassembler for TCP. */
#include "hj212.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/timeutil.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ characters */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* is_upper_hex: the CRC is written with 0-9 and A-F only. */
static int is_upper_hex(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'F');
}

/* is_wire_char: what may appear in a data segment at all. Every field
 * allows a subset of this; '#' is out so a stream can resync on "##". */
static int is_wire_char(char c)
{
	return c > ' ' && c <= '~' && c != '#';
}

static int is_value_char(char c)
{
	return is_alnum(c) || c == '.' || c == '+' || c == '-' || c == '_' || c == ':';
}

/* all_of: every byte of s[0..n) satisfies ok, and n is in [min, max]. */
static int all_of(const char *s, size_t n, size_t min, size_t max, int (*ok)(char))
{
	if (n < min || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!ok(s[i]))
			return 0;
	return 1;
}

static int is_code_char(char c)
{
	return is_alnum(c) || c == '_';
}

/* digits_value: s[0..n) as a decimal number (all digits checked by caller,
 * n <= 9 so it fits). */
static int digits_value(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* copy_text copies s[0..n) into dst as a C string (n < dst size). */
static void copy_text(char *dst, const char *s, size_t n)
{
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* ------------------------------------------------------------ crc and time */

/* The CRC's eight shifts of a byte, four at a time: what four shifts of
 * the low nibble n XOR in (a table computed from 0xA001). */
static const uint16_t crc_nibble[16] = {
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
};

uint16_t hj212_crc(const char *data, size_t len)
{
	unsigned r = 0xFFFF;

	/* HJ 212's variant: the register's high byte, not its low one, meets
	 * the data byte; then the shifts of poly 0xA001, by nibble. */
	for (size_t i = 0; i < len; i++) {
		r = (r >> 8) ^ (unsigned char)data[i];
		r = (r >> 4) ^ crc_nibble[r & 0xF];
		r = (r >> 4) ^ crc_nibble[r & 0xF];
	}
	return (uint16_t)r;
}

/* local_time reads yyyyMMddHHmmss (the first 14 of s[0..n), n >= 14, all
 * digits): 0 with OUT: *local the seconds since 1970 of that wall-clock
 * time, or -1 if it is no real time in 1970..2099. */
static int local_time(const char *s, int64_t *local)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = digits_value(s, 4), mo = digits_value(s + 4, 2), d = digits_value(s + 6, 2);
	int h = digits_value(s + 8, 2), mi = digits_value(s + 10, 2), sec = digits_value(s + 12, 2);
	int leap, dim;

	if (y < 1970 || y > 2099 || mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	dim = mdays[mo - 1] + (mo == 2 && leap);
	if (d < 1 || d > dim)
		return -1;
	*local = lin_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	return 0;
}

/* ------------------------------------------------------------ parse */

/* The state of one data segment being read. */
struct cursor {
	const char *d; /* the data segment */
	size_t n;      /* its length */
	size_t pos;    /* next byte to read */
};

/* take_pair reads "KEY=value;" at the cursor: 1 with OUT: *v, *vn the
 * value, 0 if the key is not there, -1 if it is but no ';' ends it. */
static int take_pair(struct cursor *c, const char *key, const char **v, size_t *vn)
{
	size_t klen = strlen(key), i;

	if (c->n - c->pos < klen + 1 || memcmp(c->d + c->pos, key, klen) != 0 ||
	    c->d[c->pos + klen] != '=')
		return 0;
	i = c->pos + klen + 1;
	*v = c->d + i;
	while (i < c->n && c->d[i] != ';')
		i++;
	if (i >= c->n)
		return -1;
	*vn = (size_t)(c->d + i - *v);
	c->pos = i + 1;
	return 1;
}

/* parse_item reads one CP item s[0..n) ("DataTime=..." or
 * "Code[-Field]=value") into f: 0, or -1 with OUT: *why. */
static int parse_item(const char *s, size_t n, int utc_offset, struct hj212_frame *f,
		      const char **why)
{
	const char *eq = memchr(s, '=', n), *dash, *val;
	size_t klen, vlen, clen, flen;
	struct hj212_value *v;
	int64_t local;

	if (!eq) {
		*why = "CP item without =";
		return -1;
	}
	klen = (size_t)(eq - s);
	val = eq + 1;
	vlen = n - klen - 1;
	if (klen == 8 && !memcmp(s, "DataTime", 8)) {
		if (f->has_data_time) {
			*why = "duplicate key";
			return -1;
		}
		if (!all_of(val, vlen, HJ212_TIME_LEN, HJ212_TIME_LEN, is_digit) ||
		    local_time(val, &local)) {
			*why = "bad DataTime";
			return -1;
		}
		copy_text(f->data_time, val, vlen);
		f->data_time_epoch = local - utc_offset;
		f->has_data_time = 1;
		return 0;
	}
	dash = memchr(s, '-', klen);
	clen = dash ? (size_t)(dash - s) : klen;
	flen = dash ? klen - clen - 1 : 0;
	if (!all_of(s, clen, 1, sizeof(v->code) - 1, is_code_char)) {
		*why = "bad code";
		return -1;
	}
	if (dash && !all_of(dash + 1, flen, 1, sizeof(v->field) - 1, is_code_char)) {
		*why = "bad field";
		return -1;
	}
	if (!all_of(val, vlen, 1, sizeof(v->value) - 1, is_value_char)) {
		*why = "bad value";
		return -1;
	}
	for (int i = 0; i < f->nvalues; i++) {
		const struct hj212_value *o = &f->values[i];
		if (strlen(o->code) == clen && !memcmp(o->code, s, clen) &&
		    strlen(o->field) == flen && (!dash || !memcmp(o->field, dash + 1, flen))) {
			*why = "duplicate key";
			return -1;
		}
	}
	if (f->nvalues == HJ212_MAX_VALUES) {
		*why = "too many values";
		return -1;
	}
	v = &f->values[f->nvalues++];
	copy_text(v->code, s, clen);
	copy_text(v->field, dash ? dash + 1 : "", flen);
	copy_text(v->value, val, vlen);
	return 0;
}

/* parse_cp reads the items between "CP=&&" and the closing "&&". Items are
 * separated by ';' or ','; one ';' may end the list. */
static int parse_cp(const char *c, size_t n, int utc_offset, struct hj212_frame *f,
		    const char **why)
{
	size_t i = 0, j;

	while (i < n) {
		for (j = i; j < n && c[j] != ';' && c[j] != ','; j++)
			;
		if (j == i) {
			*why = "empty CP item";
			return -1;
		}
		if (parse_item(c + i, j - i, utc_offset, f, why))
			return -1;
		if (j == n)
			break;
		i = j + 1;
		if (i == n && c[j] != ';') {
			*why = "empty CP item";
			return -1;
		}
	}
	return 0;
}

/* parse_number_field reads one header number of min..max digits. */
static int parse_number_field(struct cursor *c, const char *key, size_t min, size_t max, int *out)
{
	const char *v;
	size_t vn;

	if (take_pair(c, key, &v, &vn) != 1 || !all_of(v, vn, min, max, is_digit))
		return -1;
	*out = digits_value(v, vn);
	return 0;
}

/* parse_segment reads the data segment d[0..n) into f. */
static int parse_segment(const char *d, size_t n, int utc_offset, struct hj212_frame *f,
			 const char **why)
{
	struct cursor c = {.d = d, .n = n, .pos = 0};
	const char *v;
	size_t vn;
	int64_t local;

	if (take_pair(&c, "QN", &v, &vn) != 1) {
		*why = "missing QN";
		return -1;
	}
	if (!all_of(v, vn, HJ212_QN_LEN, HJ212_QN_LEN, is_digit) || local_time(v, &local)) {
		*why = "bad QN";
		return -1;
	}
	copy_text(f->qn, v, vn);
	if (parse_number_field(&c, "ST", 2, 2, &f->st)) {
		*why = "bad ST";
		return -1;
	}
	if (parse_number_field(&c, "CN", 4, 4, &f->cn)) {
		*why = "bad CN";
		return -1;
	}
	if (take_pair(&c, "PW", &v, &vn) != 1 || !all_of(v, vn, 1, HJ212_PW_MAX, is_alnum)) {
		*why = "bad PW";
		return -1;
	}
	copy_text(f->pw, v, vn);
	if (take_pair(&c, "MN", &v, &vn) != 1 || !all_of(v, vn, 1, HJ212_MN_MAX, is_alnum)) {
		*why = "bad MN";
		return -1;
	}
	copy_text(f->mn, v, vn);
	if (parse_number_field(&c, "Flag", 1, 3, &f->flag) || f->flag > 255) {
		*why = "bad Flag";
		return -1;
	}
	if (n - c.pos >= 5 && !memcmp(d + c.pos, "PNUM=", 5)) {
		if (parse_number_field(&c, "PNUM", 1, 4, &f->pnum) || f->pnum < 1) {
			*why = "bad PNUM";
			return -1;
		}
		if (parse_number_field(&c, "PNO", 1, 4, &f->pno) || f->pno < 1 ||
		    f->pno > f->pnum) {
			*why = "bad PNO";
			return -1;
		}
		f->has_split = 1;
	}
	if (f->has_split != !!(f->flag & HJ212_FLAG_D)) {
		*why = f->has_split ? "PNUM without Flag D" : "Flag D without PNUM";
		return -1;
	}
	if (n - c.pos < 5 || memcmp(d + c.pos, "CP=&&", 5) != 0) {
		*why = "missing CP";
		return -1;
	}
	if (n - c.pos < 7 || memcmp(d + n - 2, "&&", 2) != 0) {
		*why = "unterminated CP";
		return -1;
	}
	if (memchr(d + c.pos + 5, '&', n - c.pos - 7)) {
		*why = "bad CP";
		return -1;
	}
	return parse_cp(d + c.pos + 5, n - c.pos - 7, utc_offset, f, why);
}

/* crc_text: the 4 upper-case hex digits of a CRC, as the wire has them. */
static void crc_text(uint16_t crc, char out[4])
{
	static const char hex[] = "0123456789ABCDEF";
	for (int i = 0; i < 4; i++)
		out[i] = hex[(crc >> (12 - 4 * i)) & 0xF];
}

int hj212_parse(const char *buf, size_t len, int utc_offset, struct hj212_frame *out,
		const char **why)
{
	int rc = LIN_EINVAL;
	size_t n;
	char crc[4];

	memset(out, 0, sizeof(*out));
	*why = NULL;
	if (len < 2 || buf[0] != '#' || buf[1] != '#') {
		*why = "missing ##";
		goto out;
	}
	if (len < 6 || !all_of(buf + 2, 4, 4, 4, is_digit)) {
		*why = "bad length";
		goto out;
	}
	if (len < 12 || buf[len - 2] != '\r' || buf[len - 1] != '\n') {
		*why = "missing CRLF";
		goto out;
	}
	n = (size_t)digits_value(buf + 2, 4);
	if (len != n + 12) {
		*why = "length mismatch";
		goto out;
	}
	crc_text(hj212_crc(buf + 6, n), crc);
	if (memcmp(crc, buf + 6 + n, 4) != 0) {
		*why = "bad crc";
		goto out;
	}
	if (!all_of(buf + 6, n, 0, HJ212_MAX_DATA, is_wire_char)) {
		*why = "illegal character";
		goto out;
	}
	if (parse_segment(buf + 6, n, utc_offset, out, why))
		goto out;
	rc = 0;
out:
	if (rc)
		memset(out, 0, sizeof(*out));
	return rc;
}

/* ------------------------------------------------------------ lookup */

int hj212_value_double(const struct hj212_frame *f, const char *code, const char *field,
		       double *out)
{
	for (int i = 0; i < f->nvalues; i++)
		if (!strcmp(f->values[i].code, code) && !strcmp(f->values[i].field, field))
			/* Plain decimal only: strtod alone would take "inf",
			 * "nan", "0x1p3". */
			return parse_decimal(f->values[i].value, 1, out);
	return LIN_ENOTFOUND;
}

/* ------------------------------------------------------------ noise data */

/* The codes of enum hj212_noise_stat, and the reasons a frame is refused
 * for each, as static strings. */
static const struct {
	const char *code;    /* HJ 212 code, sent with the field "Data" */
	const char *missing; /* reason when a required one is absent */
	const char *bad;     /* reason when its value is not a number */
} noise_stats[HJ212_NOISE_STATS] = {
    [HJ212_LEQ] = {"Leq", "missing Leq-Data", "bad Leq-Data"},
    [HJ212_L5] = {"L5", NULL, "bad L5-Data"},
    [HJ212_L10] = {"L10", NULL, "bad L10-Data"},
    [HJ212_L50] = {"L50", NULL, "bad L50-Data"},
    [HJ212_L90] = {"L90", NULL, "bad L90-Data"},
    [HJ212_L95] = {"L95", NULL, "bad L95-Data"},
    [HJ212_LMX] = {"LMx", "missing LMx-Data", "bad LMx-Data"},
    [HJ212_LMN] = {"LMn", NULL, "bad LMn-Data"},
};

const char *hj212_noise_code(enum hj212_noise_stat stat)
{
	return (unsigned)stat < HJ212_NOISE_STATS ? noise_stats[stat].code : "";
}

int hj212_noise_stats(const struct hj212_frame *f, struct hj212_noise_stats *out, const char **why)
{
	memset(out, 0, sizeof(*out));
	if (!f->has_data_time) {
		*why = "missing DataTime";
		return LIN_EINVAL;
	}
	for (int i = 0; i < HJ212_NOISE_STATS; i++) {
		int rc = hj212_value_double(f, noise_stats[i].code, "Data", &out->level[i]);
		if (rc == LIN_ENOTFOUND && !noise_stats[i].missing)
			continue;
		if (rc) {
			*why = rc == LIN_ENOTFOUND ? noise_stats[i].missing : noise_stats[i].bad;
			memset(out, 0, sizeof(*out));
			return LIN_EINVAL;
		}
		out->has[i] = 1;
	}
	return 0;
}

/* ------------------------------------------------------------ build */

/* add_segment writes f's data segment with bounded copies of every string
 * (the caller has checked f->nvalues). */
static void add_segment(const struct hj212_frame *f, struct buf *seg)
{
	buf_addf(seg, "QN=%.*s;ST=%02d;CN=%04d;PW=%.*s;MN=%.*s;Flag=%d;", HJ212_QN_LEN, f->qn,
		 f->st, f->cn, HJ212_PW_MAX, f->pw, HJ212_MN_MAX, f->mn, f->flag);
	if (f->has_split)
		buf_addf(seg, "PNUM=%d;PNO=%d;", f->pnum, f->pno);
	buf_adds(seg, "CP=&&");
	if (f->has_data_time)
		buf_addf(seg, "DataTime=%.*s", HJ212_TIME_LEN, f->data_time);
	for (int i = 0; i < f->nvalues; i++) {
		const struct hj212_value *v = &f->values[i];
		int same = i > 0 && !strncmp(v->code, f->values[i - 1].code, sizeof(v->code));
		if (i > 0 || f->has_data_time)
			buf_addc(seg, same ? ',' : ';');
		buf_addf(seg, "%.*s", (int)sizeof(v->code) - 1, v->code);
		if (v->field[0])
			buf_addf(seg, "-%.*s", (int)sizeof(v->field) - 1, v->field);
		buf_addf(seg, "=%.*s", (int)sizeof(v->value) - 1, v->value);
	}
	buf_adds(seg, "&&");
}

int hj212_build(const struct hj212_frame *f, struct buf *out)
{
	int rc = LIN_EINVAL;
	struct buf seg, frame;
	struct hj212_frame *check = NULL;
	const char *why;
	char crc[4];

	buf_init(&seg, HJ212_MAX_DATA);
	buf_init(&frame, HJ212_MAX_FRAME);
	if (f->nvalues < 0 || f->nvalues > HJ212_MAX_VALUES)
		goto out;
	add_segment(f, &seg);
	if (seg.failed)
		goto out;
	crc_text(hj212_crc(seg.buf, seg.len), crc);
	buf_addf(&frame, "##%04zu", seg.len);
	buf_add(&frame, seg.buf, seg.len);
	buf_add(&frame, crc, 4);
	buf_adds(&frame, "\r\n");
	rc = LIN_ENOMEM;
	check = malloc(sizeof(*check));
	if (frame.failed || !check)
		goto out;
	/* What we send must be what we accept. */
	rc = LIN_EINVAL;
	if (hj212_parse(frame.buf, frame.len, 0, check, &why))
		goto out;
	rc = buf_add(out, frame.buf, frame.len) ? LIN_ENOMEM : 0;
out:
	free(check);
	buf_release(&seg);
	buf_release(&frame);
	return rc;
}

int hj212_build_reply(const struct hj212_frame *req, int cn_reply, struct buf *out)
{
	int rc = LIN_EINVAL;
	struct hj212_frame *reply = NULL;
	const char *code;

	/* HJ 212-2017 section 6 replies: the platform answers with system code
	 * 91, the request's QN, PW and MN, Flag=4 (version 2017, no answer
	 * wanted). 9014 "data answer" and 9013 "notice answer" have an empty
	 * CP (CP=&&&&); 9011 "request answer" says QnRtn=1 (ready to execute)
	 * and 9012 "execution result" ExeRtn=1 (success). */
	switch (cn_reply) {
	case 9011:
		code = "QnRtn";
		break;
	case 9012:
		code = "ExeRtn";
		break;
	case 9013:
	case 9014:
		code = NULL;
		break;
	default:
		goto out;
	}
	rc = LIN_ENOMEM;
	reply = calloc(1, sizeof(*reply));
	if (!reply)
		goto out;
	memcpy(reply->qn, req->qn, sizeof(reply->qn));
	memcpy(reply->pw, req->pw, sizeof(reply->pw));
	memcpy(reply->mn, req->mn, sizeof(reply->mn));
	reply->qn[HJ212_QN_LEN] = reply->pw[HJ212_PW_MAX] = reply->mn[HJ212_MN_MAX] = '\0';
	reply->st = HJ212_ST_REPLY;
	reply->cn = cn_reply;
	reply->flag = HJ212_FLAG_V2017;
	if (code) {
		copy_text(reply->values[0].code, code, strlen(code));
		copy_text(reply->values[0].value, "1", 1);
		reply->nvalues = 1;
	}
	rc = hj212_build(reply, out);
out:
	free(reply);
	return rc;
}

/* ------------------------------------------------------------ stream */

void hj212_stream_init(struct hj212_stream *s, int utc_offset)
{
	memset(s, 0, offsetof(struct hj212_stream, buf));
	s->utc_offset = utc_offset;
}

/* Verdicts of stream_check on the candidate at s->start. */
enum candidate {
	CANDIDATE_MORE,	    /* valid so far: needs more bytes */
	CANDIDATE_COMPLETE, /* framing, CRC text and CRLF in place */
	CANDIDATE_JUNK,	    /* not "##dddd": its first byte is junk */
	CANDIDATE_BAD,	    /* an announced frame broke: s->last_error says how */
};

/* stream_check validates the candidate's bytes not checked yet, stopping
 * at the first that cannot belong to a frame. */
static enum candidate stream_check(struct hj212_stream *s)
{
	const char *p = s->buf + s->start;
	size_t have = s->len - s->start, n = 0, total = HJ212_MAX_FRAME;

	if (s->checked >= 6) {
		n = (size_t)digits_value(p + 2, 4);
		total = n + 12;
	}
	for (; s->checked < have; s->checked++) {
		size_t k = s->checked;
		char c = p[k];
		if (k < 2 && c != '#')
			return CANDIDATE_JUNK;
		if (k >= 2 && k < 6 && !is_digit(c))
			return CANDIDATE_JUNK;
		if (k == 5) {
			n = (size_t)digits_value(p + 2, 4);
			total = n + 12;
		}
		if (k >= 6 && k < 6 + n && !is_wire_char(c)) {
			s->last_error = "illegal character";
			return CANDIDATE_BAD;
		}
		if (k >= 6 + n && k < total - 2 && !is_upper_hex(c)) {
			s->last_error = "bad crc";
			return CANDIDATE_BAD;
		}
		if ((k == total - 2 && c != '\r') || (k == total - 1 && c != '\n')) {
			s->last_error = "missing CRLF";
			return CANDIDATE_BAD;
		}
		if (k == total - 1) {
			s->checked++;
			return CANDIDATE_COMPLETE;
		}
	}
	return CANDIDATE_MORE;
}

/* stream_drop forgets the first k unread bytes and the candidate. */
static void stream_drop(struct hj212_stream *s, size_t k)
{
	s->start += k;
	s->checked = 0;
	if (s->start == s->len)
		s->start = s->len = 0;
}

/* stream_next hands out the next complete frame among the bytes held: 1
 * with *out filled, 0 when more bytes are needed. */
static int stream_next(struct hj212_stream *s, struct hj212_frame *out)
{
	const char *why;

	for (;;) {
		if (s->checked == 0) {
			const char *p = s->buf + s->start;
			const char *hash = memchr(p, '#', s->len - s->start);
			size_t skip = hash ? (size_t)(hash - p) : s->len - s->start;
			s->junk_bytes += skip;
			stream_drop(s, skip);
			if (s->len == s->start)
				return 0;
		}
		switch (stream_check(s)) {
		case CANDIDATE_MORE:
			return 0;
		case CANDIDATE_JUNK:
			s->junk_bytes++;
			stream_drop(s, 1);
			break;
		case CANDIDATE_BAD:
			/* Resync after its "##": a good frame may follow a cut one. */
			s->bad_frames++;
			stream_drop(s, 1);
			break;
		case CANDIDATE_COMPLETE: {
			size_t total = s->checked;
			int rc = hj212_parse(s->buf + s->start, total, s->utc_offset, out, &why);
			if (rc && !strcmp(why, "bad crc")) {
				/* Not the frame its length announced: resync. */
				s->bad_frames++;
				s->last_error = why;
				stream_drop(s, 1);
				break;
			}
			s->frame_at = s->start;
			s->frame_len = total;
			stream_drop(s, total);
			if (rc) {
				s->bad_frames++;
				s->last_error = why;
				break;
			}
			s->frames++;
			return 1;
		}
		}
	}
}

int hj212_stream_push(struct hj212_stream *s, const char *data, size_t len, size_t *used,
		      struct hj212_frame *out)
{
	size_t took = 0, room, n;
	int rc;

	for (;;) {
		rc = stream_next(s, out);
		if (rc == 1 || took == len)
			break;
		/* An incomplete candidate is shorter than the buffer, so a
		 * full buffer always has read bytes to reclaim at the front. */
		if (s->len == sizeof(s->buf)) {
			memmove(s->buf, s->buf + s->start, s->len - s->start);
			s->len -= s->start;
			s->start = 0;
		}
		room = sizeof(s->buf) - s->len;
		n = len - took < room ? len - took : room;
		memcpy(s->buf + s->len, data + took, n);
		s->len += n;
		took += n;
	}
	*used = took;
	return rc;
}

const char *hj212_stream_frame(const struct hj212_stream *s, size_t *len)
{
	*len = s->frame_len;
	return s->buf + s->frame_at;
}
