/* Photo checks, metadata removal and content-addressed storage; see
 * photos.h. Each format has one walker that validates the container and,
 * given an output buffer, copies what it keeps: photo_sniff reads the
 * declared size, then walks without output; photo_strip walks twice
 * (check, then copy) so a refused file leaves the output untouched. The
 * decoding behind photo_view is in photo_view.c. */
#include "photos.h"
#include "../base/err.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

static const char mime_jpeg[] = "image/jpeg";
static const char mime_png[] = "image/png";
static const char mime_webp[] = "image/webp";

/* ---------------------------------------------------------------- bytes */

/* be16, be32, le32: the unsigned integer at p, big- or little-endian. */
static uint32_t be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* tiff16, tiff32: an integer in a TIFF block of either byte order. */
static uint32_t tiff16(const unsigned char *p, int big)
{
	return big ? be16(p) : (uint32_t)p[1] << 8 | p[0];
}

static uint32_t tiff32(const unsigned char *p, int big)
{
	return big ? be32(p) : le32(p);
}

/* emit: appends to out, or does nothing when only checking (out NULL). */
static int emit(struct buf *out, const void *p, size_t n)
{
	return out ? buf_add(out, p, n) : 0;
}

/* ---------------------------------------------------------------- JPEG */

/* exif_orientation: the Orientation tag (1..8) in IFD0 of an APP1 payload
 * holding Exif, or 0 when there is none or it cannot be read. Never an
 * error: the segment is dropped either way. */
static int exif_orientation(const unsigned char *p, size_t n)
{
	const unsigned char *t;
	size_t tn, off, count;
	int big;

	if (n < 6 + 8 || memcmp(p, "Exif\0\0", 6))
		return 0;
	t = p + 6; /* the TIFF block: offsets count from here */
	tn = n - 6;
	if (!memcmp(t, "MM\0*", 4))
		big = 1;
	else if (!memcmp(t, "II*\0", 4))
		big = 0;
	else
		return 0;
	off = tiff32(t + 4, big);
	if (off < 8 || off > tn - 2)
		return 0;
	count = tiff16(t + off, big);
	if (count > (tn - off - 2) / 12)
		return 0;
	for (size_t i = 0; i < count; i++) {
		const unsigned char *e = t + off + 2 + 12 * i;
		uint32_t v = tiff16(e + 8, big);
		/* Tag 0x0112, type SHORT, one value. */
		if (tiff16(e, big) == 0x0112 && tiff16(e + 2, big) == 3 && tiff32(e + 4, big) == 1)
			return v >= 1 && v <= 8 ? (int)v : 0;
	}
	return 0;
}

/* emit_orientation: a minimal APP1 Exif segment whose IFD0 holds only the
 * Orientation tag (big-endian TIFF). */
static int emit_orientation(struct buf *out, int orientation)
{
	const unsigned char seg[] = {
	    0xFF, 0xE1, 0x00, 34,	       /* APP1, length 34 */
	    'E',  'x',	'i',  'f', 0, 0,       /* Exif header */
	    'M',  'M',	0,    42,  0, 0, 0, 8, /* TIFF header, IFD0 at 8 */
	    0,	  1,			       /* one entry */
	    0x01, 0x12, 0,    3,   0, 0, 0, 1, 0, (unsigned char)orientation, 0, 0, /* SHORT */
	    0,	  0,	0,    0, /* no next IFD */
	};

	return emit(out, seg, sizeof(seg));
}

/* jpeg_is_sof: a start-of-frame marker (SOF0..SOF15 but DHT, JPG, DAC). */
static int jpeg_is_sof(unsigned char m)
{
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/* jpeg_keep: whether a segment with marker m and payload p[0..n) stays:
 * not APPn (but APP0, APP2 ICC_PROFILE, APP14) and not COM. */
static int jpeg_keep(unsigned char m, const unsigned char *p, size_t n)
{
	if (m == 0xE0 || m == 0xEE)
		return 1;
	if (m == 0xE2)
		return n >= 12 && !memcmp(p, "ICC_PROFILE\0", 12);
	return !(m >= 0xE1 && m <= 0xEF) && m != 0xFE;
}

/* jpeg_scan_end: the offset of the marker that ends the entropy-coded data
 * starting at d[pos] (stuffed FF 00 and RSTn belong to the data). */
static int jpeg_scan_end(const unsigned char *d, size_t len, size_t *pos)
{
	size_t i = *pos;

	for (;;) {
		const unsigned char *ff = memchr(d + i, 0xFF, len - i);
		if (!ff || (size_t)(ff - d) + 1 >= len)
			return LIN_EINVAL; /* truncated: no EOI */
		i = (size_t)(ff - d);
		if (d[i + 1] == 0x00 || (d[i + 1] >= 0xD0 && d[i + 1] <= 0xD7)) {
			i += 2;
			continue;
		}
		*pos = i;
		return 0;
	}
}

/* jpeg_walk: checks SOI, every marker segment's length and shape, a frame
 * before the first scan, the scans up to EOI; copies what stays to out. */
static int jpeg_walk(const unsigned char *d, size_t len, struct buf *out)
{
	size_t pos = 2;
	int seen_sof = 0, seen_sos = 0, seen_exif = 0, rc;

	if (len < 4 || d[0] != 0xFF || d[1] != 0xD8 || d[2] != 0xFF)
		return LIN_EINVAL;
	rc = emit(out, d, 2);
	if (rc)
		return rc;
	for (;;) {
		const unsigned char *payload;
		size_t seglen, n;
		unsigned char m;

		if (pos >= len || d[pos] != 0xFF)
			return LIN_EINVAL;
		while (pos < len && d[pos] == 0xFF)
			pos++; /* fill bytes may precede any marker */
		if (pos >= len)
			return LIN_EINVAL;
		m = d[pos++];
		if (m == 0xD9) /* EOI: what follows is not part of the image */
			return seen_sos ? emit(out, "\xFF\xD9", 2) : LIN_EINVAL;
		if (m < 0xC0 || (m >= 0xD0 && m <= 0xD8))
			return LIN_EINVAL; /* stray RSTn, a second SOI, reserved */
		if (len - pos < 2)
			return LIN_EINVAL;
		seglen = be16(d + pos);
		if (seglen < 2 || seglen > len - pos)
			return LIN_EINVAL;
		payload = d + pos + 2;
		n = seglen - 2;
		if (jpeg_is_sof(m)) {
			/* P, Y, X, Nf, then three bytes per component. */
			if (seen_sof || n < 6 || payload[5] == 0 || n != 6 + 3 * (size_t)payload[5])
				return LIN_EINVAL;
			seen_sof = 1;
		}
		if (m == 0xDA &&
		    (!seen_sof || n < 6 || payload[0] == 0 || n != 4 + 2 * (size_t)payload[0]))
			return LIN_EINVAL; /* Ns, two bytes each, Ss, Se, Ah/Al */
		if (m == 0xE1 && !seen_exif && n >= 6 && !memcmp(payload, "Exif\0\0", 6)) {
			int orientation = exif_orientation(payload, n);
			seen_exif = 1;
			if (orientation > 1) {
				rc = emit_orientation(out, orientation);
				if (rc)
					return rc;
			}
		}
		if (jpeg_keep(m, payload, n)) {
			rc = emit(out, d + pos - 2, seglen + 2);
			if (rc)
				return rc;
		}
		pos += seglen;
		if (m == 0xDA) {
			size_t start = pos;
			seen_sos = 1;
			rc = jpeg_scan_end(d, len, &pos);
			if (rc)
				return rc;
			rc = emit(out, d + start, pos - start);
			if (rc)
				return rc;
		}
	}
}

/* ---------------------------------------------------------------- PNG */

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

/* png_crc: CRC-32 (ISO 3309, reflected 0xEDB88320) a nibble at a time. */
static uint32_t png_crc(const unsigned char *p, size_t n)
{
	static const uint32_t table[16] = {
	    0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
	    0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	    0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};
	uint32_t crc = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ table[crc & 15];
		crc = (crc >> 4) ^ table[crc & 15];
	}
	return crc ^ 0xFFFFFFFFu;
}

/* png_drop: an ancillary chunk that can carry a place or a time. */
static int png_drop(const unsigned char *type)
{
	static const char *const drop[] = {"eXIf", "tEXt", "zTXt", "iTXt", "tIME"};

	for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		if (!memcmp(type, drop[i], 4))
			return 1;
	return 0;
}

/* png_walk: checks the signature, every chunk's length, type and CRC, IHDR
 * first, an IDAT, IEND last with nothing after; copies what stays. */
static int png_walk(const unsigned char *d, size_t len, struct buf *out)
{
	size_t pos = sizeof(png_signature);
	int seen_idat = 0, rc;

	if (len < pos || memcmp(d, png_signature, pos))
		return LIN_EINVAL;
	rc = emit(out, d, pos);
	if (rc)
		return rc;
	for (;;) {
		const unsigned char *type = d + pos + 4;
		size_t clen;

		if (len - pos < 12)
			return LIN_EINVAL; /* truncated: no IEND */
		clen = be32(d + pos);
		if (clen > 0x7FFFFFFFu || clen > len - pos - 12)
			return LIN_EINVAL;
		for (int i = 0; i < 4; i++)
			if (!((type[i] >= 'A' && type[i] <= 'Z') ||
			      (type[i] >= 'a' && type[i] <= 'z')))
				return LIN_EINVAL;
		if (png_crc(type, 4 + clen) != be32(type + 4 + clen))
			return LIN_EINVAL;
		int ihdr = !memcmp(type, "IHDR", 4);
		if ((pos == sizeof(png_signature)) != ihdr)
			return LIN_EINVAL; /* IHDR first, and only first */
		if (ihdr && (clen != 13 || !be32(type + 4) || !be32(type + 8)))
			return LIN_EINVAL; /* 13 bytes, width and height not zero */
		if (!memcmp(type, "IDAT", 4))
			seen_idat = 1;
		if (!png_drop(type)) {
			rc = emit(out, d + pos, 12 + clen);
			if (rc)
				return rc;
		}
		pos += 12 + clen;
		if (!memcmp(type, "IEND", 4))
			return clen == 0 && seen_idat && pos == len ? 0 : LIN_EINVAL;
	}
}

/* ---------------------------------------------------------------- WebP */

#define VP8X_FLAG_EXIF 0x08
#define VP8X_FLAG_XMP  0x04

/* webp_walk: checks the RIFF header and size, every chunk's size and
 * padding, a VP8, VP8L or VP8X chunk first and some image data; copies the
 * chunks that stay, then clears the metadata flags and fixes the size. */
static int webp_walk(const unsigned char *d, size_t len, struct buf *out)
{
	size_t pos = 12, start = out ? out->len : 0, flags_at = 0;
	int have_image = 0, rc;

	if (len < 12 || memcmp(d, "RIFF", 4) || memcmp(d + 8, "WEBP", 4) || le32(d + 4) != len - 8)
		return LIN_EINVAL;
	rc = emit(out, d, 12);
	if (rc)
		return rc;
	while (pos < len) {
		const unsigned char *fourcc = d + pos, *payload = d + pos + 8;
		size_t csize, padded;

		if (len - pos < 8)
			return LIN_EINVAL;
		csize = le32(d + pos + 4);
		if (csize > len - pos - 8)
			return LIN_EINVAL;
		padded = csize + (csize & 1);
		if (padded > len - pos - 8)
			return LIN_EINVAL; /* the pad byte of an odd size is missing */
		for (int i = 0; i < 4; i++)
			if (fourcc[i] < 0x20 || fourcc[i] > 0x7E)
				return LIN_EINVAL;
		int vp8x = !memcmp(fourcc, "VP8X", 4);
		if (pos == 12 && !vp8x && memcmp(fourcc, "VP8 ", 4) && memcmp(fourcc, "VP8L", 4))
			return LIN_EINVAL;
		if (vp8x && (pos != 12 || csize != 10))
			return LIN_EINVAL;
		if (!memcmp(fourcc, "VP8L", 4) && csize >= 5 && payload[0] == 0x2F)
			have_image = 1; /* the lossless signature byte */
		if (!memcmp(fourcc, "VP8 ", 4) && csize >= 10 &&
		    !memcmp(payload + 3, "\x9D\x01\x2A", 3))
			have_image = 1; /* a key frame's start code */
		if (!memcmp(fourcc, "ANMF", 4))
			have_image = 1;
		if (memcmp(fourcc, "EXIF", 4) && memcmp(fourcc, "XMP ", 4)) {
			if (vp8x && out)
				flags_at = out->len + 8;
			rc = emit(out, fourcc, 8 + padded);
			if (rc)
				return rc;
		}
		pos += 8 + padded;
	}
	if (!have_image)
		return LIN_EINVAL;
	if (out) {
		size_t riff = out->len - start - 8;
		if (flags_at)
			out->buf[flags_at] &= (char)~(VP8X_FLAG_EXIF | VP8X_FLAG_XMP);
		for (int i = 0; i < 4; i++)
			out->buf[start + 4 + (size_t)i] = (char)(riff >> (8 * i));
	}
	return 0;
}

/* ---------------------------------------------------------------- declared size */

/* jpeg_find: the payload of the first segment that is a
 * frame header (want_sof) or an Exif APP1 (not want_sof) before the first
 * scan, reading segment lengths only. LIN_EINVAL when there is none. */
static int jpeg_find(const unsigned char *d, size_t len, int want_sof, const unsigned char **p,
		     size_t *n)
{
	size_t pos = 2;

	if (len < 4 || d[0] != 0xFF || d[1] != 0xD8)
		return LIN_EINVAL;
	for (;;) {
		size_t seglen;
		unsigned char m;

		if (pos >= len || d[pos] != 0xFF)
			return LIN_EINVAL;
		while (pos < len && d[pos] == 0xFF)
			pos++;
		if (pos >= len)
			return LIN_EINVAL;
		m = d[pos++];
		if (m < 0xC0 || (m >= 0xD0 && m <= 0xD9) || m == 0xDA || len - pos < 2)
			return LIN_EINVAL; /* no frame (or Exif) before the scans */
		seglen = be16(d + pos);
		if (seglen < 2 || seglen > len - pos)
			return LIN_EINVAL;
		*p = d + pos + 2;
		*n = seglen - 2;
		if (want_sof ? jpeg_is_sof(m) : m == 0xE1 && *n >= 6 && !memcmp(*p, "Exif\0\0", 6))
			return 0;
		pos += seglen;
	}
}

/* le24, le14: WebP's little-endian 24-bit and 14-bit fields. */
static uint32_t le24(const unsigned char *p)
{
	return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

int photo_dimensions(const unsigned char *data, size_t len, const char *mime, uint32_t *width,
		     uint32_t *height)
{
	const unsigned char *p;
	uint32_t w = 0, h = 0;
	size_t n;

	*width = *height = 0;
	if (!data || !mime)
		return LIN_EINVAL;
	if (!strcmp(mime, mime_jpeg)) {
		/* SOFn: P, Y (lines), X (samples per line), Nf, … */
		if (jpeg_find(data, len, 1, &p, &n) || n < 5)
			return LIN_EINVAL;
		h = be16(p + 1);
		w = be16(p + 3);
	} else if (!strcmp(mime, mime_png)) {
		/* The signature, then IHDR's length, type, width, height. */
		if (len < 33 || memcmp(data, png_signature, 8) || memcmp(data + 12, "IHDR", 4))
			return LIN_EINVAL;
		w = be32(data + 16);
		h = be32(data + 20);
	} else if (!strcmp(mime, mime_webp)) {
		if (len < 25 || memcmp(data, "RIFF", 4) || memcmp(data + 8, "WEBP", 4))
			return LIN_EINVAL;
		p = data + 20; /* the first chunk's payload: 5 bytes here, 10 below */
		if (len < 30 && memcmp(data + 12, "VP8L", 4))
			return LIN_EINVAL;
		if (!memcmp(data + 12, "VP8X", 4)) {
			/* Flags, three reserved bytes, canvas width - 1, height - 1. */
			w = le24(p + 4) + 1;
			h = le24(p + 7) + 1;
		} else if (!memcmp(data + 12, "VP8L", 4) && p[0] == 0x2F) {
			/* The signature, then 14 bits each of width - 1, height - 1. */
			uint32_t bits = le32(p + 1);
			w = (bits & 0x3FFF) + 1;
			h = (bits >> 14 & 0x3FFF) + 1;
		} else if (!memcmp(data + 12, "VP8 ", 4) && !memcmp(p + 3, "\x9D\x01\x2A", 3)) {
			/* A key frame: tag, start code, 14-bit width and height. */
			w = (uint32_t)(p[6] | (p[7] & 0x3F) << 8);
			h = (uint32_t)(p[8] | (p[9] & 0x3F) << 8);
		}
	} else {
		return LIN_EINVAL;
	}
	if (!w || !h)
		return LIN_EINVAL;
	*width = w;
	*height = h;
	return 0;
}

int photo_orientation(const unsigned char *data, size_t len, const char *mime)
{
	const unsigned char *p;
	size_t n;
	int orientation;

	if (!data || !mime || strcmp(mime, mime_jpeg) || jpeg_find(data, len, 0, &p, &n))
		return 1;
	orientation = exif_orientation(p, n);
	return orientation ? orientation : 1;
}

/* ---------------------------------------------------------------- sniff and strip */

/* A format's walker: checks data[0..len), copies what stays to out if any. */
typedef int walker_fn(const unsigned char *data, size_t len, struct buf *out);

/* walker_for: the walker of mime, or NULL. */
static walker_fn *walker_for(const char *mime)
{
	if (!mime)
		return NULL;
	if (!strcmp(mime, mime_jpeg))
		return jpeg_walk;
	if (!strcmp(mime, mime_png))
		return png_walk;
	if (!strcmp(mime, mime_webp))
		return webp_walk;
	return NULL;
}

int photo_sniff(const unsigned char *data, size_t len, const char **mime)
{
	const char *type = NULL;
	uint32_t width, height;
	int rc;

	*mime = NULL;
	if (len > PHOTO_MAX_BYTES)
		return LIN_ETOOBIG;
	if (!data || len < 12)
		return LIN_EINVAL;
	if (data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
		type = mime_jpeg;
	else if (!memcmp(data, png_signature, sizeof(png_signature)))
		type = mime_png;
	else if (!memcmp(data, "RIFF", 4) && !memcmp(data + 8, "WEBP", 4))
		type = mime_webp;
	else
		return LIN_EINVAL;
	/* The size first: nothing larger than the cap is looked at further. */
	rc = photo_dimensions(data, len, type, &width, &height);
	if (rc)
		return rc;
	if ((uint64_t)width * height > PHOTO_MAX_PIXELS)
		return LIN_ERANGE;
	rc = walker_for(type)(data, len, NULL);
	if (rc)
		return rc;
	*mime = type;
	return 0;
}

int photo_strip(const unsigned char *data, size_t len, const char *mime, struct buf *out)
{
	walker_fn *walk = walker_for(mime);
	int rc;

	if (len > PHOTO_MAX_BYTES)
		return LIN_ETOOBIG;
	if (!walk || !data)
		return LIN_EINVAL;
	rc = walk(data, len, NULL);
	if (rc)
		return rc;
	return walk(data, len, out);
}

/* ---------------------------------------------------------------- names */

const char *photo_ext(const char *mime)
{
	if (!mime)
		return NULL;
	if (!strcmp(mime, mime_jpeg))
		return "jpg";
	if (!strcmp(mime, mime_png))
		return "png";
	if (!strcmp(mime, mime_webp))
		return "webp";
	return NULL;
}

const char *photo_mime_from_ext(const char *ext)
{
	if (!ext)
		return NULL;
	if (!strcmp(ext, "jpg"))
		return mime_jpeg;
	if (!strcmp(ext, "png"))
		return mime_png;
	if (!strcmp(ext, "webp"))
		return mime_webp;
	return NULL;
}

/* sha_hex_valid: exactly 64 lowercase hex digits. */
static int sha_hex_valid(const char *s)
{
	size_t i;

	for (i = 0; s[i] && i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64 && !s[i];
}

int photo_path(const char *dir, const char *sha_hex, const char *mime, char *out, size_t n)
{
	const char *ext = photo_ext(mime);
	int w;

	if (n)
		out[0] = '\0';
	if (!dir || !dir[0] || !sha_hex || !sha_hex_valid(sha_hex) || !ext)
		return LIN_EINVAL;
	w = snprintf(out, n, "%s/%.2s/%s.%s", dir, sha_hex, sha_hex, ext);
	if (w < 0 || (size_t)w >= n) {
		if (n)
			out[0] = '\0';
		return LIN_ENOMEM;
	}
	return 0;
}

int photo_view_path(const char *dir, const char *sha_hex, char *out, size_t n)
{
	int w;

	if (n)
		out[0] = '\0';
	if (!dir || !dir[0] || !sha_hex || !sha_hex_valid(sha_hex))
		return LIN_EINVAL;
	w = snprintf(out, n, "%s/%.2s/%s-v%d.jpg", dir, sha_hex, sha_hex, PHOTO_VIEW_SIDE);
	if (w < 0 || (size_t)w >= n) {
		if (n)
			out[0] = '\0';
		return LIN_ENOMEM;
	}
	return 0;
}

/* ---------------------------------------------------------------- store */

/* fsync_dir: makes a folder's entries (a rename, a new subfolder) durable. */
static int fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return LIN_EIO;
	if (fsync(fd))
		rc = LIN_EIO;
	close(fd);
	return rc;
}

/* make_dir: mkdir path (mode 0750) unless a folder is there; *made tells
 * whether it was created now. */
static int make_dir(const char *path, int *made)
{
	struct stat st;

	*made = 0;
	if (!mkdir(path, 0750)) {
		*made = 1;
		return 0;
	}
	if (errno != EEXIST || stat(path, &st) || !S_ISDIR(st.st_mode))
		return LIN_EIO;
	return 0;
}

/* make_dirs: mkdir -p path, each new folder 0750. */
static int make_dirs(const char *path)
{
	char p[PATH_MAX];
	size_t len = strlen(path);
	int made, rc;

	if (len >= sizeof(p))
		return LIN_EINVAL;
	memcpy(p, path, len + 1);
	for (size_t i = 1; i < len; i++) {
		if (p[i] != '/' || p[i - 1] == '/')
			continue;
		p[i] = '\0';
		rc = make_dir(p, &made);
		p[i] = '/';
		if (rc)
			return rc;
	}
	return make_dir(p, &made);
}

/* write_all: writes n bytes to fd, through short writes and signals. */
static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return LIN_EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* write_file: writes data to the new file fd, mode 0640, synced, closed. */
static int write_file(int fd, const unsigned char *data, size_t len)
{
	int rc = write_all(fd, data, len);

	if (!rc && (fchmod(fd, 0640) || fsync(fd)))
		rc = LIN_EIO;
	if (close(fd) && !rc)
		rc = LIN_EIO;
	return rc;
}

/* view_tmp: the staged view copy's name, tmp with ".v" added. */
static int view_tmp(const char *tmp, char *out, size_t n)
{
	int w = snprintf(out, n, "%s.v", tmp);

	return w < 0 || (size_t)w >= n ? LIN_EINVAL : 0;
}

int photo_stage(const char *dir, const unsigned char *data, size_t len, const char *mime,
		char sha_hex[65], char *tmp, size_t n)
{
	unsigned char hash[crypto_hash_sha256_BYTES];
	char path[PATH_MAX], sub[PATH_MAX], vtmp[PATH_MAX];
	const char *sniffed;
	struct buf view;
	int fd = -1, made, rc, w, width, height;

	sha_hex[0] = '\0';
	vtmp[0] = '\0';
	if (n)
		tmp[0] = '\0';
	buf_init(&view, PHOTO_MAX_BYTES);
	if (!dir || !dir[0] || !photo_ext(mime) || n < 2)
		return LIN_EINVAL;
	rc = photo_sniff(data, len, &sniffed);
	if (rc)
		goto out;
	if (strcmp(sniffed, mime)) {
		rc = LIN_EINVAL;
		goto out;
	}
	/* Every pixel decoded before anything is written. */
	rc = photo_view(data, len, mime, &view, &width, &height);
	if (rc)
		goto out;
	crypto_hash_sha256(hash, data, len);
	sodium_bin2hex(sha_hex, 65, hash, sizeof(hash));
	rc = photo_path(dir, sha_hex, mime, path, sizeof(path));
	if (rc)
		goto out;
	/* Shorter than path, which fitted. */
	snprintf(sub, sizeof(sub), "%s/%.2s", dir, sha_hex);
	rc = make_dirs(dir);
	if (rc)
		goto out;
	rc = make_dir(sub, &made);
	if (!rc && made)
		rc = fsync_dir(dir);
	if (rc)
		goto out;
	/* A dot name never matches photo_path, so a leftover is never served. */
	w = snprintf(tmp, n, "%s/.tmp-XXXXXX", sub);
	if (w < 0 || (size_t)w >= n || view_tmp(tmp, vtmp, sizeof(vtmp))) {
		tmp[0] = '\0';
		vtmp[0] = '\0';
		rc = LIN_EINVAL;
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		tmp[0] = '\0';
		rc = LIN_EIO;
		goto out;
	}
	rc = write_file(fd, data, len);
	if (rc)
		goto out;
	snprintf(vtmp, sizeof(vtmp), "%s.v", tmp);
	fd = open(vtmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		vtmp[0] = '\0';
		rc = LIN_EIO;
		goto out;
	}
	rc = write_file(fd, (const unsigned char *)view.buf, view.len);
out:
	buf_release(&view);
	if (rc && vtmp[0])
		unlink(vtmp);
	if (rc && n && tmp[0]) {
		unlink(tmp);
		tmp[0] = '\0';
	}
	if (rc)
		sha_hex[0] = '\0';
	return rc;
}

/* settle: gives the staged file tmp the name path, or removes it when a
 * file is there already (same hash, same bytes). */
static int settle(const char *tmp, const char *path)
{
	struct stat st;

	if (!stat(path, &st)) {
		unlink(tmp);
		return S_ISREG(st.st_mode) ? 0 : LIN_EIO;
	}
	if (rename(tmp, path)) {
		unlink(tmp);
		return LIN_EIO;
	}
	return 0;
}

int photo_read(const char *path, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	struct stat sb;

	if (fd < 0)
		return LIN_ENOTFOUND;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || sb.st_size > PHOTO_MAX_BYTES) {
		close(fd);
		return LIN_ENOTFOUND;
	}
	buf_reset(out);
	for (;;) {
		char chunk[65536];
		ssize_t got = read(fd, chunk, sizeof(chunk));
		if (got < 0)
			rc = LIN_EIO;
		if (got <= 0)
			break;
		buf_add(out, chunk, (size_t)got);
	}
	close(fd);
	return rc ? rc : out->failed ? LIN_ENOMEM : 0;
}

int photo_room(const char *dir, unsigned long long min_free, size_t incoming)
{
	struct statvfs fs;
	unsigned long long avail;

	if (!min_free)
		return 0;
	if (statvfs(dir, &fs) && (errno != ENOENT || statvfs(".", &fs)))
		return LIN_ENOSPC; /* cannot tell: do not write blind */
	avail = (unsigned long long)fs.f_bavail * fs.f_frsize;
	/* The file and, at most as large, its view copy. */
	return avail >= min_free + 2ull * incoming ? 0 : LIN_ENOSPC;
}

int photo_commit(const char *dir, const char *tmp, const char *sha_hex, const char *mime)
{
	char path[PATH_MAX], view[PATH_MAX], sub[PATH_MAX], vtmp[PATH_MAX];
	int rc = photo_path(dir, sha_hex, mime, path, sizeof(path));

	if (!rc)
		rc = photo_view_path(dir, sha_hex, view, sizeof(view));
	if (!rc)
		rc = view_tmp(tmp, vtmp, sizeof(vtmp));
	if (rc)
		return rc;
	snprintf(sub, sizeof(sub), "%s/%.2s", dir, sha_hex);
	/* The view copy first: a served photo always has one. */
	rc = settle(vtmp, view);
	if (rc) {
		unlink(tmp);
		return rc;
	}
	rc = settle(tmp, path);
	if (rc)
		return rc;
	return fsync_dir(sub);
}

void photo_discard(const char *tmp)
{
	char vtmp[PATH_MAX];

	if (!tmp || !tmp[0])
		return;
	unlink(tmp);
	if (!view_tmp(tmp, vtmp, sizeof(vtmp)))
		unlink(vtmp);
}

int photo_store(const char *dir, const unsigned char *data, size_t len, const char *mime,
		char sha_hex[65])
{
	char tmp[PATH_MAX];
	int rc = photo_stage(dir, data, len, mime, sha_hex, tmp, sizeof(tmp));

	if (!rc)
		rc = photo_commit(dir, tmp, sha_hex, mime);
	if (rc)
		sha_hex[0] = '\0';
	return rc;
}

/* read_photo: the whole file at path, at most PHOTO_MAX_BYTES, into out. */
static int read_photo(const char *path, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	struct stat st;

	if (fd < 0)
		return errno == ENOENT ? LIN_ENOTFOUND : LIN_EIO;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		rc = LIN_EIO;
	else if (st.st_size > PHOTO_MAX_BYTES)
		rc = LIN_EINVAL;
	while (!rc) {
		char chunk[65536];
		ssize_t got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			rc = LIN_EIO;
		if (got <= 0)
			break;
		rc = buf_add(out, chunk, (size_t)got);
		if (rc)
			rc = LIN_EINVAL; /* it grew past the cap while read */
	}
	close(fd);
	return rc;
}

int photo_view_ensure(const char *dir, const char *sha_hex, const char *mime)
{
	char path[PATH_MAX], view_path[PATH_MAX], tmp[PATH_MAX], sub[PATH_MAX];
	const char *sniffed;
	struct buf data, view;
	struct stat st;
	int fd, rc, width, height;

	rc = photo_path(dir, sha_hex, mime, path, sizeof(path));
	if (!rc)
		rc = photo_view_path(dir, sha_hex, view_path, sizeof(view_path));
	if (rc)
		return rc == LIN_ENOMEM ? LIN_EINVAL : rc;
	if (!stat(view_path, &st) && S_ISREG(st.st_mode))
		return 0;
	buf_init(&data, PHOTO_MAX_BYTES + 1);
	buf_init(&view, PHOTO_MAX_BYTES);
	rc = read_photo(path, &data);
	if (!rc)
		rc = photo_sniff((const unsigned char *)data.buf, data.len, &sniffed);
	if (!rc && strcmp(sniffed, mime))
		rc = LIN_EINVAL;
	if (!rc)
		rc = photo_view((const unsigned char *)data.buf, data.len, mime, &view, &width,
				&height);
	if (rc)
		goto out;
	snprintf(sub, sizeof(sub), "%s/%.2s", dir, sha_hex);
	/* As long as view_path, which fitted. */
	if (snprintf(tmp, sizeof(tmp), "%s/.tmp-%.6s", sub, "XXXXXX") >= (int)sizeof(tmp)) {
		rc = LIN_EINVAL;
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = LIN_EIO;
		goto out;
	}
	rc = write_file(fd, (const unsigned char *)view.buf, view.len);
	if (!rc && rename(tmp, view_path))
		rc = LIN_EIO;
	if (rc)
		unlink(tmp);
	else
		rc = fsync_dir(sub);
out:
	buf_release(&data);
	buf_release(&view);
	return rc;
}

int photo_sweep_staged(const char *dir, int64_t before, int *removed)
{
	char sub[PATH_MAX], path[PATH_MAX];
	static const char hex[] = "0123456789abcdef";

	*removed = 0;
	if (!dir || !dir[0])
		return LIN_EINVAL;
	for (int i = 0; i < 256; i++) {
		DIR *d;
		struct dirent *e;
		snprintf(sub, sizeof(sub), "%s/%c%c", dir, hex[i >> 4], hex[i & 15]);
		if (!(d = opendir(sub)))
			continue;
		while ((e = readdir(d)))
			if (!strncmp(e->d_name, ".tmp-", 5)) {
				struct stat st;
				int w = snprintf(path, sizeof(path), "%s/%s", sub, e->d_name);
				if (w > 0 && (size_t)w < sizeof(path) && !stat(path, &st) &&
				    (int64_t)st.st_mtime < before && !unlink(path))
					(*removed)++;
			}
		closedir(d);
	}
	return 0;
}
