"""A small sales organisation with deals, for the crm_funnel tests.

EAST: 销售部 (mgr) ⊃ 销售一组 (li.na 江苏, wang.qiang 浙江) and 销售二组 (zhao.min);
gm.east sees the division. Customers in 南京 (li.na), 杭州 (wang.qiang), 上海 (nobody).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from addons.crm_customer.models import Product
from addons.crm_funnel.models import Opportunity, SalesMode, Stage
from core.context import acting_as, system_context
from core.kernel import Kernel
from core.lookups import usable_in
from tests.core.org_fixtures import PASSWORD, Org, build_org


@dataclass
class Funnel:
    """The kernel, the organisation and helpers to act as one of its users."""

    kernel: Kernel
    org: Org

    @contextlib.contextmanager
    def as_user(self, login: str) -> Iterator[Session]:
        """A transaction as `login` (committed at the end of the block)."""
        with acting_as(self.org.actor(self.kernel, login)), self.kernel.sessions.begin() as session:
            yield session

    @contextlib.contextmanager
    def system(self) -> Iterator[Session]:
        with system_context(), self.kernel.sessions.begin() as session:
            yield session

    def stage(self, mode: str, name: str, division: str = "EAST") -> int:
        with self.system() as session:
            return int(session.scalar(
                sa.select(Stage.id).join(SalesMode, SalesMode.id == Stage.sales_mode_id)
                .where(SalesMode.code == mode, Stage.name == name,
                       usable_in(Stage, self.org.divisions[division]))))

    def deal(self, login: str, *, customer: str, name: str, amount: str, stage: str,
             close: dt.date, mode: str = "si_supply", **extra: Any) -> int:
        """Create an opportunity as `login`; returns its id."""
        stage_id = self.stage(mode, stage)
        with self.as_user(login) as session:
            record = Opportunity(name=name, customer_id=self.org.customers[customer],
                                 stage_id=stage_id, amount=Decimal(amount),
                                 expected_close=close, **extra)
            session.add(record)
            session.flush()
            return int(record.id)

    def product(self, code: str, name: str, price: str, floor: str) -> int:
        with self.system() as session:
            product = Product(division_id=self.org.divisions["EAST"], code=code, name=name,
                              price=Decimal(price), floor_price=Decimal(floor))
            session.add(product)
            session.flush()
            return int(product.id)

    def api(self, app: Any, login: str) -> TestClient:
        client = TestClient(app, headers={"Accept-Language": "en"})
        answer = client.post("/api/v1/auth/token", json={"login": login, "password": PASSWORD})
        assert answer.status_code == 201, answer.text
        client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        return client


@pytest.fixture()
def funnel(kernel: Kernel) -> Funnel:
    return Funnel(kernel, build_org(kernel))


@pytest.fixture()
def app(funnel: Funnel) -> Any:
    from core.web.app import create_app

    return create_app(kernel=funnel.kernel)
