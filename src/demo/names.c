/* The demo's random stream (splitmix64) and its synthetic people: names
 * put together from common surnames and given-name characters of the
 * person's generation, and phone numbers, all unique within the area. */
#include "plan.h"
#include "../base/err.h"
#include "../base/rand.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers ---- */

void demo_rng_init(struct demo_rng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t demo_rng_next(struct demo_rng *r)
{
	return lin_splitmix64(&r->state);
}

int demo_rng_below(struct demo_rng *r, int n)
{
	/* The modulo bias over 2^64 is far below anything a demo could show. */
	return (int)(demo_rng_next(r) % (uint64_t)n);
}

int demo_rng_range(struct demo_rng *r, int lo, int hi)
{
	return lo + demo_rng_below(r, hi - lo + 1);
}

int demo_rng_chance(struct demo_rng *r, int percent)
{
	return demo_rng_below(r, 100) < percent;
}

int demo_rng_weighted(struct demo_rng *r, const int *weights, int n)
{
	int total = 0, pick;

	for (int i = 0; i < n; i++)
		total += weights[i];
	pick = demo_rng_below(r, total);
	for (int i = 0; i < n; i++) {
		if (pick < weights[i])
			return i;
		pick -= weights[i];
	}
	return n - 1;
}

void demo_rng_shuffle(struct demo_rng *r, int *v, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = demo_rng_below(r, i + 1), t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

/* ---- the uniqueness set ---- */

#define SEEN_CAP 32768 /* room for every name and phone with the set half empty */

int demo_names_init(struct demo_names *n, struct demo_rng *rng)
{
	n->rng = rng;
	n->cap = SEEN_CAP;
	n->count = 0;
	n->seen = calloc(n->cap, sizeof(*n->seen));
	return n->seen ? 0 : LIN_ENOMEM;
}

void demo_names_release(struct demo_names *n)
{
	free(n->seen);
	n->seen = NULL;
}

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h | 1; /* 0 marks an empty slot */
}

/* seen_add: 1 when key is new (and now recorded), 0 when known or the set
 * is too full to take it. */
static int seen_add(struct demo_names *n, uint64_t key)
{
	size_t i = (size_t)(key ^ (key >> 29)) & (n->cap - 1);

	if (n->count * 4 >= n->cap * 3)
		return 0;
	while (n->seen[i]) {
		if (n->seen[i] == key)
			return 0;
		i = (i + 1) & (n->cap - 1);
	}
	n->seen[i] = key;
	n->count++;
	return 1;
}

int demo_names_claim(struct demo_names *n, const char *text)
{
	return seen_add(n, hash_text(text));
}

/* ---- names ---- */

/* Common surnames, weighted towards those frequent in Shanghai. */
static const char *const surnames[] = {
    "王", "张", "陈", "李", "刘", "徐", "周", "朱", "沈", "顾", "陆", "吴", "杨", "黄",
    "钱", "蒋", "孙", "胡", "赵", "金", "姚", "施", "曹", "许", "郭", "何", "林", "高",
    "罗", "马", "俞", "汤", "范", "邱", "潘", "唐", "袁", "戴", "郁", "瞿", "严", "毛",
};
static const int surname_weights[] = {
    70, 62, 60, 50, 42, 40, 38, 38, 34, 30, 30, 30, 28, 26, 20, 20, 20, 18, 18, 16, 14,
    14, 14, 14, 12, 12, 12, 12, 10, 10, 10, 10, 9,  8,	8,  8,	8,  8,	6,  6,	6,  6,
};
#define NSURNAMES ((int)(sizeof(surnames) / sizeof(surnames[0])))
_Static_assert(sizeof(surnames) / sizeof(surnames[0]) ==
		   sizeof(surname_weights) / sizeof(surname_weights[0]),
	       "one weight per surname");

/* Given-name characters by generation and gender: [era][female]. */
static const char *const given[3][2][32] = {
    /* born before 1960 */
    {{"国", "建", "华", "明", "根", "宝", "德", "福", "荣", "忠", "兴",
      "发", "林", "海", "庆", "祥", "才", "金", "生", "志", "伟", "平",
      "强", "民", "康", "洪", "仁", "寿", "顺", "昌", "炳", "章"},
     {"秀", "英", "兰", "珍", "芳", "凤", "玉", "桂", "美", "娟", "琴",
      "萍", "华", "云", "菊", "梅", "霞", "妹", "娣", "宝", "月", "金",
      "素", "彩", "珠", "莲", "惠", "淑", "翠", "芬", "佩", "雅"}},
    /* 1960-1989 */
    {{"伟", "勇", "军", "强", "斌", "杰", "涛", "磊", "峰", "辉", "俊",
      "敏", "健", "波", "刚", "超", "明", "华", "东", "卫", "平", "毅",
      "青", "忠", "文", "宏", "雷", "骏", "弘", "晓", "立", "鸣"},
     {"丽", "敏", "静", "燕", "红", "艳", "婷", "洁", "琳", "莉", "颖",
      "慧", "倩", "晶", "蓉", "雯", "佳", "蕾", "萍", "霞", "芳", "莺",
      "薇", "岚", "虹", "瑾", "晓", "青", "文", "君", "怡", "琼"}},
    /* 1990 and later */
    {{"浩", "宇", "轩", "睿", "博", "昊", "然", "泽", "翔", "辰", "子",
      "俊", "嘉", "铭", "逸", "航", "宸", "奕", "晨", "阳", "皓", "哲",
      "煜", "恒", "一", "亦", "天", "毅", "凯", "锦", "宁", "诚"},
     {"梓", "涵", "萱", "欣", "怡", "诗", "雨", "佳", "琪", "悦", "思",
      "彤", "若", "可", "馨", "语", "妍", "艺", "一", "晴", "瑶", "安",
      "雅", "沁", "依", "蕊", "萌", "菲", "晗", "歆", "芊", "婧"}},
};
#define NGIVEN 32

int demo_surname_pick(struct demo_rng *rng)
{
	return demo_rng_weighted(rng, surname_weights, NSURNAMES);
}

int demo_surname_other(struct demo_rng *rng, int avoid)
{
	int s;

	do
		s = demo_surname_pick(rng);
	while (s == avoid);
	return s;
}

void demo_name(struct demo_names *n, int surname, int male, int birth_year, char *out, size_t len)
{
	int era = birth_year < 1960 ? 0 : birth_year < 1990 ? 1 : 2;
	const char *const *chars = given[era][male ? 0 : 1];

	/* A few hundred tries find a free name; after that a repeat is fine. */
	for (int tries = 0; tries < 400; tries++) {
		int s = surname >= 0 ? surname : demo_surname_pick(n->rng);
		int a = demo_rng_below(n->rng, NGIVEN), b = demo_rng_below(n->rng, NGIVEN);

		if (demo_rng_chance(n->rng, 18) || a == b)
			snprintf(out, len, "%s%s", surnames[s], chars[a]);
		else
			snprintf(out, len, "%s%s%s", surnames[s], chars[a], chars[b]);
		if (seen_add(n, hash_text(out)))
			return;
	}
}

/* ---- phone numbers ---- */

static const int mobile_prefixes[] = {
    130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155,
    156, 158, 159, 177, 180, 181, 182, 183, 186, 187, 188, 189, 199,
};

void demo_mobile(struct demo_names *n, char *out, size_t len)
{
	int np = (int)(sizeof(mobile_prefixes) / sizeof(mobile_prefixes[0]));

	for (int tries = 0; tries < 100; tries++) {
		int prefix = mobile_prefixes[demo_rng_below(n->rng, np)];
		int rest = demo_rng_below(n->rng, 100000000);

		snprintf(out, len, "%d%08d", prefix, rest);
		if (seen_add(n, hash_text(out)))
			return;
	}
}

void demo_landline(struct demo_names *n, char *out, size_t len)
{
	for (int tries = 0; tries < 100; tries++) {
		snprintf(out, len, "021-5%07d", demo_rng_below(n->rng, 10000000));
		if (seen_add(n, hash_text(out)))
			return;
	}
}

void demo_date(struct demo_rng *rng, int year, char *out, size_t len)
{
	snprintf(out, len, "%04d-%02d-%02d", year, demo_rng_range(rng, 1, 12),
		 demo_rng_range(rng, 1, 28));
}
