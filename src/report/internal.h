/* Internal to src/report: what the monthly report's files share (the
 * sections' rows, the loaded report) and no other feature may include. */
#ifndef LINLI_REPORT_INTERNAL_H
#define LINLI_REPORT_INTERNAL_H

#include "report.h"
#include "../web/http.h"

#include <jansson.h>
#include <stdint.h>

/* How a figure is written. */
enum report_kind {
	REPORT_COUNT,	/* a count */
	REPORT_PERCENT, /* a share, in hundredths of a percent (8750: 87.5 %) */
	REPORT_MEAN,	/* a mean, in hundredths (425: 4.25) */
	REPORT_HOURS,	/* a duration, in minutes, written as hours */
};

/* One figure of a section: this month's value and, once the months are
 * paired, the month before's. */
struct report_row {
	const char *key;   /* stable name, for the JSON and for pairing the months */
	const char *label; /* in the reader's language (arena or catalogue) */
	enum report_kind kind;
	int known;	    /* 0: no figure this month (written "—", null) */
	int64_t value;	    /* as kind says */
	int previous_known; /* 0: no figure the month before */
	int64_t previous;   /* the month before's value */
	int chart;	    /* drawn in the section's chart (counts only) */
	int now_only;	    /* a count as of today: the registry keeps no history */
};

/* A section's rows, grown in the request's arena. */
struct report_rows {
	struct arena *arena;
	struct report_row *row;
	int n, cap;
};

/* report_row_add appends a figure; label is copied into the arena.
 * Returns 0 or LIN_ENOMEM. */
int report_row_add(struct report_rows *r, const char *key, const char *label, enum report_kind kind,
		   int known, int64_t value);
/* report_row_last: the row just added (to set chart / now_only). */
struct report_row *report_row_last(struct report_rows *r);

/* A section of the report: one function that writes the month's rows.
 * It is called for the month and for the month before; rows are paired
 * by key (a key only one month has is 0 in the other, for counts). */
typedef int (*report_fill_fn)(struct http_req *req, const struct report_month *m,
			      struct report_rows *out);
struct report_section {
	const char *key;       /* "cases", "noise", ... */
	const char *title_key; /* i18n key of its heading */
	const char *note_key;  /* i18n key of what its figures mean, or NULL */
	report_fill_fn fill;
};
/* The sections in the order the page shows them (sections.c); ends with
 * a NULL key. */
extern const struct report_section report_sections[];

/* The loaded report: both months and every section's paired rows. */
struct report_view {
	struct report_month cur, prev;
	int nsections;
	struct report_rows *rows; /* [section] (arena) */
	char area[256];		  /* "STREET · AREA" */
};

/* report_load reads the month of the query (NULL or "": the month before
 * now's) and fills every section. LIN_EINVAL for a bad month. */
int report_load(struct http_req *req, const char *month, struct report_view *v);
/* report_format writes a figure as the page shows it ("—" if unknown). */
void report_format(enum report_kind kind, int known, int64_t value, char *out, size_t n);
/* report_json_value: the figure as a JSON number (hours for minutes,
 * percent and mean as decimals), null if unknown. */
json_t *report_json_value(enum report_kind kind, int known, int64_t value);

/* monthly_xlsx answers GET /reports/monthly.xlsx (xlsx.c). */
int monthly_xlsx(struct http_req *req, struct http_resp *resp);

#endif
