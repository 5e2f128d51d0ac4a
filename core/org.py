"""The organisation: divisions, department trees, regions, product lines, users."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.context import Actor
from core.i18n import _l
from core.models import Department, Division, ProductLine, Region, Role, User

REGIONS_CSV = Path(__file__).parent / "data" / "regions.csv"

# The roles the kernel ships; addons grant them rights on their models.
ADMIN = "admin"
SALES_REP = "sales_rep"
SALES_MANAGER = "sales_manager"
MARKETING = "marketing"
FINANCE = "finance"
SERVICE = "service"
GENERAL_MANAGER = "general_manager"
ROLES = {
    ADMIN: _l("Administrator"),
    SALES_REP: _l("Sales rep"),
    SALES_MANAGER: _l("Sales manager"),
    MARKETING: _l("Marketing"),
    FINANCE: _l("Finance"),
    SERVICE: _l("Service"),
    GENERAL_MANAGER: _l("General manager"),
}
ALL_STAFF = tuple(ROLES)


def seed_roles(session: Session) -> None:
    """Create the shipped roles that are missing."""
    have = set(session.scalars(sa.select(Role.code)))
    for code, label in ROLES.items():
        if code not in have:
            session.add(Role(code=code, name=label.message))


def seed_regions(session: Session) -> int:
    """Load China's provinces and cities (regions.csv) if the table is empty."""
    if session.scalar(sa.select(sa.func.count()).select_from(Region)):
        return 0
    with REGIONS_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ids = {row["code"]: index for index, row in enumerate(rows, start=1)}
    values = []
    for row in rows:
        parent = row["parent_code"] or None
        path = f"/{ids[parent]}/{ids[row['code']]}/" if parent else f"/{ids[row['code']]}/"
        values.append(
            {
                "id": ids[row["code"]],
                "code": row["code"],
                "name": row["name"],
                "name_en": row["name_en"],
                "level": row["level"],
                "parent_id": ids[parent] if parent else None,
                "path": path,
            }
        )
    session.execute(sa.insert(Region), [v for v in values if v["parent_id"] is None])
    session.execute(sa.insert(Region), [v for v in values if v["parent_id"] is not None])
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        session.execute(sa.text(
            "SELECT setval(pg_get_serial_sequence('kehu_region', 'id'), (SELECT max(id) FROM kehu_region))"
        ))
    return len(values)


def department_path(session: Session, parent_id: int | None, own_id: int) -> str:
    """The materialised path of a department under `parent_id`."""
    if parent_id is None:
        return f"/{own_id}/"
    parent_path = session.scalar(sa.select(Department.path).where(Department.id == parent_id))
    return f"{parent_path}{own_id}/"


def add_department(
    session: Session, *, division: Division, code: str, name: str,
    parent: Department | None = None, manager: User | None = None,
) -> Department:
    """Create a department in `division`'s tree and compute its path."""
    department = Department(
        division_id=division.id, code=code, name=name,
        parent_id=parent.id if parent else None,
        manager_id=manager.id if manager else None, path="/",
    )
    session.add(department)
    session.flush()
    department.path = department_path(session, department.parent_id, department.id)
    session.flush()
    return department


def _paths(session: Session, region_ids: Iterable[int]) -> tuple[str, ...]:
    ids = list(region_ids)
    if not ids:
        return ()
    return tuple(sorted(session.scalars(sa.select(Region.path).where(Region.id.in_(ids)))))


def actor_for(session: Session, user: User) -> Actor:
    """What rights and rules need to know about `user`, read once per request."""
    department = session.get(Department, user.department_id) if user.department_id else None
    managed = tuple(
        session.scalars(
            sa.select(Department.path).where(Department.manager_id == user.id, Department.active)
        )
    )
    division_ids: frozenset[int] = frozenset({user.division_id} if user.division_id else ())
    if user.division_id is not None:
        division = session.get(Division, user.division_id)
        if division is not None and division.is_headquarters:
            division_ids = frozenset(session.scalars(sa.select(Division.id)))
    return Actor(
        user_id=user.id,
        division_id=user.division_id,
        roles=user.role_codes,
        department_id=user.department_id,
        department_path=department.path if department else None,
        managed_paths=managed,
        region_paths=_paths(session, (r.id for r in user.regions)),
        product_line_ids=frozenset(p.id for p in user.product_lines),
        division_ids=division_ids,
        locale=user.locale,
        name=user.name,
        login=user.login,
    )


def product_line(session: Session, code: str, name: str) -> ProductLine:
    """The product line `code`, created if missing."""
    found = session.scalar(sa.select(ProductLine).where(ProductLine.code == code))
    if found is None:
        found = ProductLine(code=code, name=name)
        session.add(found)
        session.flush()
    return found
