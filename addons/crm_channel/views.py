"""Lists, forms, tabs, actions and menus of crm_channel.

Built by `views()` when the kernel asks (after the models are registered): the
customer extension's `Customer.channel_tier` exists only from then on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from addons.crm_channel import erp, flowimport, inventory, rebates, terminals
from addons.crm_channel.models import (
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
from addons.crm_customer.models import Contact, Customer, Product
from addons.crm_customer.views import customer_form, customer_list
from core.context import Actor
from core.i18n import _l
from core.navigation import Menu
from core.org import ADMIN, FINANCE, GENERAL_MANAGER, INTEGRATION, SALES_MANAGER, SALES_REP
from core.views import (
    Filter,
    FormView,
    KanbanView,
    Lines,
    ListView,
    Param,
    RecordAction,
    RecordLink,
    RelatedList,
    Section,
    View,
    extend_view,
)

ERP = (INTEGRATION, ADMIN)


def _mine(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return model.owner_id == actor.user_id  # type: ignore[attr-defined,no-any-return]


def _unmatched(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return sa.or_(FlowLine.customer_id.is_(None), FlowLine.product_id.is_(None))


def _expiring(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    today = dt.date.today()
    return sa.and_(Agreement.state == "approved",
                   Agreement.date_to.between(today, today + dt.timedelta(days=30)))


def _differs(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return sa.and_(ChannelStock.difference.is_not(None), ChannelStock.difference != 0)


def _network() -> list[View]:
    return [
        extend_view(customer_form, after=Customer.upstream_id,
                    add=[Customer.channel_tier, Customer.channel_credit_limit]),
        extend_view(customer_list, after=Customer.type_id, add=[Customer.channel_tier]),
        ListView(SupplierLink, columns=[SupplierLink.customer_id, SupplierLink.upstream_id,
                                        SupplierLink.date_from, SupplierLink.date_to],
                 group_by=[SupplierLink.upstream_id], order=[(SupplierLink.date_from, True)]),
        FormView(SupplierLink, fields=[SupplierLink.customer_id, SupplierLink.upstream_id,
                                       SupplierLink.date_from, SupplierLink.date_to]),
        ListView(Territory, columns=[Territory.distributor_id, Territory.region_id],
                 group_by=[Territory.region_id, Territory.distributor_id]),
        FormView(Territory, fields=[Territory.distributor_id, Territory.region_id]),
        ListView(AuthorisedProduct, columns=[AuthorisedProduct.distributor_id,
                                             AuthorisedProduct.product_id,
                                             AuthorisedProduct.date_from,
                                             AuthorisedProduct.date_to],
                 group_by=[AuthorisedProduct.distributor_id, AuthorisedProduct.product_id]),
        FormView(AuthorisedProduct, fields=[AuthorisedProduct.distributor_id,
                                            AuthorisedProduct.product_id,
                                            AuthorisedProduct.date_from,
                                            AuthorisedProduct.date_to]),
        ListView(Agreement, columns=[Agreement.number, Agreement.distributor_id, Agreement.year,
                                     Agreement.date_from, Agreement.date_to,
                                     Agreement.target_amount, Agreement.owner_id,
                                     Agreement.state],
                 search=[Agreement.number], sums=[Agreement.target_amount],
                 filters=[Filter("expiring", _l("Expiring within 30 days"), _expiring),
                          Filter("mine", _l("Mine"), _mine)],
                 group_by=[Agreement.state, Agreement.year, Agreement.owner_id],
                 order=[(Agreement.date_from, True)]),
        FormView(Agreement, fields=[
            Section(_l("Agreement"), [Agreement.number, Agreement.distributor_id, Agreement.year,
                                      Agreement.date_from, Agreement.date_to,
                                      Agreement.region_id, Agreement.target_amount]),
            Section(_l("Responsibility"), [Agreement.owner_id, Agreement.department_id,
                                           Agreement.note])],
            lines=[Lines(Agreement.lines, columns=[
                AgreementLine.product_id, AgreementLine.supply_price,
                AgreementLine.min_resale_price, AgreementLine.min_quantity, AgreementLine.q1,
                AgreementLine.q2, AgreementLine.q3, AgreementLine.q4], label=_l("Products"))],
            readonly_in={"draft": [Agreement.number, Agreement.target_amount]}),
    ]


def _orders() -> list[View]:
    return [
        ListView(Order, columns=[Order.number, Order.distributor_id, Order.order_date,
                                 Order.total, Order.owner_id, Order.erp_order_no, Order.state],
                 search=[Order.number, Order.erp_order_no], sums=[Order.total],
                 filters=[Filter("mine", _l("My orders"), _mine)],
                 group_by=[Order.state, Order.distributor_id, Order.owner_id,
                           Order.department_id],
                 order=[(Order.order_date, True)]),
        FormView(Order, fields=[
            Section(_l("Order"), [Order.number, Order.distributor_id, Order.order_date,
                                  Order.agreement_id, Order.total, Order.note]),
            Section(_l("ERP"), [Order.erp_order_no, Order.received_on]),
            Section(_l("Responsibility"), [Order.owner_id, Order.department_id])],
            lines=[Lines(Order.lines, columns=[
                OrderLine.product_id, OrderLine.quantity, OrderLine.price, OrderLine.amount,
                OrderLine.shipped_qty, OrderLine.backorder_qty, OrderLine.returned_qty],
                label=_l("Products"))],
            readonly_in={"saved": [Order.number, Order.total, Order.erp_order_no,
                                   Order.agreement_id, Order.received_on]},
            links=[RecordLink(_l("Fast entry of products"), "/a/crm_channel/orders/{id}/entry",
                              roles=(SALES_REP, SALES_MANAGER, ADMIN))]),
        KanbanView(Order, column_by=Order.state,
                   card=[Order.number, Order.distributor_id, Order.total]),
        RecordAction(Order, "erp_ship", _l("Shipment reported by the ERP"), erp.ship,
                     params=[Param("delivery_no", _l("Delivery no.")),
                             Param("outbound_no", _l("Outbound no."), required=False),
                             Param("ship_date", _l("Shipped on"), kind="date", required=False),
                             Param("batch", _l("Batch"), required=False),
                             Param("quantities", _l("Quantities (CODE:qty; …), empty: all"),
                                   required=False)],
                     roles=ERP, visible=lambda order: order.state == "processed"),
        RecordAction(Order, "receive", _l("Received by the distributor"), erp.receive,
                     params=[Param("received_on", _l("Received on"), kind="date",
                                   required=False)],
                     visible=lambda order: order.state == "shipped"),
        RecordAction(Order, "record_receipt", _l("Record the receipt"), erp.record_receipt,
                     params=[Param("received_on", _l("Received on"), kind="date",
                                   required=False),
                             Param("contact_id", _l("Confirmed by (distributor's contact)"),
                                   kind="ref", target=Contact, required=False),
                             Param("quantities", _l("Received if not as shipped (CODE:qty; …)"),
                                   required=False),
                             Param("note", _l("Differences noted"), kind="longtext",
                                   required=False)],
                     roles=(SALES_REP, SALES_MANAGER, *ERP),
                     visible=lambda order: order.state in ("processed", "shipped", "closed")),
        RelatedList(Order, Receipt.order_id, columns=[
            Receipt.received_on, Receipt.contact_id, Receipt.owner_id, Receipt.has_differences,
            Receipt.note], label=_l("Receipts"), order=[(Receipt.received_on, True)]),
        ListView(Receipt, columns=[Receipt.received_on, Receipt.order_id, Receipt.distributor_id,
                                   Receipt.contact_id, Receipt.owner_id,
                                   Receipt.has_differences],
                 group_by=[Receipt.distributor_id, Receipt.has_differences],
                 order=[(Receipt.received_on, True)]),
        FormView(Receipt, fields=[Receipt.order_id, Receipt.shipment_id, Receipt.distributor_id,
                                  Receipt.received_on, Receipt.contact_id, Receipt.owner_id,
                                  Receipt.has_differences, Receipt.note],
                 lines=[Lines(Receipt.lines, columns=[
                     ReceiptLine.product_id, ReceiptLine.shipped_qty, ReceiptLine.quantity,
                     ReceiptLine.difference, ReceiptLine.note], label=_l("Products"))]),
        ListView(ReceiptLine, columns=[ReceiptLine.receipt_id, ReceiptLine.product_id,
                                       ReceiptLine.shipped_qty, ReceiptLine.quantity,
                                       ReceiptLine.difference],
                 sums=[ReceiptLine.quantity, ReceiptLine.difference]),
        FormView(ReceiptLine, fields=[ReceiptLine.receipt_id, ReceiptLine.product_id,
                                      ReceiptLine.shipped_qty, ReceiptLine.quantity,
                                      ReceiptLine.difference, ReceiptLine.note]),
        ListView(OrderLine, columns=[OrderLine.order_id, OrderLine.product_id,
                                     OrderLine.quantity, OrderLine.price, OrderLine.amount,
                                     OrderLine.shipped_qty, OrderLine.backorder_qty],
                 sums=[OrderLine.quantity, OrderLine.amount, OrderLine.backorder_qty],
                 group_by=[OrderLine.product_id]),
        FormView(OrderLine, fields=[OrderLine.order_id, OrderLine.product_id, OrderLine.quantity,
                                    OrderLine.price, OrderLine.amount]),
        ListView(Shipment, columns=[Shipment.delivery_no, Shipment.outbound_no, Shipment.order_id,
                                    Shipment.distributor_id, Shipment.ship_date],
                 search=[Shipment.delivery_no, Shipment.outbound_no],
                 group_by=[Shipment.distributor_id], order=[(Shipment.ship_date, True)]),
        FormView(Shipment, fields=[Shipment.order_id, Shipment.distributor_id,
                                   Shipment.delivery_no, Shipment.outbound_no, Shipment.ship_date],
                 lines=[Lines(Shipment.lines, columns=[ShipmentLine.product_id,
                                                       ShipmentLine.quantity, ShipmentLine.batch],
                              label=_l("Products"))]),
        ListView(ShipmentLine, columns=[ShipmentLine.ship_date, ShipmentLine.distributor_id,
                                        ShipmentLine.product_id, ShipmentLine.quantity,
                                        ShipmentLine.batch],
                 sums=[ShipmentLine.quantity], group_by=[ShipmentLine.product_id]),
        FormView(ShipmentLine, fields=[ShipmentLine.shipment_id, ShipmentLine.product_id,
                                       ShipmentLine.quantity, ShipmentLine.batch]),
        RelatedList(Order, Shipment.order_id, columns=[
            Shipment.delivery_no, Shipment.outbound_no, Shipment.ship_date],
            label=_l("Shipments"), order=[(Shipment.ship_date, False)]),
        RelatedList(Order, ReturnRequest.order_id, columns=[
            ReturnRequest.number, ReturnRequest.return_date, ReturnRequest.total,
            ReturnRequest.state], label=_l("Returns")),
        ListView(ReturnRequest, columns=[ReturnRequest.number, ReturnRequest.order_id,
                                         ReturnRequest.distributor_id, ReturnRequest.return_date,
                                         ReturnRequest.reason, ReturnRequest.total,
                                         ReturnRequest.state],
                 search=[ReturnRequest.number], sums=[ReturnRequest.total],
                 group_by=[ReturnRequest.state, ReturnRequest.reason,
                           ReturnRequest.distributor_id],
                 order=[(ReturnRequest.return_date, True)]),
        FormView(ReturnRequest, fields=[
            Section(_l("Return"), [ReturnRequest.number, ReturnRequest.order_id,
                                   ReturnRequest.distributor_id, ReturnRequest.return_date,
                                   ReturnRequest.reason, ReturnRequest.total,
                                   ReturnRequest.note]),
            Section(_l("ERP"), [ReturnRequest.erp_return_no]),
            Section(_l("Responsibility"), [ReturnRequest.owner_id, ReturnRequest.department_id])],
            lines=[Lines(ReturnRequest.lines, columns=[
                ReturnLine.product_id, ReturnLine.quantity, ReturnLine.batch, ReturnLine.price,
                ReturnLine.amount], label=_l("Products"))],
            readonly_in={"saved": [ReturnRequest.number, ReturnRequest.distributor_id,
                                   ReturnRequest.total, ReturnRequest.erp_return_no]}),
        ListView(ReturnLine, columns=[ReturnLine.return_id, ReturnLine.product_id,
                                      ReturnLine.quantity, ReturnLine.amount],
                 sums=[ReturnLine.quantity, ReturnLine.amount]),
        FormView(ReturnLine, fields=[ReturnLine.return_id, ReturnLine.product_id,
                                     ReturnLine.quantity, ReturnLine.price]),
        ListView(OrderPlan, columns=[OrderPlan.month, OrderPlan.distributor_id,
                                     OrderPlan.product_id, OrderPlan.quantity, OrderPlan.amount,
                                     OrderPlan.owner_id],
                 search=[OrderPlan.month], sums=[OrderPlan.quantity, OrderPlan.amount],
                 group_by=[OrderPlan.month, OrderPlan.distributor_id, OrderPlan.product_id,
                           OrderPlan.division_id],
                 order=[(OrderPlan.month, True)]),
        FormView(OrderPlan, fields=[OrderPlan.month, OrderPlan.distributor_id,
                                    OrderPlan.product_id, OrderPlan.quantity, OrderPlan.amount,
                                    OrderPlan.owner_id]),
        ListView(TerminalRequest, columns=[TerminalRequest.request_date,
                                           TerminalRequest.terminal_id,
                                           TerminalRequest.distributor_id,
                                           TerminalRequest.owner_id, TerminalRequest.order_id,
                                           TerminalRequest.state],
                 filters=[Filter("mine", _l("Mine"), _mine)],
                 group_by=[TerminalRequest.state, TerminalRequest.distributor_id],
                 order=[(TerminalRequest.request_date, True)]),
        FormView(TerminalRequest, fields=[TerminalRequest.terminal_id,
                                          TerminalRequest.distributor_id,
                                          TerminalRequest.request_date, TerminalRequest.note,
                                          TerminalRequest.order_id, TerminalRequest.owner_id],
                 lines=[Lines(TerminalRequest.lines, columns=[
                     TerminalRequestLine.product_id, TerminalRequestLine.quantity],
                     label=_l("Products"))],
                 readonly_in={"draft": [TerminalRequest.order_id]}),
        ListView(TerminalRequestLine, columns=[TerminalRequestLine.request_id,
                                               TerminalRequestLine.product_id,
                                               TerminalRequestLine.quantity]),
        FormView(TerminalRequestLine, fields=[TerminalRequestLine.request_id,
                                              TerminalRequestLine.product_id,
                                              TerminalRequestLine.quantity]),
        RecordAction(TerminalRequest, "make_order", _l("Turn into an order"),
                     terminals.make_order, visible=lambda request: request.state == "draft"),
    ]


def _flow() -> list[View]:
    return [
        ListView(FlowLayout, columns=[FlowLayout.distributor_id, FlowLayout.date_column,
                                      FlowLayout.customer_column, FlowLayout.product_column,
                                      FlowLayout.batch_column, FlowLayout.quantity_column]),
        FormView(FlowLayout, fields=[FlowLayout.distributor_id, FlowLayout.date_column,
                                     FlowLayout.customer_column, FlowLayout.product_column,
                                     FlowLayout.batch_column, FlowLayout.quantity_column]),
        ListView(FlowAlias, columns=[FlowAlias.distributor_id, FlowAlias.kind, FlowAlias.name,
                                     FlowAlias.customer_id, FlowAlias.product_id],
                 search=[FlowAlias.name], group_by=[FlowAlias.distributor_id, FlowAlias.kind]),
        FormView(FlowAlias, fields=[FlowAlias.distributor_id, FlowAlias.kind, FlowAlias.name,
                                    FlowAlias.customer_id, FlowAlias.product_id]),
        ListView(FlowImport, columns=[FlowImport.period, FlowImport.distributor_id,
                                      FlowImport.file_name, FlowImport.row_count,
                                      FlowImport.unmatched_count, FlowImport.create_date],
                 group_by=[FlowImport.period, FlowImport.distributor_id],
                 order=[(FlowImport.period, True)]),
        FormView(FlowImport, fields=[FlowImport.period, FlowImport.distributor_id,
                                     FlowImport.file_name, FlowImport.row_count,
                                     FlowImport.unmatched_count]),
        RelatedList(FlowImport, FlowLine.import_id, columns=[
            FlowLine.sale_date, FlowLine.customer_name, FlowLine.customer_id,
            FlowLine.product_name, FlowLine.product_id, FlowLine.batch, FlowLine.quantity],
            label=_l("Rows"), limit=50),
        ListView(FlowLine, columns=[FlowLine.period, FlowLine.distributor_id, FlowLine.sale_date,
                                    FlowLine.customer_name, FlowLine.customer_id,
                                    FlowLine.product_name, FlowLine.product_id, FlowLine.batch,
                                    FlowLine.quantity],
                 search=[FlowLine.customer_name, FlowLine.product_name, FlowLine.batch],
                 filters=[Filter("unmatched", _l("Unmatched rows"), _unmatched)],
                 sums=[FlowLine.quantity],
                 group_by=[FlowLine.period, FlowLine.distributor_id, FlowLine.customer_name,
                           FlowLine.product_id],
                 order=[(FlowLine.period, True)]),
        FormView(FlowLine, fields=[FlowLine.period, FlowLine.distributor_id, FlowLine.sale_date,
                                   FlowLine.customer_name, FlowLine.customer_id,
                                   FlowLine.product_name, FlowLine.product_id, FlowLine.batch,
                                   FlowLine.quantity]),
        RecordAction(FlowLine, "map_customer", _l("Map this customer name"),
                     flowimport.map_customer_action,
                     params=[Param("customer", _l("Customer"), kind="ref", target=Customer)],
                     visible=lambda line: line.customer_id is None),
        RecordAction(FlowLine, "map_product", _l("Map this product name"),
                     flowimport.map_product_action,
                     params=[Param("product", _l("Product"), kind="ref", target=Product)],
                     visible=lambda line: line.product_id is None),
    ]


def _quantity_views(model: Any) -> list[View]:
    columns = [model.period_id, model.distributor_id, model.product_id, model.quantity]
    return [ListView(model, columns=columns, sums=[model.quantity],
                     group_by=[model.period_id, model.distributor_id, model.product_id]),
            FormView(model, fields=columns)]


def _stock() -> list[View]:
    return [
        ListView(Period, columns=[Period.code, Period.date_from, Period.date_to, Period.state],
                 order=[(Period.code, True)]),
        FormView(Period, fields=[Period.code, Period.date_from, Period.date_to]),
        RecordAction(Period, "compute", _l("Compute channel stock"), inventory.compute_action,
                     roles=(SALES_MANAGER, FINANCE, GENERAL_MANAGER, ADMIN),
                     visible=lambda period: period.state == "open"),
        *_quantity_views(OpeningStock),
        *_quantity_views(StockReport),
        ListView(StockAdjustment, columns=[StockAdjustment.period_id,
                                           StockAdjustment.distributor_id,
                                           StockAdjustment.product_id, StockAdjustment.quantity,
                                           StockAdjustment.reason, StockAdjustment.state],
                 sums=[StockAdjustment.quantity],
                 group_by=[StockAdjustment.state, StockAdjustment.period_id]),
        FormView(StockAdjustment, fields=[StockAdjustment.period_id,
                                          StockAdjustment.distributor_id,
                                          StockAdjustment.product_id, StockAdjustment.quantity,
                                          StockAdjustment.reason, StockAdjustment.owner_id]),
        ListView(ChannelStock, columns=[ChannelStock.period_id, ChannelStock.distributor_id,
                                        ChannelStock.product_id, ChannelStock.opening,
                                        ChannelStock.purchased, ChannelStock.returned,
                                        ChannelStock.sold, ChannelStock.adjusted,
                                        ChannelStock.closing, ChannelStock.reported,
                                        ChannelStock.difference],
                 filters=[Filter("differs", _l("Differs from the report"), _differs)],
                 sums=[ChannelStock.purchased, ChannelStock.sold, ChannelStock.closing],
                 group_by=[ChannelStock.period_id, ChannelStock.distributor_id,
                           ChannelStock.product_id]),
        FormView(ChannelStock, fields=[ChannelStock.period_id, ChannelStock.distributor_id,
                                       ChannelStock.product_id, ChannelStock.opening,
                                       ChannelStock.purchased, ChannelStock.returned,
                                       ChannelStock.sold, ChannelStock.adjusted,
                                       ChannelStock.closing, ChannelStock.reported,
                                       ChannelStock.difference]),
    ]


def _policies() -> list[View]:
    return [
        ListView(Inspection, columns=[Inspection.found_on, Inspection.product_id,
                                      Inspection.batch, Inspection.region_id, Inspection.place,
                                      Inspection.distributor_id, Inspection.penalty,
                                      Inspection.state],
                 search=[Inspection.place, Inspection.batch], sums=[Inspection.penalty],
                 group_by=[Inspection.state, Inspection.distributor_id, Inspection.region_id],
                 order=[(Inspection.found_on, True)]),
        FormView(Inspection, fields=[
            Section(_l("Where found"), [Inspection.found_on, Inspection.product_id,
                                        Inspection.batch, Inspection.quantity,
                                        Inspection.region_id, Inspection.place]),
            Section(_l("Source"), [Inspection.distributor_id, Inspection.traced]),
            Section(_l("Finding"), [Inspection.finding, Inspection.penalty,
                                    Inspection.owner_id])],
            readonly_in={"draft": [Inspection.traced]}),
        ListView(RebatePolicy, columns=[RebatePolicy.name, RebatePolicy.distributor_id,
                                        RebatePolicy.tier, RebatePolicy.basis,
                                        RebatePolicy.date_from, RebatePolicy.date_to,
                                        RebatePolicy.active]),
        FormView(RebatePolicy, fields=[RebatePolicy.name, RebatePolicy.distributor_id,
                                       RebatePolicy.tier, RebatePolicy.basis,
                                       RebatePolicy.date_from, RebatePolicy.date_to,
                                       RebatePolicy.active],
                 lines=[Lines(RebatePolicy.tiers, columns=[RebateTier.threshold, RebateTier.rate],
                              label=_l("Tiers"))]),
        ListView(RebateTier, columns=[RebateTier.policy_id, RebateTier.threshold,
                                      RebateTier.rate]),
        FormView(RebateTier, fields=[RebateTier.policy_id, RebateTier.threshold,
                                     RebateTier.rate]),
        RecordAction(RebatePolicy, "compute", _l("Compute rebates"), rebates.compute_action,
                     params=[Param("period", _l("Period (YYYY-MM, YYYY-Qn or YYYY)"))],
                     roles=(FINANCE, SALES_MANAGER, ADMIN),
                     visible=lambda policy: bool(policy.active)),
        ListView(Rebate, columns=[Rebate.period, Rebate.policy_id, Rebate.distributor_id,
                                  Rebate.basis_amount, Rebate.rate, Rebate.amount, Rebate.state],
                 sums=[Rebate.basis_amount, Rebate.amount],
                 group_by=[Rebate.period, Rebate.state, Rebate.distributor_id],
                 order=[(Rebate.period, True)]),
        FormView(Rebate, fields=[Rebate.period, Rebate.policy_id, Rebate.distributor_id,
                                 Rebate.basis_amount, Rebate.rate, Rebate.amount],
                 readonly_in={"draft": [Rebate.basis_amount, Rebate.rate, Rebate.amount]}),
    ]


def _tabs() -> list[View]:
    """The distributor 360 tabs on the customer page."""
    return [
        RelatedList(Customer, Order.distributor_id, columns=[
            Order.number, Order.order_date, Order.total, Order.state], label=_l("Orders"),
            order=[(Order.order_date, True)]),
        RelatedList(Customer, ReturnRequest.distributor_id, columns=[
            ReturnRequest.number, ReturnRequest.return_date, ReturnRequest.reason,
            ReturnRequest.total, ReturnRequest.state], label=_l("Returns"),
            order=[(ReturnRequest.return_date, True)]),
        RelatedList(Customer, FlowLine.distributor_id, columns=[
            FlowLine.period, FlowLine.sale_date, FlowLine.customer_name, FlowLine.product_id,
            FlowLine.quantity], label=_l("Flow data"), order=[(FlowLine.period, True)]),
        RelatedList(Customer, ChannelStock.distributor_id, columns=[
            ChannelStock.period_id, ChannelStock.product_id, ChannelStock.closing,
            ChannelStock.reported, ChannelStock.difference], label=_l("Channel stock"),
            order=[(ChannelStock.period_id, True)]),
        RelatedList(Customer, Agreement.distributor_id, columns=[
            Agreement.number, Agreement.year, Agreement.date_to, Agreement.target_amount,
            Agreement.state], label=_l("Agreements"), order=[(Agreement.date_from, True)]),
        RelatedList(Customer, Rebate.distributor_id, columns=[
            Rebate.period, Rebate.policy_id, Rebate.basis_amount, Rebate.amount, Rebate.state],
            label=_l("Rebates"), order=[(Rebate.period, True)]),
        RelatedList(Customer, Inspection.distributor_id, columns=[
            Inspection.found_on, Inspection.product_id, Inspection.place, Inspection.penalty,
            Inspection.state], label=_l("Cross-region cases"),
            order=[(Inspection.found_on, True)]),
        RelatedList(Customer, Territory.distributor_id, columns=[Territory.region_id],
                    label=_l("Territory")),
        RelatedList(Customer, AuthorisedProduct.distributor_id, columns=[
            AuthorisedProduct.product_id, AuthorisedProduct.date_from,
            AuthorisedProduct.date_to], label=_l("Authorised products")),
        RelatedList(Customer, SupplierLink.customer_id, columns=[
            SupplierLink.upstream_id, SupplierLink.date_from, SupplierLink.date_to],
            label=_l("Suppliers"), order=[(SupplierLink.date_from, True)]),
    ]


def views() -> list[View]:
    """Every view of crm_channel."""
    return [*_network(), *_orders(), *_flow(), *_stock(), *_policies(), *_tabs()]


FINANCE_ADMIN = (FINANCE, ADMIN)
MENUS = [
    Menu("channel_network", _l("Channel network"), path="/a/crm_channel/network", sequence=70),
    Menu("channel_orders", _l("Distributor orders"), model=Order, sequence=71),
    Menu("channel_returns", _l("Returns"), model=ReturnRequest, sequence=72),
    Menu("channel_plans", _l("Order plans"), model=OrderPlan, sequence=73),
    Menu("channel_agreements", _l("Agreements"), model=Agreement, sequence=74),
    Menu("channel_flow_import", _l("Import flow data"), path="/a/crm_channel/flow/import",
         sequence=75, roles=(SALES_MANAGER, SALES_REP)),
    Menu("channel_flow", _l("Flow data"), model=FlowLine, sequence=76),
    Menu("channel_stock", _l("Channel stock"), model=ChannelStock, sequence=77),
    Menu("channel_periods", _l("Stock periods"), model=Period, sequence=78,
         roles=(SALES_MANAGER, FINANCE, GENERAL_MANAGER)),
    Menu("channel_adjustments", _l("Stock adjustments"), model=StockAdjustment, sequence=79),
    Menu("channel_inspections", _l("Cross-region inspections"), model=Inspection, sequence=80),
    Menu("channel_rebates", _l("Rebates"), model=Rebate, sequence=81),
    Menu("channel_policies", _l("Rebate policies"), model=RebatePolicy, sequence=82,
         roles=(FINANCE, SALES_MANAGER, GENERAL_MANAGER)),
    Menu("channel_requests", _l("Terminal requests"), model=TerminalRequest, sequence=83),
    Menu("channel_reports", _l("Channel reports"), path="/r/channel_orders", sequence=84),
]
