/* Functions we never call: each has a bounded or checked replacement
 * (buf_addf, parse_int64, strtok_r-free parsing). Included by every file
 * through the build flags. */
#ifndef LINLI_BASE_BANNED_H
#define LINLI_BASE_BANNED_H

/* The system headers first: glibc's inline definitions (atoi at -O2)
 * must not meet the macros below. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BANNED(func) sorry_##func##_is_banned

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef sscanf
#define sscanf(...) BANNED(sscanf)
#undef gets
#define gets(x) BANNED(gets)

#endif
