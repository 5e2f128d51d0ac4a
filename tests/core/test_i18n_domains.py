"""Translation domains (#21): an addon's msgids come from its own catalog first, then
the kernel's; contexts (pgettext) tell one word apart by model."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from core import i18n
from core.testing.catalogs import CONTEXT_SEPARATOR, catalog, extract

# Each fake addon's module calls the kernel's functions as addon code does.
CODE = """
from core.i18n import _, _l, pgettext, lazy_pgettext
now = _("Purpose")
later = _l("Purpose")
kernel_word = _("Save")
visit = pgettext("visit", "Purpose")
visit_later = lazy_pgettext("visit", "Purpose")
"""


def _write(folder: Path, domain: str, entries: list[tuple[str | None, str, str]]) -> Path:
    target = folder / "locale" / "zh_CN" / "LC_MESSAGES"
    target.mkdir(parents=True)
    po = Catalog(locale="zh_CN", domain=domain)
    for context, msgid, msgstr in entries:
        po.add(msgid, msgstr, context=context)
    with (target / f"{domain}.po").open("wb") as handle:
        write_po(handle, po)
    return folder / "locale"


def _module(name: str) -> dict[str, object]:
    namespace: dict[str, object] = {"__name__": name}
    exec(compile(CODE, f"<{name}>", "exec"), namespace)  # noqa: S102  (code above)
    return namespace


@pytest.fixture()
def two_addons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Only the kernel's catalog and the two below: addons booted by earlier tests of
    # this process must not decide what a module of no addon finds.
    monkeypatch.setattr(i18n, "_catalog_dirs", {i18n.KERNEL: i18n._catalog_dirs[i18n.KERNEL]})
    i18n._messages.cache_clear()
    i18n._domain_of.cache_clear()
    # Declared before the catalogs are added (as addon modules are imported first).
    globals()["EARLY"] = _module("kehu_team.models")
    i18n.add_catalog_dir(_write(tmp_path / "team", "kehu_team", [
        (None, "Purpose", "拜访目的"), ("visit", "Purpose", "来访事由")]), package="kehu_team")
    i18n.add_catalog_dir(_write(tmp_path / "expense", "kehu_expense", [
        (None, "Purpose", "用途")]), package="kehu_expense")
    yield
    i18n._messages.cache_clear()
    i18n._domain_of.cache_clear()


@pytest.mark.usefixtures("two_addons")
def test_each_addon_reads_its_own_catalog_first_then_the_kernels() -> None:
    with i18n.using_locale("zh_CN"):
        team = _module("kehu_team.views")
        expense = _module("kehu_expense.views")
        other = _module("kehu_other.views")
        early = globals()["EARLY"]
        assert (team["now"], str(team["later"]), str(early["later"])) == ("拜访目的",) * 3
        assert (expense["now"], str(expense["later"])) == ("用途", "用途")
        # The kernel's own words reach every addon; a module of no addon finds any catalog.
        assert team["kernel_word"] == expense["kernel_word"] == i18n._("Save") != "Save"
        assert other["now"] == "拜访目的"
        assert (team["visit"], str(team["visit_later"])) == ("来访事由", "来访事由")
        # Without its own entry, expense finds another catalog's as a last resort.
        assert expense["visit"] == "来访事由"
    with i18n.using_locale("en"):
        assert (_module("kehu_team.views")["now"], str(early["later"])) == ("Purpose", "Purpose")


def test_catalog_tools_keep_contexts_apart(tmp_path: Path) -> None:
    (tmp_path / "views.py").write_text(CODE, encoding="utf-8")
    found = extract(tmp_path)
    assert {"Purpose", "Save", f"visit{CONTEXT_SEPARATOR}Purpose"} <= found
    _write(tmp_path, "x", [(None, "Purpose", "用途"), ("visit", "Purpose", "来访事由")])
    assert catalog(tmp_path, "zh_CN") == {"Purpose": "用途", f"visit{CONTEXT_SEPARATOR}Purpose": "来访事由"}
