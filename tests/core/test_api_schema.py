"""The API against its own OpenAPI document: valid, and fuzzed with schemathesis.

Requests generated from /api/v1/openapi.json (valid ones and, fewer, invalid
ones) run in-process against the Starlette app as an administrator. None may
answer 5xx; every error must be the JSON error shape; answers must match the
documented status codes, content types and schemas. SQLite only, a bounded
number of examples per operation, so the file stays well under a minute.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.applications import Starlette
from starlette.testclient import TestClient

from core.auth.passwords import hash_password
from core.context import system_context
from core.kernel import Kernel
from core.models import Division, Role, User
from core.web.app import create_app
from tests.core.org_fixtures import build_org

FUZZER = "fuzz.admin"
FUZZER_PASSWORD = "fuzz-Admin-2026"
# An id random path parameters hardly ever hit: the fuzzer must not delete itself.
FUZZER_ID = 1_234_567
EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 2}  # per operation: ~500 of them
# The same examples on every run (CI stays reproducible); KEHU_API_FUZZ=random explores.
DERANDOMIZE = os.environ.get("KEHU_API_FUZZ") != "random"


@pytest.fixture(params=["sqlite"])
def backend(request: pytest.FixtureRequest) -> str:
    """This file runs on SQLite only (tests/core/test_api.py covers PostgreSQL)."""
    return str(request.param)


@pytest.fixture()
def app(kernel: Kernel) -> Starlette:
    build_org(kernel)
    with system_context(), kernel.sessions.begin() as session:
        hq = session.scalar(sa.select(Division).where(Division.code == "HQ"))
        user = User(id=FUZZER_ID, login=FUZZER, name="Fuzzer", division_id=hq.id,
                    password_hash=hash_password(FUZZER_PASSWORD))
        user.roles = [session.get(Role, "admin")]
        session.add(user)
    return create_app(kernel=kernel)


@pytest.fixture()
def bearer(app: Starlette) -> dict[str, str]:
    answer = TestClient(app).post("/api/v1/auth/token",
                                  json={"login": FUZZER, "password": FUZZER_PASSWORD})
    assert answer.status_code == 201
    return {"Authorization": f"Bearer {answer.json()['token']}"}


@pytest.fixture()
def document(app: Starlette, bearer: dict[str, str]) -> dict[str, Any]:
    answer = TestClient(app).get("/api/v1/openapi.json", headers=bearer)
    assert answer.status_code == 200
    return dict(answer.json())


def json_errors(ctx: Any, response: Any, case: Any) -> bool:
    """Every 4xx/5xx answer is {"error": {"code", "message", "fields"}} as JSON."""
    if response.status_code < 400:
        return True
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), \
        f"{response.status_code} without a JSON body"
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message", "fields"} <= set(body["error"]), body
    assert "Traceback" not in response.text and "sqlalchemy" not in response.text
    return True


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, json_errors]


def test_the_document_is_valid_openapi_3_1(document) -> None:
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    paths = document["paths"]
    for key in ("crm_customer", "kehu_user", "kehu_region"):
        assert {"get", "post"} <= set(paths[f"/api/v1/{key}"])
        assert {"get", "patch", "delete"} <= set(paths[f"/api/v1/{key}/{{id}}"])
    listing = paths["/api/v1/crm_customer"]["get"]
    names = {p.get("name") for p in listing["parameters"]}
    assert {"level", "level__in", "name__contains", "owner_id__isnull"} <= names
    assert {"400", "401", "403", "404", "429", "500"} <= set(listing["responses"])
    body = document["components"]["schemas"]["crm_customer_input"]
    assert body["required"] == ["name", "code"] and body["additionalProperties"] is False
    patch = document["components"]["schemas"]["crm_customer_patch"]
    assert "version" in patch["properties"] and "required" not in patch  # or If-Match


def _operations(app: Starlette, bearer: dict[str, str]) -> Iterator[Any]:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, headers=bearer)
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path != "/api/v1/auth/token":  # the auth engineer's; throttled
            yield operation


def _fuzz(operation: Any, mode: GenerationMode, bearer: dict[str, str]) -> None:
    @settings(max_examples=EXAMPLES[mode], deadline=None, database=None,
              derandomize=DERANDOMIZE,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        case.call_and_validate(headers=bearer, checks=CHECKS)

    run()


def test_generated_requests_get_documented_json_answers_and_no_5xx(app, bearer) -> None:
    operations = list(_operations(app, bearer))
    assert len(operations) >= 5 * 5
    for operation in operations:
        for mode in EXAMPLES:
            _fuzz(operation, mode, bearer)
