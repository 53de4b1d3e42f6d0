/* Message catalogues: one file per language (i18n/zh-CN.msg, i18n/en.msg),
 * "key = text" lines, compiled into the binary. zh-CN is the default. */
#ifndef LINLI_WEB_I18N_H
#define LINLI_WEB_I18N_H

/* i18n_lang: the supported language closest to tag ("en", "en-US" -> "en";
 * anything else -> "zh-CN"). */
const char *i18n_lang(const char *tag);
/* i18n_t: the text for key in lang; the key itself if it is missing. */
const char *i18n_t(const char *lang, const char *key);
/* i18n_has: 1 when lang's catalogue defines key. */
int i18n_has(const char *lang, const char *key);
/* i18n_keys: the number of keys in lang's catalogue and the i-th key. */
int i18n_count(const char *lang);
const char *i18n_key_at(const char *lang, int i);

#endif
