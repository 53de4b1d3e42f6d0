/* The door-to-door delivery of an assembly's ballots: groups led by a
 * Party member, every door of the roll assigned to a volunteer, each
 * visit with its outcome and the server's time, revisits planned for doors
 * not reached, and the progress staff watch. Shared by doors.c (rules,
 * routes, demo), doors_store.c (the SQL), pages_doors.c (the staff's
 * assignment and the volunteer's phone page) and pages_progress.c. */
#ifndef LINLI_ASSEMBLY_DOORS_H
#define LINLI_ASSEMBLY_DOORS_H

#include "internal.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

/* What a visit found. Delivered: the sheet left with the owner; returned
 * (by the owner or, proxy_returned, by their proxy): the filled sheet
 * collected; refused: the owner will not take part; nobody_home: not
 * reached, a revisit is planned. */
enum doors_outcome {
	DOORS_DELIVERED,
	DOORS_RETURNED,
	DOORS_REFUSED,
	DOORS_NOBODY_HOME,
	DOORS_PROXY_RETURNED,
	DOORS_OUTCOME_COUNT
};

/* doors_outcome_parse: "delivered" -> DOORS_DELIVERED; LIN_EINVAL. */
int doors_outcome_parse(const char *s, enum doors_outcome *out);
const char *doors_outcome_name(enum doors_outcome o);
/* doors_floor: the floor of a unit from its last run of digits ("12号楼
 * 301" -> 3, "1502" -> 15); 0 when it names none. */
int doors_floor(const char *unit);
/* doors_revisit_day: the revisit day a visit planned, checked: s empty or
 * NULL -> the next day in Shanghai after now; else a real YYYY-MM-DD not
 * before today and within 60 days. LIN_EINVAL otherwise. out: 11 bytes. */
int doors_revisit_day(const char *s, int64_t now, char out[11]);
/* doors_day: the Shanghai day of t as YYYY-MM-DD. out: 11 bytes. */
void doors_day(int64_t t, char out[11]);

/* Who acts: the account, and whether it keeps the assembly (staff record
 * and assign for anyone). */
struct doors_actor {
	int64_t user_id; /* users.id, 0 for the demo and the CLI */
	bool staff;	 /* holds assembly.write */
};

/* doors_who: the account's live volunteer row and Party member row in
 * area_id (0 when none). */
int doors_who(struct db *db, int64_t area_id, int64_t user_id, int64_t *volunteer_id,
	      int64_t *member_id);

/* One door of the roll with its assignment and what its visits found. */
struct doors_row {
	int64_t part_id, building_id, compound_id;	  /* building 0: none */
	int64_t volunteer_id, group_id, leader_member_id; /* 0: not assigned */
	char unit[96];
	char building[128];
	char volunteer[96]; /* the volunteer's name */
	char group[96];	    /* the group's name */
	int floor;	    /* doors_floor(unit) */
	int outcome;	    /* the latest visit's enum doors_outcome, -1: none */
	int64_t at;	    /* its time */
	char revisit_on[11];
	char note[512];
	int visits;		  /* how many */
	bool delivered, returned; /* ever delivered (or returned); ever returned */
	bool voted;		  /* a ballot of this part is in (any channel) */
};

/* The roll's live doors of one assembly, by building, floor and unit. */
struct doors_set {
	struct doors_row *row; /* owned */
	size_t n;
};
int doors_load(struct db *db, int64_t area_id, int64_t assembly_id, struct doors_set *out);
void doors_set_release(struct doors_set *s);
/* doors_outstanding: still to be visited (not returned, not refused). */
bool doors_outstanding(const struct doors_row *r);

/* doors_groups_json: [{id, name, leader_member_id, leader}] by name. */
int doors_groups_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out);
/* doors_people_json: {volunteers: [{id, name, member_id}], members: [{id,
 * name}]} of the area, live, by name: who may be assigned and who may
 * lead. */
int doors_people_json(struct db *db, int64_t area_id, json_t **out);

/* doors_running_json: the area's assemblies delivering now (roll
 * published or voting open), newest first: [{id, title, state}]. */
int doors_running_json(struct db *db, int64_t area_id, json_t **out);

/* The writes: each one transaction with its audit entry; a refusal
 * (LIN_EINVAL, LIN_EPERM, LIN_ENOTFOUND, LIN_ECONFLICT) sets *why to an
 * i18n key and changes nothing. */
int doors_group_add(struct db *db, int64_t area_id, const struct doors_actor *who,
		    int64_t assembly_id, const char *name, int64_t leader_member_id,
		    const char **why, int64_t *id);
/* doors_assign gives every live door of building_id (on floor, or all
 * floors when floor < 0) to volunteer_id in group_id, replacing earlier
 * assignments. OUT: *count, the doors assigned (0 is refused). */
int doors_assign(struct db *db, int64_t area_id, const struct doors_actor *who, int64_t assembly_id,
		 int64_t building_id, int floor, int64_t group_id, int64_t volunteer_id,
		 const char **why, int64_t *count);

struct doors_visit_in {
	int64_t assembly_id, part_id;
	const char *outcome;	/* doors_outcome_parse */
	const char *note;	/* may be NULL; at most 500 bytes */
	const char *revisit_on; /* nobody_home: doors_revisit_day; else ignored */
	int64_t at;		/* the server's clock */
};
/* doors_visit_add records a visit to a door of the assembly by its
 * volunteer, their group's leader or staff; anyone else LIN_EPERM. */
int doors_visit_add(struct db *db, int64_t area_id, const struct doors_actor *who,
		    const struct doors_visit_in *in, const char **why, int64_t *id);

/* doors_progress_json: the delivery's figures {doors, assigned, delivered,
 * returned, refused, nobody_home, buildings: [{building_id, compound_id,
 * building, doors, delivered, returned, voted}], volunteers: [{volunteer_id,
 * volunteer, group, doors, outstanding: [{part_id, unit, outcome,
 * revisit_on}]}], participation: see docs/assembly.md}. */
int doors_progress_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out);

/* pages (pages_doors.c, pages_progress.c) */
struct http_req;
struct http_resp;
int doors_staff_page(struct http_req *req, struct http_resp *resp);
int doors_h_group(struct http_req *req, struct http_resp *resp);
int doors_h_assign(struct http_req *req, struct http_resp *resp);
int doors_index_page(struct http_req *req, struct http_resp *resp);
int doors_mine_page(struct http_req *req, struct http_resp *resp);
int doors_h_visit(struct http_req *req, struct http_resp *resp);
int doors_progress_page(struct http_req *req, struct http_resp *resp);
int doors_progress_api(struct http_req *req, struct http_resp *resp);
/* doors_refuse answers a refused request with its message (422, 403, 404,
 * 409) or 500, as JSON or as a page linking back. */
int doors_refuse(struct http_req *req, struct http_resp *resp, int rc, const char *why);
/* doors_assembly: the assembly of path capture 0 in the reader's area;
 * answers 404 itself (returns non-zero) when there is none. */
int doors_assembly(struct http_req *req, struct http_resp *resp, struct assembly *a);

#endif
