"""Extension columns (@extends) exist only where their addon is installed.

SQLAlchemy maps a model once per process, but one process may open databases
with different addons installed (tests, `kehu init` then `serve`): a column an
uninstalled addon declared must not appear in any statement there, and where the
addon is installed it is loaded with its row, in the same statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
import sqlalchemy as sa

from addons.crm_customer.models import Customer
from addons.crm_funnel.models import Opportunity, SalesMode, Stage
from core.context import system_context
from core.installer import enable, install
from core.kernel import Kernel, boot, read_installed
from core.lookups import usable_in
from core.settings import Settings

BRIDGE = "crm_marketing_funnel"


@pytest.fixture()
def statements(kernel: Kernel) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many) -> None:  # noqa: ANN001
        seen.append(statement)

    sa.event.listen(kernel.engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(kernel.engine, "before_cursor_execute", record)


def _map_the_bridge(settings: Settings) -> None:
    """Boot once as if the bridge were installed: its columns are now mapped in-process."""
    probe = boot(settings, installed=[*read_installed(boot(settings).engine), "crm_marketing",
                                      BRIDGE])
    probe.engine.dispose()
    assert "campaign_id" in Opportunity.__table__.c


def _new_deal(kernel: Kernel) -> int:
    with system_context(), kernel.sessions.begin() as session:
        customer = session.scalars(sa.select(Customer).order_by(Customer.id)).first()
        if customer is None:
            customer = Customer(name="南京一号医院", code="EXT-0001", division_id=1)
            session.add(customer)
            session.flush()
        stage_id = session.scalar(sa.select(Stage.id).join(SalesMode, SalesMode.id == Stage.sales_mode_id)
                                  .where(usable_in(Stage, customer.division_id)).limit(1))
        deal = Opportunity(name="扩展列", customer_id=customer.id, stage_id=stage_id,
                           sales_mode_id=session.get(Stage, stage_id).sales_mode_id,
                           amount=Decimal("1000"), expected_close=dt.date(2027, 1, 31),
                           division_id=customer.division_id, owner_id=1)
        session.add(deal)
        session.flush()
        return int(deal.id)


@pytest.mark.sqlite_only
def test_a_database_without_the_addon_never_names_its_columns(settings: Settings, kernel: Kernel,
                                                               statements: list[str]) -> None:
    _map_the_bridge(settings)
    assert BRIDGE not in kernel.registry.installed
    deal_id = _new_deal(kernel)
    with system_context(), kernel.sessions.begin() as session:
        assert session.get(Opportunity, deal_id).name == "扩展列"
        assert session.scalars(sa.select(Opportunity)).all()
    assert statements and not [s for s in statements if "campaign_id" in s]


@pytest.mark.sqlite_only
def test_where_the_addon_is_installed_its_column_comes_with_the_row(
        settings: Settings, kernel: Kernel) -> None:
    install(settings, ["crm_marketing", BRIDGE])
    installed = boot(settings)
    try:
        enable(installed, BRIDGE, "HQ")
        deal_id = _new_deal(installed)
        seen: list[str] = []
        sa.event.listen(installed.engine, "before_cursor_execute",
                        lambda *args: seen.append(args[2]))
        with system_context(), installed.sessions.begin() as session:
            deal = session.scalars(sa.select(Opportunity).where(Opportunity.id == deal_id)).one()
            assert deal.campaign_id is None  # loaded above: no second statement
        assert len(seen) == 1 and "campaign_id" in seen[0]
    finally:
        installed.engine.dispose()
