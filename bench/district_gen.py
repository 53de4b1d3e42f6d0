#!/usr/bin/env python3
"""bench/district.sh's generator: one table of the synthetic district as
COPY text on stdout (fed to psql's COPY ... FROM STDIN, never row by row).

    district_gen.py TABLE PLAN.json

PLAN.json (written by district.sh) fixes the counts, the first free id of
each table, the demo area's id and T0, the end of the generated readings.
Every table is drawn from a fixed seed, so two runs at one scale hold the
same district. Per area (whatever the scale): 1,667 households, 5,000
residents, 167 members, 500 cases over two years with their timelines,
one meter (its 7 days of per-second readings and 90 days of minutes come
from district_client, in C, for speed); DISTRICT_SCALE only changes how many areas (300 at 1.0) and streets (15).
"""
import hashlib
import json
import random
import sys

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩凯健俊帆帅旭宁龙林欣佳怡晨晓琳雪梅丹蕾琪瑶婷慧颖露倩"
STREETS = "路 街 弄 巷".split()


def esc(v):
    if v is None:
        return "\\N"
    s = str(v)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def out(rows):
    w = sys.stdout.write
    for r in rows:
        w("\t".join(esc(v) for v in r))
        w("\n")


def name(rnd):
    n = rnd.choice(SURNAMES) + rnd.choice(GIVEN)
    return n + rnd.choice(GIVEN) if rnd.random() < 0.7 else n


def phone(rnd):
    return "1%d%09d" % (rnd.choice((3, 5, 8)), rnd.randrange(10**9))


def main():
    table, plan = sys.argv[1], json.load(open(sys.argv[2]))
    areas = plan["areas"]  # area ids, the demo area first
    first = plan["first"]  # table -> first free id
    per = plan["per_area"]
    rnd = random.Random("%s-%d" % (table, len(areas)))
    t0 = plan["t0"]

    if table == "streets":
        out((first["streets"] + i, plan["district_id"], "BENCH-S%02d" % i, "基准街道%02d" % i)
            for i in range(plan["new_streets"]))
    elif table == "areas":
        # Generated areas only (the demo area exists): round-robin over the
        # demo street and the generated streets.
        streets = [plan["demo_street"]] + [first["streets"] + i for i in range(plan["new_streets"])]
        out((a, streets[k % len(streets)], "bench-a%03d" % k, "基准居民区%03d" % k)
            for k, a in enumerate(areas[1:], start=1))
    elif table == "compounds":
        out((first["compounds"] + k * per["compounds"] + c, a, "基准%03d小区%d" % (k, c),
             "%s%d号" % (rnd.choice("长宁淮海延安中山") + rnd.choice(STREETS), c + 1),
             "commercial", 1990 + c)
            for k, a in enumerate(areas) for c in range(per["compounds"]))
    elif table == "buildings":
        nb = per["buildings_per_compound"]
        out((first["buildings"] + (k * per["compounds"] + c) * nb + b, a,
             first["compounds"] + k * per["compounds"] + c, "%d号楼" % (b + 1), 6 + b % 12)
            for k, a in enumerate(areas) for c in range(per["compounds"]) for b in range(nb))
    elif table == "households":
        nb = per["compounds"] * per["buildings_per_compound"]
        rows = []
        for k, a in enumerate(areas):
            for h in range(per["households"]):
                b = h % nb
                rows.append((first["households"] + k * per["households"] + h, a,
                             first["buildings"] + k * nb + b, "%d" % (101 + h // nb), 6000 + h % 5000))
        out(rows)
    elif table == "residents":
        # Three or so to a household; every 30th without one.
        hh = per["households"]
        def gen():
            for k, a in enumerate(areas):
                for r in range(per["residents"]):
                    hid = first["households"] + k * hh + (r % hh) if r % 30 else None
                    yield (first["residents"] + k * per["residents"] + r, a, hid, name(rnd),
                           "MF"[r & 1], 1930 + rnd.randrange(90), phone(rnd), int(r < hh))
        out(gen())
    elif table == "branches":
        out((first["branches"] + k, a, "基准%03d党总支" % k, "general")
            for k, a in enumerate(areas))
    elif table == "members":
        def gen():
            for k, a in enumerate(areas):
                for m in range(per["members"]):
                    rid = first["residents"] + k * per["residents"] + m * 29 + 1
                    yield (first["members"] + k * per["members"] + m, a, first["branches"] + k,
                           rid, name(rnd), "MF"[m & 1], 1940 + rnd.randrange(70), phone(rnd),
                           "%04d-%02d-01" % (1970 + rnd.randrange(55), 1 + rnd.randrange(12)))
        out(gen())
    elif table in ("cases", "case_events"):
        cases(table, plan, areas, first, per, rnd)
    elif table == "api_tokens":
        # One meter token per area; the token itself goes to tokens.txt for
        # the ingest client (district.sh writes it from the same seed).
        out((first["api_tokens"] + k, "bench-meter-%d" % k, token_hash(meter_token(k)), a,
             "meter", t0 - 86400) for k, a in enumerate(areas))
    elif table == "meters":
        out((first["meters"] + k, a, "基准监测点%03d" % k, "1", first["api_tokens"] + k)
            for k, a in enumerate(areas))
    else:
        sys.exit("district_gen: unknown table " + table)


def meter_token(k):
    return "bench-district-meter-%06d" % k


def token_hash(tok):
    return hashlib.blake2b(tok.encode(), digest_size=32).hexdigest()


# A case's life: submitted, then (mostly) accepted, in progress, resolved,
# closed; the last 3% still open, some of them past their deadline.
FLOW = ["submitted", "accepted", "in_progress", "resolved", "closed"]


def cases(table, plan, areas, first, per, rnd):
    crock = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    span = 2 * 365 * 86400
    now = plan["now"]
    w = sys.stdout.write
    eid = first["case_events"]
    for k, a in enumerate(areas):
        cats = plan["categories"][str(a)]
        for c in range(per["cases"]):
            cid = first["cases"] + k * per["cases"] + c
            life = random.Random(cid)  # the same timeline in both tables
            created = now - span + (span * c) // per["cases"] + life.randrange(3600)
            age = now - created
            steps = 5 if age > 20 * 86400 else 1 + life.randrange(4)
            state = FLOW[steps - 1]
            ts = [min(now, created + i * (3600 + life.randrange(2 * 86400))) for i in range(steps)]
            cat = cats[c % len(cats)]
            if table == "cases":
                code = "".join(crock[rnd.randrange(32)] for _ in range(10))
                row = (cid, a, cat, code, state, "楼道堆物影响通行，请尽快处理。第%d号" % c,
                       "%d号楼" % (1 + c % 25), name(rnd), phone(rnd), "web", created, ts[-1],
                       ts[1] if steps > 1 else None, ts[3] if steps > 3 else None,
                       ts[4] if steps > 4 else None, created + 86400, created + 5 * 86400,
                       (3 + rnd.randrange(3)) if steps > 3 else None)
                w("\t".join(esc(v) for v in row) + "\n")
            else:
                prev = None
                for i in range(steps):
                    w("%d\t%d\t%d\tstaff\tstate\t%s\t%s\t\t1\n" %
                      (eid, cid, ts[i], esc(prev), FLOW[i]))
                    prev = FLOW[i]
                    eid += 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "tokens":
        for k in range(int(sys.argv[2])):
            print(meter_token(k))
    else:
        main()
