"""Authentication (#3): sessions, CSRF, security headers, throttling, API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.testclient import TestClient

from core.auth.models import ApiToken, LoginThrottle, WebSession
from core.auth.passwords import hash_password
from core.context import system_context
from core.kernel import Kernel
from core.models import Division, User
from core.orm import utcnow
from core.testing.web import csrf_token, sign_in
from core.web.app import create_app
from tests.conftest import ADMIN_PASSWORD

# The engine does not matter to these pages and checks: one SQLite run (CI time).
pytestmark = pytest.mark.sqlite_only

BASE = "http://testserver"
FAILED = "Invalid login or password, or too many attempts: try again later"
TEMPLATES = Path(__file__).resolve().parents[2] / "core" / "web" / "templates"


@pytest.fixture()
def delays() -> list[float]:
    """The throttling waits the app asked for (they are not slept)."""
    return []


@pytest.fixture()
def app(kernel: Kernel, delays: list[float]) -> Starlette:
    app = create_app(kernel=kernel)

    async def no_sleep(seconds: float) -> None:
        delays.append(seconds)

    app.state.login_sleep = no_sleep
    return app


@pytest.fixture()
def client(app: Starlette) -> TestClient:
    return TestClient(app, base_url=BASE)


@pytest.fixture()
def admin(client: TestClient) -> TestClient:
    return sign_in(client, "admin", ADMIN_PASSWORD)


def make_user(kernel: Kernel, login: str, password: str) -> int:
    with system_context(), kernel.sessions.begin() as db:
        division_id = db.scalar(sa.select(Division.id).order_by(Division.id))
        user = User(login=login, name=login.title(), division_id=division_id,
                    password_hash=hash_password(password))
        db.add(user)
        db.flush()
        return user.id


def attempt(client: TestClient, login: str, password: str, **extra: str):
    token = csrf_token(client.get("/login").text)
    data = {"login": login, "password": password, "csrf_token": token, **extra}
    return client.post("/login", data=data, follow_redirects=False)


def session_rows(kernel: Kernel) -> list[WebSession]:
    with kernel.sessions() as db:
        return list(db.scalars(sa.select(WebSession)))


def security_log(kernel: Kernel) -> str:
    path = kernel.settings.path(kernel.settings.log_dir) / "security.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def events(kernel: Kernel, kind: str) -> list[dict]:
    lines = [json.loads(line) for line in security_log(kernel).splitlines() if line]
    return [line for line in lines if line["event"] == kind]


# ----------------------------------------------------------------- signing in and out


def test_the_right_password_signs_in_and_a_wrong_one_does_not(client, kernel) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/login?next=%2F"
    failed = attempt(client, "admin", "not-the-password")
    assert failed.status_code == 401 and FAILED in failed.text
    assert "kehu_session" not in failed.headers.get("set-cookie", "")
    response = attempt(client, "admin", ADMIN_PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/"
    page = client.get("/")
    assert page.status_code == 200 and "Sign out" in page.text
    assert client.get("/api/v1/auth/me").json()["login"] == "admin"
    assert [e["login"] for e in events(kernel, "login.failure")] == ["admin"]
    assert len(events(kernel, "login.success")) == 1


def test_session_cookie_is_http_only_same_site_and_secure_only_over_https(app) -> None:
    plain = attempt(TestClient(app, base_url=BASE), "admin", ADMIN_PASSWORD)
    cookie = plain.headers["set-cookie"]
    assert cookie.startswith("kehu_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie
    secure = attempt(TestClient(app, base_url="https://testserver"), "admin", ADMIN_PASSWORD)
    assert "Secure" in secure.headers["set-cookie"]


def test_the_stored_session_id_is_not_the_cookie_value(admin, kernel) -> None:
    cookie = admin.cookies["kehu_session"]
    token = cookie.rsplit(".", 1)[0]
    [row] = session_rows(kernel)
    assert row.id == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (row.id, row.csrf_token) and cookie != row.id


def test_every_login_gets_a_new_session_id(admin, kernel) -> None:
    first = admin.cookies["kehu_session"]
    assert attempt(admin, "admin", ADMIN_PASSWORD).status_code == 303
    assert admin.cookies["kehu_session"] != first
    assert len(session_rows(kernel)) == 1  # the browser's previous session is gone


def test_a_cookie_copied_before_logout_fails_after_it(admin, app, kernel) -> None:
    copied = admin.cookies["kehu_session"]
    thief = TestClient(app, base_url=BASE)
    assert thief.get("/", headers={"Cookie": f"kehu_session={copied}"}).status_code == 200
    page = admin.get("/").text
    response = admin.post("/logout", data={"csrf_token": csrf_token(page)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert session_rows(kernel) == []
    again = thief.get("/", headers={"Cookie": f"kehu_session={copied}"}, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].startswith("/login")


def test_idle_and_old_sessions_end(admin, kernel) -> None:
    assert admin.get("/", follow_redirects=False).status_code == 200
    with kernel.sessions.begin() as db:
        db.execute(sa.update(WebSession).values(last_seen=utcnow() - dt.timedelta(hours=13)))
    assert admin.get("/", follow_redirects=False).status_code == 303
    sign_in(admin, "admin", ADMIN_PASSWORD)
    with kernel.sessions.begin() as db:
        db.execute(sa.update(WebSession).values(expires=utcnow() - dt.timedelta(seconds=1)))
    assert admin.get("/", follow_redirects=False).status_code == 303


def test_a_forged_cookie_is_refused(client) -> None:
    forged = client.get("/", headers={"Cookie": "kehu_session=abc.def"}, follow_redirects=False)
    assert forged.status_code == 303


# ----------------------------------------------------------------- CSRF and origin


def test_posts_need_the_csrf_token_and_the_same_origin(admin, kernel) -> None:
    token = csrf_token(admin.get("/").text)
    missing = admin.post("/logout", follow_redirects=False)
    assert missing.status_code == 403
    wrong = admin.post("/logout", data={"csrf_token": "x" * 43}, follow_redirects=False)
    assert wrong.status_code == 403
    foreign = admin.post("/logout", data={"csrf_token": token},
                         headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert foreign.status_code == 403
    referer = admin.post("/logout", data={"csrf_token": token},
                         headers={"Referer": "http://evil.example/page"}, follow_redirects=False)
    assert referer.status_code == 403
    assert [e["reason"] for e in events(kernel, "csrf.failure")] == ["token", "token", "origin", "origin"]
    assert len(session_rows(kernel)) == 1
    ok = admin.post("/logout", data={"csrf_token": token},
                    headers={"Origin": BASE}, follow_redirects=False)
    assert ok.status_code == 303 and session_rows(kernel) == []


def test_the_csrf_header_works_for_scripts_and_api_calls_answer_json(admin) -> None:
    token = csrf_token(admin.get("/").text)
    created = admin.post("/account", data={"action": "token", "token_name": "n"},
                         headers={"X-CSRF-Token": token})
    assert created.status_code == 200 and "Copy this token now" in created.text
    with_header = admin.get("/api/v1/auth/me", headers={"X-CSRF-Token": token})
    assert with_header.status_code == 200
    refused = admin.delete("/api/v1/auth/tokens/1")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf"
    assert admin.delete("/api/v1/auth/tokens/1", headers={"X-CSRF-Token": token}).status_code == 204


def test_the_endpoint_still_reads_a_form_after_the_csrf_check(admin) -> None:
    token = csrf_token(admin.get("/account").text)
    urlencoded = admin.post("/account", data={"csrf_token": token, "action": "token",
                                              "token_name": "from a form"})
    assert urlencoded.status_code == 200 and "from a form" in urlencoded.text
    multipart = admin.post("/account", data={"csrf_token": token, "action": "token",
                                             "token_name": "from multipart"},
                           files={"attachment": ("a.txt", b"x" * 300_000, "text/plain")})
    assert multipart.status_code == 200 and "from multipart" in multipart.text


def test_the_login_form_cannot_be_posted_cross_site(client) -> None:
    data = {"login": "admin", "password": ADMIN_PASSWORD}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 403
    token = csrf_token(client.get("/login").text)
    foreign = client.post("/login", data={**data, "csrf_token": token},
                          headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert foreign.status_code == 403
    stranger = TestClient(client.app, base_url=BASE)  # its own cookie, our token
    assert stranger.post("/login", data={**data, "csrf_token": token},
                         follow_redirects=False).status_code == 403


# ----------------------------------------------------------------- ending sessions


def test_a_password_change_ends_the_other_sessions(admin, app, kernel) -> None:
    other = sign_in(TestClient(app, base_url=BASE), "admin", ADMIN_PASSWORD)
    token = csrf_token(admin.get("/account").text)
    changed = admin.post("/account", data={
        "csrf_token": token, "action": "password", "old_password": ADMIN_PASSWORD,
        "new_password": "a-new-secret-2026", "confirm_password": "a-new-secret-2026",
    })
    assert changed.status_code == 200 and "Password changed" in changed.text
    assert other.get("/", follow_redirects=False).status_code == 303
    assert admin.get("/", follow_redirects=False).status_code == 200  # given a new session
    assert len(session_rows(kernel)) == 1
    assert attempt(TestClient(app, base_url=BASE), "admin", ADMIN_PASSWORD).status_code == 401
    assert attempt(TestClient(app, base_url=BASE), "admin", "a-new-secret-2026").status_code == 303


def test_a_refused_password_change_names_the_field(admin) -> None:
    token = csrf_token(admin.get("/account").text)

    def change(old: str, new: str, confirm: str):
        return admin.post("/account", data={"csrf_token": token, "action": "password",
                                            "old_password": old, "new_password": new,
                                            "confirm_password": confirm})

    short = change(ADMIN_PASSWORD, "short", "short")
    assert short.status_code == 400 and "New password: use at least 8 characters" in short.text
    differ = change(ADMIN_PASSWORD, "long-enough-1", "long-enough-2")
    assert "Confirm new password: it differs" in differ.text
    wrong = change("wrong-old-password", "long-enough-1", "long-enough-1")
    assert wrong.status_code == 400 and "Current password: wrong" in wrong.text
    assert admin.get("/", follow_redirects=False).status_code == 200


def test_deactivating_a_user_ends_their_sessions(app, kernel) -> None:
    make_user(kernel, "li.lei", "li-lei-password")
    browser = sign_in(TestClient(app, base_url=BASE), "li.lei", "li-lei-password")
    assert browser.get("/account").status_code == 200
    with system_context(), kernel.sessions.begin() as db:
        db.scalar(sa.select(User).where(User.login == "li.lei")).active = False
    assert session_rows(kernel) == []
    assert browser.get("/account", follow_redirects=False).status_code == 303
    assert attempt(TestClient(app, base_url=BASE), "li.lei", "li-lei-password").status_code == 401


def test_other_user_changes_leave_sessions_alone(admin, kernel) -> None:
    with system_context(), kernel.sessions.begin() as db:
        db.scalar(sa.select(User).where(User.login == "admin")).email = "admin@example.cn"
    assert admin.get("/", follow_redirects=False).status_code == 200


# ----------------------------------------------------------------- throttling


def test_unknown_login_and_wrong_password_answer_identically(client) -> None:
    unknown = attempt(client, "nobody-here", "whatever-1")
    wrong = attempt(client, "admin", "whatever-1")

    def shape(response) -> tuple:
        headers = sorted((k, v) for k, v in response.headers.items() if k != "date")
        return response.status_code, headers, response.content

    assert shape(unknown) == shape(wrong)
    assert FAILED in wrong.text


def test_ten_failures_lock_the_login_until_the_lock_expires(client, kernel, delays) -> None:
    for _ in range(10):
        assert attempt(client, "admin", "wrong-password").status_code == 401
    assert delays == [1, 2, 3, 4, 5, 5, 5]  # from the 4th attempt on, capped at 5 s
    locked = attempt(client, "admin", ADMIN_PASSWORD)
    assert locked.status_code == 401 and FAILED in locked.text
    assert [e["key"] for e in events(kernel, "login.locked")] == ["login:admin"]
    assert events(kernel, "login.failure")[-1]["reason"] == "locked"
    with kernel.sessions.begin() as db:
        db.execute(sa.update(LoginThrottle).where(LoginThrottle.key == "login:admin")
                   .values(locked_until=utcnow() - dt.timedelta(seconds=1)))
    assert attempt(client, "admin", ADMIN_PASSWORD).status_code == 303
    with kernel.sessions() as db:
        assert db.get(LoginThrottle, "login:admin") is None  # success resets the login


def test_thirty_failures_from_one_address_lock_it(client, kernel) -> None:
    for number in range(30):
        attempt(client, f"guess-{number}", "wrong-password")
    assert attempt(client, "admin", ADMIN_PASSWORD).status_code == 401
    assert [e["key"] for e in events(kernel, "login.locked")] == ["ip:testclient"]


def test_the_api_token_endpoint_is_throttled_like_the_form(client, delays) -> None:
    for _ in range(10):
        refused = client.post("/api/v1/auth/token", json={"login": "admin", "password": "nope"})
        assert refused.status_code == 401
    assert delays == [1, 2, 3, 4, 5, 5, 5]
    locked = client.post("/api/v1/auth/token", json={"login": "admin", "password": ADMIN_PASSWORD})
    assert locked.status_code == 401 and locked.json()["error"]["message"] == FAILED


def test_passwords_are_never_stored_or_logged_in_clear(admin, app, kernel) -> None:
    attempt(TestClient(app, base_url=BASE), "admin", "a-wrong-guess-123")
    new = "brand-new-password-42"
    token = csrf_token(admin.get("/account").text)
    admin.post("/account", data={"csrf_token": token, "action": "password",
                                 "old_password": ADMIN_PASSWORD, "new_password": new,
                                 "confirm_password": new})
    issued = admin.post("/api/v1/auth/token", json={"login": "admin", "password": new}).json()
    secrets = [ADMIN_PASSWORD, "a-wrong-guess-123", new, issued["token"],
               admin.cookies["kehu_session"].rsplit(".", 1)[0]]
    with kernel.engine.connect() as connection:
        for table in ("kehu_user", "kehu_session", "kehu_api_token"):
            dump = repr(connection.execute(sa.text(f"SELECT * FROM {table}")).all())
            assert not [s for s in secrets if s in dump], table
    log = security_log(kernel)
    assert "login.success" in log and "password.changed" in log
    assert not [s for s in secrets if s in log]


# ----------------------------------------------------------------- API tokens


def test_bearer_tokens_are_created_used_and_revoked(client, app, kernel) -> None:
    created = client.post("/api/v1/auth/token",
                          json={"login": "admin", "password": ADMIN_PASSWORD, "name": "sync"})
    assert created.status_code == 201
    body = created.json()
    assert body["expires"] is None and isinstance(body["id"], int)
    bearer = {"Authorization": f"Bearer {body['token']}"}
    api = TestClient(app, base_url=BASE)
    me = api.get("/api/v1/auth/me", headers=bearer).json()
    assert me == {"id": 1, "login": "admin", "name": me["name"], "roles": ["admin"],
                  "division_id": me["division_id"]}
    with kernel.sessions() as db:
        row = db.get(ApiToken, body["id"])
        assert row.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
        assert row.last_used is not None
    # Bearer requests carry no ambient credential: no CSRF token needed.
    assert api.delete(f"/api/v1/auth/tokens/{body['id']}", headers=bearer).status_code == 204
    revoked = api.get("/api/v1/auth/me", headers=bearer)
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "unauthenticated"


def test_wrong_credentials_and_bad_bodies_get_json_errors(client) -> None:
    wrong = client.post("/api/v1/auth/token", json={"login": "admin", "password": "nope"})
    assert wrong.status_code == 401
    assert wrong.json() == {"error": {"code": "invalid_credentials", "message": FAILED, "fields": {}}}
    missing = client.post("/api/v1/auth/token", json={"login": "admin"})
    assert missing.status_code == 400 and "password" in missing.json()["error"]["fields"]


def test_expired_tokens_and_other_users_tokens(client, kernel) -> None:
    make_user(kernel, "han.mei", "han-mei-password")
    mine = client.post("/api/v1/auth/token",
                       json={"login": "admin", "password": ADMIN_PASSWORD}).json()
    theirs = client.post("/api/v1/auth/token",
                         json={"login": "han.mei", "password": "han-mei-password"}).json()
    bearer = {"Authorization": f"Bearer {mine['token']}"}
    assert client.delete(f"/api/v1/auth/tokens/{theirs['id']}", headers=bearer).status_code == 404
    with kernel.sessions.begin() as db:
        db.get(ApiToken, mine["id"]).expires = utcnow() - dt.timedelta(seconds=1)
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401


def test_api_without_credentials_answers_401_json(client) -> None:
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response.json()["error"]["fields"] == {}
    assert client.get("/api/v1/auth/me", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_the_account_page_lists_and_revokes_tokens(admin) -> None:
    admin.post("/api/v1/auth/token", json={"login": "admin", "password": ADMIN_PASSWORD,
                                           "name": "nightly export"})
    page = admin.get("/account")
    assert "nightly export" in page.text
    token_id = re.search(r'name="token_id" value="(\d+)"', page.text).group(1)
    revoked = admin.post("/account", data={"csrf_token": csrf_token(page.text),
                                           "action": "revoke", "token_id": token_id})
    assert revoked.status_code == 200 and "nightly export" not in revoked.text


# ----------------------------------------------------------------- headers, public paths, redirects


def test_security_headers_on_login_and_on_signed_in_pages(client) -> None:
    for response in (client.get("/login"), sign_in(client, "admin", ADMIN_PASSWORD).get("/")):
        assert response.status_code == 200
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "script-src 'self'" in policy and "base-uri 'none'" in policy
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["cache-control"] == "no-store"


def test_templates_have_no_inline_script_or_handler() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        # Scripts come from files; a JSON data block (type="application/json") runs nothing.
        assert not re.search(r'<script(?![^>]*\b(src=|type="application/json"))[^>]*>', text), \
            template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "style=" not in text, template.name


def test_health_login_and_static_stay_public(client) -> None:
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/login").status_code == 200
    assert client.get("/static/kehu.css").status_code == 200


@pytest.mark.parametrize("target", [
    "//evil.example/", "https://evil.example/", "/\\evil.example", "http:/evil.example", "javascript:alert(1)",
])
def test_next_never_leaves_the_site(client, target: str) -> None:
    assert 'name="next" value="/"' in client.get("/login", params={"next": target}).text
    response = attempt(client, "admin", ADMIN_PASSWORD, next=target)
    assert response.status_code == 303 and response.headers["location"] == "/"
    switch = client.get("/lang/en", params={"next": target}, follow_redirects=False)
    assert switch.headers["location"] == "/"


def test_next_brings_the_user_back(client) -> None:
    bounce = client.get("/account?tab=tokens", follow_redirects=False)
    assert bounce.headers["location"] == "/login?next=%2Faccount%3Ftab%3Dtokens"
    next_path = re.search(r'name="next" value="([^"]+)"', client.get(bounce.headers["location"]).text)
    assert next_path.group(1) == "/account?tab=tokens"
    response = attempt(client, "admin", ADMIN_PASSWORD, next="/account?tab=tokens")
    assert response.headers["location"] == "/account?tab=tokens"


def test_the_language_switch_remembers_the_choice(admin) -> None:
    switch = admin.get("/lang/zh_CN", params={"next": "/account"}, follow_redirects=False)
    assert switch.status_code == 303 and switch.headers["location"] == "/account"
    assert switch.headers["set-cookie"].startswith("kehu_lang=zh_CN")
    assert "修改密码" in admin.get("/account").text
    admin.get("/lang/en")
    assert "Change password" in admin.get("/account").text


def test_a_users_own_language_beats_the_browsers_but_not_an_explicit_choice(app, kernel) -> None:
    make_user(kernel, "wang.fang", "wang-fang-password")
    with system_context(), kernel.sessions.begin() as db:
        db.scalar(sa.select(User).where(User.login == "wang.fang")).locale = "zh_CN"
    browser = sign_in(TestClient(app, base_url=BASE), "wang.fang", "wang-fang-password")
    assert "修改密码" in browser.get("/account", headers={"Accept-Language": "en"}).text
    assert "Change password" in browser.get("/account?lang=en").text
    browser.get("/lang/en")
    assert "Change password" in browser.get("/account").text
