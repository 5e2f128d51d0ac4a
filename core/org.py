"""The organisation: divisions, department trees, regions, product lines, users."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history, set_committed_value

from core.context import Actor, system_context
from core.errors import ValidationError
from core.i18n import _, _l
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
# An ERP or other system writing back through the API with a token (#15).
INTEGRATION = "integration"
ROLES = {
    ADMIN: _l("Administrator"),
    SALES_REP: _l("Sales rep"),
    SALES_MANAGER: _l("Sales manager"),
    MARKETING: _l("Marketing"),
    FINANCE: _l("Finance"),
    SERVICE: _l("Service"),
    GENERAL_MANAGER: _l("General manager"),
    INTEGRATION: _l("Integration (ERP)"),
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


def add_department(
    session: Session, *, division: Division, code: str, name: str,
    parent: Department | None = None, manager: User | None = None,
) -> Department:
    """Create a department in `division`'s tree (its path is kept by a flush hook)."""
    department = Department(
        division_id=division.id, code=code, name=name,
        parent_id=parent.id if parent else None,
        manager_id=manager.id if manager else None, path="/",
    )
    session.add(department)
    session.flush()
    return department


def _moved_departments(session: Session) -> list[Department]:
    changed = [d for d in session.new if isinstance(d, Department)]
    changed += [
        d for d in session.dirty
        if isinstance(d, Department) and get_history(d, "parent_id").has_changes()
    ]
    return changed


@sa.event.listens_for(Session, "after_flush")
def _keep_department_paths(session: Session, _context: object) -> None:
    """Recompute the materialised path of new or moved departments and their subtrees."""
    pending = _moved_departments(session)
    table = cast(sa.Table, Department.__table__)  # a declared model maps a Table
    connection = session.connection()
    for _round in range(len(pending) + 1):  # parents before children
        if not pending:
            return
        department = pending.pop(0)
        if department.parent_id is not None and any(d.id == department.parent_id for d in pending):
            pending.append(department)
            continue
        parent_path = "/"
        if department.parent_id is not None:
            parent_path = connection.scalar(
                sa.select(table.c.path).where(table.c.id == department.parent_id)) or "/"
        old = department.path or "/"
        new = f"{parent_path}{department.id}/"
        if old != "/" and parent_path.startswith(old):
            raise ValidationError(_("A department cannot be placed under its own subtree."),
                                  fields={"parent_id": _("A department cannot be placed under its own subtree.")})
        connection.execute(sa.update(table).where(table.c.id == department.id).values(path=new))
        if old != "/" and old != new:
            connection.execute(
                sa.update(table)
                .where(table.c.path.startswith(old, autoescape=True), table.c.id != department.id)
                .values(path=sa.literal(new) + sa.func.substr(table.c.path, len(old) + 1))
            )
        set_committed_value(department, "path", new)


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


def department_in(session: Session, user_id: int | None, division_id: int | None) -> int | None:
    """The department of `user_id` for a record of `division_id`: the user's own when it
    belongs to that division, else none (an HQ user's deal in another division is not
    counted under an HQ department, #14). Read past the record rules, without a flush."""
    if user_id is None:
        return None
    query = sa.select(User.department_id).join(Department, Department.id == User.department_id) \
        .where(User.id == user_id)
    if division_id is not None:
        query = query.where(Department.division_id == division_id)
    with system_context(), session.no_autoflush:
        found = session.scalar(query)
    return int(found) if found is not None else None


def product_line(session: Session, code: str, name: str) -> ProductLine:
    """The product line `code`, created if missing."""
    found = session.scalar(sa.select(ProductLine).where(ProductLine.code == code))
    if found is None:
        found = ProductLine(code=code, name=name)
        session.add(found)
        session.flush()
    return found


def create_user(
    session: Session, *, login: str, name: str, division_code: str, password: str,
    department_code: str | None = None, roles: list[str] | None = None,
    region_codes: list[str] | None = None,
) -> User:
    """A new user placed in a division (and department), with roles and regions.

    Raises ValidationError naming the field that is wrong.
    """
    from core.auth.passwords import hash_password, password_problem

    errors: dict[str, str] = {}
    if session.scalar(sa.select(User.id).where(User.login == login)) is not None:
        errors["login"] = _("This login is taken.")
    division = session.scalar(sa.select(Division).where(Division.code == division_code))
    if division is None:
        errors["division"] = _("No division with code '{code}'.").format(code=division_code)
    department = None
    if department_code and division is not None:
        department = session.scalar(sa.select(Department).where(
            Department.division_id == division.id, Department.code == department_code))
        if department is None:
            errors["department"] = _("No department with code '{code}'.").format(code=department_code)
    found_roles = list(session.scalars(sa.select(Role).where(Role.code.in_(roles or []))))
    if len(found_roles) != len(set(roles or [])):
        errors["role"] = _("Unknown role: use one of {roles}.").format(roles=", ".join(ROLES))
    regions = list(session.scalars(sa.select(Region).where(Region.code.in_(region_codes or []))))
    if len(regions) != len(set(region_codes or [])):
        errors["region"] = _("Unknown region code.")
    problem = password_problem(password, inputs=(login, name))
    if problem is not None:
        errors["password"] = problem
    if errors:
        raise ValidationError(_("The user was not created."), fields=errors)
    assert division is not None
    user = User(login=login, name=name, division_id=division.id,
                department_id=department.id if department else None,
                password_hash=hash_password(password))
    user.roles = found_roles
    user.regions = regions
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, actor: Actor, user_id: int, password: str) -> None:
    """An administrator gives a user a new password (their sessions end)."""
    from core.auth.passwords import hash_password, password_problem
    from core.errors import AccessDenied, NotFound

    if not (actor.system or actor.is_admin):
        raise AccessDenied(_("Only an administrator may set another user's password."))
    message = password_problem(password)
    if message is not None:
        raise ValidationError(message, fields={"password": message})
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("The record does not exist or you may not see it."))
    user.password_hash = hash_password(password)
