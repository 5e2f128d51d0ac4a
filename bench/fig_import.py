"""Figure 1: `kehu import` of the customers file against DB-API executemany.

Kehu: the real command, `kehu import crm_customer FILE --as admin.east`: every
row validated like a form, owners, cities, product lines and industries looked
up by name, the unique key and crm_customer's duplicate check (name, aliases,
phone, tax code against the division's customers) on, all or nothing.
Raw: the same file read with the csv module, the same four lookups read into
dicts (one SELECT each), one executemany INSERT, one commit.
Both insert into a table that already holds the fixture customers; the
imported rows are deleted after each run so every run starts alike.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.database import BenchDB, positions
from bench.harness import KEHU, ROOT, Result, compared

FIGURE = "1. kehu import of customers"
IMPORTER = "admin.east"


def import_file(db: BenchDB, generated: Path) -> Path:
    """The generated import file with the columns the installed Customer model takes
    (industry positions turned into the division's industry names)."""
    kernel = db.boot()
    try:
        from core.dataexchange.columns import import_fields

        model = kernel.model_keys["crm_customer"]
        names = {f.name for f in import_fields(kernel, model)}
        industries: list[str] = []
        if "industry_id" in names:
            with kernel.engine.connect() as connection:
                east = connection.scalar(sa.text("SELECT id FROM kehu_division WHERE code = 'EAST'"))
                by_division = positions(kernel, "crm_industry")
                ids = by_division.get(east) or by_division.get(None) or []
                labels: dict[int, str] = dict(connection.execute(sa.text("SELECT id, name FROM crm_industry")).all())
                industries = [labels[i] for i in ids]
    finally:
        kernel.engine.dispose()
    target = db.folder / "customers_import.csv"
    with generated.open(encoding="utf-8", newline="") as source, \
            target.open("w", encoding="utf-8", newline="") as out:
        reader = csv.DictReader(source)
        columns = [c for c in reader.fieldnames or [] if c in names]
        if industries:
            columns.append("industry_id")
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in reader:
            if industries:
                row["industry_id"] = industries[int(row["industry"]) % len(industries)]
            writer.writerow([row[c] for c in columns])
    return target


def _delete_imported(db: BenchDB) -> int:
    kernel = db.boot()
    try:
        with kernel.engine.begin() as connection:
            count = connection.execute(sa.text("DELETE FROM crm_customer WHERE code LIKE 'N%'")).rowcount
        if kernel.engine.dialect.name == "postgresql":
            with kernel.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(sa.text("VACUUM ANALYZE crm_customer"))
        return int(count)
    finally:
        kernel.engine.dispose()


def kehu_import(db: BenchDB, path: Path, rows: int) -> tuple[float, float]:
    """Wall seconds of the command, and the seconds it reports for the import itself."""
    env = {**os.environ, **db.env, "KEHU_LOCALE": "en"}
    started = time.perf_counter()
    result = subprocess.run([KEHU, "import", "crm_customer", str(path), "--as", IMPORTER],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - started
    if result.returncode != 0 or f"Imported {rows} rows" not in result.stdout:
        raise RuntimeError(f"kehu import failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    reported = float(result.stdout.rsplit(" in ", 1)[1].split()[0])
    return wall, reported


def raw_import(db: BenchDB, path: Path) -> float:
    """The hand-written import: csv + four lookup dicts + one executemany."""
    kernel = db.boot()
    try:
        started = time.perf_counter()
        raw = kernel.engine.raw_connection()
        postgres = kernel.engine.dialect.name == "postgresql"
        try:
            cursor = raw.cursor()

            def pairs(sql: str) -> dict[Any, Any]:
                cursor.execute(sql)
                return dict(cursor.fetchall())

            division = pairs("SELECT code, id FROM kehu_division")["EAST"]
            admin = pairs("SELECT login, id FROM kehu_user")[IMPORTER]
            owners = pairs(f"SELECT name, id FROM kehu_user WHERE division_id = {division}")  # noqa: S608
            regions = pairs("SELECT name, id FROM kehu_region")
            lines = pairs("SELECT name, id FROM kehu_product_line")
            industries = pairs(f"SELECT name, id FROM crm_industry WHERE division_id = {division}")  # noqa: S608
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                rows = [
                    (division, row["name"], row["code"], row.get("phone") or None,
                     row.get("level") or None, row.get("status") or "prospect",
                     owners.get(row.get("owner_id", "")) or admin,
                     regions.get(row.get("region_id", "")),
                     lines.get(row.get("product_line_id", "")),
                     industries.get(row.get("industry_id", "")), 1, now, now, admin, admin, False)
                    for row in reader
                ]
            mark = "%s" if postgres else "?"
            cursor.executemany(
                "INSERT INTO crm_customer (division_id, name, code, phone, level, status, owner_id,"
                " region_id, product_line_id, industry_id, version, create_date, write_date,"
                f" create_uid, write_uid, not_duplicate) VALUES ({', '.join([mark] * 16)})", rows)
            raw.commit()
        finally:
            raw.close()
        return time.perf_counter() - started
    finally:
        kernel.engine.dispose()


def run(db: BenchDB, generated: Path, rows: int, *, repeat: int) -> Result:
    path = import_file(db, generated)
    kehu, reported, raw = [], [], []
    _delete_imported(db)
    for _ in range(repeat):
        wall, inside = kehu_import(db, path, rows)
        kehu.append(wall)
        reported.append(inside)
        if _delete_imported(db) != rows:
            raise RuntimeError("the import did not write every row")
        raw.append(raw_import(db, path))
        if _delete_imported(db) != rows:
            raise RuntimeError("the raw import did not write every row")
    inside = statistics.median(reported)
    result = compared(FIGURE, db.backend, kehu, raw, 3, unit="s",
                      note=(f"{rows:,} rows; Kehu = the whole command; the import itself "
                            f"{inside:.2f} s, ratio {inside / statistics.median(raw):.1f}"),
                      details={"import_seconds_reported": reported,
                               "rows_per_second": rows / sorted(kehu)[len(kehu) // 2]})
    return result
