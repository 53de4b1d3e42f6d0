/* Publishing the staggered timetable of a week (solve, check, store). */
#ifndef LINLI_PLAZA_PUBLISH_H
#define LINLI_PLAZA_PUBLISH_H

#include "plaza.h"
#include "../schedule/schedule.h"

#include <stdint.h>

struct db;

#endif
