"""Channel reports on the kernel's report engine (/r/<key>, Excel export, API): orders,
plan vs actual, channel stock and days of stock, flow and terminal sales, 窜货 cases,
rebates. Built by `reports()` at start-up (the tier dimension reads the customer
extension, mapped from then on)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from addons.crm_channel.models import (
    ChannelStock,
    FlowLine,
    Inspection,
    Order,
    OrderLine,
    OrderPlan,
    Rebate,
)
from addons.crm_customer.models import Customer, Product
from core.context import Actor
from core.i18n import _l
from core.reports import Dimension, Measure, Report, month, quarter
from core.views import Filter

# Orders that count as ordered: approved by the company, whatever the ERP did since.
ORDERED = ("approved", "processed", "shipped", "closed")


def _ordered(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Order.state.in_(ORDERED)


def order_report() -> Report:
    """Order statistics by distributor, product, month, rep and division."""
    return Report(
        key="channel_orders", label=_l("Order statistics"), model=OrderLine,
        joins=[(Order, Order.id == OrderLine.order_id),
               (Customer, Customer.id == Order.distributor_id)],
        dimensions=[
            Dimension("distributor", _l("Distributor"), Order.distributor_id),
            Dimension("product", _l("Product"), OrderLine.product_id),
            Dimension("month", _l("Month"), month(OrderLine.order_date)),
            Dimension("quarter", _l("Quarter"), quarter(OrderLine.order_date)),
            Dimension("rep", _l("Sales rep"), Order.owner_id),
            Dimension("department", _l("Department"), Order.department_id),
            Dimension("region", _l("Region"), Customer.region_id),
            Dimension("tier", _l("Channel tier"), Customer.channel_tier),
            Dimension("division", _l("Division"), OrderLine.division_id),
        ],
        measures=[
            Measure("amount", _l("Amount"), sa.func.sum(OrderLine.amount), kind="money"),
            Measure("quantity", _l("Quantity"), sa.func.sum(OrderLine.quantity)),
            Measure("shipped", _l("Shipped"), sa.func.sum(OrderLine.shipped_qty)),
            Measure("backorder", _l("Back-order"), sa.func.sum(OrderLine.backorder_qty)),
            Measure("returned", _l("Returned"), sa.func.sum(OrderLine.returned_qty)),
        ],
        default_rows="distributor", default_columns="month", date_field=OrderLine.order_date,
        where=_ordered, chart="bar",
        description=_l("Approved orders (and what the ERP processed and shipped of them)."))


def _actual() -> Any:
    """Per plan row: the quantity ordered that month (approved orders or later)."""
    return (sa.select(sa.func.coalesce(sa.func.sum(OrderLine.quantity), 0))
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.distributor_id == OrderPlan.distributor_id,
                   OrderLine.product_id == OrderPlan.product_id,
                   month(Order.order_date) == OrderPlan.month, Order.state.in_(ORDERED))
            .correlate(OrderPlan).scalar_subquery())


def plan_report() -> Report:
    """Plan-completion tracking (计划完成跟踪): planned against ordered quantities."""
    actual = _actual()
    return Report(
        key="channel_plan_actual", label=_l("Plan vs actual"), model=OrderPlan,
        joins=[(Product, Product.id == OrderPlan.product_id)],
        dimensions=[
            Dimension("month", _l("Month"), OrderPlan.month),
            Dimension("distributor", _l("Distributor"), OrderPlan.distributor_id),
            Dimension("product", _l("Product"), OrderPlan.product_id),
            Dimension("category", _l("Product category"), Product.category_id),
            Dimension("division", _l("Division"), OrderPlan.division_id),
        ],
        measures=[
            Measure("planned", _l("Planned"), sa.func.sum(OrderPlan.quantity)),
            Measure("actual", _l("Ordered"), sa.func.sum(actual)),
            Measure("completion", _l("Completion"),
                    sa.func.sum(actual) * sa.literal(100.0, sa.Float)
                    / sa.func.nullif(sa.func.sum(OrderPlan.quantity), 0), kind="percent"),
        ],
        default_rows="month", chart="bar",
        description=_l("Monthly order plans against the quantities ordered (approved orders)."))


def stock_report() -> Report:
    """Channel stock by period with days of stock (库存天数)."""
    return Report(
        key="channel_stock", label=_l("Channel inventory"), model=ChannelStock,
        joins=[(Customer, Customer.id == ChannelStock.distributor_id)],
        dimensions=[
            Dimension("period", _l("Period"), ChannelStock.period_id),
            Dimension("distributor", _l("Distributor"), ChannelStock.distributor_id),
            Dimension("product", _l("Product"), ChannelStock.product_id),
            Dimension("region", _l("Region"), Customer.region_id),
            Dimension("tier", _l("Channel tier"), Customer.channel_tier),
        ],
        measures=[
            Measure("opening", _l("Opening"), sa.func.sum(ChannelStock.opening)),
            Measure("purchased", _l("Purchased"), sa.func.sum(ChannelStock.purchased)),
            Measure("sold", _l("Sold"), sa.func.sum(ChannelStock.sold)),
            Measure("closing", _l("Closing"), sa.func.sum(ChannelStock.closing)),
            Measure("reported", _l("Reported by the distributor"),
                    sa.func.sum(ChannelStock.reported)),
            Measure("difference", _l("Difference"), sa.func.sum(ChannelStock.difference)),
            # Closing stock over a month's sell-out, in days (30-day months).
            Measure("days", _l("Days of stock"),
                    sa.func.sum(ChannelStock.closing) * sa.literal(30.0, sa.Float)
                    / sa.func.nullif(sa.func.sum(ChannelStock.sold), 0), kind="decimal"),
        ],
        default_rows="distributor", default_columns="period", chart="bar",
        chart_measure="closing",
        description=_l("Computed channel stock per period, the distributors' own figures and "
                       "the days of stock the closing stock lasts at the period's sell-out."))


def _terminals(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return Customer.channel_tier == "terminal"


def flow_report(key: str, label: Any, *, terminals: bool) -> Report:
    """Sell-out from flow data by region, product, customer and month."""
    return Report(
        key=key, label=label, model=FlowLine,
        joins=[(Customer, Customer.id == FlowLine.customer_id)],
        dimensions=[
            Dimension("period", _l("Month"), FlowLine.period),
            Dimension("distributor", _l("Distributor"), FlowLine.distributor_id),
            Dimension("customer", _l("Customer"), FlowLine.customer_id),
            Dimension("product", _l("Product"), FlowLine.product_id),
            Dimension("region", _l("Region"), Customer.region_id),
            Dimension("tier", _l("Channel tier"), Customer.channel_tier),
        ],
        measures=[
            Measure("quantity", _l("Quantity"), sa.func.sum(FlowLine.quantity)),
            Measure("rows", _l("Rows"), sa.func.count(), kind="count"),
        ],
        default_rows="customer" if terminals else "region", default_columns="period",
        date_field=FlowLine.sale_date, chart="bar",
        filters=[Filter("terminals", _l("Terminals only"), _terminals)],
        where=_terminals if terminals else None,
        description=(_l("Terminal-level sell-out (pharmacies, hospitals, stores) from flow data.")
                     if terminals else
                     _l("Distributors' sell-out from flow data by region, product and month.")))


def inspection_report() -> Report:
    """Cross-region selling cases (窜货) and penalties."""
    return Report(
        key="channel_inspections", label=_l("Cross-region selling cases"), model=Inspection,
        dimensions=[
            Dimension("distributor", _l("Distributor"), Inspection.distributor_id),
            Dimension("region", _l("Found in region"), Inspection.region_id),
            Dimension("product", _l("Product"), Inspection.product_id),
            Dimension("month", _l("Month"), month(Inspection.found_on)),
            Dimension("state", _l("State"), Inspection.state),
        ],
        measures=[Measure("cases", _l("Cases"), sa.func.count(), kind="count"),
                  Measure("penalty", _l("Penalty"), sa.func.sum(Inspection.penalty),
                          kind="money")],
        default_rows="distributor", date_field=Inspection.found_on,
        description=_l("Goods found outside their territory, where they came from, penalties."))


def rebate_report() -> Report:
    """Rebates per distributor and period."""
    return Report(
        key="channel_rebates", label=_l("Rebates"), model=Rebate,
        dimensions=[
            Dimension("period", _l("Period"), Rebate.period),
            Dimension("distributor", _l("Distributor"), Rebate.distributor_id),
            Dimension("policy", _l("Rebate policy"), Rebate.policy_id),
            Dimension("state", _l("State"), Rebate.state),
        ],
        measures=[Measure("basis", _l("Basis amount"), sa.func.sum(Rebate.basis_amount),
                          kind="money"),
                  Measure("amount", _l("Rebate"), sa.func.sum(Rebate.amount), kind="money")],
        default_rows="distributor", default_columns="period",
        description=_l("Rebates computed per policy and period, drafts and approved."))


def reports() -> list[Report]:
    """The channel reports."""
    return [order_report(), plan_report(), stock_report(),
            flow_report("channel_flow", _l("Flow analysis"), terminals=False),
            flow_report("channel_terminal_sales", _l("Terminal sales"), terminals=True),
            inspection_report(), rebate_report()]
