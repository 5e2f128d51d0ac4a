"""The kernel contract (#21): addons extend Kehu through hooks only.

No addon registers SQLAlchemy event listeners (save-time logic goes through
`kehu_prepare_records` / `kehu_prepare_import_rows`, core/saving.py).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from sqlalchemy.orm import Mapper, Session

import addons
from core import saving  # noqa: F401  (the kernel's own listener)

ROOT = Path(__file__).resolve().parents[2]
ADDON_FOLDERS = [ROOT / "addons", ROOT / "tests" / "core" / "workflow_addons",
                 ROOT / "tests" / "core" / "saving_addons", ROOT / "tests" / "core" / "report_addons"]


def _python_files() -> list[Path]:
    return sorted(path for folder in ADDON_FOLDERS for path in folder.rglob("*.py"))


def event_uses(source: str) -> list[str]:
    """What in `source` reaches SQLAlchemy's event API: imports of it, `x.event`, listens_for."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = {alias.name for alias in node.names}
            if node.module == "sqlalchemy" and "event" in names or node.module.startswith(
                    "sqlalchemy.event"):
                found.append(f"line {node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {alias.name}" for alias in node.names
                      if alias.name.startswith("sqlalchemy.event")]
        elif isinstance(node, ast.Attribute) and (
                node.attr in ("listens_for", "listen") or node.attr == "event" and isinstance(
                    node.value, ast.Name) and node.value.id in ("sa", "sqlalchemy")):
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Name) and node.id == "listens_for":
            found.append(f"line {node.lineno}: {node.id}")
    return found


@pytest.mark.parametrize("source, found", [
    ("import sqlalchemy as sa\n@sa.event.listens_for(S, 'before_flush')\ndef f(): ...", True),
    ("from sqlalchemy import event\nevent.listen(S, 'before_flush', f)", True),
    ("from sqlalchemy.event import listens_for", True),
    ("import sqlalchemy.event", True),
    ("from sqlalchemy import orm\norm.event = 1", False),
    ("import sqlalchemy as sa\nsa.select(x).where(y.event == 1)", False),
])
def test_the_scan_finds_every_way_to_reach_the_event_api(source: str, found: bool) -> None:
    assert bool(event_uses(source)) is found


def test_no_addon_source_uses_sqlalchemy_events() -> None:
    offenders = {str(path.relative_to(ROOT)): uses for path in _python_files()
                 if (uses := event_uses(path.read_text(encoding="utf-8")))}
    assert offenders == {}, "addons extend through hooks only (kehu_prepare_records)"


def _listener_modules() -> set[str]:
    modules = set()
    for target in (Session, Mapper):
        for name in dir(target.dispatch):
            collection = getattr(target.dispatch, name, None)
            for listeners in getattr(collection, "_clslevel", {}).values():
                modules |= {getattr(fn, "__module__", "") or "" for fn in listeners}
    return modules


def test_no_listener_is_registered_by_an_addon_module() -> None:
    """Importing every built-in addon leaves the session's and mappers' listeners the kernel's."""
    for info in pkgutil.walk_packages(addons.__path__, "addons."):
        importlib.import_module(info.name)
    modules = _listener_modules()
    assert "core.saving" in modules
    assert sorted(m for m in modules if m.startswith("addons")) == []


# ------------------------------------------------------ hooks typed and documented

DOCS = (ROOT / "docs" / "integrator.md").read_text(encoding="utf-8")


def _hookspec_modules() -> list[object]:
    """The kernel's hookspecs and those of every built-in addon that declares its own."""
    from core import hookspecs
    from core.addons import discover

    modules: list[object] = [hookspecs]
    for spec in discover().values():
        if spec.ok and spec.manifest is not None and spec.manifest.hookspecs:
            modules.append(importlib.import_module(f"{spec.module_name}.{spec.manifest.hookspecs}"))
    return modules


def _hooks() -> list[tuple[str, object]]:
    return [(f"{module.__name__}.{name}", getattr(module, name)) for module in _hookspec_modules()
            for name in sorted(dir(module)) if name.startswith("kehu_")]


def signature_text(function: object) -> str:
    """`name(param: type, ...) -> type`, as docs/integrator.md writes a hook's heading."""
    import inspect

    signature = inspect.signature(function)  # type: ignore[arg-type]
    params = ", ".join(f"{p.name}: {p.annotation}" for p in signature.parameters.values())
    return f"{function.__name__}({params}) -> {signature.return_annotation}"  # type: ignore[attr-defined]


def test_the_hooks_are_found_in_the_kernel_and_in_addon_hookspecs() -> None:
    names = {name.rsplit(".", 1)[1] for name, _hook in _hooks()}
    assert {"kehu_prepare_records", "kehu_register_views", "kehu_extra_expense_links"} <= names


@pytest.mark.parametrize("name, hook", _hooks(),
                         ids=lambda value: value if isinstance(value, str) else "spec")
def test_every_hook_is_typed_and_documented_with_its_signature(name: str, hook: object) -> None:
    text = signature_text(hook)
    vague = [part for part in ("list[Any]", ": Any,", ": Any)", "-> Any") if part in text]
    assert not vague, f"{name} is not typed precisely: {text}"
    assert (hook.__doc__ or "").strip(), f"{name} has no docstring (its contract)"
    assert f"**`{text}`**" in DOCS, f"docs/integrator.md lacks the heading **`{text}`**"


def test_the_save_time_listener_runs_after_the_stamps_and_the_access_layer() -> None:
    """Addons read the division and owner those fill (whatever the import order)."""
    import core.kernel  # noqa: F401  (every kernel listener)

    order = [fn.__module__ for fn in Session.dispatch.before_flush._clslevel[Session]]
    assert order.index("core.orm") < order.index("core.access.enforce") < order.index("core.saving")
