"""A benchmark database: initialised by the kernel, organisation through core APIs,
fixture rows bulk-loaded from the generated CSV files.

The organisation (divisions, departments, managers, 200 reps with provinces and
product lines) is created with `core.org` exactly as an administrator would, so
record rules meet real users. Customers and opportunities of the read figures
are loaded with DB-API executemany (SQLite) or COPY (PostgreSQL): the import
figure is the one that measures Kehu writing rows.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import gc
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.generate import DIVISIONS
from core.kernel import Kernel, boot
from core.settings import Settings, load_settings

PASSWORD = "bench-Kehu-2026"
ADMIN_PASSWORD = "bench-Admin-2026"
BUILTIN_ADDONS = ("crm_customer", "crm_funnel", "crm_channel", "crm_marketing", "crm_expense")


def usable_addons() -> list[str]:
    """The built-in addons that import cleanly now (all five once they are finished)."""
    from core.addons import discover

    catalog = discover()
    return [name for name in BUILTIN_ADDONS if name in catalog and catalog[name].ok]


@dataclass
class BenchDB:
    """One database of a run: its URL, the environment that points `kehu` at it."""

    backend: str
    url: str
    folder: Path
    addons: list[str]
    users: dict[str, int] = field(default_factory=dict)
    skipped: str = ""

    @property
    def env(self) -> dict[str, str]:
        divisions = [{"code": code, "name": name, "headquarters": hq, "addons": self.addons}
                     for code, name, hq, _covered in DIVISIONS]
        return {
            "KEHU_DATABASE_URL": self.url,
            "KEHU_SECRET_KEY_FILE": str(self.folder / "secret.key"),
            "KEHU_LOG_DIR": str(self.folder / "log"),
            "KEHU_LOCALE": "zh_CN",
            "KEHU_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "KEHU_DIVISIONS": json.dumps(divisions, ensure_ascii=False),
        }

    def settings(self) -> Settings:
        with _environment(self.env):
            return load_settings()

    def boot(self) -> Kernel:
        return boot(self.settings())


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def one_hash_per_password() -> Iterator[None]:
    """Hash each password once while the organisation is built.

    Argon2id costs ~0.14 s a hash on this machine by design; 200 users sharing
    the benchmark password would spend half a minute hashing the same text.
    The stored hashes are real (salted once): every user signs in normally.
    """
    from core.auth import passwords

    original = passwords.hash_password
    passwords.hash_password = functools.lru_cache(maxsize=8)(original)  # type: ignore[assignment]
    try:
        yield
    finally:
        passwords.hash_password = original  # type: ignore[assignment]


def create(backend: str, fresh_url: Callable[[], str], folder: Path, data: Path) -> BenchDB:
    """Initialise a database (from `fresh_url()`), build the organisation, load the fixtures.

    With every built-in addon that imports; if one of them cannot be installed
    (an addon half-way through its development), again with only the two the
    figures need, and the reason is kept in `skipped`.
    """
    from core.installer import initialise

    folder.mkdir(parents=True, exist_ok=True)
    wanted = usable_addons()
    db = BenchDB(backend=backend, url=fresh_url(), folder=folder, addons=wanted)
    try:
        initialise(db.settings()).kernel.engine.dispose()
    except Exception as error:  # noqa: BLE001  (fall back to the addons the figures need)
        essential = [name for name in wanted if name in ("crm_customer", "crm_funnel")]
        db.skipped = f"{', '.join(sorted(set(wanted) - set(essential)))} not installed: " \
                     f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
        gc.collect()
        db = BenchDB(backend=backend, url=fresh_url(), folder=folder, addons=essential,
                     skipped=db.skipped)
        initialise(db.settings()).kernel.engine.dispose()
    kernel = db.boot()
    try:
        db.users = build_org(kernel, data / "org.csv")
        load_customers(kernel, data / "customers.csv")
        if "crm_funnel" in kernel.registry.installed:
            load_opportunities(kernel, data / "opportunities.csv")
        analyze(kernel)
    finally:
        kernel.engine.dispose()
        gc.collect()
    return db


# ------------------------------------------------------------ organisation


def build_org(kernel: Kernel, path: Path) -> dict[str, int]:
    """Product lines, departments and users of org.csv, through core.org; login → id."""
    from core.context import system_context
    from core.models import Division
    from core.org import add_department, create_user, product_line

    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    users: dict[str, int] = {}
    with system_context(), kernel.sessions.begin() as session, one_hash_per_password():
        divisions = {d.code: d for d in session.scalars(sa.select(Division))}
        lines = {row["code"]: product_line(session, row["code"], row["name"])
                 for row in rows if row["kind"] == "product_line"}
        departments: dict[tuple[str, str], Any] = {}
        for row in rows:
            if row["kind"] == "department":
                parent = departments.get((row["division"], row["parent"]))
                departments[(row["division"], row["code"])] = add_department(
                    session, division=divisions[row["division"]], code=row["code"],
                    name=row["name"], parent=parent)
        for row in rows:
            if row["kind"] != "user":
                continue
            regions = [code for code in row["provinces"].split(";") if code]
            user = create_user(session, login=row["code"], name=row["name"],
                               division_code=row["division"], password=PASSWORD,
                               department_code=row["parent"] or None, roles=[row["role"]],
                               region_codes=regions)
            if row["product_line"]:
                user.product_lines = [lines[row["product_line"]]]
            if row["role"] == "sales_manager":
                departments[(row["division"], row["parent"])].manager_id = user.id
            users[row["code"]] = user.id
        session.flush()
    return users


# ------------------------------------------------------------ bulk loading


def _lookup_ids(kernel: Kernel, table: str, key: str = "code") -> dict[Any, int]:
    with kernel.engine.connect() as connection:
        return dict(connection.execute(sa.text(f"SELECT {key}, id FROM {table}")).all())  # noqa: S608


def _fills(table: sa.Table, given: Sequence[str], now: dt.datetime) -> dict[str, Any]:
    """Values of the NOT NULL columns a row does not give (what a flush would fill)."""
    fills: dict[str, Any] = {}
    for column in table.columns:
        if column.key in given or column.primary_key or column.nullable:
            continue
        if column.key == "version":
            fills[column.key] = 1
        elif isinstance(column.type, sa.DateTime):
            fills[column.key] = now
        elif column.default is not None and column.default.is_scalar:
            fills[column.key] = column.default.arg  # type: ignore[attr-defined]
        elif column.server_default is None:
            raise RuntimeError(f"bench loader: no value for {table.name}.{column.key}")
    return fills


def bulk_insert(kernel: Kernel, table: sa.Table, columns: list[str], rows: Iterator[tuple[Any, ...]] | list[tuple[Any, ...]]) -> int:
    """Insert `rows` (tuples in `columns` order) with COPY (PostgreSQL) or executemany."""
    now = dt.datetime(2026, 1, 1, 8, 0, 0)
    fills = _fills(table, columns, now)
    names = [*columns, *fills]
    extra = tuple(fills.values())
    count = 0
    raw = kernel.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if kernel.engine.dialect.name == "postgresql":
            statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
            with cursor.copy(statement) as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row((*row, *extra))
                    count += 1
        else:
            marks = ", ".join("?" for _ in names)
            statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})"
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append((*row, *extra))
                if len(batch) == 10_000:
                    cursor.executemany(statement, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(statement, batch)
                count += len(batch)
        raw.commit()
    finally:
        raw.close()
    if kernel.engine.dialect.name == "postgresql":
        with kernel.engine.begin() as connection:
            connection.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table.name}))"))
    return count


def _read(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def positions(kernel: Kernel, table: str, order: str = "id") -> dict[int | None, list[int]]:
    """Ids of a lookup table's rows in `order`, per division (None: shared rows)."""
    by_division: dict[int | None, list[int]] = {}
    with kernel.engine.connect() as connection:
        has_division = any(c["name"] == "division_id" for c in sa.inspect(connection).get_columns(table))
        select = f"SELECT {'division_id' if has_division else 'NULL'}, id FROM {table} ORDER BY {order}"
        for division_id, record_id in connection.execute(sa.text(select)):  # noqa: S608
            by_division.setdefault(division_id, []).append(record_id)
    return by_division


def _pick(choices: dict[int | None, list[int]], division_id: int, index: int) -> int | None:
    ids = choices.get(division_id) or choices.get(None) or []
    return ids[index % len(ids)] if ids else None


def load_customers(kernel: Kernel, path: Path) -> int:
    """The fixture customers of customers.csv."""
    table = _table(kernel, "crm_customer")
    divisions = _lookup_ids(kernel, "kehu_division")
    users = _lookup_ids(kernel, "kehu_user", "login")
    lines = _lookup_ids(kernel, "kehu_product_line")
    regions = _lookup_ids(kernel, "kehu_region")
    departments: dict[tuple[int, str], int] = {}
    with kernel.engine.connect() as connection:
        for division_id, code, record_id in connection.execute(
                sa.text("SELECT division_id, code, id FROM kehu_department")):
            departments[(division_id, code)] = record_id
    industries = positions(kernel, "crm_industry") if "industry_id" in table.c else {}
    columns = ["division_id", "code", "name", "phone", "level", "status", "owner_id",
               "department_id", "region_id", "product_line_id"]
    if industries:
        columns.append("industry_id")

    def rows() -> Iterator[tuple[Any, ...]]:
        for row in _read(path):
            division = divisions[row["division"]]
            values: list[Any] = [
                division, row["code"], row["name"], row["phone"], row["level"], row["status"],
                users.get(row["owner"]), departments.get((division, row["department"])),
                regions.get(row["region"]), lines.get(row["product_line"]),
            ]
            if industries:
                values.append(_pick(industries, division, int(row["industry"])))
            yield tuple(values)

    return bulk_insert(kernel, table, columns, rows())


def _table(kernel: Kernel, name: str) -> sa.Table:
    for models in kernel.models.values():
        for model in models:
            if model.__tablename__ == name:
                table: sa.Table = model.__table__  # type: ignore[assignment]
                return table
    raise LookupError(f"no model with table {name} is installed")


@dataclass(frozen=True)
class Pipeline:
    """A division's sales modes, each with its open stages, its won stage and probabilities."""

    modes: list[int]
    open_stages: dict[int, list[int]]
    won_stage: dict[int, int]
    probability: dict[int, int]


def pipelines(kernel: Kernel) -> dict[int | None, Pipeline]:
    """The stages of every division's sales modes, in sequence order."""
    result: dict[int | None, Pipeline] = {}
    with kernel.engine.connect() as connection:
        modes: dict[int | None, list[int]] = {}
        for division_id, mode_id in connection.execute(sa.text(
                "SELECT division_id, id FROM crm_sales_mode ORDER BY id")):
            modes.setdefault(division_id, []).append(mode_id)
        stages: dict[int, list[tuple[int, int]]] = {}
        for mode_id, stage_id, probability in connection.execute(sa.text(
                "SELECT sales_mode_id, id, probability FROM crm_stage ORDER BY sequence, id")):
            stages.setdefault(mode_id, []).append((stage_id, probability))
    for division_id, mode_ids in modes.items():
        open_stages, won, probability = {}, {}, {}
        for mode_id in mode_ids:
            rows = stages.get(mode_id, [])
            open_stages[mode_id] = [s for s, p in rows if 0 < p < 100] or [s for s, _p in rows]
            won[mode_id] = max(rows, key=lambda r: r[1])[0] if rows else 0
            probability.update(dict(rows))
        result[division_id] = Pipeline(mode_ids, open_stages, won, probability)
    return result


def load_opportunities(kernel: Kernel, path: Path) -> int:
    """The fixture opportunities of opportunities.csv (stages mapped by position)."""
    table = _table(kernel, "crm_opportunity")
    divisions = _lookup_ids(kernel, "kehu_division")
    users = _lookup_ids(kernel, "kehu_user", "login")
    lines = _lookup_ids(kernel, "kehu_product_line")
    regions = _lookup_ids(kernel, "kehu_region")
    customers: dict[str, int] = {}
    with kernel.engine.connect() as connection:
        for code, record_id in connection.execute(sa.text(
                "SELECT code, id FROM crm_customer WHERE code LIKE 'C%'")):
            customers[code] = record_id
        departments = {(d, c): i for d, c, i in connection.execute(
            sa.text("SELECT division_id, code, id FROM kehu_department"))}
    flows = pipelines(kernel)
    reasons = positions(kernel, "crm_lost_reason")
    columns = ["division_id", "customer_id", "name", "sales_mode_id", "stage_id", "amount",
               "probability", "expected_close", "owner_id", "department_id", "region_id",
               "product_line_id", "state", "lost_reason_id", "closed_on"]

    def rows() -> Iterator[tuple[Any, ...]]:
        for row in _read(path):
            division = divisions[row["division"]]
            # Sales modes may be company-wide (no division): those serve every division.
            flow = flows.get(division) or flows[None]
            mode = flow.modes[int(row["sales_mode"]) % len(flow.modes)]
            open_stages = flow.open_stages[mode]
            position = int(row["stage"])
            state = row["state"]
            if state == "won":
                stage = flow.won_stage[mode]
            else:
                stage = open_stages[position % len(open_stages)]
            close = dt.date.fromisoformat(row["expected_close"])
            yield (
                division, customers[row["customer"]], row["name"], mode, stage,
                int(row["amount_fen"]), 100 if state == "won" else 0 if state == "lost"
                else flow.probability[stage], close, users.get(row["owner"]),
                departments.get((division, row["department"])), regions.get(row["region"]),
                lines.get(row["product_line"]), state,
                _pick(reasons, division, int(row["lost_reason"])) if row["lost_reason"] else None,
                close if state != "open" else None,
            )

    return bulk_insert(kernel, table, columns, rows())


def analyze(kernel: Kernel) -> None:
    """Fresh planner statistics after the bulk load (as a DBA would run)."""
    with kernel.engine.begin() as connection:
        connection.execute(sa.text("ANALYZE"))
