/* The auditors' two files for `linli assembly tally`, read strictly: the
 * roll (ROLL.csv: unit,owner,area_m2, one row per exclusive part) and the
 * ballots (BALLOTS.csv: owner,matter,choice, in the order cast). A bad row
 * refuses the whole file with its line and a reason (zh then en); nothing
 * is half read. Pure: the caller hands in the file's bytes. */
#ifndef LINLI_ASSEMBLY_TALLY_CSV_H
#define LINLI_ASSEMBLY_TALLY_CSV_H

#include "tally.h"

#include <stddef.h>

/* Why a file was refused: the line (1-based; for a record, the line it
 * starts on) and the reason, Chinese then English. */
struct tally_csv_error {
	int line;
	char reason[256];
};

/* A roll as read. The strings point into text; tally_roll_release frees
 * all of it. */
struct tally_roll {
	struct tally_part *parts; /* in file order */
	int *lines;		  /* lines[i]: the line parts[i] starts on */
	size_t nparts;
	char *text; /* the units' and owners' bytes */
};

/* Ballots as read, likewise. */
struct tally_ballots {
	struct tally_ballot *ballots; /* in the order cast (file order) */
	int *lines;		      /* lines[i]: the line ballots[i] starts on */
	size_t nballots;
	char *text; /* the owners' and matters' bytes */
};

/* tally_roll_read reads ROLL.csv's bytes: the header exactly
 * "unit,owner,area_m2", then at least one part; a unit and an owner (UTF-8
 * text without control characters) and an area tally_area_parse takes;
 * no unit twice. 0 and *out filled (release it); LIN_EINVAL with *err
 * (nothing to release); LIN_ETOOBIG with *err for a record over 16 MB
 * (or no memory to hold it); LIN_ENOMEM. */
int tally_roll_read(const char *data, size_t len, struct tally_roll *out,
		    struct tally_csv_error *err);
void tally_roll_release(struct tally_roll *r);

/* tally_ballots_read reads BALLOTS.csv's bytes: the header exactly
 * "owner,matter,choice", then any number of ballots; owner and matter as
 * text, the choice agree|oppose|abstain. Whether an owner is on the roll
 * and a matter named is tally_count's to say (by index: lines maps it). */
int tally_ballots_read(const char *data, size_t len, struct tally_ballots *out,
		       struct tally_csv_error *err);
void tally_ballots_release(struct tally_ballots *b);

#endif
