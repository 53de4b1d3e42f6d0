/* The rules of the ballot channels that need no storage: a sheet's
 * one-time code and the hash kept of it, the owner's name masked as the
 * area allows, and a paper sheet's choices in the canonical form two
 * entries are compared in. (The real-name check's keyed hash is the
 * roll's: assembly_id_check in roll_csv.c.) */
#include "channels.h"
#include "../base/arena.h"
#include "../base/err.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void channels_code_new(char code[CHANNELS_CODE_LEN + 1])
{
	unsigned char raw[CHANNELS_CODE_LEN];

	randombytes_buf(raw, sizeof(raw));
	for (int i = 0; i < CHANNELS_CODE_LEN; i++)
		code[i] = crockford[raw[i] & 31];
	code[CHANNELS_CODE_LEN] = '\0';
	sodium_memzero(raw, sizeof(raw));
}

/* canonical_char: c as the alphabet has it (lower case and the letters
 * people misread folded in), '\0' for a separator, '?' for a stranger. */
static char canonical_char(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == ' ' || c == '-')
		return '\0';
	if (c == 'O')
		return '0';
	if (c == 'I' || c == 'L')
		return '1';
	return c && strchr(crockford, c) ? c : '?';
}

int channels_code_hash(const char *code, char out[65])
{
	unsigned char digest[32];
	char canon[CHANNELS_CODE_LEN];
	size_t n = 0;

	out[0] = '\0';
	if (!code)
		return LIN_EINVAL;
	for (const char *p = code; *p; p++) {
		char c = canonical_char(*p);
		if (!c)
			continue;
		if (c == '?' || n == CHANNELS_CODE_LEN)
			return LIN_EINVAL;
		canon[n++] = c;
	}
	if (n != CHANNELS_CODE_LEN)
		return LIN_EINVAL;
	crypto_generichash(digest, sizeof(digest), (const unsigned char *)canon, n, NULL, 0);
	sodium_bin2hex(out, 65, digest, sizeof(digest));
	return 0;
}

const char *channels_mask_name(struct arena *a, const char *name, const char *mask)
{
	size_t len = 1;

	if (!name || !mask || !strcmp(mask, "none"))
		return "";
	if (!strcmp(mask, "full"))
		return arena_strdup(a, name);
	if (strcmp(mask, "surname") || !*name)
		return "";
	/* the first character, whole (a Chinese surname is three bytes) */
	while (name[len] && ((unsigned char)name[len] & 0xC0) == 0x80)
		len++;
	return arena_printf(a, "%.*s**", (int)len, name);
}

/* ---- a paper sheet's choices ---- */

static int choice_valid(const char *c)
{
	return !strcmp(c, "agree") || !strcmp(c, "oppose") || !strcmp(c, "abstain");
}

int channels_choices_canonical(json_t *matters, const char *(*choice_of)(void *arg, int64_t id),
			       void *arg, char out[CHANNELS_CHOICES_MAX])
{
	size_t len = 0, i;
	json_t *m;

	out[0] = '\0';
	json_array_foreach (matters, i, m) {
		const char *code = json_string_value(json_object_get(m, "code"));
		const char *c = choice_of(arg, json_integer_value(json_object_get(m, "id")));
		int w;

		if (!c || !*c)
			continue;
		if (!code || !choice_valid(c))
			return LIN_EINVAL;
		w = snprintf(out + len, CHANNELS_CHOICES_MAX - len, "%s%s=%s", len ? ";" : "", code,
			     c);
		if (w < 0 || (size_t)w >= CHANNELS_CHOICES_MAX - len) {
			out[0] = '\0';
			return LIN_ETOOBIG;
		}
		len += (size_t)w;
	}
	return 0;
}

int channels_choices_parse(const char *canonical, json_t *matters, struct assembly_choice *out,
			   size_t max, size_t *n)
{
	const char *p = canonical;

	*n = 0;
	if (!p)
		return LIN_EINVAL;
	while (*p) {
		const char *eq = strchr(p, '='), *end = strchr(p, ';');
		char code[64], choice[16];
		enum tally_choice c;
		int64_t id = 0;
		size_t i;
		json_t *m;

		if (!end)
			end = p + strlen(p);
		if (!eq || eq > end || eq == p || (size_t)(eq - p) >= sizeof(code) ||
		    (size_t)(end - eq - 1) >= sizeof(choice))
			return LIN_EINVAL;
		snprintf(code, sizeof(code), "%.*s", (int)(eq - p), p);
		snprintf(choice, sizeof(choice), "%.*s", (int)(end - eq - 1), eq + 1);
		if (tally_choice_parse(choice, &c) || *n == max)
			return LIN_EINVAL;
		json_array_foreach (matters, i, m) {
			const char *mc = json_string_value(json_object_get(m, "code"));
			if (mc && !strcmp(mc, code))
				id = json_integer_value(json_object_get(m, "id"));
		}
		if (!id)
			return LIN_EINVAL;
		for (size_t k = 0; k < *n; k++)
			if (out[k].matter_id == id)
				return LIN_EINVAL;
		out[*n].matter_id = id;
		out[*n].choice = c;
		(*n)++;
		p = *end ? end + 1 : end;
		if (!*p && *end)
			return LIN_EINVAL; /* a trailing ';' */
	}
	return 0;
}

bool channels_entries_agree(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}
