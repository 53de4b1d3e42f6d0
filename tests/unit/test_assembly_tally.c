/* The count of an owners' assembly (src/assembly/tally.c) at the edge of
 * every rule of Civil Code Art. 278: exactly two thirds taking part (by
 * area, by headcount, each alone) and one hundredth of a m² or one owner
 * less; exactly three quarters agreeing on items 6-8 and just under;
 * exactly one half on the other items, which is no majority, and just
 * over; abstentions; owners of several parts and the developer's unsold
 * parts as one owner; sums of 0.1 and 0.7 m² that a double gets wrong;
 * later ballots superseding earlier ones; the refusals; and the readers
 * of ROLL.csv and BALLOTS.csv with the line of each bad row. */
#include "assembly/tally.h"
#include "assembly/tally_csv.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/err.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building rolls and ballots by hand ---- */

#define MAX_OWNERS 64

/* Owner i is named "o<i>" and holds one part, unit "u<i>". */
static char owner_name[MAX_OWNERS][16], unit_name[MAX_OWNERS][16];

static void names(void)
{
	for (int i = 0; i < MAX_OWNERS; i++) {
		snprintf(owner_name[i], sizeof(owner_name[i]), "o%d", i);
		snprintf(unit_name[i], sizeof(unit_name[i]), "u%d", i);
	}
}

/* vote_count counts one matter "M" of item over owners of the given areas
 * (hundredths of a m²), each voting as its letter in votes says: a agree,
 * o oppose, b abstain (blank), . no ballot. OUT: *res (freed here: the
 * matter's result is copied to *m). */
static void vote_count(int item, const int64_t *area, const char *votes,
		       struct tally_matter_result *m, struct tally_result *res)
{
	struct tally_part parts[MAX_OWNERS];
	struct tally_ballot ballots[MAX_OWNERS];
	struct tally_matter matter = {"M", item};
	struct tally_error err;
	size_t n = strlen(votes), nb = 0;

	assert_true(n <= MAX_OWNERS);
	names();
	for (size_t i = 0; i < n; i++) {
		parts[i] = (struct tally_part){unit_name[i], owner_name[i], area[i]};
		if (votes[i] == '.')
			continue;
		ballots[nb++] = (struct tally_ballot){owner_name[i], "M",
						      votes[i] == 'a'	? TALLY_AGREE
						      : votes[i] == 'o' ? TALLY_OPPOSE
									: TALLY_ABSTAIN};
	}
	assert_int_equal(tally_count(parts, n, &matter, 1, ballots, nb, res, &err), 0);
	assert_int_equal(res->nmatters, 1);
	*m = res->matters[0];
	tally_result_free(res);
}

/* ---- taking part: two thirds of the area and of the owners ---- */

static void quorum_by_area_at_two_thirds(void **state)
{
	/* Five of six owners take part (5/6 by headcount, well over), with
	 * 200.00 of 300.00 m²: exactly two thirds, which "以上" includes. */
	const int64_t exact[] = {4000, 4000, 4000, 4000, 4000, 10000};
	const int64_t under[] = {4000, 4000, 4000, 4000, 3999, 10001};
	struct tally_matter_result m;
	struct tally_result res;

	vote_count(4, exact, "aaaaa.", &m, &res);
	assert_int_equal(res.owners, 6);
	assert_int_equal(res.area_centi, 30000);
	assert_int_equal(m.participating_owners, 5);
	assert_int_equal(m.participating_area_centi, 20000);
	assert_true(m.quorum_met);
	assert_true(m.passed);
	assert_string_equal(m.rule, "more_than_half");

	/* 199.99 of 300.00 m²: one hundredth of a m² short. */
	vote_count(4, under, "aaaaa.", &m, &res);
	assert_int_equal(res.area_centi, 30000);
	assert_int_equal(m.participating_area_centi, 19999);
	assert_int_equal(m.participating_owners, 5);
	assert_false(m.quorum_met);
	assert_false(m.passed);
	assert_true(tally_quorum(1, 1, 5, 6)); /* the headcount alone would do */
}

static void quorum_by_headcount_at_two_thirds(void **state)
{
	/* Those who take part hold nearly all the area; only the headcount
	 * decides. 6 of 9 is exactly two thirds, 5 of 9 is not. */
	const int64_t area[] = {100000, 100000, 100000, 100000, 100000, 100000, 1, 1, 1};
	const int64_t three[] = {5000, 5000, 1};
	struct tally_matter_result m;
	struct tally_result res;

	vote_count(9, area, "aaaaaa...", &m, &res);
	assert_int_equal(m.participating_owners, 6);
	assert_true(m.quorum_met);
	assert_true(m.passed);

	vote_count(9, area, "aaaaa....", &m, &res);
	assert_int_equal(m.participating_owners, 5);
	assert_false(m.quorum_met);
	assert_false(m.passed);
	assert_true(tally_quorum(m.participating_area_centi, res.area_centi, 1, 1));

	/* 2 of 3. */
	vote_count(1, three, "aa.", &m, &res);
	assert_true(m.quorum_met);
	vote_count(1, three, "a.a", &m, &res);
	assert_false(m.quorum_met); /* 50.01 of 100.01 m²: the area now fails alone */
}

/* ---- agreeing: three quarters on items 6-8 ---- */

static void three_quarters_on_items_six_to_eight(void **state)
{
	const int64_t equal[] = {2500, 2500, 2500, 2500};
	const int64_t area_short[] = {2500, 2500, 2499, 2501};
	const int64_t big_agree[] = {10000, 10000, 10000, 10000, 10000, 10000,
				     10000, 10000, 10000, 1,	 1,	1};
	struct tally_matter_result m;
	struct tally_result res;

	for (int item = 6; item <= 8; item++) {
		/* 3 of 4 owners and 75.00 of 100.00 m²: exactly three quarters. */
		vote_count(item, equal, "aaao", &m, &res);
		assert_string_equal(m.rule, "at_least_three_quarters");
		assert_int_equal(m.agree_owners, 3);
		assert_int_equal(m.agree_area_centi, 7500);
		assert_true(m.quorum_met);
		assert_true(m.passed);

		/* 74.99 of 100.00 m², the headcount still 3 of 4. */
		vote_count(item, area_short, "aaao", &m, &res);
		assert_int_equal(m.agree_area_centi, 7499);
		assert_true(m.quorum_met);
		assert_false(m.passed);

		/* 9 of 12 owners (exactly) with nearly all the area, then 8 of
		 * 11 (72.7%): the headcount alone fails. */
		vote_count(item, big_agree, "aaaaaaaaaooo", &m, &res);
		assert_true(m.passed);
		vote_count(item, big_agree, "aaaaaaaa.ooo", &m, &res);
		assert_int_equal(m.agree_owners, 8);
		assert_int_equal(m.participating_owners, 11);
		assert_true(m.quorum_met);
		assert_false(m.passed);

		/* Two of three agree: enough for other items, not these. */
		vote_count(item, equal, "aao.", &m, &res);
		assert_true(m.quorum_met);
		assert_false(m.passed);
	}
	vote_count(5, equal, "aao.", &m, &res);
	assert_true(m.passed);
	assert_string_equal(m.rule, "more_than_half");
}

/* ---- agreeing: more than half on the other items ---- */

static void one_half_is_not_a_majority(void **state)
{
	static const int items[] = {1, 2, 3, 4, 5, 9};
	const int64_t equal[] = {2500, 2500, 2500, 2500};
	const int64_t area_half[] = {1000, 1000, 1000, 3000};
	const int64_t area_over[] = {1000, 1000, 1001, 2999};
	const int64_t heads_half[] = {3000, 3000, 1, 1};
	const int64_t heads_over[] = {3000, 3000, 1, 1, 1};
	struct tally_matter_result m;
	struct tally_result res;

	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		int item = items[i];

		/* Half the owners and half the area: no majority. */
		vote_count(item, equal, "aaoo", &m, &res);
		assert_string_equal(m.rule, "more_than_half");
		assert_true(m.quorum_met);
		assert_false(m.passed);
		vote_count(item, equal, "aaao", &m, &res);
		assert_true(m.passed);

		/* 3 of 4 owners but 30.00 of 60.00 m²: the area alone fails;
		 * 30.01 of 60.00 m² passes. */
		vote_count(item, area_half, "aaao", &m, &res);
		assert_int_equal(m.agree_area_centi, 3000);
		assert_int_equal(m.participating_area_centi, 6000);
		assert_false(m.passed);
		vote_count(item, area_over, "aaao", &m, &res);
		assert_int_equal(m.agree_area_centi, 3001);
		assert_true(m.passed);

		/* Nearly all the area but 2 of 4 owners: the headcount alone
		 * fails; 3 of 5 passes. */
		vote_count(item, heads_half, "aaoo", &m, &res);
		assert_false(m.passed);
		vote_count(item, heads_over, "aaaoo", &m, &res);
		assert_int_equal(m.agree_owners, 3);
		assert_true(m.passed);
	}
}

/* ---- abstaining takes part and does not agree ---- */

static void abstentions(void **state)
{
	const int64_t equal[] = {1000, 1000, 1000};
	const int64_t four[] = {1000, 1000, 1000, 1000};
	struct tally_matter_result m;
	struct tally_result res;

	/* One agrees alone: no quorum. With two abstaining, the quorum is
	 * met, and one of three agreeing is no majority. */
	vote_count(4, equal, "a..", &m, &res);
	assert_false(m.quorum_met);
	vote_count(4, equal, "abb", &m, &res);
	assert_true(m.quorum_met);
	assert_int_equal(m.participating_owners, 3);
	assert_int_equal(m.participating_area_centi, 3000);
	assert_int_equal(m.abstain_owners, 2);
	assert_int_equal(m.abstain_area_centi, 2000);
	assert_int_equal(m.agree_owners, 1);
	assert_false(m.passed);
	/* Two of three agree, one abstains: passed. */
	vote_count(4, equal, "aab", &m, &res);
	assert_true(m.passed);
	/* Item 6: an abstention weighs like a no in the denominator. */
	vote_count(6, four, "aaab", &m, &res);
	assert_true(m.passed);
	vote_count(6, four, "aabb", &m, &res);
	assert_int_equal(m.oppose_owners, 0);
	assert_false(m.passed);
}

/* ---- who is one owner (SPC interpretation Art. 9) ---- */

static void owner_of_several_parts_counts_once(void **state)
{
	const struct tally_part parts[] = {
	    {"1-101", "张三", 5000}, {"1-102", "张三", 6000}, {"1-103", "张三", 7000},
	    {"1-201", "李四", 8000}, {"1-202", "王五", 9000},
	};
	const struct tally_matter matter = {"M", 4};
	const struct tally_ballot two[] = {{"张三", "M", TALLY_AGREE}, {"李四", "M", TALLY_AGREE}};
	struct tally_result res;
	struct tally_error err;

	assert_int_equal(tally_count(parts, 5, &matter, 1, two, 1, &res, &err), 0);
	assert_int_equal(res.owners, 3);
	assert_int_equal(res.area_centi, 35000);
	/* One ballot of 张三 brings all three parts' area, counted once. */
	assert_int_equal(res.matters[0].participating_owners, 1);
	assert_int_equal(res.matters[0].participating_area_centi, 18000);
	assert_int_equal(res.matters[0].agree_area_centi, 18000);
	tally_result_free(&res);

	/* 2 of 3 owners take part; counted by part it would be 2 of 5. */
	assert_int_equal(tally_count(parts, 5, &matter, 1, two, 2, &res, &err), 0);
	assert_int_equal(res.matters[0].participating_owners, 2);
	assert_int_equal(res.matters[0].participating_area_centi, 26000);
	assert_true(res.matters[0].quorum_met);
	assert_true(res.matters[0].passed);
	tally_result_free(&res);
}

static void developer_is_one_owner(void **state)
{
	struct tally_part parts[15];
	const struct tally_matter matter = {"M", 4};
	struct tally_ballot ballots[4];
	struct tally_result res;
	struct tally_error err;
	char units[15][16];

	names();
	/* Ten unsold parts of the developer and five buyers, 100.00 m² each. */
	for (int i = 0; i < 15; i++) {
		snprintf(units[i], sizeof(units[i]), "%d", 101 + i);
		parts[i] = (struct tally_part){units[i], i < 10 ? "开发商" : owner_name[i], 10000};
	}
	/* The developer alone: two thirds of the area, one of six owners. */
	ballots[0] = (struct tally_ballot){"开发商", "M", TALLY_AGREE};
	assert_int_equal(tally_count(parts, 15, &matter, 1, ballots, 1, &res, &err), 0);
	assert_int_equal(res.owners, 6);
	assert_int_equal(res.area_centi, 150000);
	assert_int_equal(res.matters[0].participating_area_centi, 100000);
	assert_int_equal(res.matters[0].participating_owners, 1);
	assert_false(res.matters[0].quorum_met);
	tally_result_free(&res);

	/* With three buyers against: 4 of 6 take part, and the developer's
	 * area is a majority, its one head is not. */
	for (int i = 1; i <= 3; i++)
		ballots[i] = (struct tally_ballot){owner_name[9 + i], "M", TALLY_OPPOSE};
	assert_int_equal(tally_count(parts, 15, &matter, 1, ballots, 4, &res, &err), 0);
	assert_true(res.matters[0].quorum_met);
	assert_int_equal(res.matters[0].agree_owners, 1);
	assert_int_equal(res.matters[0].agree_area_centi, 100000);
	assert_false(res.matters[0].passed);
	tally_result_free(&res);
}

/* ---- exact where a double is not ---- */

/* naive_sum: what a program summing areas as doubles gets. */
static double naive_sum(const char *const *areas, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += strtod(areas[i], NULL);
	return s;
}

/* count_areas counts matter "M" (item) over owners with the areas as text,
 * voting as votes says (see vote_count). */
static void count_areas(int item, const char *const *areas, const char *votes,
			struct tally_matter_result *m, struct tally_result *res)
{
	int64_t centi[MAX_OWNERS];
	size_t n = strlen(votes);

	for (size_t i = 0; i < n; i++)
		assert_int_equal(tally_area_parse(areas[i], &centi[i]), 0);
	vote_count(item, centi, votes, m, res);
}

static void exact_where_doubles_are_not(void **state)
{
	/* Quorum: 0.10 m² and seventeen parts of 0.70 m² take part (12.00
	 * m²), one of 6.00 m² does not: exactly two thirds of 18.00 m². */
	const char *quorum[19] = {"0.1"};
	const char *half[15];
	const char *quarters[] = {"0.1", "0.1", "0.1", "0.1", "0.1", "0.1", "0.2"};
	struct tally_matter_result m;
	struct tally_result res;
	double part, total, agree;

	for (int i = 1; i < 18; i++)
		quorum[i] = "0.7";
	quorum[18] = "6";
	count_areas(4, quorum, "aaaaaaaaaaaaaaaaaa.", &m, &res);
	assert_int_equal(m.participating_area_centi, 1200);
	assert_int_equal(res.area_centi, 1800);
	assert_true(m.quorum_met);
	part = naive_sum(quorum, 18);
	total = part + 6.0;
	assert_false(part * 3 >= total * 2); /* 11.999999999999998 */
	assert_false(part / total >= 2.0 / 3.0);

	/* More than half: fourteen parts of 0.10 m² agree, one of 1.40 m²
	 * opposes: exactly one half, no majority. A double sum says 1.4000000000000001,
	 * more than half. */
	for (int i = 0; i < 14; i++)
		half[i] = "0.1";
	half[14] = "1.4";
	count_areas(4, half, "aaaaaaaaaaaaaao", &m, &res);
	assert_int_equal(m.agree_area_centi, 140);
	assert_int_equal(m.participating_area_centi, 280);
	assert_false(m.passed);
	agree = naive_sum(half, 14);
	part = agree + 1.4;
	assert_true(agree * 2 > part);
	assert_true(agree / part > 0.5);

	/* Item 6: six parts of 0.10 m² agree, one of 0.20 m² opposes: 0.60
	 * of 0.80 m², exactly three quarters; a double ratio gives
	 * 0.7499999999999999. */
	count_areas(6, quarters, "aaaaaao", &m, &res);
	assert_int_equal(m.agree_area_centi, 60);
	assert_int_equal(m.participating_area_centi, 80);
	assert_true(m.passed);
	agree = naive_sum(quarters, 6);
	part = agree + 0.2;
	assert_false(agree / part >= 0.75);
	assert_false(agree * 4 >= part * 3);
}

/* ---- a later ballot supersedes ---- */

static void later_ballot_supersedes(void **state)
{
	const struct tally_part parts[] = {{"1", "甲", 1000}, {"2", "乙", 1000}, {"3", "丙", 1000}};
	const struct tally_matter matters[] = {{"M", 4}, {"N", 6}};
	const struct tally_ballot cast[] = {
	    {"甲", "M", TALLY_AGREE},  {"乙", "M", TALLY_AGREE},   {"甲", "N", TALLY_AGREE},
	    {"甲", "M", TALLY_OPPOSE}, {"丙", "M", TALLY_ABSTAIN}, {"乙", "M", TALLY_OPPOSE},
	    {"甲", "M", TALLY_AGREE},  {"乙", "N", TALLY_AGREE},   {"丙", "N", TALLY_OPPOSE},
	    {"丙", "N", TALLY_AGREE},
	};
	struct tally_result res;
	struct tally_error err;
	const struct tally_matter_result *m, *n;

	assert_int_equal(tally_count(parts, 3, matters, 2, cast, 10, &res, &err), 0);
	m = &res.matters[0];
	n = &res.matters[1];
	/* M: 甲 agree (third ballot), 乙 oppose (second), 丙 abstain. */
	assert_string_equal(m->code, "M");
	assert_int_equal(m->participating_owners, 3);
	assert_int_equal(m->participating_area_centi, 3000);
	assert_int_equal(m->agree_owners, 1);
	assert_int_equal(m->agree_area_centi, 1000);
	assert_int_equal(m->oppose_owners, 1);
	assert_int_equal(m->abstain_owners, 1);
	assert_int_equal(m->superseded, 3);
	assert_false(m->passed);
	/* N: all three agree at last; 丙's "oppose" is superseded. */
	assert_string_equal(n->code, "N");
	assert_int_equal(n->item, 6);
	assert_int_equal(n->participating_owners, 3);
	assert_int_equal(n->agree_owners, 3);
	assert_int_equal(n->oppose_owners, 0);
	assert_int_equal(n->superseded, 1);
	assert_true(n->passed);
	tally_result_free(&res);

	/* Only the last counts: 乙's last ballot turned to agree passes M. */
	{
		struct tally_ballot more[11];
		memcpy(more, cast, sizeof(cast));
		more[10] = (struct tally_ballot){"乙", "M", TALLY_AGREE};
		assert_int_equal(tally_count(parts, 3, matters, 2, more, 11, &res, &err), 0);
		assert_int_equal(res.matters[0].agree_owners, 2);
		assert_int_equal(res.matters[0].participating_owners, 3);
		assert_int_equal(res.matters[0].superseded, 4);
		assert_true(res.matters[0].passed);
		tally_result_free(&res);
	}
}

/* ---- refusals: nothing counted ---- */

static void refuses(const struct tally_part *parts, size_t nparts,
		    const struct tally_matter *matters, size_t nmatters,
		    const struct tally_ballot *ballots, size_t nballots, const char *what,
		    size_t index, const char *reason)
{
	struct tally_result res;
	struct tally_error err;

	assert_int_equal(
	    tally_count(parts, nparts, matters, nmatters, ballots, nballots, &res, &err),
	    LIN_EINVAL);
	assert_null(res.matters);
	assert_int_equal(res.nmatters, 0);
	assert_int_equal(res.owners, 0);
	assert_string_equal(err.what, what);
	assert_int_equal(err.index, index);
	if (!strstr(err.reason, reason))
		fail_msg("reason \"%s\" lacks \"%s\"", err.reason, reason);
	/* Chinese first. */
	assert_true((unsigned char)err.reason[0] >= 0xe4);
}

static void refusals(void **state)
{
	const struct tally_part parts[] = {{"1", "甲", 1000}, {"2", "乙", 1000}};
	const struct tally_part zero[] = {{"1", "甲", 1000}, {"2", "乙", 0}};
	const struct tally_part negative[] = {{"1", "甲", -5}};
	const struct tally_part no_owner[] = {{"1", NULL, 5}};
	const struct tally_matter matters[] = {{"M", 4}, {"N", 6}};
	const struct tally_matter twice[] = {{"M", 4}, {"N", 6}, {"M", 5}};
	const struct tally_matter item0[] = {{"M", 0}};
	const struct tally_matter item10[] = {{"M", 4}, {"N", 10}};
	const struct tally_ballot stranger[] = {
	    {"甲", "M", TALLY_AGREE}, {"乙", "M", TALLY_AGREE}, {"丁", "M", TALLY_AGREE}};
	const struct tally_ballot unnamed[] = {{"甲", "M", TALLY_AGREE}, {"甲", "X", TALLY_AGREE}};
	const struct tally_ballot bad_choice[] = {{"甲", "M", (enum tally_choice)7}};

	refuses(parts, 2, matters, 2, stranger, 3, "ballot", 2, "owner not on the roll: 丁");
	refuses(parts, 2, matters, 2, unnamed, 2, "ballot", 1, "a matter not named: X");
	refuses(parts, 2, matters, 2, bad_choice, 1, "ballot", 0, "unknown choice");
	refuses(parts, 2, twice, 3, NULL, 0, "matter", 2, "twice: M");
	refuses(parts, 2, item0, 1, NULL, 0, "matter", 0, "item must be 1–9");
	refuses(parts, 2, item10, 2, NULL, 0, "matter", 1, "item must be 1–9");
	refuses(zero, 2, matters, 2, NULL, 0, "part", 1, "positive");
	refuses(negative, 1, matters, 2, NULL, 0, "part", 0, "positive");
	refuses(no_owner, 1, matters, 2, NULL, 0, "part", 0, "without unit or owner");
	refuses(parts, 0, matters, 2, NULL, 0, "part", 0, "the roll is empty");
}

/* No ballots: counted, nobody took part, nothing passes. */
static void no_ballots(void **state)
{
	const struct tally_part parts[] = {{"1", "甲", 1000}};
	const struct tally_matter matters[] = {{"M", 6}};
	struct tally_result res;
	struct tally_error err;

	assert_int_equal(tally_count(parts, 1, matters, 1, NULL, 0, &res, &err), 0);
	assert_int_equal(res.matters[0].participating_owners, 0);
	assert_false(res.matters[0].quorum_met);
	assert_false(res.matters[0].passed);
	tally_result_free(&res);
}

/* Every allocation failing in turn: LIN_ENOMEM, nothing leaked. */
static void allocation_failures(void **state)
{
	const struct tally_part parts[] = {{"1", "甲", 1000}, {"2", "乙", 1000}};
	const struct tally_matter matters[] = {{"M", 4}, {"N", 6}};
	const struct tally_ballot cast[] = {{"甲", "M", TALLY_AGREE}, {"乙", "N", TALLY_OPPOSE}};
	const char roll[] = "unit,owner,area_m2\n1,甲,10\n2,乙,20\n";
	const char votes[] = "owner,matter,choice\n甲,M,agree\n乙,M,oppose\n";
	struct tally_result res;
	struct tally_roll r;
	struct tally_ballots b;
	struct tally_csv_error cerr;
	struct tally_error err;
	int rc = LIN_ENOMEM;

	for (long n = 1; rc == LIN_ENOMEM; n++) {
		lin_alloc_fail_at(n);
		rc = tally_count(parts, 2, matters, 2, cast, 2, &res, &err);
		lin_alloc_fail_at(0);
		assert_true(rc == 0 || rc == LIN_ENOMEM);
		if (!rc)
			tally_result_free(&res);
		else
			assert_null(res.matters);
	}
	/* The CSV reader's scratch buffer failing reads as a record too large. */
	rc = LIN_ENOMEM;
	for (long n = 1; rc; n++) {
		lin_alloc_fail_at(n);
		rc = tally_roll_read(roll, strlen(roll), &r, &cerr);
		lin_alloc_fail_at(0);
		assert_true(rc == 0 || rc == LIN_ENOMEM || rc == LIN_ETOOBIG);
		if (!rc)
			tally_roll_release(&r);
		else
			assert_null(r.parts);
	}
	rc = LIN_ENOMEM;
	for (long n = 1; rc; n++) {
		lin_alloc_fail_at(n);
		rc = tally_ballots_read(votes, strlen(votes), &b, &cerr);
		lin_alloc_fail_at(0);
		assert_true(rc == 0 || rc == LIN_ENOMEM || rc == LIN_ETOOBIG);
		if (!rc)
			tally_ballots_release(&b);
		else
			assert_null(b.ballots);
	}
}

/* ---- the small parsers ---- */

static void areas_choices_rules(void **state)
{
	static const char *const bad[] = {
	    "0",  "0.00", "0.0", "1.234", "1.230", "-1",  "+1",	 "1e2",		 " 1", "1 ",
	    "1.", ".5",	  "",	 "1,5",	  "0x10",  "inf", "nan", "100000000.00", "１",
	};
	int64_t v;
	struct buf b;
	enum tally_choice c;

	assert_int_equal(tally_area_parse("85.2", &v), 0);
	assert_int_equal(v, 8520);
	assert_int_equal(tally_area_parse("0.01", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(tally_area_parse("120", &v), 0);
	assert_int_equal(v, 12000);
	assert_int_equal(tally_area_parse("99999999.99", &v), 0);
	assert_int_equal(v, INT64_C(9999999999));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (tally_area_parse(bad[i], &v) != LIN_EINVAL)
			fail_msg("area \"%s\" was taken", bad[i]);
	assert_int_equal(tally_area_parse(NULL, &v), LIN_EINVAL);

	buf_init(&b, 0);
	tally_area_format(&b, 12345);
	buf_adds(&b, " ");
	tally_area_format(&b, 5);
	buf_adds(&b, " ");
	tally_ratio_format(&b, 2, 3);
	buf_adds(&b, " ");
	tally_ratio_format(&b, 19999, 30000);
	buf_adds(&b, " ");
	tally_ratio_format(&b, 1, 2);
	buf_adds(&b, " ");
	tally_ratio_format(&b, 0, 0);
	assert_string_equal(b.buf, "123.45 0.05 66.67% 66.66% 50.00% -");
	buf_release(&b);

	assert_int_equal(tally_choice_parse("agree", &c), 0);
	assert_int_equal(c, TALLY_AGREE);
	assert_int_equal(tally_choice_parse("oppose", &c), 0);
	assert_int_equal(c, TALLY_OPPOSE);
	assert_int_equal(tally_choice_parse("abstain", &c), 0);
	assert_int_equal(c, TALLY_ABSTAIN);
	assert_int_equal(tally_choice_parse("Agree", &c), LIN_EINVAL);
	assert_int_equal(tally_choice_parse("agree ", &c), LIN_EINVAL);
	assert_int_equal(tally_choice_parse("yes", &c), LIN_EINVAL);
	assert_int_equal(tally_choice_parse("", &c), LIN_EINVAL);
	assert_string_equal(tally_choice_name(TALLY_OPPOSE), "oppose");
	assert_null(tally_choice_name((enum tally_choice)3));

	assert_null(tally_rule(0));
	assert_null(tally_rule(10));
	assert_null(tally_rule(-6));
	for (int item = 1; item <= 9; item++)
		assert_string_equal(tally_rule(item), item >= 6 && item <= 8
							  ? "at_least_three_quarters"
							  : "more_than_half");
}

/* ---- the readers ---- */

static void roll_reader(void **state)
{
	/* A BOM, CRLF, a blank line, a quoted owner with a comma and a quote. */
	const char text[] = "\xef\xbb\xbfunit,owner,area_m2\r\n1-101,张三,85.2\r\n\r\n"
			    "1-102,\"王五, \"\"赵六\"\"\",70.25\r\n2-101,开发商,60\r\n";
	struct tally_roll r;
	struct tally_csv_error err;

	assert_int_equal(tally_roll_read(text, strlen(text), &r, &err), 0);
	assert_int_equal(r.nparts, 3);
	assert_string_equal(r.parts[0].unit, "1-101");
	assert_string_equal(r.parts[0].owner, "张三");
	assert_int_equal(r.parts[0].area_centi, 8520);
	assert_string_equal(r.parts[1].owner, "王五, \"赵六\"");
	assert_int_equal(r.parts[1].area_centi, 7025);
	assert_int_equal(r.parts[2].area_centi, 6000);
	assert_int_equal(r.lines[0], 2);
	assert_int_equal(r.lines[1], 4);
	assert_int_equal(r.lines[2], 5);
	tally_roll_release(&r);
}

static void ballots_reader(void **state)
{
	const char text[] = "owner,matter,choice\n张三,M4,agree\n\"王五, 赵六\",M6,abstain\n"
			    "张三,M4,oppose";
	const char header_only[] = "owner,matter,choice\n";
	struct tally_ballots b;
	struct tally_csv_error err;

	assert_int_equal(tally_ballots_read(text, strlen(text), &b, &err), 0);
	assert_int_equal(b.nballots, 3);
	assert_string_equal(b.ballots[1].owner, "王五, 赵六");
	assert_string_equal(b.ballots[1].matter, "M6");
	assert_int_equal(b.ballots[1].choice, TALLY_ABSTAIN);
	assert_int_equal(b.ballots[2].choice, TALLY_OPPOSE);
	assert_int_equal(b.lines[2], 4);
	tally_ballots_release(&b);

	assert_int_equal(tally_ballots_read(header_only, strlen(header_only), &b, &err), 0);
	assert_int_equal(b.nballots, 0);
	tally_ballots_release(&b);
}

struct bad_file {
	int roll; /* 1: ROLL.csv, 0: BALLOTS.csv */
	const char *text;
	int line;
	const char *reason;
};

static void readers_refuse_bad_rows(void **state)
{
	static const struct bad_file cases[] = {
	    {1, "", 1, "the header unit,owner,area_m2 is missing"},
	    {1, "\n\n", 1, "is missing"},
	    {1, "unit,owner,area\n1,a,1\n", 1, "the header must be unit,owner,area_m2"},
	    {1, "unit,owner\n", 1, "the header must be"},
	    {1, "Unit,owner,area_m2\n", 1, "the header must be"},
	    {1, "unit,owner,area_m2\n", 1, "the roll has no parts"},
	    {1, "unit,owner,area_m2\n1,a,1\n2,b,1.234\n", 3, "at most two decimals: \"1.234\""},
	    {1, "unit,owner,area_m2\n1,a,0\n", 2, "must be positive"},
	    {1, "unit,owner,area_m2\n1,a,-3\n", 2, "must be positive"},
	    {1, "unit,owner,area_m2\n1,a,\n", 2, "must be positive"},
	    {1, "unit,owner,area_m2\n1,a,1e3\n", 2, "must be positive"},
	    {1, "unit,owner,area_m2\n1,a,1\n\n2,b,2,x\n", 4,
	     "a row needs 3 fields, this one has 4"},
	    {1, "unit,owner,area_m2\n1,a\n", 2, "this one has 2"},
	    {1, "unit,owner,area_m2\n,a,1\n", 2, "the unit is empty"},
	    {1, "unit,owner,area_m2\n1,,1\n", 2, "the owner is empty"},
	    {1, "unit,owner,area_m2\n1,a,1\n2,b,1\n1,c,1\n", 4, "a unit twice, first on line 2: 1"},
	    {1, "unit,owner,area_m2\n1,a,1\n\"2,b,1\n", 3,
	     "malformed CSV: unterminated quoted field"},
	    {1, "unit,owner,area_m2\n1,a\"b,1\n", 2,
	     "malformed CSV: quote inside an unquoted field"},
	    {1, "unit,owner,area_m2\n1,\"a\"b,1\n", 2, "malformed CSV: text after a closing quote"},
	    {1, "unit,owner,area_m2\n1,\xff\xfe,1\n", 2, "owner must be UTF-8 text"},
	    {1, "unit,owner,area_m2\n1,\"a\nb\",1\n", 2, "owner must be UTF-8 text"},
	    {1, "unit,owner,area_m2\n1,a ,1\n", 2, "blanks at either end"},
	    {1, "unit,owner,area_m2\n 1,a,1\n", 2, "unit must be UTF-8 text"},
	    {0, "", 1, "the header owner,matter,choice is missing"},
	    {0, "owner,matter\n", 1, "the header must be owner,matter,choice"},
	    {0, "owner,matter,choice\na,M,agree\na,M,yes\n", 3,
	     "the choice must be agree, oppose or abstain: \"yes\""},
	    {0, "owner,matter,choice\na,M,Agree\n", 2, "must be agree, oppose or abstain"},
	    {0, "owner,matter,choice\na,M,\n", 2, "must be agree, oppose or abstain"},
	    {0, "owner,matter,choice\n,M,agree\n", 2, "the owner is empty"},
	    {0, "owner,matter,choice\na,,agree\n", 2, "the matter is empty"},
	    {0, "owner,matter,choice\na,M,agree,\n", 2, "this one has 4"},
	};
	struct tally_csv_error err;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_file *c = &cases[i];
		int rc;

		memset(&err, 0, sizeof(err));
		if (c->roll) {
			struct tally_roll r;
			rc = tally_roll_read(c->text, strlen(c->text), &r, &err);
			assert_null(r.parts);
		} else {
			struct tally_ballots b;
			rc = tally_ballots_read(c->text, strlen(c->text), &b, &err);
			assert_null(b.ballots);
		}
		if (rc != LIN_EINVAL || err.line != c->line || !strstr(err.reason, c->reason))
			fail_msg("case %zu: rc %d, line %d (want %d), \"%s\" (want \"%s\")", i, rc,
				 err.line, c->line, err.reason, c->reason);
		assert_true((unsigned char)err.reason[0] >= 0xe4 ||
			    !strncmp(err.reason, "CSV ", 4));
	}

	/* A NUL byte would cut a name short unseen: refused with its line. */
	{
		static const char nul[] = "owner,matter,choice\na,M,agree\nb\0c,M,agree\n";
		struct tally_ballots b;

		assert_int_equal(tally_ballots_read(nul, sizeof(nul) - 1, &b, &err), LIN_EINVAL);
		assert_int_equal(err.line, 3);
		assert_non_null(strstr(err.reason, "holds a NUL byte"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(quorum_by_area_at_two_thirds),
	    cmocka_unit_test(quorum_by_headcount_at_two_thirds),
	    cmocka_unit_test(three_quarters_on_items_six_to_eight),
	    cmocka_unit_test(one_half_is_not_a_majority),
	    cmocka_unit_test(abstentions),
	    cmocka_unit_test(owner_of_several_parts_counts_once),
	    cmocka_unit_test(developer_is_one_owner),
	    cmocka_unit_test(exact_where_doubles_are_not),
	    cmocka_unit_test(later_ballot_supersedes),
	    cmocka_unit_test(refusals),
	    cmocka_unit_test(no_ballots),
	    cmocka_unit_test(allocation_failures),
	    cmocka_unit_test(areas_choices_rules),
	    cmocka_unit_test(roll_reader),
	    cmocka_unit_test(ballots_reader),
	    cmocka_unit_test(readers_refuse_bad_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
