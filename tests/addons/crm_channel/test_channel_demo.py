"""The demo network: its size, its numbers, and that it loads quickly in bulk."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from addons.crm_channel.demo import create_demo_channel
from addons.crm_channel.models import ChannelStock, FlowLine, Order, Period, Rebate, ShipmentLine
from addons.crm_customer.models import Customer, Product
from core.context import system_context
from core.kernel import Kernel
from core.models import Division, User

pytestmark = pytest.mark.sqlite_only


def test_the_demo_network_of_the_south_division(kernel: Kernel) -> None:
    with system_context(), kernel.sessions.begin() as session:
        south = Division(code="SOUTH", name="华南分公司")
        session.add(south)
        session.flush()
        started = time.perf_counter()
        create_demo_channel(session, list(session.scalars(sa.select(Division)
                                                          .order_by(Division.id))))
        took = time.perf_counter() - started
        tiers = dict(session.execute(sa.select(Customer.channel_tier, sa.func.count())
                                     .where(Customer.division_id == south.id)
                                     .group_by(Customer.channel_tier)).all())
        assert tiers == {"tier1": 3, "tier2": 20, "terminal": 300}
        count = lambda model: session.scalar(sa.select(sa.func.count()).select_from(model)  # noqa: E731
                                             .where(model.division_id == south.id))
        assert count(Product) == 40
        assert count(Order) == 3 * 3 * 12
        assert count(Period) == 12 and count(ShipmentLine) > 500
        assert count(FlowLine) > 5000 and count(ChannelStock) > 500 and count(Rebate) == 3
        assert session.scalar(sa.select(sa.func.count()).select_from(Period).where(
            Period.division_id == south.id, Period.state == "closed")) == 10
        assert session.scalar(sa.select(User.id).where(User.login == "luo.bin")) is not None
        unmatched = session.scalar(sa.select(sa.func.count()).select_from(FlowLine).where(
            FlowLine.customer_id.is_(None)))
        assert unmatched == 2
    assert took < 30, f"the demo took {took:.1f} s"
