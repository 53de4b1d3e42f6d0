/* Anchors of the audit chain: its head, signed with Ed25519 (libsodium),
 * kept outside the database; see audit.h. */
#include "audit.h"
#include "db.h"
#include "../base/err.h"
#include "../base/keyfile.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PREFIX "linli-audit-anchor v1 "

int audit_sign_key_load(const char *path, int create, unsigned char sk[AUDIT_SIGN_SECRET],
			char *why, size_t n)
{
	char text[KEYFILE_MAX], hex[2 * AUDIT_SIGN_SECRET + 8];
	size_t len = 0;
	int rc = keyfile_read(path, text, sizeof(text));

	if (rc == LIN_ENOTFOUND && create) {
		unsigned char pk[AUDIT_SIGN_PUBLIC];
		char skhex[2 * AUDIT_SIGN_SECRET + 1], pkhex[2 * AUDIT_SIGN_PUBLIC + 1];
		crypto_sign_keypair(pk, sk);
		sodium_bin2hex(skhex, sizeof(skhex), sk, AUDIT_SIGN_SECRET);
		sodium_bin2hex(pkhex, sizeof(pkhex), pk, sizeof(pk));
		snprintf(text, sizeof(text),
			 "# linli audit anchor signing key. Keep it apart from the database.\n"
			 "# Auditors verify anchors with the public key.\n"
			 "secret=%s\npublic=%s\n",
			 skhex, pkhex);
		sodium_memzero(skhex, sizeof(skhex));
		sodium_memzero(sk, AUDIT_SIGN_SECRET);
		rc = keyfile_create(path, text);
		if (rc == LIN_ECONFLICT || !rc)
			rc = keyfile_read(path, text, sizeof(text));
	}
	if (rc == LIN_ENOTFOUND)
		return rc;
	if (rc) {
		snprintf(why, n, "%s", lin_strerror(rc));
		return rc == LIN_ETOOBIG ? LIN_EINVAL : LIN_EIO;
	}
	rc = keyfile_value(text, "secret", hex, sizeof(hex));
	sodium_memzero(text, sizeof(text));
	if (rc || strlen(hex) != 2 * AUDIT_SIGN_SECRET ||
	    sodium_hex2bin(sk, AUDIT_SIGN_SECRET, hex, strlen(hex), NULL, &len, NULL) ||
	    len != AUDIT_SIGN_SECRET) {
		sodium_memzero(hex, sizeof(hex));
		snprintf(why, n, "secret= 须为 128 个十六进制数字 must be 128 hex digits");
		return LIN_EINVAL;
	}
	sodium_memzero(hex, sizeof(hex));
	return 0;
}

int audit_anchor_line(struct db *db, const unsigned char sk[AUDIT_SIGN_SECRET], char *out)
{
	unsigned char pk[AUDIT_SIGN_PUBLIC], sig[crypto_sign_BYTES];
	char hash[AUDIT_HASH_MAX], pkhex[2 * AUDIT_SIGN_PUBLIC + 1],
	    sighex[2 * crypto_sign_BYTES + 1];
	int64_t count, id;
	int rc = audit_head(db, &count, &id, hash), len;

	if (rc)
		return rc;
	len = snprintf(out, AUDIT_ANCHOR_MAX,
		       PREFIX "at=%" PRId64 " entries=%" PRId64 " id=%" PRId64 " hash=%s",
		       (int64_t)time(NULL), count, id, id ? hash : "-");
	crypto_sign_detached(sig, NULL, (const unsigned char *)out, (size_t)len, sk);
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	sodium_bin2hex(pkhex, sizeof(pkhex), pk, sizeof(pk));
	sodium_bin2hex(sighex, sizeof(sighex), sig, sizeof(sig));
	snprintf(out + len, AUDIT_ANCHOR_MAX - (size_t)len, " key=%s sig=%s", pkhex, sighex);
	return 0;
}

/* field: the value of " name=" in line, up to the next space, into out. */
static int field(const char *line, const char *name, char *out, size_t n)
{
	char pat[16];
	const char *p;
	size_t len;

	snprintf(pat, sizeof(pat), " %s=", name);
	p = strstr(line, pat);
	if (!p)
		return LIN_EINVAL;
	p += strlen(pat);
	len = strcspn(p, " \r\n");
	if (!len || len >= n)
		return LIN_EINVAL;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

static int whole_number(const char *s, int64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return LIN_EINVAL;
	*v = strtoll(s, &end, 10);
	return *end ? LIN_EINVAL : 0;
}

int audit_anchor_check(struct db *db, const char *line, const unsigned char pk[AUDIT_SIGN_PUBLIC],
		       int64_t *id)
{
	unsigned char key[AUDIT_SIGN_PUBLIC], sig[crypto_sign_BYTES];
	char keyhex[80], sighex[160], hash[AUDIT_HASH_MAX], stored[AUDIT_HASH_MAX], num[24];
	const char *signed_end = strstr(line, " key=");
	int64_t entries;
	size_t len = 0;
	int rc;

	*id = 0;
	if (strncmp(line, PREFIX, strlen(PREFIX)) || !signed_end ||
	    field(line, "key", keyhex, sizeof(keyhex)) ||
	    field(line, "sig", sighex, sizeof(sighex)) ||
	    sodium_hex2bin(key, sizeof(key), keyhex, strlen(keyhex), NULL, &len, NULL) ||
	    len != sizeof(key) ||
	    sodium_hex2bin(sig, sizeof(sig), sighex, strlen(sighex), NULL, &len, NULL) ||
	    len != sizeof(sig) || field(line, "entries", num, sizeof(num)) ||
	    whole_number(num, &entries) || field(line, "id", num, sizeof(num)) ||
	    whole_number(num, id) || field(line, "hash", hash, sizeof(hash)))
		return ANCHOR_MALFORMED;
	if (crypto_sign_verify_detached(sig, (const unsigned char *)line,
					(size_t)(signed_end - line), key))
		return ANCHOR_FORGED;
	if (sodium_memcmp(key, pk, sizeof(key)))
		return ANCHOR_OTHER_KEY;
	/* The entry's hash covers every entry before it through the chain. */
	if (!*id)
		return ANCHOR_HELD;
	rc = audit_hash_at(db, *id, stored);
	if (rc == LIN_ENOTFOUND)
		return ANCHOR_MISSING;
	if (rc)
		return rc;
	return strcmp(stored, hash) ? ANCHOR_CHANGED : ANCHOR_HELD;
}
