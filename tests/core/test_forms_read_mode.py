"""Record pages in read mode (#19): what a claim's page offers is what the server accepts.

The page's Edit, Delete and workflow buttons (header and status bar) come from the same
checks as the save, delete and transition paths; these tests try every one of them on
the server in each state of the claim, for each person, and compare.
"""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from addons.crm_expense.models import ExpenseClaim
from addons.crm_expense.workflows import ClaimFlow
from core.context import acting_as
from core.errors import KehuError
from core.testing.web import csrf_token, sign_in
from core.web.app import create_app
from core.workflow import act
from tests.addons.crm_expense.conftest import PASSWORD, ExpenseWorld, world  # noqa: F401

pytestmark = pytest.mark.sqlite_only  # pages and checks: the engine does not matter

PEOPLE = ("li.na", "mgr", "fin", "gm", "zhang.wei")


@pytest.fixture()
def app(world: ExpenseWorld):  # noqa: F811
    return create_app(kernel=world.kernel)


def browser(app, login: str) -> TestClient:
    return sign_in(TestClient(app, headers={"Accept-Language": "en"}), login, PASSWORD)


def offered(page: str, claim_id: int) -> set[str]:
    """What the page offers: Edit, Delete and the workflow actions (buttons and bar)."""
    names = set(re.findall(rf'action="/workflow/crm_expense_claim/{claim_id}/(\w+)"', page))
    if 'id="edit-record"' in page:
        names.add("edit")
    if f'action="/m/crm_expense_claim/{claim_id}/delete"' in page:
        names.add("delete")
    return names


def _accepts(world: ExpenseWorld, login: str, claim_id: int, name: str) -> bool:
    """Whether the server lets `login` do `name` to the claim now (rolled back after)."""
    records = world.kernel.records[ExpenseClaim]
    with acting_as(world.actor(login)), world.kernel.session() as session:
        try:
            if name == "edit":
                records.update(session, claim_id, {"note": "改一下"}, version=None)
            elif name == "delete":
                records.delete(session, claim_id)
            else:
                act(session, records.get(session, claim_id), name, comment="试一下")
            session.flush()
        except KehuError:
            return False
        finally:
            session.rollback()
    return True


def accepted(world: ExpenseWorld, login: str, claim_id: int) -> set[str]:
    names = {"edit", "delete", *(t.name for t in ClaimFlow.transitions)}
    return {name for name in names if _accepts(world, login, claim_id, name)}


def test_every_state_offers_exactly_what_the_server_accepts(world: ExpenseWorld, app) -> None:  # noqa: F811
    claim = world.claim("li.na", [world.line(3, "travel", "1280.00"),
                                  world.line(4, "meals", "356.50")])
    clients = {login: browser(app, login) for login in PEOPLE}

    def compare(stage: str) -> None:
        for login, client in clients.items():
            page = client.get(f"/m/crm_expense_claim/{claim}")
            if page.status_code == 404:  # the record rules hide it: nothing to offer
                assert not _accepts(world, login, claim, "edit"), (stage, login)
                continue
            assert page.status_code == 200, page.text
            assert offered(page.text, claim) == accepted(world, login, claim), (stage, login)

    compare("draft")
    world.fire("li.na", claim, "submit")
    compare("submitted, the superior's step")
    world.decide("mgr", world.tasks(claim)[0].id)
    compare("submitted, finance's step")
    world.decide("fin", world.tasks(claim)[-1].id)
    assert world.state(claim) == "approved"
    compare("approved")
    world.fire("fin", claim, "pay")
    compare("paid")


def test_a_submitted_claim_offers_no_save_or_delete_and_refuses_both(world: ExpenseWorld, app) -> None:  # noqa: F811
    claim = world.claim("li.na", [world.line(3, "travel", "1280.00")], title="南京拜访")
    li = browser(app, "li.na")
    draft = li.get(f"/m/crm_expense_claim/{claim}").text
    # Read mode: values as text with names, Edit and Delete offered, no voucher yet.
    assert 'id="edit-record"' in draft and f"/m/crm_expense_claim/{claim}/delete" in draft
    assert 'name="title"' not in draft and "南京拜访" in draft and "李娜" in draft
    assert "/voucher" not in draft and "Print voucher" not in draft
    assert 'class="statusbar"' in draft and 'aria-current="step"' in draft
    editing = li.get(f"/m/crm_expense_claim/{claim}?edit=1").text
    assert 'name="title"' in editing and ">Save</button>" in editing

    world.fire("li.na", claim, "submit")
    locked = li.get(f"/m/crm_expense_claim/{claim}").text
    assert 'id="edit-record"' not in locked and "/delete" not in locked
    asked = li.get(f"/m/crm_expense_claim/{claim}?edit=1").text
    assert ">Save</button>" not in asked and 'name="title"' not in asked  # read mode still
    token = csrf_token(locked)
    saved = li.post(f"/m/crm_expense_claim/{claim}", data={
        "csrf_token": token, "title": "改了", "date_from": "2026-11-01",
        "date_to": "2026-11-30"}, follow_redirects=False)
    assert saved.status_code >= 400
    deleted = li.post(f"/m/crm_expense_claim/{claim}/delete", data={"csrf_token": token},
                      follow_redirects=False)
    assert deleted.status_code >= 400
    assert world.state(claim) == "submitted"
    world.approve_all(claim)
    approved = li.get(f"/m/crm_expense_claim/{claim}").text
    assert f"/a/crm_expense/claims/{claim}/voucher" in approved


def test_a_save_and_an_action_leave_a_notice_shown_once(world: ExpenseWorld, app) -> None:  # noqa: F811
    claim = world.claim("li.na", [world.line(3, "travel", "1280.00")])
    li = browser(app, "li.na")
    page = li.get(f"/m/crm_expense_claim/{claim}?edit=1").text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    saved = li.post(f"/m/crm_expense_claim/{claim}", data={
        "csrf_token": csrf_token(page), "version": version, "title": "11月拜访（改）",
        "date_from": "2026-11-01", "date_to": "2026-11-30", "note": "补充说明"},
                   follow_redirects=False)  # no line posted: the lines stay as they are
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/m/crm_expense_claim/{claim}"
    shown = li.get(saved.headers["location"]).text
    assert 'class="notice success"' in shown and "Saved." in shown and "补充说明" in shown
    assert "Saved." not in li.get(f"/m/crm_expense_claim/{claim}").text  # once
    done = li.post(f"/workflow/crm_expense_claim/{claim}/submit",
                   data={"csrf_token": csrf_token(shown)})
    assert done.status_code == 200 and "Expense claim is now Submitted." in done.text
