/* The one way readings come in (ingest.h noise_store_readings): store,
 * then alerts. Every ingest path calls this, so none can store readings
 * the alert rules never see. */
#include "alerts.h"
#include "ingest.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/db.h"

#include <stdlib.h>

int noise_store_readings(struct db *db, int64_t meter_id, const struct noise_reading *r, int n,
			 const char *source, int *stored, int *duplicates)
{
	int rc = noise_readings_insert(db, meter_id, r, n, source, stored, duplicates);

	/* The readings are safe; alerts are judged on what is new. */
	if (!rc && *stored) {
		int arc = noise_alerts_check(db, meter_id, r[0].t, r[n - 1].t);
		if (arc)
			log_error("noise: alerts of meter %lld not checked: %s",
				  (long long)meter_id, lin_strerror(arc));
		/* Live pages on every server show them now (a hint: they poll). */
		noise_readings_notify(db, meter_id);
	}
	return rc;
}

/* watched: some rule of w[0..n) (by area) watches the reading's meter. */
static int watched(const struct noise_alert_watch *w, size_t n, const struct noise_meter_reading *x)
{
	size_t lo = 0, hi = n;

	/* The first of the meter's area, then its rules. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w[mid].area_id < x->area_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && w[lo].area_id == x->area_id; lo++)
		if (!w[lo].meter_id || w[lo].meter_id == x->meter_id)
			return 1;
	return 0;
}

int noise_store_readings_many(struct db *db, const struct noise_meter_reading *rows, int n,
			      const char *source)
{
	unsigned char *fresh = malloc(n > 0 ? (size_t)n : 1);
	struct noise_alert_watch *w = NULL;
	size_t nw = 0;
	int rc = fresh ? db_begin(db) : LIN_ENOMEM;

	if (!rc) {
		rc = noise_readings_insert_many(db, rows, n, source, fresh);
		rc = db_finish(db, rc);
	}
	/* Live pages on every server show them now (a hint: they poll). */
	if (!rc && noise_readings_notify_many(db, rows, n, fresh))
		log_error("noise: live pages not told of %d readings: %s", n, db_errmsg(db));
	/* The readings are safe; alerts are judged on what is new, each in
	 * a savepoint of its own, so that a failure undoes no readings. */
	if (!rc && !db_begin(db)) {
		int arc = noise_alert_watches(db, &w, &nw);
		if (arc)
			log_error("noise: alerts of %d readings not checked: %s", n,
				  lin_strerror(arc));
		db_finish(db, arc);
	}
	for (int i = 0; i < n && !rc; i++) {
		int arc;
		if (!fresh[i] || !watched(w, nw, &rows[i]) || db_begin(db))
			continue;
		arc = noise_alerts_check(db, rows[i].meter_id, rows[i].r.t, rows[i].r.t);
		if (arc)
			log_error("noise: alerts of meter %lld not checked: %s",
				  (long long)rows[i].meter_id, lin_strerror(arc));
		db_finish(db, arc);
	}
	free(w);
	free(fresh);
	return rc;
}
