"""Promotional material: receipts into stock, requests approved and issued out of it,
returns; the stock never goes negative, also under 20 concurrent approvals."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import sqlalchemy as sa

from addons.crm_marketing.models import (
    MaterialItem,
    MaterialReceipt,
    MaterialRequest,
    MaterialStock,
    MaterialWarehouse,
)
from core.context import acting_as, system_context
from core.db import make_engine
from core.errors import KehuError, TransitionRefused
from core.reports import run_report
from core.workflow import decide
from tests.addons.crm_marketing.conftest import MarketingWorld


def _stocked(world: MarketingWorld, quantity: int) -> tuple[int, int]:
    """A warehouse and an item with `quantity` received into it (posted by marketing)."""
    warehouse = world.create("liu.yang", MaterialWarehouse, {"code": "HZ", "name": "杭州仓"})
    item = world.create("liu.yang", MaterialItem, {"code": "BRO-01", "name": "产品宣传册",
                                                   "unit": "本", "unit_cost": "12.50"})
    receipt = world.create("liu.yang", MaterialReceipt, {
        "reference": "RK-001", "kind": "purchase", "warehouse_id": warehouse,
        "lines": [{"item_id": item, "quantity": str(quantity)}]})
    world.fire("liu.yang", MaterialReceipt, receipt, "post")
    return warehouse, item


def _stock(world: MarketingWorld, item: int) -> int:
    with system_context(), world.kernel.session() as session:
        return int(session.scalar(sa.select(MaterialStock.quantity).where(
            MaterialStock.item_id == item)) or 0)


def _request(world: MarketingWorld, warehouse: int, item: int, quantity: int,
             **extra: Any) -> int:
    request = world.create("li.na", MaterialRequest, {
        "purpose": "客户拜访资料", "warehouse_id": warehouse,
        "lines": [{"item_id": item, "quantity": str(quantity)}], **extra})
    world.fire("li.na", MaterialRequest, request, "submit")
    return request


@pytest.mark.sqlite_only
def test_request_issue_and_return(world: MarketingWorld) -> None:
    warehouse, item = _stocked(world, 30)
    assert _stock(world, item) == 30
    campaign = world.campaign()
    request = _request(world, warehouse, item, 12, campaign_id=campaign)
    world.approve_all(MaterialRequest, request)
    assert world.state(MaterialRequest, request) == "issued"
    assert _stock(world, item) == 18
    # Asking for more than is there is refused at submission.
    with pytest.raises(TransitionRefused):
        _request(world, warehouse, item, 19)
    # Unused brochures come back.
    back = world.create("liu.yang", MaterialReceipt, {
        "reference": "TH-001", "kind": "return", "warehouse_id": warehouse,
        "request_id": request, "lines": [{"item_id": item, "quantity": "2"}]})
    world.fire("liu.yang", MaterialReceipt, back, "post")
    assert _stock(world, item) == 20
    # A rep cannot post stock; stock rows are not written by hand.
    with pytest.raises(KehuError):
        world.fire("li.na", MaterialReceipt, back, "post")
    usage = world.kernel.reports["material_usage"].report
    with acting_as(world.actor("liu.yang")), world.kernel.session() as session:
        result = run_report(session, usage, rows="item", columns="campaign")
        assert result.cell(item, campaign)["quantity"] == 12
        assert result.totals["value"] == 150


@pytest.mark.postgres_only
def test_stock_never_negative_under_20_concurrent_approvals(world: MarketingWorld) -> None:
    """20 managers' approvals at once for 10 brochures: 10 issued, 10 refused, stock 0."""
    warehouse, item = _stocked(world, 10)
    engine = make_engine(world.kernel.engine.url.render_as_string(hide_password=False),
                         pool_size=20, max_overflow=5)
    sessions = world.kernel.sessions_on(engine)
    requests = [_request(world, warehouse, item, 1) for _ in range(20)]
    tasks = [world.tasks(MaterialRequest, request)[0].id for request in requests]
    manager = world.actor("mgr")
    start = threading.Barrier(len(tasks))
    outcomes: list[str] = []
    lock = threading.Lock()

    def approve(task_id: int) -> None:
        start.wait()
        try:
            with acting_as(manager), sessions.begin() as session:
                decide(session, task_id, True, None)
            outcome = "issued"
        except KehuError as error:
            outcome = type(error).__name__
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=approve, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    issued = outcomes.count("issued")
    assert len(outcomes) == 20
    assert _stock(world, item) == 10 - issued >= 0
    with system_context(), world.kernel.session() as session:
        states = list(session.scalars(sa.select(MaterialRequest.state)))
    assert states.count("issued") == issued == 10
    assert outcomes.count("TransitionRefused") == 10
