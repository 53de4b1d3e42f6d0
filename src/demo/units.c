/* The area's co-building units and shops (the report's 一百七十余家): the
 * agencies, institutions, schools and firms named or implied by the report,
 * then street shops whose names are put together from invented shopkeepers'
 * nicknames and trades. Every name is invented except the report's own. */
#include "plan.h"
#include "../base/err.h"

#include <stdio.h>
#include <string.h>

#define DEMO_UNITS 170 /* units and shops in the area */

struct fixed_unit {
	const char *name;    /* unit name */
	const char *kind;    /* units.kind */
	int has_party_org;   /* has its own Party organisation */
	const char *address; /* NULL: the next number on 普善路 */
};

static const struct fixed_unit fixed[] = {
    /* agencies that work the area with the committee */
    {"芷江西路城管中队", "agency", 1, NULL},
    {"芷江西路派出所", "agency", 1, NULL},
    {"芷江西路市场监管所", "agency", 1, NULL},
    {"芷江西路街道房屋管理办事处", "agency", 1, NULL},
    {"芷江西路街道网格化管理中心", "agency", 1, NULL},
    /* public services */
    {"城投水务普善供水站", "institution", 1, NULL},
    {"普善社区卫生服务站", "institution", 1, NULL},
    {"普善邮政所", "institution", 1, NULL},
    {"普善供电营业所", "institution", 1, NULL},
    {"普善燃气服务点", "institution", 0, NULL},
    {"普善社区图书室", "institution", 0, "普善路120弄20号"},
    {"普善为老服务中心", "institution", 1, NULL},
    {"普善社区长者食堂", "institution", 0, NULL},
    {"普善日间照料中心", "institution", 0, "普善路120弄21号"},
    {"芷江西路街道文化活动中心普善分部", "institution", 1, NULL},
    /* schools and classes */
    {"小星星早教中心", "school", 0, "五月花商业广场2F-08"},
    {"普善幼儿园", "school", 1, NULL},
    {"普善路小学", "school", 1, NULL},
    {"彩虹艺术培训中心", "school", 0, "五月花商业广场2F-11"},
    {"启明英语培训学校", "school", 0, NULL},
    {"智趣机器人创客中心", "school", 0, "五月花商业广场2F-15"},
    {"墨香书法培训工作室", "school", 0, NULL},
    {"蓓蕾少儿游泳俱乐部", "school", 0, NULL},
    /* firms, with the property companies of the four compounds */
    {"华桑文化传播有限公司", "enterprise", 1, NULL},
    {"永盛物业管理有限公司普善新村管理处", "enterprise", 1, "普善路120弄1号"},
    {"安居物业普善苑项目部", "enterprise", 1, "普善路268弄1号"},
    {"五月花物业服务有限公司", "enterprise", 1, "普善路399弄1号"},
    {"华庭物业管理有限公司", "enterprise", 1, "普善路518弄1号"},
    {"五月花商业广场管理有限公司", "enterprise", 1, "五月花商业广场3F-01"},
    {"申普建筑装饰工程有限公司", "enterprise", 1, NULL},
    {"普善信息科技有限公司", "enterprise", 1, NULL},
    {"沪江银行普善支行", "enterprise", 1, NULL},
    {"浦融证券普善营业部", "enterprise", 1, NULL},
    {"明律律师事务所", "enterprise", 1, NULL},
    {"申安保安服务有限公司", "enterprise", 1, NULL},
    {"绿源环境卫生服务有限公司", "enterprise", 1, NULL},
    {"沪北家政服务有限公司", "enterprise", 0, NULL},
    {"五月花酒店管理有限公司", "enterprise", 1, "五月花商业广场5F-01"},
    {"云帆广告设计有限公司", "enterprise", 0, NULL},
    {"鼎新会计师事务所", "enterprise", 1, NULL},
    {"静北物流普善配送站", "enterprise", 0, NULL},
    {"普善房产经纪有限公司", "enterprise", 0, NULL},
    {"乐活养老服务有限公司", "enterprise", 1, NULL},
    {"申城快递普善网点", "enterprise", 0, NULL},
    {"嘉禾投资咨询有限公司", "enterprise", 0, NULL},
    {"普善停车管理有限公司", "enterprise", 0, NULL},
    {"益康医疗器械有限公司", "enterprise", 1, NULL},
    /* the larger shops */
    {"普善生活超市", "shop", 1, NULL},
    {"五月花大酒家", "shop", 1, "五月花商业广场1F-01"},
    {"普善菜市场", "shop", 1, NULL},
    {"百姓大药房普善店", "shop", 1, NULL},
    {"申城连锁超市五月花店", "shop", 1, "五月花商业广场B1-01"},
};
#define NFIXED ((int)(sizeof(fixed) / sizeof(fixed[0])))

/* Shopkeepers' nicknames and shop-sign words. */
static const char *const shop_prefixes[] = {
    "阿英", "老王", "小陈", "阿福", "老张", "春华",   "金龙", "德兴",	"四季",	  "福满",
    "鑫鑫", "佳佳", "阿芳", "老沈", "小顾", "丰收",   "宏发", "如意",	"吉祥",	  "顺心",
    "新新", "红星", "悦来", "同福", "百味", "好味道", "弄堂", "石库门", "老上海", "阿婆",
    "邻里", "小桥", "明明", "东东", "晶晶", "平安",   "康乐", "美美",	"兴旺",	  "永和",
};
#define NPREFIXES ((int)(sizeof(shop_prefixes) / sizeof(shop_prefixes[0])))

static const char *const shop_trades[] = {
    "面馆",   "馄饨店",	    "生煎馆", "小笼包店",     "点心店", "烧腊店",     "饭店",
    "小吃店", "水果店",	    "便利店", "烟杂店",	      "理发店", "美发沙龙",   "洗衣店",
    "五金店", "药房",	    "眼镜店", "花店",	      "茶叶店", "宠物店",     "宠物医院",
    "面包房", "奶茶店",	    "咖啡馆", "修鞋配钥匙铺", "裁缝铺", "干货店",     "粮油店",
    "熟食店", "菜店",	    "足浴店", "推拿馆",	      "文具店", "手机维修店", "家电维修部",
    "照相馆", "母婴用品店", "快餐店", "麻辣烫",	      "书报亭",
};
static const int trade_weights[] = {
    4, 3, 2, 2, 2, 1, 3, 2, 3, 3, 2, 3, 1, 2, 2, 1, 1, 1, 1, 2,
    1, 2, 2, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1,
};
#define NTRADES ((int)(sizeof(shop_trades) / sizeof(shop_trades[0])))
_Static_assert(sizeof(shop_trades) / sizeof(shop_trades[0]) ==
		   sizeof(trade_weights) / sizeof(trade_weights[0]),
	       "one weight per trade");

/* contact fills a unit's contact person and phone: offices answer a
 * landline, shopkeepers a mobile. */
static void contact(struct demo_plan *p, struct demo_unit *u)
{
	int male = demo_rng_chance(&p->rng, 50), year = demo_rng_range(&p->rng, 1962, 1996);
	int office = strcmp(u->kind, "shop") && strcmp(u->kind, "enterprise");

	demo_name(&p->names, -1, male, year, u->contact, sizeof(u->contact));
	if (office || (!strcmp(u->kind, "enterprise") && demo_rng_chance(&p->rng, 50)))
		demo_landline(&p->names, u->phone, sizeof(u->phone));
	else
		demo_mobile(&p->names, u->phone, sizeof(u->phone));
}

int demo_units_plan(struct demo_plan *p, struct demo_unit *out, int cap, int *count)
{
	int road = 1, plaza = 2, n = 0;

	*count = 0;
	if (cap < DEMO_UNITS)
		return LIN_EINVAL;
	for (int i = 0; i < NFIXED; i++) {
		struct demo_unit *u = &out[n++];

		snprintf(u->name, sizeof(u->name), "%s", fixed[i].name);
		demo_names_claim(&p->names, u->name);
		u->kind = fixed[i].kind;
		u->has_party_org = fixed[i].has_party_org;
		if (fixed[i].address) {
			snprintf(u->address, sizeof(u->address), "%s", fixed[i].address);
		} else {
			road += demo_rng_range(&p->rng, 2, 6);
			snprintf(u->address, sizeof(u->address), "普善路%d号", road);
		}
		contact(p, u);
	}
	while (n < DEMO_UNITS) {
		struct demo_unit *u = &out[n];
		const char *prefix = shop_prefixes[demo_rng_below(&p->rng, NPREFIXES)];
		const char *trade = shop_trades[demo_rng_weighted(&p->rng, trade_weights, NTRADES)];

		snprintf(u->name, sizeof(u->name), "%s%s", prefix, trade);
		if (!demo_names_claim(&p->names, u->name))
			continue;
		u->kind = "shop";
		/* A few of the bigger shops set up a Party group with the area. */
		u->has_party_org = (n - NFIXED) % 30 == 7;
		if (demo_rng_chance(&p->rng, 30)) {
			plaza += demo_rng_range(&p->rng, 1, 3);
			snprintf(u->address, sizeof(u->address), "五月花商业广场%s-%02d",
				 plaza % 3 ? "1F" : "B1", plaza);
		} else {
			road += demo_rng_range(&p->rng, 1, 4);
			snprintf(u->address, sizeof(u->address), "普善路%d号", road);
		}
		contact(p, u);
		n++;
	}
	*count = n;
	return 0;
}
