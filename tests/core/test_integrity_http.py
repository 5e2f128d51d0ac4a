"""No 500s (#13): busy or unreachable database → 503 with Retry-After, an id beyond the
integer range → 404, every report exports in both languages, no server banner."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from starlette.testclient import TestClient

from core.api.ratelimit import RateLimiter
from core.records import Records
from core.testing.web import sign_in
from core.web.app import create_app
from tests.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.sqlite_only  # the web layer's answers: one engine suffices


@pytest.fixture()
def admin(kernel) -> TestClient:
    app = create_app(kernel=kernel)
    app.state.rate_limiters = {"export": RateLimiter(capacity=1000, per_second=100)}  # every report at once
    client = TestClient(app, headers={"Accept-Language": "en"}, raise_server_exceptions=False)
    return sign_in(client, "admin", ADMIN_PASSWORD)


def test_an_id_beyond_the_integer_range_is_not_found(admin) -> None:
    huge = 2**70
    assert admin.get(f"/api/v1/crm_customer/{huge}").status_code == 404
    assert admin.get(f"/m/crm_customer/{huge}").status_code == 404
    assert admin.get(f"/api/v1/crm_customer/{2**31}").status_code == 404
    assert admin.get("/api/v1/crm_customer?limit=1").status_code == 200  # still connected


@pytest.mark.parametrize("reason", ["database is locked", "database or disk is full"])
def test_a_busy_or_full_database_answers_503_with_retry_after(admin, monkeypatch, reason) -> None:
    def busy(self, session, record_id):
        raise sa.exc.OperationalError("UPDATE ...", {}, sqlite3.OperationalError(reason))

    monkeypatch.setattr(Records, "get", busy)
    answer = admin.get("/api/v1/crm_customer/1")
    assert answer.status_code == 503 and answer.headers["retry-after"] == "5"
    assert answer.json()["error"]["code"] == "unavailable"
    page = admin.get("/m/crm_customer/1")
    assert page.status_code == 503 and "Try again" in page.text


def test_a_database_server_that_went_away_answers_503(admin, monkeypatch) -> None:
    import psycopg

    def gone(self, session, record_id):
        raise sa.exc.OperationalError("SELECT ...", {}, psycopg.OperationalError(
            "connection to server on socket failed: No such file or directory"))

    monkeypatch.setattr(Records, "get", gone)
    assert admin.get("/api/v1/crm_customer/1").status_code == 503


def test_a_bug_in_sql_stays_an_internal_error(admin, monkeypatch) -> None:
    def bug(self, session, record_id):
        raise sa.exc.OperationalError("SELECT", {}, sqlite3.OperationalError("no such column: x"))

    monkeypatch.setattr(Records, "get", bug)
    assert admin.get("/api/v1/crm_customer/1").status_code == 500


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_every_report_exports_in_both_languages(kernel, admin, language) -> None:
    assert kernel.reports
    for key in kernel.reports:
        answer = admin.get(f"/r/{key}.xlsx", headers={"Accept-Language": language})
        assert answer.status_code == 200, (key, answer.text[:300])
        assert answer.content[:2] == b"PK"


def test_the_server_sends_no_banner(monkeypatch, env_vars) -> None:
    import uvicorn

    from core.cli import main

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **options: seen.update(options))
    for name, value in env_vars.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 0, result.output
    assert seen["server_header"] is False
