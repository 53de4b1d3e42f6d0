/* Internal to src/home: the reads behind the pages (store.c). */
#ifndef LINLI_HOME_STORE_H
#define LINLI_HOME_STORE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* home_duty_choices: who may be put on duty, [{id, name}] by id. */
int home_duty_choices(struct db *db, int64_t area_id, json_t **out);
/* home_duty_name: the name of who is on duty on weekday (1..7), "" for
 * nobody. */
int home_duty_name(struct db *db, int64_t area_id, int weekday, char *out, size_t n);

#endif
