/* The demo's month of field records: every live station of the area
 * inspected about twice a week (mostly A, some B, a few C, with the
 * remarks an inspector writes), every live patrol route walked each
 * evening (most rounds quiet; some loud music, a dark lamp, a bin left
 * out). Deterministic: the same records for the same day. Written through
 * the store's own audited functions with the actor "demo". */
#include "report.h"
#include "store.h"
#include "../base/err.h"
#include "../base/rand.h"
#include "../base/timeutil.h"

#include <stdio.h>
#include <string.h>

#define DEMO_DAYS 30

static const char *const inspectors[] = {"王阿姨", "李师傅", "张老师", "陈书记"};
static const char *const remarks_b[] = {"湿垃圾桶有少量塑料袋", "可回收物桶已满，已联系清运",
					"个别居民未破袋投放"};
static const char *const remarks_c[] = {"干湿混投严重，已现场二次分拣", "桶满溢出，地面脏乱",
					"有害垃圾（电池）混入干垃圾"};
static const struct {
	const char *kind, *seen, *spoken_to;
} rounds[] = {
    {"noise", "东区音响偏大，超过约定音量", "舞蹈队领队"},
    {"safety", "北侧路灯不亮，行人看不清台阶", ""},
    {"garbage", "广场边垃圾袋落地，未进桶", "商铺店员"},
    {"other", "有人在绿化带遛狗未牵绳", "遛狗居民"},
};

int report_demo(struct db *db, int64_t area_id, int64_t now)
{
	json_t *stations = NULL, *routes = NULL, *s;
	int64_t today = lin_local_day(now, LIN_SHANGHAI_OFFSET);
	size_t i;
	int rc = field_stations(db, area_id, &stations);

	if (!rc)
		rc = field_routes(db, area_id, &routes);
	json_array_foreach (stations, i, s) {
		struct field_place p;
		int64_t id = json_integer_value(json_object_get(s, "id"));
		if (rc || (rc = field_station(db, area_id, id, &p)))
			break;
		for (int64_t day = today - DEMO_DAYS; day < today && !rc; day++) {
			uint64_t seed = (uint64_t)(day * 131 + id);
			struct inspection_new in = {.area_id = area_id, .station_id = id};
			char date[11];
			int y, m, d, worst = 0;
			if (lin_mix64(seed) % 7 > 1)
				continue; /* about two days a week */
			lin_civil_from_days(day, &y, &m, &d);
			snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, d);
			in.inspected_on = date;
			in.inspector = inspectors[lin_mix64(seed + 1) % 4];
			for (int c = 0; c < FIELD_NCATEGORIES; c++) {
				uint64_t r = lin_mix64(seed + 2 + (uint64_t)c) % 20;
				if (!p.takes[c])
					continue;
				in.grades[c] = r < 15 ? 'A' : r < 19 ? 'B' : 'C';
				worst = in.grades[c] > worst ? in.grades[c] : worst;
			}
			in.remarks = worst == 'C'   ? remarks_c[lin_mix64(seed + 9) % 3]
				     : worst == 'B' ? remarks_b[lin_mix64(seed + 9) % 3]
						    : "";
			if (!worst)
				continue;
			rc = field_demo_inspection(db, &in,
						   day * 86400 - LIN_SHANGHAI_OFFSET + 9 * 3600);
		}
	}
	json_array_foreach (routes, i, s) {
		int64_t id = json_integer_value(json_object_get(s, "id"));
		for (int64_t day = today - DEMO_DAYS; day < today && !rc; day++) {
			uint64_t r = lin_mix64((uint64_t)(day * 37 + id)) % 10;
			struct patrol_new in = {
			    .area_id = area_id,
			    .route_id = id,
			    .at = day * 86400 - LIN_SHANGHAI_OFFSET + 20 * 3600 +
				  (int64_t)(lin_mix64((uint64_t)day) % 1800),
			    .author = inspectors[(day + id) % 4],
			    .kind = "none",
			    .seen = "巡查一圈，秩序良好",
			    .spoken_to = "",
			    .level_centi = INT64_MIN,
			};
			if (r >= 6) {
				in.kind = rounds[r - 6].kind;
				in.seen = rounds[r - 6].seen;
				in.spoken_to = rounds[r - 6].spoken_to;
			}
			rc = field_demo_patrol(db, &in);
		}
	}
	json_decref(stations);
	json_decref(routes);
	return rc;
}
