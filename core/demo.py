"""The demo organisation for `kehu init --demo`: departments, 20 users, product lines.

Every demo user signs in with the password in $KEHU_DEMO_PASSWORD, by default
`kehu-demo-2026` (README lists the logins).
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.auth.passwords import hash_password
from core.models import Department, Division, ProductLine, Region, Role, User
from core.org import add_department, product_line

DEFAULT_DEMO_PASSWORD = "kehu-demo-2026"

PRODUCT_LINES = [("PL-AUTO", "工业自动化"), ("PL-POWER", "电力设备"), ("PL-MED", "医疗器械")]

# department code, name, parent code, manager login
DEPARTMENTS = [
    ("SALES", "销售中心", None, "gm"),
    ("SALES-E", "华东销售部", "SALES", "zhang.wei"),
    ("SALES-S", "华南销售部", "SALES", "huang.min"),
    ("MKT", "市场部", None, "liu.yang"),
    ("FIN", "财务部", None, "chen.jing"),
    ("SVC", "客服部", None, "zhao.lei"),
]

# login, name, department code, roles, region codes, product line codes
DemoUser = tuple[str, str, str, list[str], list[str], list[str]]
USERS: list[DemoUser] = [
    ("gm", "王总", "SALES", ["general_manager"], [], []),
    ("zhang.wei", "张伟", "SALES-E", ["sales_manager"], ["320000", "330000", "310000"], []),
    ("li.na", "李娜", "SALES-E", ["sales_rep"], ["320000"], ["PL-AUTO"]),
    ("wang.qiang", "王强", "SALES-E", ["sales_rep"], ["330000"], ["PL-AUTO", "PL-POWER"]),
    ("zhou.jie", "周杰", "SALES-E", ["sales_rep"], ["310000"], ["PL-POWER"]),
    ("huang.min", "黄敏", "SALES-S", ["sales_manager"], ["440000", "450000"], []),
    ("lin.feng", "林峰", "SALES-S", ["sales_rep"], ["440000"], ["PL-AUTO"]),
    ("he.xin", "何欣", "SALES-S", ["sales_rep"], ["450000"], ["PL-MED"]),
    ("liu.yang", "刘洋", "MKT", ["marketing"], [], []),
    ("xu.li", "徐丽", "MKT", ["marketing"], [], []),
    ("chen.jing", "陈静", "FIN", ["finance"], [], []),
    ("yang.fan", "杨帆", "FIN", ["finance"], [], []),
    ("zhao.lei", "赵磊", "SVC", ["service"], [], []),
    ("sun.hong", "孙红", "SVC", ["service"], [], []),
]
# The second division gets a smaller team of its own.
SECOND_DIVISION_USERS: list[DemoUser] = [
    ("ma.jun", "马军", "SALES", ["sales_manager"], ["420000", "430000"], []),
    ("guo.qing", "郭青", "SALES-E", ["sales_rep"], ["420000"], ["PL-MED"]),
    ("tang.yu", "唐宇", "SALES-E", ["sales_rep"], ["430000"], ["PL-MED"]),
    ("deng.hui", "邓慧", "FIN", ["finance"], [], []),
    ("feng.tao", "冯涛", "SVC", ["service"], [], []),
    ("cao.ying", "曹颖", "MKT", ["marketing"], [], []),
]


def _users(session: Session, division: Division, rows: list[DemoUser], password_hash: str,
           departments: dict[str, Department]) -> dict[str, User]:
    regions = {r.code: r for r in session.scalars(sa.select(Region).where(Region.level == "province"))}
    lines = {p.code: p for p in session.scalars(sa.select(ProductLine))}
    roles = {r.code: r for r in session.scalars(sa.select(Role))}
    made: dict[str, User] = {}
    for login, name, dept, role_codes, region_codes, line_codes in rows:
        user = User(login=login, name=name, division_id=division.id,
                    department_id=departments[dept].id, password_hash=password_hash,
                    email=f"{login}@example.cn")
        user.roles = [roles[code] for code in role_codes]
        user.regions = [regions[code] for code in region_codes if code in regions]
        user.product_lines = [lines[code] for code in line_codes]
        session.add(user)
        made[login] = user
    session.flush()
    return made


def _tree(session: Session, division: Division, codes: set[str]) -> dict[str, Department]:
    made: dict[str, Department] = {}
    for code, name, parent, _manager in DEPARTMENTS:
        if code in codes:
            made[code] = add_department(session, division=division, code=code, name=name,
                                        parent=made.get(parent) if parent else None)
    return made


def create_demo_organisation(session: Session, divisions: list[Division]) -> None:
    """Departments and 20 users in the first two divisions (skipped if present)."""
    if session.scalar(sa.select(User.id).where(User.login == "gm")) is not None:
        return
    password_hash = hash_password(os.environ.get("KEHU_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD))
    for code, name in PRODUCT_LINES:
        product_line(session, code, name)
    first, *rest = divisions
    departments = _tree(session, first, {d[0] for d in DEPARTMENTS})
    users = _users(session, first, USERS, password_hash, departments)
    for code, _name, _parent, manager in DEPARTMENTS:
        departments[code].manager_id = users[manager].id
    if rest:
        second = rest[0]
        tree = _tree(session, second, {"SALES", "SALES-E", "FIN", "SVC", "MKT"})
        team = _users(session, second, SECOND_DIVISION_USERS, password_hash, tree)
        tree["SALES"].manager_id = tree["SALES-E"].manager_id = team["ma.jun"].id
        tree["FIN"].manager_id = team["deng.hui"].id
        tree["SVC"].manager_id = team["feng.tao"].id
        tree["MKT"].manager_id = team["cao.ying"].id
    session.flush()
