/* The demo's simulated evening: while `linli demo` serves, the plaza's
 * meter hears an evening compressed into NOISE_SIM_CYCLE seconds (quiet,
 * a team warming up, one song too loud, back under the cap), one reading
 * a second in real time, through noise_store_readings like any meter's,
 * so the live page, the display and the alert rules see it as they would
 * a real one. Its readings carry the source NOISE_SIM_SOURCE, by which
 * the live views mark them as simulated. */
#include "noise.h"
#include "ingest.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/rand.h"
#include "../db/db.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CATCH_UP_MAX 60 /* seconds sent at once after a stall */

struct noise_sim {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_int stopping;
	struct db *db;
	int64_t meter_id;
	int64_t start;	/* the second the evening began */
	int64_t last_t; /* the last second sent */
};

/* A little noise around each level, the same for the same second. */
static double jitter(int64_t t, double spread)
{
	uint64_t z = lin_mix64((uint64_t)t * 0x9e3779b97f4a7c15ULL);
	return ((double)(z >> 11) / 9007199254740992.0 - 0.5) * spread;
}

double noise_sim_level(int64_t s, int64_t t)
{
	double level;

	s %= NOISE_SIM_CYCLE;
	if (s < 0)
		s += NOISE_SIM_CYCLE;
	if (s < NOISE_SIM_WARM) /* traffic and voices */
		level = 52.0 + jitter(t, 4.0);
	else if (s < NOISE_SIM_SONG) /* a team tries its speaker, louder by the minute */
		level = 56.0 +
			10.0 * (double)(s - NOISE_SIM_WARM) /
			    (double)(NOISE_SIM_SONG - NOISE_SIM_WARM) +
			jitter(t, 3.0);
	else if (s < NOISE_SIM_CALM) /* one song too loud */
		level = 75.5 + 1.5 * sin((double)s / 7.0) + jitter(t, 2.0);
	else /* turned down, under the cap */
		level = 64.5 + 1.5 * sin((double)s / 11.0) + jitter(t, 2.0);
	return floor(level * 100.0 + 0.5) / 100.0;
}

/* send: the seconds after last_t up to now (at most CATCH_UP_MAX). */
static int send_until(struct noise_sim *s, int64_t now)
{
	struct noise_reading r[CATCH_UP_MAX];
	int n = 0, stored = 0, dups = 0;
	int64_t from = s->last_t + 1;

	if (from < now - CATCH_UP_MAX + 1)
		from = now - CATCH_UP_MAX + 1;
	for (int64_t t = from; t <= now; t++) {
		double level = noise_sim_level(t - s->start, t);
		r[n].t = t;
		r[n].laeq_centi = (int64_t)floor(level * 100.0 + 0.5);
		r[n].lmax_centi = r[n].laeq_centi + 250 + (int64_t)(jitter(t + 1, 400.0) + 200.0);
		r[n].has_lmax = 1;
		n++;
	}
	s->last_t = now;
	if (!n)
		return 0;
	return noise_store_readings(s->db, s->meter_id, r, n, NOISE_SIM_SOURCE, &stored, &dups);
}

static void *run(void *arg)
{
	struct noise_sim *s = arg;
	struct timespec until;

	while (!atomic_load(&s->stopping)) {
		int rc = send_until(s, (int64_t)time(NULL));
		if (rc)
			log_warn("noise: the simulated meter could not store: %s",
				 lin_strerror(rc));
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		until.tv_nsec = 0; /* just after the next second begins */
		pthread_mutex_lock(&s->lock);
		while (!atomic_load(&s->stopping) &&
		       pthread_cond_timedwait(&s->wake, &s->lock, &until) != ETIMEDOUT)
			;
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

int noise_sim_start(const char *db_url, int64_t area_id, struct noise_sim **out)
{
	struct noise_sim *s;
	int rc;

	*out = NULL;
	if (!(s = calloc(1, sizeof(*s))))
		return LIN_ENOMEM;
	rc = db_open(db_url, &s->db);
	/* The plaza's meter: the area's first live meter watching a zone. */
	if (!rc)
		rc = db_query_row(s->db,
				  "SELECT COALESCE(MIN(id), 0) FROM meters WHERE area_id = ?"
				  " AND zone_id IS NOT NULL AND archived = 0",
				  &s->meter_id, "i", area_id);
	if (!rc && !s->meter_id)
		rc = LIN_ENOTFOUND;
	if (rc) {
		db_close(s->db);
		free(s);
		return rc;
	}
	s->start = (int64_t)time(NULL);
	/* Continue after what is stored (the demo's past ends at load). */
	s->last_t = s->start - 1;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	atomic_init(&s->stopping, 0);
	if (pthread_create(&s->thread, NULL, run, s)) {
		pthread_cond_destroy(&s->wake);
		pthread_mutex_destroy(&s->lock);
		db_close(s->db);
		free(s);
		return LIN_ENOMEM;
	}
	log_info("noise: simulating an evening on meter %lld (--no-simulate stops it)",
		 (long long)s->meter_id);
	*out = s;
	return 0;
}

void noise_sim_stop(struct noise_sim *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	atomic_store(&s->stopping, 1);
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	db_close(s->db);
	free(s);
}
