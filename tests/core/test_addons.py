"""Discovery, dependency order and the errors an integrator can meet."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from core.addons import AddonError, Manifest, discover, resolve_order


def write_addon(folder: Path, name: str, depends: list[str], *, version: str = "1.0.0",
                body: str = "") -> None:
    package = folder / name
    package.mkdir(parents=True)
    header = "from core.addons import Manifest\n"
    manifest = (
        f"manifest = Manifest(name={name!r}, version={version!r}, summary='test', "
        f"depends={depends!r})\n"
    )
    (package / "__init__.py").write_text(header + textwrap.dedent(body) + "\n" + manifest, encoding="utf-8")


def test_builtin_and_entry_point_addons_are_found() -> None:
    catalog = discover()
    assert {"crm_customer", "crm_funnel", "crm_channel", "crm_marketing", "crm_expense"} <= set(
        catalog
    )
    assert catalog["crm_customer"].origin == "built-in"
    credit = catalog["crm_credit"]
    assert credit.ok and credit.origin == "package kehu-crm-credit"
    assert credit.migrations_dir is not None and credit.migrations_dir.is_dir()


def test_dependencies_come_first() -> None:
    catalog = discover()
    order = resolve_order(catalog, ["crm_expense", "crm_credit", "crm_funnel"])
    assert order.index("crm_customer") < order.index("crm_expense")
    assert order.index("crm_customer") < order.index("crm_credit")
    assert order[0] == "crm_customer"
    assert order.index("crm_team") < order.index("crm_funnel")  # visits are crm_team's (#17)
    assert sorted(order) == ["crm_credit", "crm_customer", "crm_expense", "crm_funnel", "crm_team"]


def test_a_cycle_is_named(tmp_path: Path) -> None:
    write_addon(tmp_path, "cyc_a", ["cyc_b"])
    write_addon(tmp_path, "cyc_b", ["cyc_c"])
    write_addon(tmp_path, "cyc_c", ["cyc_a"])
    catalog = discover(addons_path=[tmp_path])
    with pytest.raises(AddonError, match="dependency cycle: cyc_a → cyc_b → cyc_c → cyc_a"):
        resolve_order(catalog, ["cyc_a"])


def test_a_missing_dependency_is_named(tmp_path: Path) -> None:
    write_addon(tmp_path, "needs_ghost", ["crm_customer", "ghost_addon"])
    catalog = discover(addons_path=[tmp_path])
    with pytest.raises(AddonError, match="'ghost_addon' is not available \\(required by needs_ghost\\)"):
        resolve_order(catalog, ["needs_ghost"])


def test_a_version_conflict_is_named(tmp_path: Path) -> None:
    write_addon(tmp_path, "wants_new", ["crm_customer>=9.0"])
    catalog = discover(addons_path=[tmp_path])
    available = re.escape(catalog["crm_customer"].manifest.version)
    with pytest.raises(AddonError,
                       match=f"needs crm_customer>=9.0, but version {available} is available"):
        resolve_order(catalog, ["wants_new"])


def test_an_addon_that_fails_to_import_does_not_stop_the_others(tmp_path: Path) -> None:
    write_addon(tmp_path, "broken_one", [], body="import module_that_does_not_exist")
    write_addon(tmp_path, "fine_one", ["crm_customer"])
    write_addon(tmp_path, "on_broken", ["broken_one"])
    catalog = discover(addons_path=[tmp_path])
    assert not catalog["broken_one"].ok
    assert "No module named 'module_that_does_not_exist'" in str(catalog["broken_one"].error)
    assert resolve_order(catalog, ["fine_one"]) == ["crm_customer", "fine_one"]
    with pytest.raises(AddonError, match="'broken_one' cannot be used"):
        resolve_order(catalog, ["on_broken"])


def test_a_manifest_is_validated() -> None:
    with pytest.raises(ValueError, match="version"):
        Manifest(name="ok_name", version="one", summary="x")
    with pytest.raises(ValueError, match="invalid version range"):
        Manifest(name="ok_name", version="1.0", summary="x", depends=["crm_customer>>1"])
    with pytest.raises(ValueError, match="name"):
        Manifest(name="Bad-Name", version="1.0", summary="x")
