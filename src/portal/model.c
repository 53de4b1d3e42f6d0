/* The portal's rules without I/O: what a phone number and a code look
 * like when typed on a phone, and when a code stops being good. */
#include "portal.h"
#include "../base/err.h"

#include <string.h>

int portal_phone_parse(const char *in, char *out, size_t n)
{
	char digits[32];
	size_t d = 0;
	const char *p = in;

	if (!in || n < 12)
		return LIN_EINVAL;
	while (*p == ' ')
		p++;
	if (*p == '+') {
		if (strncmp(p, "+86", 3))
			return LIN_EINVAL;
		p += 3;
	}
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (d >= sizeof(digits) - 1)
				return LIN_EINVAL;
			digits[d++] = *p;
		} else if (*p != ' ' && *p != '-') {
			return LIN_EINVAL;
		}
	}
	digits[d] = '\0';
	/* 86 before an 11-digit mobile number is the country's code */
	if (d == 13 && digits[0] == '8' && digits[1] == '6') {
		memmove(digits, digits + 2, 12);
		d = 11;
	}
	if (d != 11 || digits[0] != '1' || digits[1] < '3' || digits[1] > '9')
		return LIN_EINVAL;
	memcpy(out, digits, 12);
	return 0;
}

int portal_code_parse(const char *in, char *out, size_t n)
{
	size_t d = 0;

	if (!in || n < PORTAL_CODE_DIGITS + 1)
		return LIN_EINVAL;
	for (const char *p = in; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (d >= PORTAL_CODE_DIGITS)
				return LIN_EINVAL;
			out[d++] = *p;
		} else if (*p != ' ') {
			return LIN_EINVAL;
		}
	}
	if (d != PORTAL_CODE_DIGITS)
		return LIN_EINVAL;
	out[d] = '\0';
	return 0;
}

int portal_code_live(int64_t expires_at, int64_t now)
{
	return now < expires_at;
}
