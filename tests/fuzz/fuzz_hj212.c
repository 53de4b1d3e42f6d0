/* Fuzz target for HJ 212 frames (src/noise/hj212.c). The input is parsed
 * as a frame, and also wrapped as a data segment into a frame with a right
 * length and CRC (so the fuzzer reaches the content parser past the CRC).
 * Whatever parses re-encodes with hj212_build to a frame that parses to the
 * same fields; the stream reassembler fed the bytes in random-sized chunks
 * hands out the same frames and counts as when fed them whole. */
#include "fuzz.h"
#include "base/buf.h"
#include "base/err.h"
#include "noise/hj212.h"

#include <stdlib.h>
#include <string.h>

#define SHANGHAI 28800

/* ------------------------------------------------------------ frames */

/* check_parsed: a frame that parsed has sane fields and survives
 * hj212_build and a second parse unchanged; its reply parses too. */
static void check_parsed(const struct hj212_frame *f)
{
	struct hj212_frame *back = malloc(sizeof(*back));
	struct buf out;
	const char *why = "unset";

	if (!back)
		abort();
	FUZZ_CHECK(strlen(f->qn) == HJ212_QN_LEN);
	FUZZ_CHECK(f->st >= 0 && f->st <= 99 && f->cn >= 0 && f->cn <= 9999);
	FUZZ_CHECK(f->flag >= 0 && f->flag <= 255);
	FUZZ_CHECK(f->has_split == !!(f->flag & HJ212_FLAG_D));
	FUZZ_CHECK(!f->has_split || (f->pno >= 1 && f->pno <= f->pnum));
	FUZZ_CHECK(f->nvalues >= 0 && f->nvalues <= HJ212_MAX_VALUES);
	for (int i = 0; i < f->nvalues; i++) {
		FUZZ_CHECK(f->values[i].code[0] && f->values[i].value[0]);
		for (int j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(f->values[i].code, f->values[j].code) ||
				   strcmp(f->values[i].field, f->values[j].field));
	}
	if (f->has_data_time)
		FUZZ_CHECK(strlen(f->data_time) == HJ212_TIME_LEN);

	buf_init(&out, 0);
	FUZZ_CHECK(hj212_build(f, &out) == 0);
	FUZZ_CHECK(out.len <= HJ212_MAX_FRAME);
	FUZZ_CHECK(hj212_parse(out.buf, out.len, SHANGHAI, back, &why) == 0);
	FUZZ_CHECK(why == NULL);
	FUZZ_CHECK(!memcmp(f, back, sizeof(*f)));

	buf_reset(&out);
	FUZZ_CHECK(hj212_build_reply(f, 9014, &out) == 0);
	FUZZ_CHECK(hj212_parse(out.buf, out.len, SHANGHAI, back, &why) == 0);
	FUZZ_CHECK(back->st == HJ212_ST_REPLY && back->cn == 9014 && back->flag == 4);
	FUZZ_CHECK(!strcmp(back->qn, f->qn) && !strcmp(back->mn, f->mn) && back->nvalues == 0);
	buf_release(&out);
	free(back);
}

/* check_frame parses d[0..len) (an exact-size heap copy, so ASan sees any
 * read past it): either it parses and check_parsed holds, or it is refused
 * with a reason and an all-zero frame. Returns 1 if it parsed. */
static int check_frame(const char *d, size_t len, struct hj212_frame *f)
{
	char *copy = malloc(len ? len : 1);
	const char *why = "unset";
	int rc;

	if (!copy)
		abort();
	memcpy(copy, d, len);
	rc = hj212_parse(copy, len, SHANGHAI, f, &why);
	free(copy);
	FUZZ_CHECK(rc == 0 || rc == LIN_EINVAL);
	if (rc) {
		static const struct hj212_frame zero;
		FUZZ_CHECK(why != NULL && why[0]);
		FUZZ_CHECK(!memcmp(f, &zero, sizeof(zero)));
		return 0;
	}
	FUZZ_CHECK(why == NULL);
	FUZZ_CHECK(len >= 12 && d[0] == '#' && d[1] == '#');
	check_parsed(f);
	return 1;
}

/* wrap makes a frame of a data segment: "##", length, segment, CRC, CRLF. */
static void wrap(const char *seg, size_t len, struct buf *out)
{
	buf_addf(out, "##%04zu", len);
	buf_add(out, seg, len);
	buf_addf(out, "%04X\r\n", (unsigned)hj212_crc(seg, len));
}

/* ------------------------------------------------------------ stream */

/* A record of what a stream handed out, to compare two runs. */
struct run {
	struct buf frames;  /* every frame re-encoded with hj212_build */
	uint64_t counts[3]; /* frames, bad_frames, junk_bytes */
};

/* run_stream feeds d[0..len) to a fresh stream in pieces whose sizes come
 * from seed (seed 0: all at once) and records the frames. */
static void run_stream(const char *d, size_t len, uint32_t seed, struct run *r)
{
	struct hj212_stream *s = malloc(sizeof(*s));
	struct hj212_frame *f = malloc(sizeof(*f));
	size_t off = 0;

	if (!s || !f)
		abort();
	hj212_stream_init(s, SHANGHAI);
	buf_init(&r->frames, 0);
	do {
		size_t n = len - off, used;
		const char *p = d + off;
		int rc;
		if (seed) {
			seed = seed * 1103515245u + 12345u;
			size_t piece =
			    (seed >> 16) % 64 + ((seed >> 8) & 1 ? 0 : (seed >> 20) % 4096);
			if (n > piece)
				n = piece;
		}
		off += n;
		do {
			rc = hj212_stream_push(s, p, n, &used, f);
			FUZZ_CHECK(rc == 0 || rc == 1);
			FUZZ_CHECK(used <= n);
			FUZZ_CHECK(s->start <= s->len && s->len <= sizeof(s->buf));
			p += used;
			n -= used;
			if (rc == 1) {
				check_parsed(f);
				FUZZ_CHECK(hj212_build(f, &r->frames) == 0);
			}
		} while (rc == 1);
		FUZZ_CHECK(n == 0);
	} while (off < len);
	r->counts[0] = s->frames;
	r->counts[1] = s->bad_frames;
	r->counts[2] = s->junk_bytes;
	/* Every byte is in a frame, counted as junk, or still held. */
	FUZZ_CHECK(s->junk_bytes <= len);
	free(s);
	free(f);
}

/* check_stream: chunked feeding changes nothing. */
static void check_stream(const char *d, size_t len, uint32_t seed)
{
	struct run whole, cut;

	run_stream(d, len, 0, &whole);
	run_stream(d, len, seed | 1, &cut);
	FUZZ_CHECK(whole.frames.len == cut.frames.len);
	FUZZ_CHECK(!memcmp(whole.frames.buf, cut.frames.buf, whole.frames.len));
	FUZZ_CHECK(!memcmp(whole.counts, cut.counts, sizeof(whole.counts)));
	buf_release(&whole.frames);
	buf_release(&cut.frames);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct hj212_frame *f = malloc(sizeof(*f));
	struct buf wrapped, mixed;
	uint32_t seed = 2166136261u;

	if (!f)
		abort();
	for (size_t i = 0; i < size; i++)
		seed = (seed ^ data[i]) * 16777619u;

	/* The input as one frame: if it parses, the stream finds just it. */
	if (check_frame(d, size, f)) {
		struct run r;
		struct buf again;
		run_stream(d, size, 0, &r);
		FUZZ_CHECK(r.counts[0] == 1 && r.counts[1] == 0 && r.counts[2] == 0);
		buf_init(&again, 0);
		FUZZ_CHECK(hj212_build(f, &again) == 0);
		FUZZ_CHECK(again.len == r.frames.len &&
			   !memcmp(again.buf, r.frames.buf, again.len));
		buf_release(&again);
		buf_release(&r.frames);
	}

	/* The input as a data segment, framed right. */
	buf_init(&wrapped, 0);
	buf_init(&mixed, 0);
	if (size <= HJ212_MAX_DATA) {
		wrap(d, size, &wrapped);
		check_frame(wrapped.buf, wrapped.len, f);
	}
	/* A stream of frames around the raw bytes. */
	buf_add(&mixed, wrapped.buf, wrapped.len);
	buf_add(&mixed, d, size);
	buf_add(&mixed, wrapped.buf, wrapped.len);
	FUZZ_CHECK(!mixed.failed);
	check_stream(mixed.buf, mixed.len, seed);

	buf_release(&wrapped);
	buf_release(&mixed);
	free(f);
	return 0;
}
