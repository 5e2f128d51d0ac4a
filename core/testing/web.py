"""Web test helpers: sign a TestClient in through the real login form."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in a page."""
    found = _CSRF.search(html)
    assert found is not None, "no csrf_token field in the page"
    return found.group(1)


def sign_in(client: TestClient, login: str, password: str) -> TestClient:
    """Sign `client` in as `login` through GET/POST /login; fails loudly if refused."""
    token = csrf_token(client.get("/login").text)
    response = client.post(
        "/login", data={"login": login, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, f"sign-in as {login} refused ({response.status_code})"
    return client
