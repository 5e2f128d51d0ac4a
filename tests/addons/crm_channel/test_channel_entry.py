"""Fast order entry (products by code, name and pinyin; the distributor's authorised
products, agreed prices and stock) and the plan Excel template, through HTTP."""

from __future__ import annotations

import datetime as dt
import io
import time
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook
from starlette.testclient import TestClient

from addons.crm_channel.models import (
    AuthorisedProduct,
    ChannelStock,
    Order,
    OrderPlan,
    Period,
)
from addons.crm_customer.models import Product
from core.context import system_context
from core.testing.web import csrf_token, sign_in
from tests.addons.crm_channel.conftest import PASSWORD, ChannelWorld

pytestmark = pytest.mark.sqlite_only


def _network(world: ChannelWorld) -> int:
    """gz1 may carry P001 and P003 (not P002); P001 has a computed stock; a saved order."""
    world.agreement()
    with system_context(), world.kernel.sessions.begin() as session:
        p003 = Product(code="P003", name="板蓝根颗粒", spec="10g×20袋", price=25,
                       division_id=world.division_id)
        session.add(p003)
        session.flush()
        world.products["P003"] = p003.id
        for code in ("P001", "P003"):
            session.add(AuthorisedProduct(distributor_id=world.customers["gz1"],
                                          product_id=world.products[code],
                                          division_id=world.division_id))
        period = Period(code="2026-10", date_from=dt.date(2026, 10, 1),
                        date_to=dt.date(2026, 10, 31),
                        division_id=world.division_id)
        session.add(period)
        session.flush()
        session.add(ChannelStock(period_id=period.id, distributor_id=world.customers["gz1"],
                                 product_id=world.products["P001"], closing=137,
                                 division_id=world.division_id))
    return world.order({"P002": 5})


def _client(world: ChannelWorld) -> TestClient:
    return sign_in(world.api(), "li.na", PASSWORD)


def test_products_are_found_by_code_name_and_pinyin_among_the_authorised_ones(
        world: ChannelWorld) -> None:
    order = _network(world)
    client = _client(world)
    url = f"/a/crm_channel/orders/{order}/entry"
    for query in ("amxl", "amoxilin", "阿莫", "P001", "胶囊"):
        found = client.get(url, params={"q": query, "part": "results", "lang": "zh_CN"})
        assert found.status_code == 200 and "阿莫西林胶囊" in found.text, query
        assert "布洛芬" not in found.text, query  # P002 is not authorised for gz1
    found = client.get(url, params={"q": "amxl", "lang": "zh_CN"}).text
    assert "137" in found and "2026-10" in found  # the distributor's stock and its period
    assert "10.00" in found and "协议价" in found  # the agreement's price
    assert "阿莫西林胶囊" in client.get(url, params={"q": "", "part": "results"}).text
    blz = client.get(url, params={"q": "blg", "part": "results", "lang": "en"}).text
    assert "板蓝根颗粒" in blz and "list price" in blz and "not computed" in blz
    nothing = client.get(url, params={"q": "bulf", "part": "results", "lang": "en"}).text
    assert "No authorised product" in nothing
    other = sign_in(world.api(), "zhang.wei", PASSWORD).get(url)
    assert other.status_code in (403, 404)  # zhang.wei does not see li.na's order


def test_typed_quantities_become_priced_lines_and_refusals_name_the_product(
        world: ChannelWorld) -> None:
    order = _network(world)
    client = _client(world)
    url = f"/a/crm_channel/orders/{order}/entry"
    token = csrf_token(client.get(url).text)
    p1, p2, p3 = (world.products[code] for code in ("P001", "P002", "P003"))
    added = client.post(url, data={"csrf_token": token, f"qty_{p1}": "20", f"qty_{p3}": "4",
                                   f"qty_{p1 + 100}": ""}, follow_redirects=False)
    assert added.status_code == 303, added.text
    lines = {line.product_id: line for line in world.read_lines(order)}
    assert lines[p1].quantity == 20 and str(lines[p1].price) == "10.00"  # agreed
    assert lines[p3].quantity == 4 and str(lines[p3].price) == "25.00"  # list price
    assert str(world.read(Order, order).total) == "380.00"  # 5×16 + 20×10 + 4×25
    again = client.post(url, data={"csrf_token": token, f"qty_{p1}": "5"},
                        follow_redirects=False)
    assert again.status_code == 303
    assert {line.product_id: line.quantity for line in world.read_lines(order)}[p1] == 25
    refused = client.post(url + "?lang=en", data={"csrf_token": token, f"qty_{p2}": "3"})
    assert refused.status_code == 422 and "not authorised" in refused.text
    bad = client.post(url + "?lang=en", data={"csrf_token": token, f"qty_{p1}": "x"})
    assert bad.status_code == 422 and "whole quantity" in bad.text
    assert len(world.read_lines(order)) == 3
    world.fire("li.na", Order, order, "submit")
    late = client.post(url + "?lang=en", data={"csrf_token": token, f"qty_{p1}": "1"})
    assert late.status_code == 422 and "saved order only" in late.text
    form = client.get(f"/m/crm_channel_order/{order}?lang=zh_CN").text
    assert f"/a/crm_channel/orders/{order}/entry" in form  # the link on the order form


def _upload(client: TestClient, content: bytes) -> dict[str, Any]:
    page = client.get("/m/crm_channel_plan/import")
    answer = client.post("/m/crm_channel_plan/import", data={"csrf_token": csrf_token(page.text)},
                         files={"file": ("plan.xlsx", content, "application/octet-stream")},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text[-400:]
    url = answer.headers["location"]
    for _attempt in range(300):
        status = client.get(url, headers={"Accept": "application/json"}).json()
        if status["state"] in ("done", "failed"):
            break
        time.sleep(0.05)
    status["url"] = url
    return status


def test_the_plan_template_downloads_as_xlsx_and_imports_all_rows_or_none(
        world: ChannelWorld) -> None:
    client = _client(world)
    template = client.get("/m/crm_channel_plan/import/template.xlsx?lang=zh_CN")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    headers = [cell.value for cell in sheet[1] if cell.value]
    assert headers[:4] == ["月份（YYYY-MM）", "经销商", "产品", "计划数量"], headers

    def book(rows: list[list[Any]]) -> bytes:
        out = Workbook()
        sheet = out.active
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        data = io.BytesIO()
        out.save(data)
        return data.getvalue()

    bad = _upload(client, book([["2027-01", "GZ1", "P001", 100],
                                ["2027-13", "GZ1", "P002", 50],
                                ["2027-01", "T001", "P001", 10],
                                ["2027-02", "GZ1", "P999", 10]]))
    assert bad["state"] == "done" and not bad["committed"], bad
    report = client.get(bad["url"] + "/errors.csv?lang=zh_CN").content.decode("utf-8-sig")
    lines = sorted(report.splitlines()[1:])  # row, column, cell, message
    assert [line.split(",")[:3] for line in lines] == [
        ["3", "Month (YYYY-MM)", "2027-13"], ["4", "Distributor", "T001"],
        ["5", "Product", "P999"]], report
    assert "YYYY-MM" in lines[0] and "distributors" in lines[1]
    with system_context(), world.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(OrderPlan)) == 0
    good = _upload(client, book([["2027-01", "GZ1", "P001", 100],
                                 ["2027-01", "国药控股广州有限公司", "P002", 50],
                                 ["2027-02", "GZ2", "阿莫西林胶囊", 30]]))
    assert good["committed"] and good["created"] == 3, good
    with system_context(), world.kernel.session() as session:
        plans = sorted(session.execute(sa.select(OrderPlan.month, OrderPlan.distributor_id,
                                                 OrderPlan.product_id, OrderPlan.quantity)))
    assert plans == [("2027-01", world.customers["gz1"], world.products["P001"], 100),
                     ("2027-01", world.customers["gz1"], world.products["P002"], 50),
                     ("2027-02", world.customers["gz2"], world.products["P001"], 30)]
    again = _upload(client, book([["2027-01", "GZ1", "P001", 120]]))
    assert not again["committed"]  # the month's plan exists: change it, not a second one

