/* The demo's duty rosters: handed to the duty feature's own demo, which
 * writes its stations, volunteers and weeks through its store (and plans
 * them with the roster optimiser) like staff would. */
#include "plan.h"
#include "../duty/duty.h"

#include <time.h>

int demo_write_duty(struct db *db, int64_t area_id)
{
	return duty_demo(db, area_id, (int64_t)time(NULL));
}
