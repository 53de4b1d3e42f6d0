/* Bounded parsing of numbers, dates and text from outside input. Every
 * function accepts the whole string or nothing: no trailing junk. */
#ifndef LINLI_BASE_PARSE_H
#define LINLI_BASE_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* parse_int64 reads a decimal integer in [min, max]. */
int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);
/* parse_centi reads a non-negative decimal with at most two fraction digits
 * ("93.5", "120.25") as an integer count of hundredths, exactly. */
int parse_centi(const char *s, int64_t max, int64_t *out);
/* parse_decimal reads a plain decimal number: an optional sign, digits
 * with at most one '.', at least one digit ("93.5", "-0.25", "5.", ".5");
 * with exponent also "1.2e-3". Never "inf", "nan", hexadecimal, blanks or
 * a number too large for a double. Ranges are the caller's to check. */
int parse_decimal(const char *s, int exponent, double *out);
/* format_centi writes hundredths as "93.50" into out (at least 24 bytes). */
void format_centi(int64_t centi, char *out, size_t n);
/* parse_date reads YYYY-MM-DD (a real calendar day, 1900..2100). */
int parse_date(const char *s, int *y, int *m, int *d);
/* parse_bool reads 1/0, true/false, yes/no, y/n, on/off, 是/否, and the
 * empty string as false (an unchecked box). Case-insensitive. */
int parse_bool(const char *s, int *out);
/* utf8_noncharacter: cp is one of Unicode's 66 non-characters (U+FDD0 to
 * U+FDEF, and the last two of every plane, U+FFFE and U+FFFF among them),
 * which XML 1.0 documents may not carry. */
int utf8_noncharacter(uint32_t cp);
/* utf8_decode reads the code point at the start of s[0..len): a Unicode
 * scalar value in its shortest form (no surrogates, nothing over
 * U+10FFFF). OUT: *cp. Returns its length in bytes (1 to 4), or 0 when
 * the bytes there are not one (len 0 too). */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* utf8_valid tells whether s is well-formed UTF-8 without NULs,
 * non-characters (an Open311 XML answer could not carry them) or control
 * characters other than tab, CR and LF; utf8_chars counts code points. */
int utf8_valid(const char *s, size_t len);
size_t utf8_chars(const char *s);
/* str_trim returns s without leading and trailing ASCII white space,
 * writing NULs in place. */
char *str_trim(char *s);
/* hex_digit: the value of one hexadecimal digit, or -1. */
int hex_digit(char c);
/* parse_periods reads clock periods "18:00-21:30;06:30-08:00" (also "," and
 * an en dash; 00:00..24:00, each ending after it starts, in order, not
 * overlapping) into out[i] = {start, end} minutes after midnight. Returns
 * how many (0 for ""), or LIN_EINVAL (also when there are more than max). */
int parse_periods(const char *s, int (*out)[2], int max);
/* parse_shape reads a polygon "x,y x,y x,y ..." of at least three points,
 * each coordinate a non-negative decimal with at most two places, at most
 * limit hundredths, into pts (hundredths). Returns the count or LIN_EINVAL. */
int parse_shape(const char *s, int64_t (*pts)[2], int max, int64_t limit);

#endif
