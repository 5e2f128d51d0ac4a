"""Helpers of the crm_customer tests: API callers, lookups by code, page sign-in."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from starlette.testclient import TestClient

from addons.crm_customer.models import CustomerType, Industry, LeadSource
from core.context import system_context
from core.kernel import Kernel
from core.lookups import usable_in
from core.models import Region
from tests.core.org_fixtures import PASSWORD

API = "/api/v1/crm_customer"
CONTACTS = "/api/v1/crm_contact"


class Caller:
    """A TestClient speaking as one user through a bearer token."""

    def __init__(self, client: TestClient, login: str, password: str = PASSWORD) -> None:
        answer = client.post("/api/v1/auth/token", json={"login": login, "password": password})
        assert answer.status_code == 201, answer.text
        self.client = client
        self.headers = {"Authorization": f"Bearer {answer.json()['token']}"}

    def _headers(self, kwargs: dict[str, Any]) -> dict[str, str]:
        return {**self.headers, **kwargs.pop("headers", {})}

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, headers=self._headers(kwargs), **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.client.post(url, headers=self._headers(kwargs), **kwargs)

    def patch(self, url: str, **kwargs: Any) -> Any:
        return self.client.patch(url, headers=self._headers(kwargs), **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        return self.client.delete(url, headers=self._headers(kwargs), **kwargs)


def lookup_ids(kernel: Kernel, division_id: int) -> dict[str, int]:
    """Ids of the seeded lookups of a division, by "model:code" ("industry:MFG")."""
    ids = {}
    with system_context(), kernel.session() as session:
        for prefix, model in (("industry", Industry), ("source", LeadSource),
                              ("type", CustomerType)):
            rows = session.execute(sa.select(model.code, model.id)
                                   .where(usable_in(model, division_id)))
            ids.update({f"{prefix}:{code}": record_id for code, record_id in rows})
        regions = session.execute(sa.select(Region.code, Region.id))
        ids.update({f"region:{code}": record_id for code, record_id in regions})
    return ids
