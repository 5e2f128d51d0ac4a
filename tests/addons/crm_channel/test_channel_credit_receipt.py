"""The credit limit at submission (also two submissions at once, on PostgreSQL), the
distributor's receipt of a shipment, and company-wide products in flow files."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
import sqlalchemy as sa

from addons.crm_channel.flowimport import import_file
from addons.crm_channel.models import FlowLine, Order, Receipt, ReceiptLine
from addons.crm_customer.models import Contact, Customer, Product
from core.context import acting_as, system_context
from core.errors import ValidationError
from core.i18n import using_locale
from core.testing.web import sign_in
from tests.addons.crm_channel.conftest import PASSWORD, ChannelWorld


def _limit(world: ChannelWorld, amount: str, distributor: str = "gz1") -> None:
    with system_context(), world.kernel.sessions.begin() as session:
        customer = session.get(Customer, world.customers[distributor])
        customer.channel_credit_limit = Decimal(amount)  # type: ignore[attr-defined]


@pytest.mark.sqlite_only
def test_an_order_beyond_the_credit_limit_is_refused_at_submission(world: ChannelWorld) -> None:
    world.agreement()
    _limit(world, "500")
    first = world.order({"P001": 30, "P002": 10})  # 460.00
    world.fire("li.na", Order, first, "submit")
    second = world.order({"P001": 10})  # 100.00: 560.00 with the first, 60.00 over
    with pytest.raises(ValidationError) as refused:
        world.fire("li.na", Order, second, "submit")
    assert "500.00" in refused.value.message and "60.00" in refused.value.message
    assert world.read(Order, second).state == "saved"
    with using_locale("zh_CN"), pytest.raises(ValidationError) as chinese:
        world.fire("li.na", Order, second, "submit")
    assert "信用额度" in chinese.value.message
    world.fire("li.na", Order, first, "void", comment="客户取消")  # a void order holds nothing
    world.fire("li.na", Order, second, "submit")
    assert world.read(Order, second).state == "submitted"


@pytest.mark.postgres_only
def test_two_orders_submitted_at_once_cannot_both_pass_the_limit(world: ChannelWorld) -> None:
    world.agreement()
    _limit(world, "500")
    orders = [world.order({"P001": 30}), world.order({"P001": 30})]  # 300.00 each
    results: list[str] = []
    barrier = threading.Barrier(2)

    def submit(order_id: int) -> None:
        barrier.wait()
        try:
            world.fire("li.na", Order, order_id, "submit")
            results.append("submitted")
        except ValidationError:
            results.append("refused")

    threads = [threading.Thread(target=submit, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["refused", "submitted"]
    states = sorted(world.read(Order, order).state for order in orders)
    assert states == ["saved", "submitted"]


@pytest.mark.sqlite_only
def test_the_distributors_receipt_is_recorded_with_differences_and_shown_on_the_order(
        world: ChannelWorld) -> None:
    world.agreement()
    order_id = world.shipped_order({"P001": 30, "P002": 10})
    contact = world.create("li.na", Contact, {"customer_id": world.customers["gz1"],
                                               "name": "赵敏"})
    stranger = world.create("zhang.wei", Contact, {"customer_id": world.customers["fs1"],
                                                    "name": "钱多"})
    client = world.api()
    rep = world.token(client, "li.na")
    base = f"/api/v1/crm_channel_order/{order_id}/actions/record_receipt"
    wrong = client.post(base, headers=rep, json={"values": {"contact_id": stranger}})
    assert wrong.status_code in (403, 422), wrong.text
    answer = client.post(base, headers=rep, json={"values": {
        "received_on": "2026-11-08", "contact_id": contact, "quantities": "P001:28",
        "note": "两盒外包装破损，拒收"}})
    assert answer.status_code == 200, answer.text
    with system_context(), world.kernel.session() as session:
        receipt = session.scalar(sa.select(Receipt).where(Receipt.order_id == order_id))
        assert receipt.has_differences and receipt.contact_id == contact
        assert str(receipt.received_on) == "2026-11-08"
        lines = {line.product_id: (line.shipped_qty, line.quantity, line.difference)
                 for line in session.scalars(sa.select(ReceiptLine))}
    assert lines == {world.products["P001"]: (30, 28, -2),
                     world.products["P002"]: (10, 10, 0)}
    page = sign_in(world.api(), "li.na", PASSWORD).get(
        f"/m/crm_channel_order/{order_id}?lang=zh_CN")
    assert page.status_code == 200 and "签收" in page.text and "赵敏" in page.text
    unshipped = world.approved_order({"P001": 10})
    early = client.post(f"/api/v1/crm_channel_order/{unshipped}/actions/record_receipt",
                        headers=rep, json={"values": {}})
    assert early.status_code in (403, 404, 422)


@pytest.mark.sqlite_only
def test_a_flow_file_matches_company_wide_products(world: ChannelWorld) -> None:
    with system_context(), world.kernel.sessions.begin() as session:
        session.add(Product(code="G100", name="板蓝根颗粒", price=Decimal("8"), division_id=None))
    data = "日期,客户名称,产品,批号,数量\n2026-11-02,大参林天河店,板蓝根颗粒,B1,4\n".encode()
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        import_file(session, distributor_id=world.customers["gz2"], period="2026-11",
                    data=data, file_name="flow.csv")
    with system_context(), world.kernel.session() as session:
        (line,) = session.scalars(sa.select(FlowLine))
        shared = session.scalar(sa.select(Product.id).where(Product.code == "G100"))
        assert line.product_id == shared
