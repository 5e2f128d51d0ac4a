"""SQLite: a request whose write found the database locked runs again before a 503 (#13).

Two real writers on one SQLite file: another connection holds the write lock a
little longer than the server's busy timeout; the request's first try is refused
("database is locked") and rolled back, the retry saves. Without retries the same
request answers 503 and writes nothing.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_customer.models import Customer
from core.context import system_context
from core.kernel import boot
from core.web import busy
from core.web.app import create_app
from tests.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.sqlite_only  # SQLite's single writer is the subject


@pytest.fixture()
def impatient(settings):
    """The kernel on the test database with a 300 ms busy timeout (a short test)."""
    kernel = boot(settings.model_copy(
        update={"database_url": settings.resolved_database_url + "?busy_timeout=300"}))
    yield kernel
    kernel.engine.dispose()


def holding_the_lock(path: str, seconds: float) -> threading.Thread:
    """Another writer: takes SQLite's write lock, writes, commits after `seconds`."""
    ready = threading.Event()

    def write() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE kehu_division SET name = name")
        ready.set()
        time.sleep(seconds)
        connection.execute("COMMIT")
        connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    ready.wait(5)
    return thread


def renamed(kernel, name: str, *, retries: int, monkeypatch) -> tuple[int, str]:
    monkeypatch.setattr(busy, "RETRIES", retries)
    app = create_app(kernel=kernel)
    client = TestClient(app, headers={"Accept-Language": "en"}, raise_server_exceptions=False)
    token = client.post("/api/v1/auth/token",
                        json={"login": "admin", "password": ADMIN_PASSWORD}).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    made = client.post("/api/v1/crm_customer", json={"name": "锁测试客户", "code": "LOCK-1"})
    assert made.status_code == 201, made.text
    customer_id = made.json()["id"]
    path = sa.make_url(kernel.engine.url).database
    other = holding_the_lock(path, 0.6)
    answer = client.patch(f"/api/v1/crm_customer/{customer_id}", json={"name": name, "version": made.json()["version"]})
    other.join()
    with system_context(), kernel.session() as session:
        return answer.status_code, session.get(Customer, customer_id).name


def test_a_write_refused_as_locked_is_retried_then_saved(impatient, monkeypatch) -> None:
    status, name = renamed(impatient, "重试后保存", retries=3, monkeypatch=monkeypatch)
    assert (status, name) == (200, "重试后保存")


def test_without_retries_the_same_write_is_a_503_that_wrote_nothing(impatient, monkeypatch) -> None:
    status, name = renamed(impatient, "不会保存", retries=0, monkeypatch=monkeypatch)
    assert status == 503 and name != "不会保存"
