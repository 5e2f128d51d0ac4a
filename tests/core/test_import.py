"""Importing CSV and XLSX files: templates, encodings, lookups, all-or-nothing, safety."""

from __future__ import annotations

import csv
import io
import json
import logging
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Customer
from core.context import acting_as, system_context
from core.dataexchange import (
    ImportResult,
    error_report,
    import_job,
    run_import,
    start_import_job,
    template,
)
from core.dataexchange.sources import MAX_RATIO
from core.errors import AccessDenied, ValidationError
from core.i18n import using_locale
from core.models import Region, User
from tests.core.org_fixtures import build_org

HEADER = ["名称", "编码", "电话", "负责人", "区域"]


@pytest.fixture()
def org(kernel):
    return build_org(kernel)


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def imported(kernel, org, login: str, data: bytes, filename: str = "客户.csv", **options) -> ImportResult:
    with acting_as(org.actor(kernel, login)):
        return run_import(kernel, Customer, data, filename=filename, **options)


def stored(kernel, *codes: str) -> dict[str, Customer]:
    with system_context(), kernel.session() as session:
        query = sa.select(Customer)
        if codes:
            query = query.where(Customer.code.in_(codes))
        return {c.code: c for c in session.scalars(query)}


def count(kernel) -> int:
    with system_context(), kernel.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(Customer))


def region_id(kernel, code: str) -> int:
    with system_context(), kernel.session() as session:
        return session.scalar(sa.select(Region.id).where(Region.code == code))


# ------------------------------------------------------------- templates


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_filled_with_three_rows_imports_them(kernel, org, fmt) -> None:
    with using_locale("zh_CN"):
        blank = template(kernel, Customer, fmt)
    filled = [{"名称": "南京新元化工有限公司", "编码": "T-1", "电话": "025-1", "区域": "南京市",
               "级别": "A: key account"},
              {"名称": "杭州瑞丰物流有限公司", "编码": "T-2", "区域": "320100", "级别": "b"},
              {"名称": "无锡博远信息技术有限公司", "编码": "T-3", "负责人": "li.na"}]
    if fmt == "csv":
        assert blank.startswith(b"\xef\xbb\xbf")
        header, help_row = list(csv.reader(io.StringIO(blank.decode("utf-8-sig"))))
        assert header[:3] == ["名称", "编码", "电话"] and {"负责人", "区域"} <= set(header)
        assert help_row[0].startswith("#") and "必填" in help_row[0]
        data = blank + csv_bytes([[row.get(title, "") for title in header] for row in filled], "utf-8")
    else:
        workbook = openpyxl.load_workbook(io.BytesIO(blank))
        sheet = workbook.worksheets[0]
        header = [cell.value for cell in sheet[1]]
        assert header[:3] == ["名称", "编码", "电话"] and {"负责人", "区域"} <= set(header)
        assert "必填" in sheet["A1"].comment.text
        assert workbook["说明"].max_row == len(header) + 1  # one line per column
        for row in filled:
            sheet.append([row.get(title) for title in header])
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    result = imported(kernel, org, "li.na", data, filename=f"客户.{fmt}")
    assert result.errors == [] and result.committed and result.created == 3
    saved = stored(kernel, "T-1", "T-2", "T-3")
    assert saved["T-1"].name == "南京新元化工有限公司"
    assert saved["T-1"].region_id == saved["T-2"].region_id == region_id(kernel, "320100")
    assert [saved[code].level for code in ("T-1", "T-2", "T-3")] == ["A", "B", None]
    assert {c.status for c in saved.values()} == {"prospect"}  # empty: the column's default
    assert {c.owner_id for c in saved.values()} == {org.users["li.na"]}  # empty owner: the importer
    assert {c.division_id for c in saved.values()} == {org.divisions["EAST"]}
    assert {c.create_uid for c in saved.values()} == {org.users["li.na"]}
    assert {c.version for c in saved.values()} == {1}


def test_xlsx_template_offers_choice_lists(kernel) -> None:
    with using_locale("en"):
        workbook = openpyxl.load_workbook(io.BytesIO(template(kernel, Region, "xlsx")))
    sheet = workbook.worksheets[0]
    level = [cell.value for cell in sheet[1]].index("Level") + 1
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1 and validations[0].type == "list"
    assert str(validations[0].sqref) == f"{openpyxl.utils.get_column_letter(level)}2:" \
        f"{openpyxl.utils.get_column_letter(level)}100001"
    lists = workbook["Lists"]
    assert lists.sheet_state == "hidden"
    assert [row[0].value for row in lists.iter_rows()] == ["Province", "City", "County"]
    assert "One of: Province / City / County" in sheet.cell(row=1, column=level).comment.text


# ------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_bom_or_gbk_keeps_chinese_names(kernel, org, encoding) -> None:
    data = csv_bytes([HEADER, ["南京华信机电有限公司（江宁）", "E-1", "", "", "南京市"],
                      ["苏州恒通电气自动化股份有限公司", "E-2", "", "", ""]], encoding)
    result = imported(kernel, org, "li.na", data)
    assert result.committed, result.errors
    assert stored(kernel, "E-1")["E-1"].name == "南京华信机电有限公司（江宁）"
    assert stored(kernel, "E-2")["E-2"].name == "苏州恒通电气自动化股份有限公司"


def test_a_file_in_another_encoding_is_refused_clearly(kernel, org) -> None:
    data = "名称,编码\n南京,X\n".encode("utf-16")
    with pytest.raises(ValidationError, match="neither UTF-8 nor GBK"):
        imported(kernel, org, "li.na", data)


def test_an_xlsx_file_with_typed_cells_imports(kernel, org) -> None:
    data = xlsx_bytes([["Name", "code", "Phone", "Region"],
                       ["南京长江医药有限公司", "X-1", 13800138000, 320100],
                       [None, None, None, None],
                       ["扬州瘦西湖商贸有限公司", 42, "0514-1", "南京市"]])
    result = imported(kernel, org, "li.na", data, filename="upload.xlsx")
    assert result.committed, result.errors
    saved = stored(kernel, "X-1", "42")
    assert saved["X-1"].phone == "13800138000"
    assert saved["42"].region_id == region_id(kernel, "320100")


# --------------------------------------------------------------- lookups


def test_lookups_match_code_name_or_id_with_one_query_per_column(kernel, org) -> None:
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    rows = [HEADER] + [[f"客户{n}", f"L-{n}", "", owner, region] for n, (owner, region) in
                       enumerate([("li.na", "320100"), ("li.na", "南京市"),
                                  (str(org.users["li.na"]), str(region_id(kernel, "320100")))] * 50)]
    actor = org.actor(kernel, "mgr")
    sa.event.listen(kernel.engine, "before_cursor_execute", record)
    try:
        with acting_as(actor):
            result = run_import(kernel, Customer, csv_bytes(rows), filename="a.csv")
    finally:
        sa.event.remove(kernel.engine, "before_cursor_execute", record)
    assert result.committed, result.errors[:3]
    saved = stored(kernel, *[f"L-{n}" for n in range(150)])
    assert {c.owner_id for c in saved.values()} == {org.users["li.na"]}
    assert {c.region_id for c in saved.values()} == {region_id(kernel, "320100")}
    assert len([s for s in statements if s.startswith("SELECT kehu_region.id")]) == 1
    assert len([s for s in statements if s.startswith("SELECT kehu_user.id")]) == 1


def test_unknown_and_ambiguous_lookups_are_reported_with_row_and_column(kernel, org) -> None:
    with system_context(), kernel.sessions.begin() as session:
        for login in ("zhang.wei.1", "zhang.wei.2"):
            session.add(User(login=login, name="张伟", division_id=org.divisions["EAST"]))
    data = csv_bytes([HEADER, ["好客户", "U-1", "", "", "320100"],
                      ["坏区域", "U-2", "", "", "火星"],
                      ["重名", "U-3", "", "张伟", ""]])
    result = imported(kernel, org, "mgr", data)
    assert not result.committed and count(kernel) == 5
    assert [(e.row, e.column, e.value) for e in result.errors] == [(3, "Region", "火星"),
                                                                   (4, "Owner", "张伟")]
    assert "No Region with this code or name" in result.errors[0].message
    assert "use the code" in result.errors[1].message


def test_a_rep_cannot_reference_records_she_may_not_see(kernel, org) -> None:
    """Customers reference users; a lookup runs as the importer (rules apply)."""
    with system_context(), kernel.sessions.begin() as session:
        session.add(User(login="hq.person", name="总部某人", division_id=org.divisions["HQ"]))
    data = csv_bytes([HEADER, ["客户", "V-1", "", "hq.person", ""]])
    result = imported(kernel, org, "li.na", data)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Owner")]


# ------------------------------------------------------ all or nothing


def _ten_thousand_rows() -> tuple[bytes, set[int]]:
    rows = [HEADER] + [[f"批量客户{n:05d}", f"B-{n:05d}", f"025-{n:08d}", "", "320100"]
                       for n in range(10_000)]
    rows[3][0] = ""  # file row 4: the name is required
    rows[5000][4] = "不存在的城市"  # file row 5001: unknown region
    rows[10_000][0] = "长" * 201  # file row 10001: too long
    return csv_bytes(rows), {4, 5001, 10_001}


def test_ten_thousand_rows_with_three_bad_ones_write_nothing_and_name_those_rows(kernel, org) -> None:
    data, bad = _ten_thousand_rows()
    result = imported(kernel, org, "li.na", data)
    assert {e.row for e in result.errors} == bad and len(result.errors) == 3
    assert [e.column for e in result.errors] == ["Name", "Region", "Name"]
    assert result.errors[0].message == "This field is required."
    assert result.errors[2].message == "At most 200 characters."
    assert result.total == 10_000 and result.failed_rows == 3
    assert not result.committed and result.created == 0
    assert count(kernel) == 5


def test_valid_only_imports_the_other_rows(kernel, org, caplog) -> None:
    data, bad = _ten_thousand_rows()
    progress: list[tuple[int, int]] = []
    with caplog.at_level(logging.INFO, logger="kehu.security"):
        result = imported(kernel, org, "li.na", data, valid_only=True,
                          progress=lambda done, total: progress.append((done, total)))
    assert {e.row for e in result.errors} == bad
    assert result.committed and result.created == 9_997
    assert count(kernel) == 5 + 9_997
    assert progress[0] == (0, 10_000) and progress[-1] == (10_000, 10_000) and len(progress) == 11
    logged = [json.loads(r.getMessage()) for r in caplog.records if r.name == "kehu.security"]
    assert [(e["event"], e["login"], e["model"], e["rows"], e["failed_rows"]) for e in logged] == [
        ("import", "li.na", "crm_customer", 9_997, 3)]


def test_codes_taken_in_the_database_or_earlier_in_the_file_are_row_errors(kernel, org) -> None:
    rows = [HEADER] + [[f"客户{n}", f"D-{n}", "", "", ""] for n in range(1500)]
    rows.append(["又一个南京", "NANJING", "", "", ""])  # row 1502: exists (build_org)
    rows.append(["重复", "D-7", "", "", ""])  # row 1503: row 9 has it (another chunk)
    rows.append(["重复", "D-1499", "", "", ""])  # row 1504: row 1501, same chunk
    result = imported(kernel, org, "mgr", csv_bytes(rows))
    assert [(e.row, e.column) for e in result.errors] == [(1502, "Code"), (1503, "Code"),
                                                         (1504, "Code")]
    assert result.errors[0].message == "Another record already uses this value."
    assert count(kernel) == 5


def test_a_registered_check_refuses_rows(kernel, org, monkeypatch) -> None:
    def no_test_names(session, rows):
        return [row.error("name", "名称不能含“测试”") for row in rows if "测试" in row.values["name"]]

    # The kernel's checks, as kehu_register_import_checks gave them, and one more of crm_customer.
    assert [addon for _check, addon in kernel.import_checks[Customer]] == ["crm_customer"]
    monkeypatch.setitem(kernel.import_checks, Customer,
                        [*kernel.import_checks[Customer], (no_test_names, "crm_customer")])
    data = csv_bytes([HEADER, ["正常客户", "C-1", "", "", ""], ["测试客户", "C-2", "", "", ""]])
    result = imported(kernel, org, "li.na", data)
    assert [(e.row, e.column, e.value) for e in result.errors] == [(3, "Name", "测试客户")]
    assert not result.committed


def test_rows_a_rep_could_not_see_afterwards_are_refused(kernel, org) -> None:
    data = csv_bytes([HEADER, ["我的", "R-1", "", "", ""],
                      ["给别人的", "R-2", "", "wang.qiang", "330100"]])
    result = imported(kernel, org, "li.na", data, valid_only=True)
    # Giving the row to another rep is a hand-over, refused before the rules are (#13).
    assert [(e.row, e.message) for e in result.errors] == [
        (3, "Only a manager may give a record to another user or take it from them: "
            "ask for a hand-over.")]
    assert set(stored(kernel, "R-1", "R-2")) == {"R-1"}


def test_rights_and_division_are_checked(kernel, org) -> None:
    data = csv_bytes([HEADER, ["客户", "Z-1", "", "", ""]])
    with pytest.raises(AccessDenied):
        imported(kernel, org, "fin", data)
    with pytest.raises(AccessDenied):
        imported(kernel, org, "li.na", data, division_id=org.divisions["HQ"])
    with pytest.raises(ValidationError, match="division"):
        run_import(kernel, Customer, data, filename="a.csv")  # the system names no division
    assert count(kernel) == 5


@pytest.mark.parametrize("header, message", [
    (["名称", "编码", "微信号"], "Unknown columns: 微信号"),
    (["名称", "电话"], "lacks required columns: Code"),
    (["名称", "name", "编码"], "appear twice: name"),
])
def test_bad_headers_are_refused_naming_them(kernel, org, header, message) -> None:
    with pytest.raises(ValidationError, match=message):
        imported(kernel, org, "li.na", csv_bytes([header, ["客户"] * len(header)]))


# -------------------------------------------------------------- big file


# CI time (#22): the 100,000-row import runs on PostgreSQL only, where the size
# once changed the plans (a DELETE per chunk read the whole token table: 12
# minutes; statistics are gathered at 10,000 and 100,000 rows). Flat memory is
# measured on SQLite as the growth of the peak between a 2,000- and a
# 12,000-row import; the 10,000-row test above proves all or nothing on both.


def big_file(rows: int, *, start: int = 0) -> bytes:
    return csv_bytes([HEADER] + [[f"大批客户{n:06d}有限公司", f"H-{n:06d}", f"0{n:010d}", "",
                                  "320100" if n % 2 else "南京市"] for n in range(start, start + rows)])


@pytest.mark.postgres_only
def test_a_hundred_thousand_rows_import(kernel, org, backend) -> None:
    data = big_file(100_000)
    started = time.perf_counter()
    result = imported(kernel, org, "li.na", data)
    seconds = time.perf_counter() - started
    assert result.committed and result.created == 100_000, result.errors[:3]
    assert count(kernel) == 100_005
    print(f"\n100,000-row CSV import on {backend}: {seconds:.1f} s, "
          f"{100_000 / seconds:,.0f} rows/s")


@pytest.mark.sqlite_only
def test_an_import_keeps_its_memory_flat_whatever_the_size_of_the_file(kernel, org) -> None:
    def peak(data: bytes) -> int:
        tracemalloc.start()
        try:
            result = imported(kernel, org, "li.na", data)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            assert result.committed, result.errors[:3]

    assert imported(kernel, org, "li.na", big_file(200, start=50_000)).committed  # caches warm
    small, large = peak(big_file(2_000)), peak(big_file(12_000, start=2_000))
    print(f"\nimport peak: 2,000 rows {small / 1e6:.1f} MB, 12,000 rows {large / 1e6:.1f} MB")
    # 10,000 more rows may not cost 150 bytes each: keeping a row's values (a dict,
    # an ImportRow) or its search tokens costs several times that. Measured: ~60.
    assert large - small < 10_000 * 150
    assert count(kernel) == 14_205


# ----------------------------------------------------------------- safety


def test_a_zip_bomb_is_refused(kernel, org, tmp_path: Path) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            block = b"\0" * (1024 * 1024)
            for _ in range(20):
                entry.write(block)
    info = zipfile.ZipFile(io.BytesIO(bomb.getvalue())).infolist()[0]
    assert info.file_size / info.compress_size > MAX_RATIO
    with pytest.raises(ValidationError, match="unpacks to too much data"):
        imported(kernel, org, "li.na", bomb.getvalue(), filename="bomb.xlsx")


def test_a_file_that_is_not_a_zip_is_refused_as_xlsx(kernel, org) -> None:
    with pytest.raises(ValidationError, match="not an Excel .xlsx file"):
        imported(kernel, org, "li.na", b"name,code\nx,y\n", filename="fake.xlsx")


def test_an_xlsx_with_an_external_entity_is_refused(kernel, org) -> None:
    original = xlsx_bytes([["Name", "Code"], ["placeholder", "XXE"]])
    source = zipfile.ZipFile(io.BytesIO(original))
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                doctype = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                assert b"<t>placeholder</t>" in content
                content = doctype + content.replace(b"<t>placeholder</t>", b"<t>&xxe;</t>")
            target.writestr(item, content)
    with pytest.raises(ValidationError, match="forbidden XML"):
        imported(kernel, org, "li.na", evil.getvalue(), filename="xxe.xlsx")
    assert count(kernel) == 5


def test_formula_quotes_from_an_export_are_taken_off(kernel, org) -> None:
    data = csv_bytes([HEADER, ["'=HYPERLINK(\"x\")", "F-1", "'+86 25", "", ""]])
    assert imported(kernel, org, "li.na", data).committed
    saved = stored(kernel, "F-1")["F-1"]
    assert (saved.name, saved.phone) == ('=HYPERLINK("x")', "+86 25")


# ------------------------------------------------------- report and jobs


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_error_report_lists_each_error(kernel, org, fmt) -> None:
    data = csv_bytes([HEADER, ["", "E-1", "", "", ""], ["=cmd|' /C calc'!A0", "E-2", "", "", "火星"]])
    result = imported(kernel, org, "li.na", data)
    report = error_report(result, fmt)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(report.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(report)).worksheets[0]
        rows = [[str(v) if v is not None else "" for v in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Row", "Column", "Value", "Message"]
    assert [row[:3] for row in rows[1:]] == [["2", "Name", ""], ["3", "Region", "火星"]]


def test_a_job_runs_in_the_background_and_reports_progress(kernel, org) -> None:
    rows = [HEADER] + [[f"后台客户{n}", f"J-{n}", "", "", ""] for n in range(2500)]
    actor = org.actor(kernel, "li.na")
    with acting_as(actor):
        job_id = start_import_job(kernel, Customer, csv_bytes(rows), filename="后台.csv")
    assert import_job(kernel, job_id, user_id=org.users["wang.qiang"]) is None
    job = import_job(kernel, job_id, user_id=actor.user_id)
    deadline = time.monotonic() + 120
    while job.state in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.status()["state"] == "done", job.message
    assert job.status()["done"] == job.status()["total"] == 2500
    assert job.result.created == 2500 and count(kernel) == 2505


def test_a_failed_job_says_why(kernel, org) -> None:
    with acting_as(org.actor(kernel, "li.na")):
        job_id = start_import_job(kernel, Customer, b"\xff\xfe\x00bad", filename="x.csv")
    job = import_job(kernel, job_id, user_id=org.users["li.na"])
    while job.state in ("queued", "running"):
        time.sleep(0.05)
    assert job.state == "failed" and "neither UTF-8 nor GBK" in job.message


# -------------------------------------------------------------------- CLI


def test_cli_imports_as_a_user(kernel, org, cli, tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_bytes(csv_bytes([HEADER, ["命令行客户一", "CLI-1", "", "", "南京市"],
                                ["命令行客户二", "CLI-2", "", "", ""]], "gbk"))
    result = cli("import", "crm_customer", str(path), "--as", "li.na")
    assert "2" in result.stdout
    saved = stored(kernel, "CLI-1", "CLI-2")
    assert {c.owner_id for c in saved.values()} == {org.users["li.na"]}
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADER, ["", "CLI-3", "", "", ""]]))
    failed = cli("import", "crm_customer", str(bad), "--as", "li.na", ok=False)
    assert failed.returncode == 1 and "Name" in failed.stdout + failed.stderr
    system = cli("import", "crm_customer", str(bad), "--division", "EAST", ok=False)
    assert system.returncode == 1
