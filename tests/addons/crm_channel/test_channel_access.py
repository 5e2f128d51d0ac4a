"""Record rules on every channel model; pages, tabs and reports in both languages; the
network tree; terminal requests and plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from addons.crm_channel import demo
from addons.crm_channel.models import (
    MODELS,
    Agreement,
    AgreementLine,
    AuthorisedProduct,
    ChannelStock,
    FlowAlias,
    FlowImport,
    FlowLayout,
    FlowLine,
    Inspection,
    OpeningStock,
    Order,
    OrderLine,
    OrderPlan,
    Period,
    Rebate,
    RebatePolicy,
    RebateTier,
    Receipt,
    ReceiptLine,
    ReturnLine,
    ReturnRequest,
    Shipment,
    ShipmentLine,
    StockAdjustment,
    StockReport,
    SupplierLink,
    TerminalRequest,
    TerminalRequestLine,
    Territory,
)
from addons.crm_channel.pages import network
from core import actions as record_actions
from core.context import acting_as, system_context
from core.orm import Model
from core.reports import run_report
from core.testing.web import csrf_token, sign_in
from tests.addons.crm_channel.conftest import PASSWORD, ChannelWorld

pytestmark = pytest.mark.sqlite_only
SHARED = {Period, RebatePolicy, RebateTier}  # the division's, seen by everybody


def _one_of_each(world: ChannelWorld, distributor: int, period: int, policy: int) -> None:
    """A row of every channel model for `distributor` (bulk, as data arrives from outside)."""
    day = dt.date(2026, 11, 5)
    product = world.products["P001"]
    base = {"distributor_id": distributor, "product_id": product}
    with system_context(), world.kernel.sessions.begin() as session:
        def add(model: Any, **values: Any) -> int:
            return demo._insert(session, model, [{**values, **demo._stamps(world.division_id)}])[0]

        add(SupplierLink, customer_id=distributor, upstream_id=world.customers["gz1"],
            date_from=day)
        add(Territory, distributor_id=distributor, region_id=1)
        add(AuthorisedProduct, **base)
        agreement = add(Agreement, distributor_id=distributor, year=2026, date_from=day,
                        date_to=day, state="draft", target_amount=Decimal(0))
        add(AgreementLine, agreement_id=agreement, product_id=product, supply_price=Decimal(1))
        order = add(Order, distributor_id=distributor, order_date=day, state="saved",
                    total=Decimal(0))
        add(OrderLine, order_id=order, product_id=product, quantity=1, amount=Decimal(0),
            shipped_qty=0, backorder_qty=1, returned_qty=0)
        shipment = add(Shipment, order_id=order, distributor_id=distributor, delivery_no="D",
                       ship_date=day)
        add(ShipmentLine, shipment_id=shipment, ship_date=day, quantity=1, amount=Decimal(0),
            **base)
        back = add(ReturnRequest, order_id=order, distributor_id=distributor, return_date=day,
                   reason="other", state="saved", total=Decimal(0))
        add(ReturnLine, return_id=back, product_id=product, quantity=1, amount=Decimal(0))
        receipt = add(Receipt, order_id=order, distributor_id=distributor, received_on=day,
                      has_differences=False)
        add(ReceiptLine, receipt_id=receipt, product_id=product, shipped_qty=1, quantity=1,
            difference=0)
        add(OrderPlan, month="2026-11", quantity=1, **base)
        request = add(TerminalRequest, terminal_id=distributor, request_date=day, state="draft")
        add(TerminalRequestLine, request_id=request, product_id=product, quantity=1)
        add(FlowLayout, distributor_id=distributor, date_column="a", customer_column="b",
            product_column="c", quantity_column="d")
        add(FlowAlias, distributor_id=distributor, kind="customer", name="x")
        flow = add(FlowImport, distributor_id=distributor, period="2026-11", row_count=1,
                   unmatched_count=0)
        add(FlowLine, import_id=flow, distributor_id=distributor, period="2026-11",
            customer_name="x", product_name="y", quantity=1)
        for model in (OpeningStock, StockReport):
            add(model, period_id=period, quantity=1, **base)
        add(StockAdjustment, period_id=period, quantity=1, reason="r", state="draft", **base)
        add(ChannelStock, period_id=period, opening=0, purchased=0, returned=0, sold=0,
            adjusted=0, closing=0, **base)
        add(Inspection, found_on=day, product_id=product, place="p", distributor_id=distributor,
            traced=False, state="draft")
        add(Rebate, policy_id=policy, distributor_id=distributor, period="2026-11",
            basis_amount=Decimal(0), rate=Decimal(0), amount=Decimal(0), state="draft")


def test_every_channel_model_follows_its_distributor(world: ChannelWorld) -> None:
    with system_context(), world.kernel.sessions.begin() as session:
        period = demo._insert(session, Period, [{
            "code": "2026-11", "date_from": dt.date(2026, 11, 1),
            "date_to": dt.date(2026, 11, 30), "state": "open",
            **demo._stamps(world.division_id)}])[0]
        policy = demo._insert(session, RebatePolicy, [{
            "name": "p", "basis": "purchases", "date_from": dt.date(2026, 1, 1),
            "date_to": dt.date(2026, 12, 31), "active": True,
            **demo._stamps(world.division_id)}])[0]
        demo._insert(session, RebateTier, [{"policy_id": policy, "threshold": Decimal(0),
                                            "rate": Decimal(1),
                                            **demo._stamps(world.division_id)}])
    _one_of_each(world, world.customers["gz2"], period, policy)  # li.na's
    _one_of_each(world, world.customers["fs1"], period, policy)  # zhang.wei's
    models = [m for m in MODELS if isinstance(m, type) and issubclass(m, Model)]
    assert len(models) == 29
    for model in models:
        seen = {login: world.count(model, login) for login in ("li.na", "zhang.wei", "mgr", "gm")}
        if model in SHARED:
            assert seen == dict.fromkeys(seen, 1), model.__name__
        else:
            assert seen == {"li.na": 1, "zhang.wei": 1, "mgr": 2, "gm": 2}, model.__name__
    assert world.count(Rebate, "fin") == 2 and world.count(Order, "erp") == 2


def test_the_network_tree_and_the_customer_tabs(world: ChannelWorld) -> None:
    with acting_as(world.actor("li.na")), world.kernel.session() as session:
        tree, roots = network(session, None)
    assert [r.name for r in roots] == ["国药控股广州有限公司"]  # fs1 is zhang.wei's
    (top,) = tree
    assert top["children"][0]["name"] == "广州医药二级商业公司"
    assert top["children"][0]["children"][0]["name"] == "大参林天河店"
    client = sign_in(world.api(), "li.na", PASSWORD)
    page = client.get("/a/crm_channel/network?lang=zh_CN")
    assert page.status_code == 200 and "渠道网络" in page.text and "大参林天河店" in page.text
    page = client.get("/a/crm_channel/network?lang=en")
    assert "Channel network" in page.text and "Tier-1 distributor" in page.text
    # Options in the language of each request (the first one's must not stick).
    english = client.get(f"/m/crm_customer/{world.customers['gz1']}?lang=en")
    assert "Tier-1 distributor" in english.text
    customer = client.get(f"/m/crm_customer/{world.customers['gz1']}?lang=zh_CN")
    assert customer.status_code == 200
    for tab in ("订货单", "流向数据", "渠道库存", "经销协议", "返利", "窜货案件"):
        assert tab in customer.text, tab
    assert "一级商业" in customer.text  # the channel tier on the customer form
    orders = client.get("/m/crm_channel_order?lang=en")
    assert orders.status_code == 200 and "Distributor orders" in orders.text
    upload = client.get("/a/crm_channel/flow/import?lang=zh_CN")
    assert upload.status_code == 200 and "导入流向" in upload.text


def test_the_flow_upload_page_imports_and_shows_the_import(world: ChannelWorld) -> None:
    client = sign_in(world.api(), "li.na", PASSWORD)
    page = client.get("/a/crm_channel/flow/import")
    token = csrf_token(page.text)
    data = "日期,客户名称,产品,批号,数量\n2026-11-02,大参林天河店,P001,B1,4\n2026-11-03,无名药店,P001,B1,2\n"
    answer = client.post("/a/crm_channel/flow/import", data={
        "csrf_token": token, "distributor": str(world.customers["gz2"]), "period": "2026-11"},
        files={"file": ("flow.csv", data.encode(), "text/csv")}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    shown = client.get(answer.headers["location"] + "?lang=zh_CN")
    assert shown.status_code == 200 and "无名药店" in shown.text


def test_a_terminal_request_becomes_an_order_and_plans_meet_orders(
        world: ChannelWorld) -> None:
    world.agreement(distributor="gz2")
    request = world.create("li.na", TerminalRequest, {
        "terminal_id": world.customers["tianhe"], "request_date": "2026-11-10",
        "lines": [{"product_id": world.products["P001"], "quantity": 12}]})
    assert world.read(TerminalRequest, request).distributor_id == world.customers["gz2"]
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        record_actions.run(session, world.kernel.records[TerminalRequest], request,
                           "make_order", {})
    made = world.read(TerminalRequest, request)
    order = world.read(Order, made.order_id)
    assert made.state == "ordered" and order.distributor_id == world.customers["gz2"]
    assert str(order.total) == "120.00"  # the agreement's price
    world.create("li.na", OrderPlan, {"month": "2026-11", "distributor_id":
                                      world.customers["gz2"], "product_id":
                                      world.products["P001"], "quantity": 48})
    world.fire("li.na", Order, order.id, "submit")
    world.decide("mgr", world.tasks(Order, order.id)[0].id)
    report = world.kernel.reports["channel_plan_actual"].report
    with acting_as(world.actor("mgr")), world.kernel.session() as session:
        result = run_report(session, report, rows="month", columns="")
    assert result.totals["planned"] == 48 and result.totals["actual"] == 12
    assert float(result.totals["completion"]) == pytest.approx(25.0)
