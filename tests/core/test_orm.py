"""The common columns every business record carries, on both databases."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from addons.crm_customer.models import Customer
from core.context import acting_as
from core.models import Division, Role, User
from core.org import actor_for
from core.orm import Money


def test_records_are_stamped_with_who_and_which_division(kernel) -> None:
    with kernel.sessions.begin() as session:
        division = session.scalar(sa.select(Division).where(Division.code == "EAST"))
        user = User(login="wang.fang", name="王芳", division_id=division.id)
        user.roles = [session.get(Role, "sales_rep")]
        session.add(user)
        session.flush()
        actor = actor_for(session, user)
    with acting_as(actor):
        with kernel.sessions.begin() as session:
            customer = Customer(name="杭州华信机电有限公司", code="C-1")
            session.add(customer)
        assert (customer.create_uid, customer.write_uid) == (actor.user_id, actor.user_id)
        assert customer.division_id == actor.division_id
        assert customer.owner_id == actor.user_id
        assert customer.version == 1
        assert customer.create_date is not None


def test_a_stale_write_fails_instead_of_overwriting(kernel) -> None:
    with kernel.sessions.begin() as session:
        customer = Customer(name="南京金桥商贸有限公司", code="C-2", division_id=1)
        session.add(customer)
    first, second = kernel.session(), kernel.session()
    mine = first.get(Customer, customer.id)
    theirs = second.get(Customer, customer.id)
    mine.phone = "025-88886666"
    first.commit()
    assert mine.version == 2
    theirs.phone = "025-11112222"
    with pytest.raises(StaleDataError):
        second.commit()
    second.rollback()
    first.close()
    second.close()
    with kernel.session() as session:
        assert session.get(Customer, customer.id).phone == "025-88886666"


def test_money_sums_are_exact_in_sql() -> None:
    money = Money()
    assert money.process_bind_param(Decimal("0.10"), None) == 10
    assert money.process_bind_param(Decimal("1.005"), None) == 101
    assert money.process_result_value(30, None) == Decimal("0.30")


def test_money_column_sums_exactly_on_the_database(kernel) -> None:
    table = sa.Table(
        "t_amounts", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("amount", Money()),
    )
    table.create(kernel.engine)
    with kernel.engine.begin() as connection:
        connection.execute(table.insert(), [{"amount": Decimal("0.10")} for _ in range(1000)])
        total = connection.execute(sa.select(sa.func.sum(table.c.amount))).scalar()
    assert total == Decimal("100.00")
    assert isinstance(total, Decimal)
