"""crm_expense with crm_funnel absent from the database: it installs, files, approves and
prints claims, shows its pages and reports, and names no deal (#21)."""

from __future__ import annotations

import gc
import json
import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_expense.models import ExpenseBudget, ExpenseClaim
from core.context import acting_as, system_context
from core.errors import ValidationError
from core.settings import load_settings
from core.testing.web import sign_in
from core.web.app import create_app
from tests.addons.crm_expense.conftest import NOV, PASSWORD, ExpenseWorld
from tests.conftest import Templates

pytestmark = pytest.mark.sqlite_only  # which engine does not matter to what is installed

DIVISIONS = [
    {"code": "HQ", "name": "总部", "headquarters": True, "addons": ["crm_customer", "crm_expense"]},
    {"code": "EAST", "name": "华东事业部", "addons": ["crm_customer"]},
]


class NoFunnelTemplates(Templates):
    """Databases with crm_customer and crm_expense only."""

    def _build(self, backend: str, demo: bool = False) -> str:
        from core.installer import initialise

        url = f"sqlite:///{self.folder / f'expense-only-{uuid.uuid4().hex[:6]}.db'}"
        settings = load_settings(database_url=url, divisions=DIVISIONS,
                                 secret_key_file=self.folder / "secret.key",
                                 log_dir=self.folder / "log")
        initialise(settings).kernel.engine.dispose()
        gc.collect()
        return url


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory,
              request: pytest.FixtureRequest) -> NoFunnelTemplates:
    return NoFunnelTemplates(tmp_path_factory.mktemp("expense-only"), request)


@pytest.fixture()
def env_vars(env_vars: dict[str, str]) -> dict[str, str]:
    return {**env_vars, "KEHU_DIVISIONS": json.dumps(DIVISIONS, ensure_ascii=False)}


def test_expenses_work_and_show_without_crm_funnel(world: ExpenseWorld) -> None:
    kernel = world.kernel
    assert "crm_expense" in kernel.registry.installed
    assert "crm_funnel" not in kernel.registry.installed
    for table in ("crm_expense_claim_line", "crm_expense_budget"):
        columns = {c["name"] for c in sa.inspect(kernel.engine).get_columns(table)}
        assert "opportunity_id" not in columns and "campaign_id" in columns
    claim_id = world.claim("li.na", [world.line(3, "travel", "1280.00", description="南京拜访"),
                                     world.line(4, "meals", "120.00", customer=None)])
    world.fire("li.na", claim_id, "submit")
    world.approve_all(claim_id)
    assert world.state(claim_id) == "approved"

    rep = sign_in(TestClient(create_app(kernel=kernel), headers={"Accept-Language": "en"}),
                  "li.na", PASSWORD)
    for path in ("/m/crm_expense_claim", f"/m/crm_expense_claim/{claim_id}",
                 "/m/crm_expense_claim/new", "/m/crm_expense_budget/new",
                 "/m/crm_expense_claim_line", f"/a/crm_expense/claims/{claim_id}/voucher",
                 "/r/expense_by_customer", "/r/expense_analysis"):
        page = rep.get(path)
        assert page.status_code == 200, path
        assert "opportunity_id" not in page.text, path
    assert "南京拜访" in rep.get(f"/a/crm_expense/claims/{claim_id}/voucher").text
    assert "expense_by_project" not in kernel.reports

    with pytest.raises(ValidationError) as refused, acting_as(world.actor("li.na")), \
            kernel.sessions.begin() as session:
        session.add(ExpenseBudget(purpose="无对象", amount=Decimal("3000"), date_from=NOV,
                                  date_to=NOV.replace(day=30),
                                  division_id=world.actor("li.na").division_id))
    assert set(refused.value.fields) == {"customer_id"}
    with system_context(), kernel.session() as session:
        assert session.get(ExpenseClaim, claim_id).total == Decimal("1400.00")


def test_no_addon_code_of_crm_expense_names_another_addon_s_table() -> None:
    """crm_expense reaches deals and campaigns only through hooks and the bridge (#21):
    no import of, and no quoted name from, an addon outside its `depends`."""
    folder = Path(__file__).resolve().parents[3] / "addons" / "crm_expense"
    declared = "(?!expense|customer)"  # itself and crm_customer, its one dependency
    foreign = re.compile(rf"addons\.crm_{declared}|[\"']crm_{declared}[a-z_]+[\"'.]")
    for source in folder.rglob("*.py"):
        found = foreign.findall(source.read_text(encoding="utf-8"))
        assert not found, f"{source.relative_to(folder)} names {found}"
