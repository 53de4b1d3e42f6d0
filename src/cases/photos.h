/* Photos attached to case reports: recognise JPEG, PNG and WebP by their
 * bytes, remove the metadata that can tell where or when a photo was taken,
 * and keep the result in a content-addressed folder. No pixels are decoded:
 * only the container structure is read, strictly. */
#ifndef LINLI_CASES_PHOTOS_H
#define LINLI_CASES_PHOTOS_H

#include "../base/buf.h"

#include <stddef.h>

#define PHOTO_MAX_BYTES (8 << 20)

/* photo_sniff: identify JPEG, PNG or WebP by content, never by name or
 * claimed type, walking the whole container as photo_strip does (so what
 * sniffs also strips). LIN_EINVAL for anything else (GIF, SVG, HTML,
 * truncated, empty, a bad length or CRC), LIN_ETOOBIG over PHOTO_MAX_BYTES.
 * OUT: *mime, a static "image/jpeg", "image/png" or "image/webp". */
int photo_sniff(const unsigned char *data, size_t len, const char **mime);

/* photo_strip: appends to out a copy of data (of type mime, as photo_sniff
 * said) without the metadata that can identify where or when it was taken.
 *  JPEG: every segment length is checked and the scans walked to EOI. APP1
 *   (Exif, XMP), APP13 (IPTC), COM and every other APPn but APP0, APP2
 *   ICC_PROFILE and APP14 are dropped, wherever they are; bytes after EOI
 *   (phone trailers, motion-photo videos) are dropped. An Exif orientation
 *   other than "normal" is kept as a new minimal Exif segment holding that
 *   one tag, so portrait photos do not turn sideways.
 *  PNG: the signature and every chunk's CRC are checked (IHDR first, IEND
 *   last, nothing after); eXIf, tEXt, zTXt, iTXt and tIME are dropped, the
 *   other chunks kept in order.
 *  WebP: the RIFF size must equal the file size; EXIF and XMP chunks are
 *   dropped, their VP8X flags cleared and the RIFF size fixed.
 * LIN_EINVAL on malformed input or an unknown mime, LIN_ETOOBIG over
 * PHOTO_MAX_BYTES, LIN_ENOMEM when out fails (out is then released, as buf
 * does). Nothing is appended on LIN_EINVAL or LIN_ETOOBIG. */
int photo_strip(const unsigned char *data, size_t len, const char *mime, struct buf *out);

/* photo_store: writes data under dir as dir/ab/<sha256 hex>.<jpg|png|webp>
 * (ab: the first two hex digits), atomically: a temporary file in the same
 * folder, fsync, rename, fsync of the folder. A file already there under
 * that name is kept (same hash, same bytes). Creates dir and the subfolder
 * as needed (mode 0750); files are 0640. data must sniff as mime (store
 * what photo_strip made); LIN_EINVAL otherwise, LIN_EIO when the file
 * system fails. Needs sodium_init() to have run (the server's start does).
 * OUT: sha_hex, 64 lowercase hex digits and a NUL ("" on failure). */
int photo_store(const char *dir, const unsigned char *data, size_t len, const char *mime,
		char sha_hex[65]);

/* photo_stage is photo_store's first half: the file written, synced and
 * closed under a temporary dot name in its final folder (never served),
 * OUT: its path in tmp (n bytes) and sha_hex. photo_commit renames it to
 * its final name (removing it instead when that name is there already:
 * same hash, same bytes) and syncs the folder; photo_discard removes it.
 * So a report's photos reach their names only once the report is filed. */
int photo_stage(const char *dir, const unsigned char *data, size_t len, const char *mime,
		char sha_hex[65], char *tmp, size_t n);
int photo_commit(const char *dir, const char *tmp, const char *sha_hex, const char *mime);
void photo_discard(const char *tmp);
/* photo_sweep_staged removes the staged files under dir last written
 * before the epoch second before: what a crash left behind (a server
 * sharing dir stages only for the seconds a request takes). OUT:
 * *removed. */
int photo_sweep_staged(const char *dir, int64_t before, int *removed);

/* photo_path: the path photo_store uses for sha_hex and mime, for serving.
 * LIN_EINVAL unless sha_hex is exactly 64 lowercase hex digits and mime one
 * of the three (so a request can never name a file outside dir);
 * LIN_ENOMEM if out (n bytes) is too small. OUT: out. */
int photo_path(const char *dir, const char *sha_hex, const char *mime, char *out, size_t n);

/* photo_ext: "jpg", "png" or "webp" for a mime photo_sniff returns, else
 * NULL. photo_mime_from_ext is the reverse (for a URL's extension). */
const char *photo_ext(const char *mime);
const char *photo_mime_from_ext(const char *ext);

#endif
