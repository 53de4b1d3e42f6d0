/* Routes that belong to no feature: health, metrics, static assets,
 * sign-in and sign-out (pages and API), the language switch. */
#ifndef LINLI_WEB_CORE_H
#define LINLI_WEB_CORE_H

#include "router.h"

extern const struct route core_routes[];

#endif
