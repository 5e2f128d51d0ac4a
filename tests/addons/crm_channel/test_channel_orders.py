"""Orders and returns: approval, rejection, ERP write-back through the API, return limits."""

from __future__ import annotations

import pytest

from addons.crm_channel.models import Order, OrderLine, ReturnRequest, Shipment
from core.errors import ValidationError
from tests.addons.crm_channel.conftest import ChannelWorld

pytestmark = pytest.mark.sqlite_only


def test_an_order_is_priced_by_the_agreement_approved_and_shipped_through_the_api(
        world: ChannelWorld) -> None:
    world.agreement()
    order_id = world.approved_order({"P001": 30, "P002": 10})
    order = world.read(Order, order_id)
    assert order.state == "approved" and order.number.startswith("DH-202611-")
    assert str(order.total) == "460.00"  # 30 × 10.00 + 10 × 16.00 from the agreement
    client = world.api()
    erp = world.token(client, "erp")
    base = f"/api/v1/crm_channel_order/{order_id}/actions"
    refused = client.post(f"{base}/process", headers=erp, json={"values": {}})
    assert refused.status_code == 422  # the ERP order number is required
    answer = client.post(f"{base}/process", headers=erp,
                         json={"values": {"erp_order_no": "SO-88001"}})
    assert answer.status_code == 200 and answer.json()["state"] == "processed"
    partial = client.post(f"{base}/erp_ship", headers=erp, json={"values": {
        "delivery_no": "DN-1", "outbound_no": "OUT-1", "ship_date": "2026-11-03",
        "quantities": "P001:20"}})
    assert partial.status_code == 200, partial.text
    assert partial.json()["record"]["state"] == "processed"
    too_much = client.post(f"{base}/erp_ship", headers=erp, json={"values": {
        "delivery_no": "DN-X", "quantities": "P001:11"}})
    assert too_much.status_code == 422
    rest = client.post(f"{base}/erp_ship", headers=erp, json={"values": {
        "delivery_no": "DN-2", "ship_date": "2026-11-06"}})
    assert rest.status_code == 200 and rest.json()["record"]["state"] == "shipped"
    lines = {line.product_id: line for line in world.read_lines(order_id)}
    assert lines[world.products["P001"]].shipped_qty == 30
    assert lines[world.products["P001"]].backorder_qty == 0
    rep = world.token(client, "li.na")
    assert client.post(f"{base}/erp_ship", headers=rep,
                       json={"values": {"delivery_no": "DN-3"}}).status_code in (403, 422)
    closed = client.post(f"{base}/receive", headers=rep, json={"values": {}})
    assert closed.status_code == 200 and closed.json()["record"]["state"] == "closed"
    shipments = client.get("/api/v1/crm_channel_shipment", headers=rep).json()
    assert sorted(s["delivery_no"] for s in shipments["data"]) == ["DN-1", "DN-2"]


def test_a_rejected_order_goes_back_to_saved_and_a_rep_cannot_process(
        world: ChannelWorld) -> None:
    world.agreement()
    order_id = world.order({"P001": 5})
    world.fire("li.na", Order, order_id, "submit")
    (task,) = world.tasks(Order, order_id)
    world.decide("mgr", task.id, approve=False, comment="数量太少，请合并订货")
    assert world.read(Order, order_id).state == "saved"


def test_an_order_below_the_agreed_minimum_or_without_a_price_is_refused(
        world: ChannelWorld) -> None:
    world.agreement(min_quantity=50)
    with pytest.raises(ValidationError) as error:
        world.order({"P001": 10})
    assert "lines.0.quantity" in error.value.fields
    with pytest.raises(ValidationError) as error:
        world.order({"P001": 60}, distributor="gz2")  # no agreement: no price
    assert "lines.0.price" in error.value.fields


def test_a_return_above_the_shipped_quantity_is_refused(world: ChannelWorld) -> None:
    world.agreement()
    order_id = world.shipped_order({"P001": 30})
    with pytest.raises(ValidationError) as error:
        world.create("li.na", ReturnRequest, {
            "order_id": order_id, "return_date": "2026-11-20", "reason": "quality",
            "lines": [{"product_id": world.products["P001"], "quantity": 31}]})
    assert "lines.0.quantity" in error.value.fields
    first = world.create("li.na", ReturnRequest, {
        "order_id": order_id, "return_date": "2026-11-20", "reason": "quality",
        "lines": [{"product_id": world.products["P001"], "quantity": 20}]})
    with pytest.raises(ValidationError):  # 20 are held by the first return: 10 are left
        world.create("li.na", ReturnRequest, {
            "order_id": order_id, "return_date": "2026-11-21", "reason": "expiry",
            "lines": [{"product_id": world.products["P001"], "quantity": 11}]})
    assert str(world.read(ReturnRequest, first).total) == "200.00"


def test_a_return_is_approved_rejected_and_processed_by_the_erp(world: ChannelWorld) -> None:
    world.agreement()
    order_id = world.shipped_order({"P001": 30})
    return_id = world.create("li.na", ReturnRequest, {
        "order_id": order_id, "return_date": "2026-11-20", "reason": "damaged",
        "lines": [{"product_id": world.products["P001"], "quantity": 4}]})
    world.fire("li.na", ReturnRequest, return_id, "submit")
    (task,) = world.tasks(ReturnRequest, return_id)
    world.decide("mgr", task.id, approve=False, comment="请附破损照片")
    assert world.read(ReturnRequest, return_id).state == "saved"
    world.fire("li.na", ReturnRequest, return_id, "submit")
    (task,) = world.tasks(ReturnRequest, return_id)
    world.decide("mgr", task.id)
    client = world.api()
    answer = client.post(f"/api/v1/crm_channel_return/{return_id}/actions/process",
                         headers=world.token(client, "erp"),
                         json={"values": {"erp_return_no": "RT-501"}})
    assert answer.status_code == 200 and answer.json()["state"] == "processed"
    (line,) = world.read_lines(order_id)
    assert line.returned_qty == 4 and line.shipped_qty == 30


def test_orders_list_shipments_on_the_order(world: ChannelWorld) -> None:
    world.agreement()
    order_id = world.shipped_order({"P002": 8})
    assert world.count(Shipment, "li.na") == 1
    assert world.count(OrderLine, "zhang.wei") == 0
    assert world.read(Order, order_id).erp_order_no == f"SO-{order_id}"


def test_an_agreement_about_to_end_gets_one_renewal_task(world: ChannelWorld) -> None:
    import datetime as dt

    import sqlalchemy as sa

    from addons.crm_channel.models import Agreement
    from addons.crm_channel.reminders import remind_expiring
    from core.audit import Activity
    from core.context import system_context
    from core.models import Division

    agreement = world.agreement()
    with system_context(), world.kernel.sessions.begin() as session:
        session.get(Agreement, agreement).date_to = dt.date.today() + dt.timedelta(days=20)
        session.flush()
        division = session.get(Division, world.division_id)
        assert remind_expiring(session, division) == 1
        assert remind_expiring(session, division) == 0  # once
        task = session.scalar(sa.select(Activity).where(Activity.res_id == agreement))
        assert task.assignee_id == world.users["li.na"] and "ends on" in task.summary
