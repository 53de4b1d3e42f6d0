/* Photos attached to case reports: recognise JPEG, PNG and WebP by their
 * bytes, read their declared size before anything else and refuse more
 * than PHOTO_MAX_PIXELS, remove the metadata that can tell where or when a
 * photo was taken, decode every pixel (libjpeg-turbo, libpng, libwebp) to
 * prove the file whole and to draw a re-encoded, downscaled JPEG for
 * staff to see, and keep both in a content-addressed folder. */
#ifndef LINLI_CASES_PHOTOS_H
#define LINLI_CASES_PHOTOS_H

#include "../base/buf.h"

#include <stddef.h>
#include <stdint.h>

#define PHOTO_MAX_BYTES (8 << 20)
/* The most pixels (width × height) a photo may declare: 40 megapixels,
 * more than any phone camera's default. Decoding needs memory in
 * proportion, so the cap comes before any decoder sees the file. */
#define PHOTO_MAX_PIXELS 40000000u
/* The longest side of the copy staff see inline, in pixels. */
#define PHOTO_VIEW_SIDE 1600

/* photo_sniff: identify JPEG, PNG or WebP by content, never by name or
 * claimed type, then read the width and height the header declares
 * (photo_dimensions) and only then walk the whole container as photo_strip
 * does (so what sniffs also strips). LIN_EINVAL for anything else (GIF,
 * SVG, HTML, truncated, empty, a bad length or CRC, a width or height of
 * 0), LIN_ETOOBIG over PHOTO_MAX_BYTES, LIN_ERANGE over PHOTO_MAX_PIXELS.
 * No pixel is decoded. OUT: *mime, a static "image/jpeg", "image/png" or
 * "image/webp". */
int photo_sniff(const unsigned char *data, size_t len, const char **mime);

/* photo_dimensions: the width and height data's header declares, read
 * without decoding: JPEG's frame header (SOFn), PNG's IHDR, WebP's VP8X
 * canvas or its VP8 or VP8L frame. LIN_EINVAL when there is none or
 * either is 0. OUT: *width, *height (0 on failure). */
int photo_dimensions(const unsigned char *data, size_t len, const char *mime, uint32_t *width,
		     uint32_t *height);

/* photo_orientation: the Exif orientation (1..8) a JPEG carries in its
 * first Exif segment, 1 when it has none or is not a JPEG. PNG and WebP
 * lose theirs with their Exif in photo_strip, so what is stored says 1. */
int photo_orientation(const unsigned char *data, size_t len, const char *mime);

/* photo_view: decodes every pixel of data (of type mime, as photo_sniff
 * said, and checked against PHOTO_MAX_PIXELS again before the decoder
 * allocates), turns it upright by photo_orientation, scales it down to at
 * most PHOTO_VIEW_SIDE pixels on its longest side (never up) and appends
 * it to out re-encoded as a baseline JPEG without metadata. Transparent
 * pixels are laid on white. LIN_EINVAL when data does not decode to its
 * end (truncated, corrupt, an animated WebP, a JPEG kind the library does
 * not read), LIN_ERANGE over the cap, LIN_ENOMEM. Nothing is appended on
 * failure. OUT: *width, *height of the copy. Implemented in photo_view.c. */
int photo_view(const unsigned char *data, size_t len, const char *mime, struct buf *out, int *width,
	       int *height);

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
 * (ab: the first two hex digits), and its photo_view copy beside it (see
 * photo_view_path), atomically: temporary files in the same folder, fsync,
 * rename, fsync of the folder. A file already there under that name is
 * kept (same hash, same bytes). Creates dir and the subfolder as needed
 * (mode 0750); files are 0640. data must sniff as mime and decode in full
 * (store what photo_strip made); LIN_EINVAL otherwise, LIN_ERANGE over
 * PHOTO_MAX_PIXELS, LIN_EIO when the file system fails; nothing is written
 * then. Needs sodium_init() to have run (the server's start does).
 * OUT: sha_hex, 64 lowercase hex digits and a NUL ("" on failure). */
int photo_store(const char *dir, const unsigned char *data, size_t len, const char *mime,
		char sha_hex[65]);

/* photo_stage is photo_store's first half: the file and its view copy
 * written, synced and closed under temporary dot names in their final
 * folder (never served), OUT: the file's path in tmp (n bytes; the copy's
 * is tmp with ".v" added) and sha_hex. photo_commit renames both to their
 * final names (removing a staged one instead when its name is there
 * already: same hash, same bytes) and syncs the folder; photo_discard
 * removes both. So a report's photos reach their names only once the
 * report is filed. */
int photo_stage(const char *dir, const unsigned char *data, size_t len, const char *mime,
		char sha_hex[65], char *tmp, size_t n);
int photo_commit(const char *dir, const char *tmp, const char *sha_hex, const char *mime);
/* photo_read: the whole file at path (a regular file within
 * PHOTO_MAX_BYTES) into out. 0, LIN_ENOTFOUND, LIN_EIO, LIN_ENOMEM. */
int photo_read(const char *path, struct buf *out);
/* photo_room: 0 when the file system of dir (or of the current folder,
 * before dir exists) keeps at least min_free bytes free for others after
 * taking incoming bytes (and their view copy); LIN_ENOSPC when it would
 * not. min_free 0 checks nothing. */
int photo_room(const char *dir, unsigned long long min_free, size_t incoming);
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

/* photo_view_path: where the view copy of the photo sha_hex is kept:
 * dir/ab/<sha256 hex>-v1600.jpg (the side in the name, so another
 * PHOTO_VIEW_SIDE gets new copies). Errors as photo_path's. */
int photo_view_path(const char *dir, const char *sha_hex, char *out, size_t n);

/* photo_view_ensure: 0 when the stored photo sha_hex (of type mime) has
 * its view copy, making it first if missing (photos stored before copies
 * were made): so 0 also says the photo is within PHOTO_MAX_PIXELS and
 * decodes. LIN_ERANGE over the cap, LIN_EINVAL when it does not decode
 * (or sha_hex, mime are not valid), LIN_ENOTFOUND without the photo,
 * LIN_EIO, LIN_ENOMEM. */
int photo_view_ensure(const char *dir, const char *sha_hex, const char *mime);

/* photo_ext: "jpg", "png" or "webp" for a mime photo_sniff returns, else
 * NULL. photo_mime_from_ext is the reverse (for a URL's extension). */
const char *photo_ext(const char *mime);
const char *photo_mime_from_ext(const char *ext);

#endif
