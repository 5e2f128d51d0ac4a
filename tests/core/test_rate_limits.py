"""Rate limits (#22): only expensive actions are limited, each as [limits.*] in kehu.toml sets it.

Ordinary reads and writes never spend from a bucket: with every limit at one
request, a burst of them still all pass. Exports, web imports, API reports,
API counts and searches, and login attempts are refused past their burst,
with Retry-After and a translated message.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from core.kernel import Kernel
from core.settings import SettingsError, load_settings
from core.testing.web import csrf_token, sign_in
from core.web.app import create_app
from tests.conftest import ADMIN_PASSWORD

# The web layer's answers: one engine suffices (the shared buckets are tested on
# both in test_rate_limits_shared.py).
pytestmark = pytest.mark.sqlite_only

API = "/api/v1/crm_customer"
TIGHT = {"export": 2, "import": 1, "report": 1, "search": 1, "login": 4}


@pytest.fixture()
def env_vars(env_vars: dict[str, str]) -> dict[str, str]:
    """Every limit tight: `burst` as TIGHT says, one more a minute."""
    tight = {}
    for action, burst in TIGHT.items():
        tight[f"KEHU_LIMITS__{action.upper()}__BURST"] = str(burst)
        tight[f"KEHU_LIMITS__{action.upper()}__PER_MINUTE"] = "1"
    return {**env_vars, **tight}


@pytest.fixture()
def admin(kernel: Kernel) -> TestClient:
    client = TestClient(create_app(kernel=kernel), headers={"Accept-Language": "en"})
    return sign_in(client, "admin", ADMIN_PASSWORD)


def test_the_shipped_limits_leave_out_ordinary_work() -> None:
    limits = load_settings().limits
    assert set(limits) == {"export", "import", "report", "search", "login"}
    assert all(limit.burst > 0 and limit.per_minute > 0 for limit in limits.values())


def test_a_burst_of_plain_reads_and_writes_gets_no_429(admin: TestClient) -> None:
    answer = admin.post("/api/v1/auth/token", json={"login": "admin", "password": ADMIN_PASSWORD})
    assert answer.status_code == 201, answer.text
    bearer = {"Authorization": f"Bearer {answer.json()['token']}"}
    created = admin.post(API, json={"name": "南京新星化工有限公司", "code": "RL-0"}, headers=bearer)
    assert created.status_code == 201, created.text
    record = created.json()
    statuses = []
    for number in range(1, 31):
        statuses.append(admin.get(API, params={"limit": 20}, headers=bearer).status_code)
        statuses.append(admin.get(f"{API}/{record['id']}", headers=bearer).status_code)
        answer = admin.patch(f"{API}/{record['id']}", json={"phone": f"025-{number:04d}"},
                             headers={**bearer, "If-Match": f'"{record["version"]}"'})
        statuses.append(answer.status_code)
        record = answer.json()
        statuses.append(admin.post(API, json={"name": f"无锡博远物流{number}号", "code": f"RL-{number}"},
                                   headers=bearer).status_code)
        statuses.append(admin.get("/m/crm_customer").status_code)
    assert 429 not in statuses
    assert set(statuses) <= {200, 201}, statuses


def test_a_burst_of_exports_is_refused_with_retry_after_in_the_users_language(
        admin: TestClient) -> None:
    for _ in range(TIGHT["export"]):
        assert admin.get("/m/crm_customer/export.csv").status_code == 200
    refused = admin.get("/m/crm_customer/export.csv")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "Too many expensive requests: try again in" in refused.text
    chinese = admin.get("/m/crm_customer/export.csv", headers={"Accept-Language": "zh-CN"})
    assert chinese.status_code == 429 and "高开销请求过多" in chinese.text
    assert admin.get("/m/crm_customer").status_code == 200  # the list itself stays open


def test_a_second_web_import_at_once_is_refused(admin: TestClient) -> None:
    def upload() -> object:
        token = csrf_token(admin.get("/m/crm_customer/import").text)
        body = "Name,Code\n常州华信电气有限公司,RL-IMP\n".encode()
        return admin.post("/m/crm_customer/import", data={"csrf_token": token},
                          files={"file": ("customers.csv", body, "text/csv")},
                          follow_redirects=False)

    assert upload().status_code == 303  # type: ignore[attr-defined]
    refused = upload()
    assert refused.status_code == 429  # type: ignore[attr-defined]
    assert int(refused.headers["retry-after"]) >= 1  # type: ignore[attr-defined]
    assert "Too many expensive requests" in refused.text  # type: ignore[attr-defined]


def test_api_counts_and_searches_spend_their_own_bucket(admin: TestClient) -> None:
    assert admin.get(API, params={"count": 1}).status_code == 200
    refused = admin.get(API, params={"q": "南京"})
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["retry-after"]) >= 1
    assert admin.get(API).status_code == 200


def test_login_attempts_per_address_are_limited_even_with_the_right_password(
        kernel: Kernel) -> None:
    client = TestClient(create_app(kernel=kernel), headers={"Accept-Language": "en"})
    for _ in range(TIGHT["login"] - 1):
        token = csrf_token(client.get("/login").text)
        wrong = client.post("/login", data={"login": "nobody", "password": "x", "csrf_token": token})
        assert wrong.status_code in (200, 400, 401)
    sign_in(client, "admin", ADMIN_PASSWORD)  # the last attempt of the burst
    token = csrf_token(client.get("/login").text)
    again = client.post("/login", follow_redirects=False,
                        data={"login": "admin", "password": ADMIN_PASSWORD, "csrf_token": token})
    assert again.status_code != 303  # refused: the address spent its burst


def test_a_limit_set_to_zero_is_off_and_an_unknown_action_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from core.api.ratelimit import configured

    monkeypatch.setenv("KEHU_LIMITS__EXPORT__BURST", "0")
    off = configured(SimpleNamespace(settings=load_settings(), engine=None), "export")  # type: ignore[arg-type]
    assert not off.enabled and all(off.take("u") == 0.0 for _ in range(100))
    monkeypatch.setenv("KEHU_LIMITS__LIST__BURST", "1")
    monkeypatch.setenv("KEHU_LIMITS__LIST__PER_MINUTE", "1")
    with pytest.raises(SettingsError, match="limits"):
        load_settings()
