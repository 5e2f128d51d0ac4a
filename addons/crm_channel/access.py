"""Who may do what in the channel, and which rows each role sees.

Channel records follow their distributor: a record is visible when its
distributor is, under crm_customer's rules — a rep sees their own customers and
those of their regions, a (channel) manager their department's and territory's,
the general manager, finance and the ERP's integration user the whole division.
Finance decides rebates; headquarters sees all of its own division.
"""

from __future__ import annotations

from typing import Any

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
from addons.crm_customer.models import Customer
from core.access import DIVISION, OWN, Access, RecordRule, via
from core.org import (
    ALL_STAFF,
    FINANCE,
    GENERAL_MANAGER,
    INTEGRATION,
    MARKETING,
    SALES_MANAGER,
    SALES_REP,
    SERVICE,
)

SALES = (SALES_REP, SALES_MANAGER)
READERS = (GENERAL_MANAGER, FINANCE, MARKETING, SERVICE)
WIDE = (GENERAL_MANAGER, FINANCE, INTEGRATION)

# Models that name their distributor (or customer) and follow its visibility.
BY_DISTRIBUTOR: list[tuple[type, Any]] = [
    (SupplierLink, SupplierLink.customer_id), (Territory, Territory.distributor_id),
    (AuthorisedProduct, AuthorisedProduct.distributor_id),
    (Agreement, Agreement.distributor_id), (Order, Order.distributor_id),
    (Shipment, Shipment.distributor_id), (ShipmentLine, ShipmentLine.distributor_id),
    (OrderPlan, OrderPlan.distributor_id), (FlowLayout, FlowLayout.distributor_id),
    (FlowAlias, FlowAlias.distributor_id), (FlowImport, FlowImport.distributor_id),
    (FlowLine, FlowLine.distributor_id), (OpeningStock, OpeningStock.distributor_id),
    (StockReport, StockReport.distributor_id), (StockAdjustment, StockAdjustment.distributor_id),
    (ChannelStock, ChannelStock.distributor_id), (Rebate, Rebate.distributor_id),
    (TerminalRequest, TerminalRequest.terminal_id), (Receipt, Receipt.distributor_id),
]
LINES: list[tuple[type, Any]] = [
    (AgreementLine, AgreementLine.agreement_id), (OrderLine, OrderLine.order_id),
    (ReturnLine, ReturnLine.return_id), (TerminalRequestLine, TerminalRequestLine.request_id),
    (RebateTier, RebateTier.policy_id), (ReceiptLine, ReceiptLine.receipt_id),
]
SALES_DOCUMENTS = (SupplierLink, Territory, AuthorisedProduct, Agreement, AgreementLine, Order,
                   OrderLine, ReturnRequest, ReturnLine, OrderPlan, FlowLayout, FlowAlias,
                   FlowImport, FlowLine, OpeningStock, StockReport, StockAdjustment, Inspection,
                   TerminalRequest, TerminalRequestLine, Receipt, ReceiptLine)


def _rights() -> list[Access]:
    return [
        *[Access(model, SALES, read=True, create=True, write=True, delete=True)
          for model in SALES_DOCUMENTS],
        *[Access(model, READERS, read=True) for model in SALES_DOCUMENTS],
        # The general manager approves (a decision needs no write right; voiding does).
        *[Access(model, GENERAL_MANAGER, read=True, write=True)
          for model in (Agreement, Order, ReturnRequest, Inspection, Period)],
        # The ERP's integration user reports processing, shipments and returns.
        # It reads the distributors its documents name (the API shows their names).
        Access(Customer, INTEGRATION, read=True),
        Access(Agreement, INTEGRATION, read=True),
        Access(Order, INTEGRATION, read=True, write=True),
        Access(OrderLine, INTEGRATION, read=True, write=True),
        Access(ReturnRequest, INTEGRATION, read=True, write=True),
        Access(ReturnLine, INTEGRATION, read=True),
        Access(Shipment, INTEGRATION, read=True, create=True, write=True),
        Access(ShipmentLine, INTEGRATION, read=True, create=True, write=True),
        # The ERP (or a distributor's portal on its token) may report a receipt too.
        Access(Receipt, INTEGRATION, read=True, create=True),
        Access(ReceiptLine, INTEGRATION, read=True, create=True),
        Access(Shipment, (*SALES, *READERS), read=True),
        Access(ShipmentLine, (*SALES, *READERS), read=True),
        Access(Period, ALL_STAFF, read=True),
        Access(Period, (SALES_MANAGER, FINANCE), read=True, create=True, write=True),
        Access(ChannelStock, ALL_STAFF, read=True),
        Access(ChannelStock, (SALES_MANAGER, FINANCE), read=True, create=True, write=True,
               delete=True),
        *[Access(model, (FINANCE, SALES_MANAGER), read=True, create=True, write=True,
                 delete=True) for model in (RebatePolicy, RebateTier)],
        *[Access(model, (SALES_REP, GENERAL_MANAGER), read=True)
          for model in (RebatePolicy, RebateTier)],
        Access(Rebate, FINANCE, read=True, create=True, write=True, delete=True),
        Access(Rebate, (SALES_MANAGER, GENERAL_MANAGER), read=True, create=True, write=True),
        Access(Rebate, SALES_REP, read=True),
    ]


def _rules() -> list[RecordRule]:
    return [
        *[RecordRule(model, (*SALES, MARKETING, SERVICE), via(key))
          for model, key in BY_DISTRIBUTOR],
        *[RecordRule(model, WIDE, DIVISION) for model, _key in BY_DISTRIBUTOR],
        *[RecordRule(model, ALL_STAFF, via(key)) for model, key in LINES],
        RecordRule(ReturnRequest, (*SALES, MARKETING, SERVICE), via(ReturnRequest.order_id)),
        RecordRule(ReturnRequest, WIDE, DIVISION),
        # A case names its source distributor once traced; until then the inspector's own.
        RecordRule(Inspection, SALES, OWN | via(Inspection.distributor_id)),
        RecordRule(Inspection, (*READERS, INTEGRATION), DIVISION),
        RecordRule(Customer, INTEGRATION, DIVISION),
        RecordRule(Period, ALL_STAFF, DIVISION),
        RecordRule(RebatePolicy, ALL_STAFF, DIVISION),
    ]


ACCESS = _rights()
RULES = _rules()
