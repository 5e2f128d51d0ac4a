"""Targets add up (#14): children within what is left of the parent; changes logged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from addons.crm_funnel import forecast
from addons.crm_funnel.models import SalesTarget
from core.audit import FieldChange
from core.errors import ValidationError
from core.models import Department
from tests.addons.crm_funnel.funnel_fixtures import Funnel, funnel  # noqa: F401  (fixture)

Q4 = {"period_start": dt.date(2026, 10, 1), "period_end": dt.date(2026, 12, 31)}


@pytest.mark.sqlite_only
def test_a_child_target_never_exceeds_what_is_left_of_its_parent(funnel: Funnel) -> None:
    with funnel.system() as session:
        sales = session.scalar(sa.select(Department.id).where(Department.code == "S"))
        team = session.scalar(sa.select(Department.id).where(Department.code == "S1"))
    with funnel.as_user("mgr") as session:
        parent = SalesTarget(department_id=sales, amount=Decimal("1000000"), **Q4)
        session.add(parent)
        session.flush()
        parent_id = parent.id
        session.add(SalesTarget(department_id=team, parent_id=parent_id,
                                amount=Decimal("600000"), **Q4))
    with pytest.raises(ValidationError) as refused:
        with funnel.as_user("mgr") as session:
            session.add(SalesTarget(user_id=funnel.org.users["li.na"], parent_id=parent_id,
                                    amount=Decimal("400000.01"), **Q4))
    assert "amount" in refused.value.fields and "400,000.00" in refused.value.message
    with funnel.as_user("mgr") as session:
        session.add(SalesTarget(user_id=funnel.org.users["li.na"], parent_id=parent_id,
                                amount=Decimal("400000"), **Q4))
    # Splitting what is already split would exceed it too.
    with pytest.raises(ValidationError):
        with funnel.as_user("mgr") as session:
            forecast.split(session, session.get(SalesTarget, parent_id),
                           funnel.org.actor(funnel.kernel, "mgr"), {})
    # The parent cannot drop below its children, and a change needs its reason.
    with pytest.raises(ValidationError) as refused:
        with funnel.as_user("mgr") as session:
            target = session.get(SalesTarget, parent_id)
            target.amount = Decimal("900000")
            target.change_reason = "市场下行"
    assert "1,000,000.00" in refused.value.message
    with pytest.raises(ValidationError) as refused:
        with funnel.as_user("mgr") as session:
            session.get(SalesTarget, parent_id).amount = Decimal("1200000")
    assert "change_reason" in refused.value.fields
    with funnel.as_user("mgr") as session:
        target = session.get(SalesTarget, parent_id)
        target.amount = Decimal("1200000")
        target.change_reason = "新增重点项目"
    with funnel.system() as session:
        log = session.execute(sa.select(FieldChange.field, FieldChange.old_value,
                                        FieldChange.new_value)
                              .where(FieldChange.model == "crm_sales_target",
                                     FieldChange.res_id == parent_id)
                              .order_by(FieldChange.id)).all()
    assert [row[0] for row in log] == ["amount", "change_reason"] or \
        sorted(row[0] for row in log) == ["amount", "change_reason"]
    assert any("新增重点项目" in str(row[2]) for row in log)
