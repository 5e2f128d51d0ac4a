"""Passwords from the common lists are refused with a message (zxcvbn) (#13)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from core.auth.passwords import password_problem
from core.context import system_context
from core.errors import ValidationError
from core.org import create_user
from core.testing.web import csrf_token, sign_in
from core.web.app import create_app
from tests.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.sqlite_only  # no database behaviour involved


@pytest.mark.parametrize("password", ["Aa123456", "qwerty123", "password1", "11111111"])
def test_common_passwords_are_refused(password) -> None:
    assert "too common" in (password_problem(password) or "")


def test_a_strong_password_passes() -> None:
    assert password_problem("红茶-Tea-at-four-2026") is None


def test_user_creation_and_the_account_page_refuse_common_passwords(kernel) -> None:
    with system_context(), kernel.sessions.begin() as session, \
            pytest.raises(ValidationError) as refused:
        create_user(session, login="zhang.san", name="张三", division_code="HQ",
                    password="Aa123456")
    assert "too common" in refused.value.fields["password"]
    client = sign_in(TestClient(create_app(kernel=kernel), headers={"Accept-Language": "en"}),
                     "admin", ADMIN_PASSWORD)
    token = csrf_token(client.get("/account").text)
    answer = client.post("/account", data={"csrf_token": token, "action": "password",
                                           "old_password": ADMIN_PASSWORD,
                                           "new_password": "qwerty123",
                                           "confirm_password": "qwerty123"})
    assert answer.status_code == 400 and "too common" in answer.text
