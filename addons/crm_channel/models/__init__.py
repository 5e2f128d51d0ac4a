"""The models of crm_channel: the network, documents, flow data, stock and policies."""

from __future__ import annotations

from typing import Any

from addons.crm_channel.models.flow import FlowAlias, FlowImport, FlowLayout, FlowLine
from addons.crm_channel.models.network import (
    TIERS,
    Agreement,
    AgreementLine,
    AuthorisedProduct,
    CustomerChannel,
    SupplierLink,
    Territory,
)
from addons.crm_channel.models.orders import (
    Order,
    OrderLine,
    OrderPlan,
    Receipt,
    ReceiptLine,
    ReturnLine,
    ReturnRequest,
    Shipment,
    ShipmentLine,
    TerminalRequest,
    TerminalRequestLine,
)
from addons.crm_channel.models.policies import Inspection, Rebate, RebatePolicy, RebateTier
from addons.crm_channel.models.stock import (
    ChannelStock,
    OpeningStock,
    Period,
    StockAdjustment,
    StockReport,
)

MODELS: list[type[Any]] = [
    CustomerChannel, SupplierLink, Territory, AuthorisedProduct, Agreement, AgreementLine,
    Order, OrderLine, Shipment, ShipmentLine, ReturnRequest, ReturnLine, Receipt, ReceiptLine,
    OrderPlan,
    TerminalRequest, TerminalRequestLine,
    FlowLayout, FlowAlias, FlowImport, FlowLine,
    Period, OpeningStock, StockReport, StockAdjustment, ChannelStock,
    Inspection, RebatePolicy, RebateTier, Rebate,
]

__all__ = [
    "MODELS", "TIERS", "Agreement", "AgreementLine", "AuthorisedProduct", "ChannelStock",
    "CustomerChannel", "FlowAlias", "FlowImport", "FlowLayout", "FlowLine", "Inspection",
    "OpeningStock", "Order", "OrderLine", "OrderPlan", "Period", "Rebate", "RebatePolicy",
    "RebateTier", "Receipt", "ReceiptLine", "ReturnLine", "ReturnRequest", "Shipment",
    "ShipmentLine", "StockAdjustment",
    "StockReport", "SupplierLink", "TerminalRequest", "TerminalRequestLine", "Territory",
]
