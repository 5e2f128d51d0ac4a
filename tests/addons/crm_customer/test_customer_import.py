"""Importing customers and contacts: a small firm's 900-row Excel sheet in one step, and
10,000 rows with three bad ones that write nothing."""

from __future__ import annotations

import csv
import io
import random

import openpyxl
import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Contact, Customer, CustomerType
from addons.crm_customer.names import CITIES, ROLES, TITLES, companies, mobile, person
from core.context import acting_as, system_context
from core.dataexchange import run_import, template
from core.i18n import using_locale

TYPES = ["一级商业", "二级商业", "最终用户", "设计院", "SI客户", "零售门店"]
INDUSTRIES = ["工业制造", "商业贸易", "建筑施工", "公用事业", "新经济"]
SOURCES = ["员工推介", "商业展示", "互联网信息", "电话咨询", "上门拜访"]
CITY_NAMES = {code: f"{city}市" for city, code, _area in CITIES}
ROLE_NAMES = {"decision_maker": "决策者", "influencer": "影响者", "user": "使用者",
              "gatekeeper": "把关者", "other": "其他"}


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def customer_rows(count: int) -> list[list[object]]:
    """An old customer sheet: Chinese headers, lookups by name, an alias now and then."""
    header = ["名称", "编码", "电话", "级别", "别名（以逗号分隔）", "客户类型", "行业", "来源", "区域",
              "地址", "税号（统一社会信用代码）", "负责人"]
    rng = random.Random(900)
    rows: list[list[object]] = [header]
    for company in companies(count):
        n = company.number
        rows.append([company.name, f"KH{n:05d}", company.phone, "ABCD"[n % 4],
                     company.alias if n % 3 == 0 else None, TYPES[n % len(TYPES)],
                     INDUSTRIES[n % len(INDUSTRIES)], SOURCES[n % len(SOURCES)],
                     CITY_NAMES[company.region_code], company.address, company.tax_code,
                     rng.choice(["li.na", "wang.qiang"])])
    return rows


def test_a_small_firms_900_customer_sheet_and_its_contacts_go_in_in_one_step(kernel, org) -> None:
    manager = org.actor(kernel, "mgr")
    with acting_as(manager), using_locale("zh_CN"):
        blank = openpyxl.load_workbook(io.BytesIO(template(kernel, Customer, "xlsx")))
        headers = {cell.value for cell in blank.worksheets[0][1]}
        sheet = customer_rows(900)
        assert set(sheet[0]) <= headers  # the firm's sheet uses the template's titles
        result = run_import(kernel, Customer, xlsx(sheet), filename="客户资料.xlsx")
    assert result.errors == [] and result.committed and result.created == 900
    with system_context(), kernel.session() as session:
        by_type = dict(session.execute(
            sa.select(CustomerType.name, sa.func.count())
            .join(Customer, Customer.type_id == CustomerType.id)
            .group_by(CustomerType.name)).all())
        assert sum(by_type.values()) == 900 and by_type["一级商业"] == 150
        first = session.scalar(sa.select(Customer).where(Customer.code == "KH00003"))
        assert first.aliases and first.region_id is not None and first.owner_id is not None
    rng = random.Random(7)
    contacts = [["客户", "姓名", "职务", "手机", "决策角色", "关键人"]] + [
        [f"KH{n:05d}", person(rng), TITLES[n % len(TITLES)], mobile(n),
         ROLE_NAMES[ROLES[n % len(ROLES)]], "是" if n % 4 == 0 else "否"]
        for n in range(1, 901)]
    with acting_as(manager):
        result = run_import(kernel, Contact, xlsx(contacts), filename="联系人.xlsx")
    assert result.errors == [] and result.created == 900
    with system_context(), kernel.session() as session:
        keys = session.scalar(sa.select(sa.func.count()).select_from(Contact)
                              .where(Contact.is_key.is_(True)))
        assert keys == 225


@pytest.mark.sqlite_only  # engine-agnostic: PostgreSQL is covered elsewhere (CI time)
def test_ten_thousand_customers_with_three_bad_rows_report_them_and_write_nothing(kernel,
                                                                                  org) -> None:
    rows = customer_rows(10_000)
    rows[4][2] = "电话待补"  # file row 5: not a phone number
    rows[5_001][6] = "航天军工"  # file row 5002: no such industry
    rows[9_999][0] = "南京华信机电有限公司"  # file row 10000: an existing customer
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    with system_context(), kernel.session() as session:
        before = session.scalar(sa.select(sa.func.count()).select_from(Customer))
    with acting_as(org.actor(kernel, "mgr")):
        result = run_import(kernel, Customer, buffer.getvalue().encode("gbk"), filename="客户.csv")
    assert not result.committed and result.created == 0
    assert result.total == 10_000 and result.failed_rows == 3
    errors = {error.row: error for error in result.errors}
    assert set(errors) == {5, 5002, 10_000}
    assert errors[5].message.startswith("Enter a phone number")
    assert "航天军工" in errors[5002].value
    assert "NANJING" in errors[10_000].message
    with system_context(), kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Customer)) == before


def test_a_file_naming_one_customer_twice_reports_the_later_rows(kernel, org) -> None:
    rows = [["名称", "编码", "电话", "别名（以逗号分隔）"],
            ["苏州金桥五金机械有限公司", "SZ-01", "0512-66001234", "金桥五金"],
            ["金桥五金", "SZ-02", "0512-66009999", None],
            ["苏州金桥五金机械（昆山）有限公司", "SZ-03", "0512-66001234", None]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    with acting_as(org.actor(kernel, "li.na")):
        result = run_import(kernel, Customer, buffer.getvalue().encode("utf-8"), filename="客户.csv")
    assert not result.committed
    assert [(e.row, e.message) for e in result.errors] == [
        (3, "Row 2 of this file names the same customer."),
        (4, "Row 2 of this file names the same customer.")]


def test_an_import_run_by_the_system_into_a_division_checks_that_divisions_customers(
        kernel, org) -> None:
    rows = [["名称", "编码"], ["南京华信机电有限公司", "NJ-NEW"], ["苏州宏达电气有限公司", "SZ-NEW"]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    with system_context():  # `kehu import crm_customer 客户.csv --division EAST`
        result = run_import(kernel, Customer, buffer.getvalue().encode("utf-8"),
                            filename="客户.csv", division_id=org.divisions["EAST"])
    # 南京华信 exists in EAST; 苏州宏达 only in HQ, another division's business.
    assert [(e.row, e.column) for e in result.errors] == [(2, "Name")]
    assert "NANJING" in result.errors[0].message
