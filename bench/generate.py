"""The seeded data of the benchmark, written as CSV files.

    python -m bench.generate --size small --out var/bench/data/small

Same size and seed, same bytes: every run measures the same data. The files:

- `org.csv`: divisions, departments and the people (200 sales reps, their
  managers, a general manager per division) with provinces and product lines.
- `customers.csv`: the customers the read figures work on (fixture rows).
- `customers_import.csv`: as many other customers, in the shape of an import
  file (names of owners, cities and product lines, as a clerk would type them).
- `opportunities.csv`: opportunities over both sales modes and every stage,
  with amounts, expected close dates over two years and lost reasons.

Stages, sales modes, industries and lost reasons are written as positions
(0, 1, 2...) in their lookup tables: the loader maps them to the rows the
addons ship, so the generator does not need a database.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from core.org import REGIONS_CSV

SEED = 20261124


@dataclass(frozen=True)
class Size:
    """How much data a run generates."""

    name: str
    customers: int
    opportunities: int
    reps: int = 200


SIZES = {
    "full": Size("full", customers=100_000, opportunities=1_000_000),
    "small": Size("small", customers=5_000, opportunities=50_000),
    "tiny": Size("tiny", customers=300, opportunities=3_000, reps=24),
}

# code, name, headquarters, provinces (codes) its reps cover
DIVISIONS = [
    ("HQ", "集团总部", True, []),
    ("EAST", "华东事业部", False, ["310000", "320000", "330000", "340000", "350000", "360000",
                                 "370000"]),
    ("SOUTH", "华南事业部", False, ["440000", "450000", "460000", "430000", "420000",
                                  "410000", "530000"]),
    ("NORTH", "华北事业部", False, ["110000", "120000", "130000", "140000", "150000", "210000",
                                  "220000", "230000"]),
    ("WEST", "西部事业部", False, ["500000", "510000", "520000", "540000", "610000", "620000",
                                 "630000", "640000", "650000"]),
]
PRODUCT_LINES = [("PL-AUTO", "工业自动化"), ("PL-POWER", "电力设备"), ("PL-MED", "医疗器械"),
                 ("PL-SOFT", "工业软件")]
INDUSTRIES = 10
SALES_MODES = 2
# Share of opportunities per stage position (the last two: won, lost), per sales mode.
STAGE_WEIGHTS = [30, 22, 16, 10, 7, 8, 7]
LOST_REASONS = 6

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍鹏辉建国红燕林峰波宁欣颖慧雪琳浩宇博文凯晨阳帆思佳子轩梓涵一诺欣怡雨泽俊杰"
_STEMS = ["华信", "金桥", "东方", "长城", "宏达", "恒通", "新元", "瑞丰", "博远", "中科", "天成",
          "永盛", "鼎力", "海纳", "联创", "远航", "卓越", "正泰", "嘉禾", "同心", "汇通", "盛世",
          "新锐", "启明", "万向", "利民", "华夏", "德润", "信达", "凯旋", "宏图", "安泰", "和谐",
          "创新", "百川", "九州", "星辰", "锦程", "蓝天", "绿源"]
_TRADES = ["机电设备", "电气自动化", "医药", "建筑设计院", "商贸", "信息技术", "化工", "物流",
           "医疗器械", "精密机械", "新能源", "环保科技", "电子", "仪器仪表", "纺织", "食品",
           "汽车零部件", "钢结构", "水务", "智能装备"]
_FORMS = ["有限公司", "股份有限公司", "集团有限公司", "科技有限公司"]
_LATIN_STEMS = ["Acme", "Orient", "Pacific", "Summit", "Harbor", "Evergreen", "Northstar", "Vertex",
                "Bluewave", "Silverline", "Goldfield", "Redwood", "Skyline", "Ironbridge",
                "Westlake", "Brightpath", "Crescent", "Keystone", "Meridian", "Pioneer"]
_LATIN_TRADES = ["Industrial", "Medical", "Logistics", "Electric", "Automation", "Trading",
                 "Engineering", "Pharma", "Software", "Materials"]
_LATIN_FORMS = ["Co., Ltd.", "Holdings Ltd.", "Group Co., Ltd.", "(China) Co., Ltd."]
_OPPORTUNITY_WORDS = ["生产线改造", "设备采购", "年度框架协议", "二期扩建", "备件供应", "系统升级",
                      "维保服务", "新厂建设", "自动化改造", "节能改造"]


def _regions() -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """Province code → name, and province code → its cities (code, name)."""
    provinces: dict[str, str] = {}
    cities: dict[str, list[tuple[str, str]]] = {}
    with REGIONS_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] == "province":
                provinces[row["code"]] = row["name"]
            else:
                cities.setdefault(row["parent_code"], []).append((row["code"], row["name"]))
    return provinces, cities


@dataclass
class Person:
    login: str
    name: str
    division: str
    department: str
    role: str
    provinces: list[str]
    product_line: str


def _people(rng: random.Random, size: Size, provinces: dict[str, str]) -> tuple[list[tuple[str, ...]], list[Person]]:
    """Departments (division, code, name, parent code) and people of every division."""
    names: set[str] = set()

    def person_name() -> str:
        while True:
            name = rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2, 2))))
            if name not in names:
                names.add(name)
                return name

    departments: list[tuple[str, ...]] = []
    people: list[Person] = []
    sales_divisions = [d for d in DIVISIONS if not d[2]]
    per_division = size.reps // len(sales_divisions)
    for code, _name, _hq, covered in DIVISIONS:
        login = f"gm.{code.lower()}"
        people.append(Person(login, person_name(), code, "", "general_manager", [], ""))
        if not covered:
            continue
        # The division's data administrator (imports run as this user).
        people.append(Person(f"admin.{code.lower()}", person_name(), code, "", "admin", [], ""))
        departments.append((code, "SALES", "销售中心", ""))
        # Two provinces per sales department, one manager each.
        teams = [covered[i:i + 2] for i in range(0, len(covered), 2)]
        reps = per_division + (size.reps % len(sales_divisions) if code == "EAST" else 0)
        for index, team in enumerate(teams):
            department = f"S{index + 1}"
            departments.append((code, department, f"{provinces[team[0]][:2]}销售部", "SALES"))
            people.append(Person(f"mgr.{code.lower()}.{index + 1}", person_name(), code, department,
                                 "sales_manager", list(team), ""))
        for number in range(reps):
            index = number % len(teams)
            team = teams[index]
            covers = [team[number // len(teams) % len(team)]]
            if number % 7 == 0 and len(team) > 1:
                covers = list(team)
            line = PRODUCT_LINES[number % len(PRODUCT_LINES)][0]
            people.append(Person(f"rep.{code.lower()}.{number + 1:03d}", person_name(), code,
                                 f"S{index + 1}", "sales_rep", covers, line))
    return departments, people


def _company_name(rng: random.Random, place: str, taken: set[str]) -> str:
    while True:
        if rng.random() < 0.15:
            name = f"{rng.choice(_LATIN_STEMS)} {rng.choice(_LATIN_TRADES)} {rng.choice(_LATIN_FORMS)}"
            if name in taken:
                name = f"{place_latin(place)} {name}"
        else:
            name = f"{place.rstrip('市区')}{rng.choice(_STEMS)}{rng.choice(_TRADES)}{rng.choice(_FORMS)}"
        if name in taken:
            name = f"{name[:-2]}（{rng.choice(_STEMS)}）{name[-2:]}" if rng.random() < 0.5 else \
                f"{place.rstrip('市区')}{rng.choice(_STEMS)}{rng.choice(_STEMS)}{rng.choice(_TRADES)}{rng.choice(_FORMS)}"
        if name not in taken:
            taken.add(name)
            return name


def place_latin(place: str) -> str:
    """A Latin tag for a Chinese place, so Latin names stay unique across cities."""
    return f"{place.rstrip('市区')}-{sum(ord(c) for c in place) % 997:03d}"


def _customers(rng: random.Random, count: int, reps: list[Person], cities: dict[str, list[tuple[str, str]]],
               prefix: str, taken: set[str]) -> list[dict[str, str]]:
    rows = []
    for number in range(1, count + 1):
        rep = reps[rng.randrange(len(reps))]
        province = rng.choice(rep.provinces)
        city_code, city_name = rng.choice(cities.get(province) or [(province, "")])
        owned = rng.random() >= 0.1
        rows.append({
            "code": f"{prefix}{number:07d}",
            "name": _company_name(rng, city_name or "中国", taken),
            "phone": f"0{rng.randint(20, 999)}-{rng.randint(10000000, 89999999)}",
            "level": rng.choice("AABBBCCCCD"),
            "status": rng.choice(["to_identify", "prospect", "prospect", "opportunity", "formal",
                                  "formal", "formal", "lost"]),
            "division": rep.division,
            "owner": rep.login if owned else "",
            "department": rep.department if owned else "",
            "region": city_code,
            "product_line": rep.product_line,
            "industry": str(rng.randrange(INDUSTRIES)),
        })
    return rows


def _opportunities(rng: random.Random, count: int, customers: list[dict[str, str]],
                   reps_by_division: dict[str, list[Person]]) -> list[dict[str, str]]:
    start = dt.date(2026, 1, 1)
    rows = []
    stages = list(range(len(STAGE_WEIGHTS)))
    by_login = {p.login: p for people in reps_by_division.values() for p in people}
    for number in range(1, count + 1):
        customer = customers[rng.randrange(len(customers))]
        owner = by_login.get(customer["owner"]) or rng.choice(reps_by_division[customer["division"]])
        stage = rng.choices(stages, STAGE_WEIGHTS)[0]
        state = "won" if stage == len(stages) - 2 else "lost" if stage == len(stages) - 1 else "open"
        amount_yuan = round(min(50_000_000, max(5_000, rng.lognormvariate(12.2, 1.1))), -2)
        rows.append({
            "code": f"O{number:08d}",
            "customer": customer["code"],
            "name": f"{customer['name']} {rng.choice(_OPPORTUNITY_WORDS)}",
            "sales_mode": str(rng.randrange(SALES_MODES)),
            "stage": str(stage),
            "amount_fen": str(int(amount_yuan) * 100),
            "expected_close": (start + dt.timedelta(days=rng.randrange(730))).isoformat(),
            "division": customer["division"],
            "owner": owner.login,
            "department": owner.department,
            "region": customer["region"],
            "product_line": owner.product_line,
            "state": state,
            "lost_reason": str(rng.randrange(LOST_REASONS)) if state == "lost" else "",
        })
    return rows


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def generate(size: Size, folder: Path, *, seed: int = SEED) -> Path:
    """Write the files of `size` to `folder` (skipped when a complete set is there)."""
    done = folder / "DONE"
    if done.exists() and done.read_text() == f"{size}/{seed}":
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    provinces, cities = _regions()
    departments, people = _people(rng, size, provinces)
    with (folder / "org.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kind", "division", "code", "name", "parent", "role", "provinces",
                         "product_line"])
        for code, name, hq, _covered in DIVISIONS:
            writer.writerow(["division", code, code, name, "", "hq" if hq else "", "", ""])
        for code, name in PRODUCT_LINES:
            writer.writerow(["product_line", "", code, name, "", "", "", ""])
        for division, code, name, parent in departments:
            writer.writerow(["department", division, code, name, parent, "", "", ""])
        for p in people:
            writer.writerow(["user", p.division, p.login, p.name, p.department, p.role,
                             ";".join(p.provinces), p.product_line])
    reps = [p for p in people if p.role == "sales_rep"]
    reps_by_division: dict[str, list[Person]] = {}
    for rep in reps:
        reps_by_division.setdefault(rep.division, []).append(rep)
    taken: set[str] = set()
    customers = _customers(rng, size.customers, reps, cities, "C", taken)
    _write(folder / "customers.csv", customers)
    # The import file: one division's customers, typed as people type them.
    east = reps_by_division["EAST"]
    names = {p.login: p.name for p in people}
    region_names = {code: name for rows in cities.values() for code, name in rows}
    lines = dict(PRODUCT_LINES)
    imported = _customers(rng, size.customers, east, cities, "N", taken)
    _write(folder / "customers_import.csv", [
        {"name": row["name"], "code": row["code"], "phone": row["phone"], "level": row["level"],
         "status": row["status"], "owner_id": names.get(row["owner"], ""),
         "region_id": region_names.get(row["region"], ""),
         "product_line_id": lines.get(row["product_line"], ""), "industry": row["industry"]}
        for row in imported
    ])
    _write(folder / "opportunities.csv", _opportunities(rng, size.opportunities, customers,
                                                        reps_by_division))
    done.write_text(f"{size}/{seed}")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    size = SIZES[args.size]
    folder = args.out or Path("var/bench/data") / size.name
    print(generate(size, folder, seed=args.seed))


if __name__ == "__main__":
    main()
