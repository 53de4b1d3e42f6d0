/* The one way readings come in (ingest.h noise_store_readings): store,
 * then alerts. Every ingest path calls this, so none can store readings
 * the alert rules never see. */
#include "alerts.h"
#include "ingest.h"
#include "../base/err.h"
#include "../base/log.h"

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
