"""A file's own damage is a row error and nothing is written (#13): an unclosed quote,
extra cells, an XLSX formula whose value was never saved."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Customer
from core.context import acting_as, system_context
from core.dataexchange import run_import
from tests.core.org_fixtures import build_org

pytestmark = pytest.mark.sqlite_only  # reading files: the engine does not matter


@pytest.fixture()
def org(kernel):
    return build_org(kernel)


def imported(kernel, org, data: bytes, filename: str = "c.csv", **options):
    with acting_as(org.actor(kernel, "li.na")):
        return run_import(kernel, Customer, io.BytesIO(data), filename=filename, **options)


def written(kernel) -> int:
    with system_context(), kernel.session() as session:
        return session.scalar(sa.select(sa.func.count()).where(Customer.code.like("F-%"))) or 0


def test_an_unclosed_quote_is_an_error_of_its_row(kernel, org, cli, tmp_path: Path) -> None:
    data = '名称,编码\n甲公司,F-1\n"乙公司,F-2\n丙公司,F-3\n丁公司,F-4\n'.encode()
    for valid_only in (False, True):
        result = imported(kernel, org, data, valid_only=valid_only)
        assert [error.row for error in result.errors] == [3], result.errors
        assert "quote" in result.errors[0].message
        assert not result.committed and written(kernel) == 0
    path = tmp_path / "quote.csv"
    path.write_bytes(data)
    failed = cli("import", "crm_customer", str(path), "--as", "li.na", ok=False)
    assert failed.returncode == 1 and written(kernel) == 0


def test_a_row_with_more_cells_than_titles_is_an_error(kernel, org) -> None:
    data = "名称,编码\n甲公司,F-1\n乙公司,F-2,多出来的\n".encode()
    result = imported(kernel, org, data)
    assert [(error.row, error.value) for error in result.errors] == [(3, "多出来的")]
    assert not result.committed and written(kernel) == 0


def test_an_xlsx_formula_without_a_saved_value_is_an_error(kernel, org) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["名称", "编码"])
    sheet.append(["甲公司", "F-1"])
    sheet.append(["乙公司", '="F-"&2'])  # openpyxl saves formulas without their values
    stream = io.BytesIO()
    workbook.save(stream)
    result = imported(kernel, org, stream.getvalue(), filename="c.xlsx")
    assert [(error.row, error.column) for error in result.errors] == [(3, "编码")]
    assert "formula" in result.errors[0].message
    assert not result.committed and written(kernel) == 0
