"""Channel stock equals a hand computation; a closed period is locked; rebate tiers in SQL.

These run on both engines: the figures come from set-based SQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from addons.crm_channel.flowimport import import_file
from addons.crm_channel.inventory import compute_stock
from addons.crm_channel.models import (
    ChannelStock,
    OpeningStock,
    Period,
    Rebate,
    RebatePolicy,
    ReturnRequest,
    StockAdjustment,
    StockReport,
)
from addons.crm_channel.rebates import compute_rebates
from core.context import acting_as, system_context
from core.errors import ValidationError
from core.reports import run_report
from tests.addons.crm_channel.conftest import ChannelWorld

GZ1_FLOW = "日期,客户名称,产品,批号,数量\n2026-11-02,广州医药二级商业公司,P001,B1,12\n" \
           "2026-11-12,GZ2,阿莫西林胶囊,B1,3\n2026-11-15,GZ2,P002,B9,2\n"


def _period(world: ChannelWorld, code: str, start: str, end: str) -> int:
    return world.create("mgr", Period, {"code": code, "date_from": start, "date_to": end})


def _compute(world: ChannelWorld, period_id: int) -> dict[int, ChannelStock]:
    with acting_as(world.actor("mgr")), world.kernel.sessions.begin() as session:
        compute_stock(session, session.get(Period, period_id))
    with system_context(), world.kernel.session() as session:
        rows = {row.product_id: row for row in session.scalars(
            sa.select(ChannelStock).where(ChannelStock.period_id == period_id,
                                          ChannelStock.distributor_id == world.customers["gz1"]))}
        session.expunge_all()
        return rows


def _import(world: ChannelWorld, login: str = "li.na") -> None:
    with acting_as(world.actor(login)), world.kernel.sessions.begin() as session:
        import_file(session, distributor_id=world.customers["gz1"], period="2026-11",
                    data=GZ1_FLOW.encode(), file_name="gz1.csv")


def _movements(world: ChannelWorld, nov: int) -> None:
    """Opening 100, shipped 30, returned 4, sold 15 (+2 of P002), adjusted −5, reported 110."""
    p001, gz1 = world.products["P001"], world.customers["gz1"]
    world.create("mgr", OpeningStock, {"period_id": nov, "distributor_id": gz1,
                                       "product_id": p001, "quantity": 100})
    order = world.shipped_order({"P001": 30})
    back = world.create("li.na", ReturnRequest, {
        "order_id": order, "return_date": "2026-11-20", "reason": "quality",
        "lines": [{"product_id": p001, "quantity": 4}]})
    world.fire("li.na", ReturnRequest, back, "submit")
    world.decide("mgr", world.tasks(ReturnRequest, back)[0].id)
    world.fire("erp", ReturnRequest, back, "process", values={"erp_return_no": "RT-1"})
    _import(world)
    counted = world.create("li.na", StockAdjustment, {
        "period_id": nov, "distributor_id": gz1, "product_id": p001, "quantity": -5,
        "reason": "盘点破损"})
    world.fire("li.na", StockAdjustment, counted, "submit")
    world.decide("mgr", world.tasks(StockAdjustment, counted)[0].id)
    world.create("li.na", StockAdjustment, {  # a draft does not count
        "period_id": nov, "distributor_id": gz1, "product_id": p001, "quantity": 100,
        "reason": "未审批"})
    world.create("li.na", StockReport, {"period_id": nov, "distributor_id": gz1,
                                        "product_id": p001, "quantity": 110})


def test_channel_stock_equals_the_hand_computation(world: ChannelWorld) -> None:
    world.agreement()
    nov = _period(world, "2026-11", "2026-11-01", "2026-11-30")
    dec = _period(world, "2026-12", "2026-12-01", "2026-12-31")
    _movements(world, nov)
    rows = _compute(world, nov)
    p001 = rows[world.products["P001"]]
    assert (p001.opening, p001.purchased, p001.returned, p001.sold, p001.adjusted) == \
        (100, 30, 4, 15, -5)
    assert (p001.closing, p001.reported, p001.difference) == (106, 110, 4)
    p002 = rows[world.products["P002"]]
    assert (p002.sold, p002.closing, p002.reported) == (2, -2, None)
    assert _compute(world, nov)[world.products["P001"]].closing == 106  # recomputing replaces
    december = _compute(world, dec)[world.products["P001"]]
    assert (december.opening, december.closing) == (106, 106)


def test_a_closed_period_refuses_changes(world: ChannelWorld) -> None:
    nov = _period(world, "2026-11", "2026-11-01", "2026-11-30")
    gz1, p001 = world.customers["gz1"], world.products["P001"]
    report = world.create("li.na", StockReport, {"period_id": nov, "distributor_id": gz1,
                                                 "product_id": p001, "quantity": 5})
    world.fire("mgr", Period, nov, "close")
    with pytest.raises(ValidationError):
        world.create("li.na", StockReport, {"period_id": nov, "distributor_id": gz1,
                                            "product_id": world.products["P002"], "quantity": 1})
    with pytest.raises(ValidationError):
        with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
            session.delete(session.get(StockReport, report))
    with pytest.raises(ValidationError):
        _import(world)
    with pytest.raises(ValidationError):
        _compute(world, nov)
    world.fire("gm", Period, nov, "reopen", comment="补录流向")
    _import(world)


def test_rebate_tiers_are_computed_in_sql(world: ChannelWorld) -> None:
    world.agreement()
    world.shipped_order({"P001": 30})  # gz1: 300.00 shipped
    world.shipped_order({"P001": 50}, distributor="fs1", login="zhang.wei", price="25.00")
    tiers = [{"threshold": "0", "rate": "1"}, {"threshold": "300", "rate": "2"},
             {"threshold": "1000", "rate": "3"}]
    policy = world.create("fin", RebatePolicy, {
        "name": "一级商业进货返利", "tier": "tier1", "basis": "purchases",
        "date_from": "2026-01-01", "date_to": "2026-12-31", "tiers": tiers})
    with acting_as(world.actor("fin")), world.kernel.sessions.begin() as session:
        assert compute_rebates(session, session.get(RebatePolicy, policy), "2026-11") == 2
    with system_context(), world.kernel.session() as session:
        found = {r.distributor_id: (r.basis_amount, r.rate, r.amount)
                 for r in session.scalars(sa.select(Rebate))}
    assert found[world.customers["gz1"]][0] == Decimal("300.00")
    assert found[world.customers["gz1"]][2] == Decimal("6.00")  # 2 % from 300 on
    assert found[world.customers["fs1"]][2] == Decimal("37.50")  # 3 % of 1,250
    with acting_as(world.actor("fin")), world.kernel.sessions.begin() as session:
        assert compute_rebates(session, session.get(RebatePolicy, policy), "2026-10") == 0
    assert world.count(Rebate, "zhang.wei") == 1  # a rep sees their distributors' rebates


def test_every_channel_report_runs_on_the_data(world: ChannelWorld) -> None:
    world.agreement()
    nov = _period(world, "2026-11", "2026-11-01", "2026-11-30")
    _movements(world, nov)
    _compute(world, nov)
    keys = [key for key, item in world.kernel.reports.items() if item.addon == "crm_channel"]
    assert len(keys) == 7
    with acting_as(world.actor("gm")), world.kernel.session() as session:
        for key in keys:
            report = world.kernel.reports[key].report
            result = run_report(session, report, rows=report.default_rows)
            assert result.rows is not None, key
        stock = run_report(session, world.kernel.reports["channel_stock"].report,
                           rows="product", columns="")
        assert stock.totals["closing"] == 106 - 2 + 15 + 2  # gz1's P001, P002; gz2 bought 17
        orders = run_report(session, world.kernel.reports["channel_orders"].report,
                            rows="product", columns="")
        assert orders.totals["amount"] == Decimal("300.00") and orders.totals["returned"] == 4
