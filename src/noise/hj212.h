/* HJ 212-2017 frames from noise monitoring stations: parse one frame, cut
 * frames out of a TCP byte stream, look values up, and encode frames and
 * the replies a station expects. Everything from the wire is validated. */
#ifndef LINLI_NOISE_HJ212_H
#define LINLI_NOISE_HJ212_H

#include "../base/buf.h"

#include <stddef.h>
#include <stdint.h>

#define HJ212_MAX_DATA	 9999		       /* a data segment's length has 4 digits */
#define HJ212_MAX_FRAME	 (HJ212_MAX_DATA + 12) /* "##" + 4 + data + CRC 4 + CRLF */
#define HJ212_MAX_VALUES 64		       /* Code-Field=value items in one CP */
#define HJ212_QN_LEN	 17		       /* yyyyMMddHHmmssSSS */
#define HJ212_TIME_LEN	 14		       /* yyyyMMddHHmmss */
#define HJ212_PW_MAX	 6		       /* access password */
#define HJ212_MN_MAX	 24		       /* station number */
#define HJ212_FLAG_A	 0x01		       /* the sender wants an answer */
#define HJ212_FLAG_D	 0x02		       /* the packet is split: PNUM/PNO */
#define HJ212_FLAG_V2017 (1 << 2)	       /* version bits 000001: HJ 212-2017 */
#define HJ212_ST_REPLY	 91		       /* system code of replies */

/* One Code-Field=value item of CP, e.g. "LA-Rtd=57.9" is code "LA", field
 * "Rtd", value "57.9"; an item without '-' ("RtdInterval=30") has an empty
 * field. Each string is NUL-terminated and non-empty except field. */
struct hj212_value {
	char code[24];	/* [A-Za-z0-9_] 1..23 chars: "LA", "Leq", "a34004" */
	char field[16]; /* [A-Za-z0-9_] 0..15 chars: "Rtd", "Flag", "Data" */
	char value[32]; /* letters, digits and . + - _ : 1..31 chars: "57.9", "N" */
};

/* A parsed frame. The strings are NUL-terminated copies of validated
 * input; the struct owns no memory. */
struct hj212_frame {
	char qn[HJ212_QN_LEN + 1];	    /* request number: local time to the ms */
	int st;				    /* system code: 23 acoustic quality, 36 noise source */
	int cn;				    /* command: 2011 real-time, 2051 minute, ... */
	char pw[HJ212_PW_MAX + 1];	    /* access password, 1..6 [A-Za-z0-9] */
	char mn[HJ212_MN_MAX + 1];	    /* station number, 1..24 [A-Za-z0-9] */
	int flag;			    /* 0..255: HJ212_FLAG_A, _D and version bits */
	int has_split;			    /* PNUM and PNO present (Flag has D) */
	int pnum;			    /* packets in the split message, 1..9999 */
	int pno;			    /* this packet's number, 1..pnum */
	int has_data_time;		    /* CP held DataTime */
	char data_time[HJ212_TIME_LEN + 1]; /* DataTime as sent: station local time */
	int64_t data_time_epoch;	    /* DataTime as UTC epoch seconds */
	struct hj212_value values[HJ212_MAX_VALUES]; /* CP items other than DataTime, in order */
	int nvalues;				     /* items used in values */
};

/* hj212_crc: the CRC-16 of HJ 212 over len bytes (the data segment only). */
uint16_t hj212_crc(const char *data, size_t len);

/* hj212_parse reads ONE complete frame: buf[0..len) must be exactly "##",
 * 4 length digits equal to the data segment's length, the data segment, its
 * CRC as 4 upper-case hex digits and "\r\n". DataTime is the station's
 * local time, utc_offset seconds east of UTC (Shanghai: 28800). Returns 0
 * with OUT: *out filled, or LIN_EINVAL with OUT: *why a static English
 * reason ("bad length", "bad crc", ...). Never reads past len. */
int hj212_parse(const char *buf, size_t len, int utc_offset, struct hj212_frame *out,
		const char **why);

/* hj212_value_double: the number of the item (code, field), e.g. ("LA",
 * "Rtd"), in OUT: *out. LIN_ENOTFOUND if the frame has no such item,
 * LIN_EINVAL if its value is not a plain decimal number ("N", "1e999"). */
int hj212_value_double(const struct hj212_frame *f, const char *code, const char *field,
		       double *out);

/* ------------------------------------------------------------ noise data */

/* The noise statistics of minute and hour data (CN=2051, 2061), each sent
 * as "Code-Data=value" with these codes (noise-standards.md, HJ 212:
 * "Leq-Data", "L10-Data", ..., "LMx-Data", "LMn-Data"). */
enum hj212_noise_stat {
	HJ212_LEQ, /* "Leq": equivalent continuous A level over the span */
	HJ212_L5,  /* "L5": level exceeded 5 % of the span */
	HJ212_L10, /* "L10" */
	HJ212_L50, /* "L50" */
	HJ212_L90, /* "L90" */
	HJ212_L95, /* "L95" */
	HJ212_LMX, /* "LMx": maximum level */
	HJ212_LMN, /* "LMn": minimum level */
	HJ212_NOISE_STATS
};

/* The statistics one frame holds, as sent (no range checks). */
struct hj212_noise_stats {
	double level[HJ212_NOISE_STATS]; /* dB, where has[] */
	int has[HJ212_NOISE_STATS];	 /* the frame held Code-Data */
};

/* hj212_noise_code: the HJ 212 code of a statistic ("Leq", "LMx"). */
const char *hj212_noise_code(enum hj212_noise_stat stat);

/* hj212_noise_stats reads the statistics of a minute or hour frame into
 * OUT: *out. The frame must hold DataTime, Leq-Data and LMx-Data; the
 * others are optional; items of other codes or fields ("Leq-Flag") are
 * ignored. Returns 0, or LIN_EINVAL with OUT: *why a static English reason
 * ("missing DataTime", "missing Leq-Data", "bad L10-Data" for a value that
 * is not a plain decimal number). */
int hj212_noise_stats(const struct hj212_frame *f, struct hj212_noise_stats *out, const char **why);

/* hj212_build appends to out the frame of f's fields (qn, st, cn, pw, mn,
 * flag, has_split/pnum/pno, has_data_time/data_time, values; the epoch is
 * ignored), with its length and CRC. Items are joined with ',' while the
 * code stays the same and ';' otherwise, DataTime first. Returns 0, or
 * LIN_EINVAL (out unchanged) when a field would not parse back, or
 * LIN_ENOMEM when out failed. */
int hj212_build(const struct hj212_frame *f, struct buf *out);

/* hj212_build_reply appends to out the reply to req: QN, PW and MN copied,
 * ST=91, CN=cn_reply, Flag=4 (version 2017, no answer wanted, not split).
 * cn_reply 9014 (data answer) and 9013 (notice answer) carry CP=&&&&;
 * 9011 (request answer) carries QnRtn=1 (ready) and 9012 (execution
 * result) ExeRtn=1 (success). Other codes: LIN_EINVAL. */
int hj212_build_reply(const struct hj212_frame *req, int cn_reply, struct buf *out);

/* ------------------------------------------------------------ stream */

/* A reassembler for a TCP connection: bytes go in as they arrive, complete
 * frames come out one by one. Junk outside frames is skipped and counted;
 * an announced frame that fails (no CRLF where its length says, bad CRC,
 * bad content) is counted and scanning resumes after its "##" (so a frame
 * hidden in a truncated one is still found). Memory: the struct itself. */
struct hj212_stream {
	size_t start;		/* where the unread bytes begin in buf */
	size_t len;		/* end of the unread bytes in buf */
	size_t checked;		/* bytes from start validated as a candidate frame (0: none) */
	size_t frame_at;	/* the last frame handed out: its first byte in buf */
	size_t frame_len;	/* and its length, 0 before the first */
	int utc_offset;		/* passed to hj212_parse */
	uint64_t frames;	/* frames handed out */
	uint64_t bad_frames;	/* announced frames ("##dddd") refused */
	uint64_t junk_bytes;	/* bytes dropped outside any announced frame */
	const char *last_error; /* static reason of the last refused frame, or NULL */
	/* Last, so that a listener holding thousands of streams touches only
	 * the pages its short frames use (hj212_stream_init leaves it). */
	char buf[HJ212_MAX_FRAME]; /* bytes of the candidate frame at buf[0] and after */
};

/* hj212_stream_init: an empty stream; nothing to release. */
void hj212_stream_init(struct hj212_stream *s, int utc_offset);

/* hj212_stream_push takes bytes data[0..len) and returns 1 with OUT: *out
 * the next complete frame, or 0 when it needs more bytes. OUT: *used is
 * how many of data it took: all of them when it returns 0. Call it again
 * with the rest (possibly none) until it returns 0:
 *	do { rc = hj212_stream_push(s, p, n, &used, &f); p += used; n -= used;
 *	     if (rc == 1) handle(&f); } while (rc == 1); */
int hj212_stream_push(struct hj212_stream *s, const char *data, size_t len, size_t *used,
		      struct hj212_frame *out);

/* hj212_stream_frame: the bytes of the frame the last hj212_stream_push
 * handed out, exactly as received (hj212_parse gives the same frame back),
 * with OUT: *len; valid until the next push. */
const char *hj212_stream_frame(const struct hj212_stream *s, size_t *len);

#endif
