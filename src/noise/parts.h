/* Readings that grow without bound (docs/scale.md): the per-second
 * readings partitioned by Shanghai calendar month on PostgreSQL, the raw
 * seconds dropped month by month past readings_keep_days (one table and a
 * batched delete on SQLite, the same months kept), and the rollups of
 * readings stored before the rollup tables, worked off a day at a time.
 * All of it runs in the noise.readings job (noise_parts_job, noise.h). */
#ifndef LINLI_NOISE_PARTS_H
#define LINLI_NOISE_PARTS_H

#include <stdint.h>

struct db;

#define NOISE_PARTS_AHEAD  2	 /* months made ahead of the current one */
#define NOISE_RETIRE_BATCH 10000 /* rows per DELETE on SQLite */

/* noise_month_start: the first second (UTC epoch) of the Shanghai month
 * that holds t; noise_month_next: the first second of the month after
 * the one starting at start. */
int64_t noise_month_start(int64_t t);
int64_t noise_month_next(int64_t start);
/* noise_parts_name writes "noise_readings_pYYYYMM", the partition of the
 * month that holds t, into out. */
void noise_parts_name(int64_t t, char out[32]);

/* noise_parts_ensure makes the partition of t's month unless it is there
 * (PostgreSQL; nothing on SQLite). OUT: *made, 1 when it made it. */
int noise_parts_ensure(struct db *db, int64_t t, int *made);
/* noise_parts_months lists the months that hold raw seconds (PostgreSQL:
 * the partitions; SQLite: the months with a reading), by their first
 * second, ascending, into out[0..max). OUT: *n. */
int noise_parts_months(struct db *db, int64_t *out, int max, int *n);
/* noise_parts_retire drops the raw seconds of every month that ends at
 * or before the start of the month holding now - keep_days days (the
 * limit): a whole partition on PostgreSQL, NOISE_RETIRE_BATCH rows per
 * call on SQLite. The month holding the limit is kept whole. The rollups
 * stay. OUT: *more, 1 when rows are left to delete (SQLite). */
int noise_parts_retire(struct db *db, int64_t now, int keep_days, int *more);
/* noise_rollup_backlog_step rolls up one day of one meter's readings
 * stored before the rollup tables (noise_rollup_backlog), the newest day
 * left first. OUT: *more, 1 while work is left. */
int noise_rollup_backlog_step(struct db *db, int *more);

#endif
