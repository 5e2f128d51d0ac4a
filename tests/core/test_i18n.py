"""zh_CN and en catalogs are complete, and placeholders survive translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from core.addons import discover
from core.testing.catalogs import catalog, manifest_texts, missing

# The engine does not matter to these pages and checks: one SQLite run (CI time).
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parents[2]
BUILTIN = sorted(name for name, spec in discover().items() if spec.origin == "built-in")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def folders() -> list[tuple[str, Path, set[str]]]:
    catalog_ = discover()
    result = [("core", ROOT / "core", set())]
    for name in BUILTIN:
        spec = catalog_[name]
        assert spec.path is not None
        result.append((name, spec.path, manifest_texts(spec)))
    return result


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
@pytest.mark.parametrize(("name", "folder", "extra"), folders(),
                         ids=lambda v: v if isinstance(v, str) else "-")
def test_every_message_is_translated(name: str, folder: Path, extra: set[str], locale: str) -> None:
    assert missing(folder, locale, extra=extra) == [], (
        f"{name}: run scripts/update_catalogs.py and translate the empty {locale} entries"
    )


@pytest.mark.parametrize(("name", "folder", "extra"), folders(),
                         ids=lambda v: v if isinstance(v, str) else "-")
def test_translations_keep_their_placeholders(name: str, folder: Path, extra: set[str]) -> None:
    for msgid, msgstr in catalog(folder, "zh_CN").items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid


def test_pages_follow_the_chosen_language(kernel) -> None:
    from core.testing.web import sign_in
    from core.web.app import create_app
    from tests.conftest import ADMIN_PASSWORD

    client = sign_in(TestClient(create_app(kernel=kernel)), "admin", ADMIN_PASSWORD)
    assert "已启用的插件" in client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert "Enabled addons" in client.get("/?lang=en").text
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).text
    assert "客户管理：客户是公司资源" in page
