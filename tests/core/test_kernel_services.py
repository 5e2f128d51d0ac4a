"""Kernel services travel with the session and the request, not in module globals (#21).

Two kernels in one process, with different addons, on one database: each
session obeys its own kernel's policy, workflows and hooks, whichever booted last.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.access.policy import policy_of
from core.context import acting_as, system_context
from core.errors import AccessDenied, TransitionRefused
from core.kernel import Kernel, boot
from core.runtime import kernel_of
from core.workflow import fire
from core.workflow.registry import workflows_of
from tests.core.workflow_fixtures import Flow, expense_model, wf_settings, wf_templates  # noqa: F401

CORE = Path(__file__).resolve().parents[2] / "core"


@pytest.fixture()
def two(backend: str, wf_templates: Any, tmp_path: Path) -> Iterator[tuple[Flow, Kernel]]:
    """The database's kernel (wf_expense and wf_extra), then one with no addon booted after it."""
    url, users = wf_templates.copy(backend, tmp_path)
    settings = wf_settings(url, tmp_path)
    full = boot(settings)
    bare = boot(settings, installed=[])
    yield Flow(full, users, backend), bare
    full.engine.dispose()
    bare.engine.dispose()


@pytest.mark.sqlite_only
def test_each_session_obeys_its_own_kernel(two: tuple[Flow, Kernel]) -> None:
    flow, bare = two
    note_model = expense_model(flow.kernel)
    with flow.kernel.session() as mine, bare.session() as theirs:
        assert kernel_of(mine) is flow.kernel and kernel_of(theirs) is bare
        assert policy_of(mine) is flow.kernel.policy and policy_of(theirs) is bare.policy
        assert workflows_of(mine).for_model(note_model) is not None
        assert workflows_of(theirs).for_model(note_model) is None
    note_id = flow.note("hq.rep", title="两个内核")
    # The full kernel's rules and workflow, with wf_extra's hook (the auditor's step in HQ),
    # although a kernel without those addons booted after it.
    flow.fire("hq.rep", note_id, "submit")
    assert flow.state(note_id) == "submitted"
    assert [t.name for t in flow.tasks(note_id)][-1] == "Audit"
    # The bare kernel grants nothing on the note and knows no workflow for it.
    rep = flow.actor("hq.rep")
    with acting_as(rep), bare.session() as session, pytest.raises(AccessDenied):
        session.scalars(sa.select(note_model)).all()
    with system_context(), bare.sessions.begin() as session:
        record = session.get(note_model, note_id)
        with pytest.raises(TransitionRefused):
            fire(session, record, "approve")
    # A record answers for the session it belongs to.
    with system_context(), flow.kernel.session() as session:
        assert kernel_of(session.get(note_model, note_id)) is flow.kernel


@pytest.mark.sqlite_only
def test_a_user_on_a_session_of_no_kernel_is_refused(two: tuple[Flow, Kernel]) -> None:
    """Nothing would enforce the rights there: refused, not let through."""
    flow, _bare = two
    with acting_as(flow.actor("hq.rep")), Session(bind=flow.kernel.engine) as session:
        with pytest.raises(RuntimeError, match="outside a kernel"):
            session.scalars(sa.select(expense_model(flow.kernel))).all()
    with system_context(), Session(bind=flow.kernel.engine) as session:  # the system may
        assert session.scalars(sa.select(expense_model(flow.kernel))).all() == []


def test_a_request_reaches_its_app_s_kernel() -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request

    app = Starlette()
    app.state.kernel = marker = object()
    request = Request({"type": "http", "app": app, "method": "GET", "path": "/", "headers": []})
    assert kernel_of(request) is marker
    assert kernel_of(object()) is None  # neither a session, a request nor a mapped record


# Module-level containers in core/ that are caches of per-class metadata, not services.
CACHES = {("orm.py", "_USER_DEFAULTS")}
_EMPTY_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict"}


def _empty_container(node: ast.expr | None) -> bool:
    if isinstance(node, (ast.Dict, ast.List, ast.Set)):
        return not getattr(node, "keys", getattr(node, "elts", None))
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in _EMPTY_CALLS)


def _offences(text: str, name: str) -> list[str]:
    tree = ast.parse(text)
    found = [f"{name}:{node.lineno}: global {', '.join(node.names)}"
             for node in ast.walk(tree) if isinstance(node, ast.Global)]
    for node in tree.body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and _empty_container(value) \
                and (name, target.id) not in CACHES:
            found.append(f"{name}:{node.lineno}: module-level registry {target.id}")
        if isinstance(node, ast.FunctionDef) and node.name.startswith(
                ("install_policy", "set_current", "current_policy", "current_workflows",
                 "register_import_check")):
            found.append(f"{name}:{node.lineno}: process-wide service function {node.name}")
    return found


def test_no_module_in_core_keeps_a_process_wide_service() -> None:
    """Services live on the kernel (core.runtime.kernel_of): no `global` rebinding, no
    registry filled at start-up or import, no setter or getter of a process-wide one."""
    sources = [path for path in sorted(CORE.rglob("*.py")) if "templates" not in path.parts]
    assert len(sources) > 100
    offences = [offence for path in sources
                for offence in _offences(path.read_text(encoding="utf-8"), str(path.relative_to(CORE)))]
    assert offences == []


@pytest.mark.parametrize("text, count", [
    ("_x = None\ndef f():\n    global _x\n    _x = 1\n", 1),
    ("_checks: dict[type, list] = {}\n_more = defaultdict(list)\nKEYS = ('a',)\n", 2),
    ("def install_policy(p):\n    pass\ndef current_workflows():\n    pass\n", 2),
])
def test_the_scan_finds_a_process_wide_service(text: str, count: int) -> None:
    """The scan above is not blind: it reports each kind of offence."""
    assert len(_offences(text, "sample.py")) == count
