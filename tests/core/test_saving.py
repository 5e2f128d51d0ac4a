"""The kernel's one save-time listener and the import's bulk hooks (core/saving.py, #21).

Two throw-away addons (tests/core/saving_addons) work on wf_expense's note:
sv_second depends on sv_first and both are enabled in EAST only.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from core.context import acting_as, system_context
from core.dataexchange import run_import
from core.errors import ValidationError
from core.installer import enable, install
from core.kernel import KERNEL_KEY, boot
from core.settings import load_settings
from tests.conftest import TEST_DIVISIONS
from tests.core.workflow_fixtures import ADDONS, Flow, expense_model, wf_templates  # noqa: F401

SAVING_ADDONS = Path(__file__).parent / "saving_addons"


@pytest.fixture()
def saving(backend: str, wf_templates: Any, tmp_path: Path) -> Iterator[Flow]:
    url, users = wf_templates.copy(backend, tmp_path)
    settings = load_settings(database_url=url, divisions=TEST_DIVISIONS,
                             addons_path=[ADDONS, SAVING_ADDONS],
                             secret_key_file=tmp_path / "secret.key", log_dir=tmp_path / "log")
    install(settings, ["sv_first", "sv_second"])
    kernel = boot(settings)
    order = kernel.registry.installed
    assert order.index("wf_expense") < order.index("sv_first") < order.index("sv_second")
    with system_context():
        assert enable(kernel, "sv_second", "EAST") == ["sv_first", "sv_second"]
    first = _addon("sv_first")
    first.CALLS.clear()
    first.IMPORTED.clear()
    yield Flow(kernel, users, backend)
    kernel.engine.dispose()


def _addon(name: str) -> Any:
    import importlib

    return importlib.import_module(name)


def _reason(flow: Flow, note_id: int) -> str | None:
    with system_context(), flow.kernel.session() as session:
        return session.get(expense_model(flow.kernel), note_id).cancel_reason  # type: ignore[union-attr]


@pytest.mark.sqlite_only
def test_only_addons_enabled_in_the_division_prepare_its_records(saving: Flow) -> None:
    east = saving.note("li.na", title="东区出差")
    hq = saving.note("hq.rep", title="总部出差")
    # sv_second depends on sv_first: the dependent runs first, in one flush; then
    # sv_first asks its own hook (its manifest's hookspecs), which sv_second answers.
    assert _reason(saving, east) == "second,first,second saw 东区出差"
    assert _reason(saving, hq) is None
    calls = _addon("sv_first").CALLS
    assert calls == [(saving.division("EAST"), ["东区出差"], [])]


@pytest.mark.sqlite_only
def test_changed_and_deleted_records_reach_the_hook(saving: Flow) -> None:
    note_id = saving.note("li.na", title="会议")
    model = expense_model(saving.kernel)
    with acting_as(saving.actor("li.na")), saving.kernel.sessions.begin() as session:
        note = session.get(model, note_id)
        note.title = "会议（改）"
    assert _reason(saving, note_id) == "second,first,second saw 会议,second,first,second saw 会议（改）"
    with acting_as(saving.actor("li.na")), saving.kernel.sessions.begin() as session:
        session.delete(session.get(model, note_id))
    calls = _addon("sv_first").CALLS
    assert [call[1:] for call in calls] == [(["会议"], []), (["会议（改）"], []), ([], ["会议（改）"])]


def test_a_validation_error_refuses_the_whole_flush(saving: Flow) -> None:
    model = expense_model(saving.kernel)
    with acting_as(saving.actor("li.na")), saving.kernel.session() as session:
        session.add(model(title="fine", amount=decimal.Decimal(1)))
        session.add(model(title="refuse this", amount=decimal.Decimal(2)))
        with pytest.raises(ValidationError) as refused:
            session.flush()
        assert refused.value.fields == {"title": "refused by sv_first"}
        session.rollback()
    with system_context(), saving.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
    # Where sv_first is not enabled, the same title is saved.
    assert _reason(saving, saving.note("hq.rep", title="refuse this")) is None


@pytest.mark.sqlite_only
def test_installs_prepare_records_with_every_installed_addon(saving: Flow) -> None:
    from core.saving import EVERY_ADDON

    model = expense_model(saving.kernel)
    with system_context(), saving.kernel.sessions.begin() as session:
        session.info[EVERY_ADDON] = True  # as core.installer.migrating does
        note = model(title="装载", amount=decimal.Decimal(1), division_id=saving.division("HQ"))
        session.add(note)
    # (sv_first asks its own hook of the division's addons: none in HQ.)
    assert _reason(saving, note.id) == "second,first"


def _csv(*titles: str) -> bytes:
    return ("Title,Amount\n" + "".join(f"{title},10\n" for title in titles)).encode()


def test_imports_are_completed_in_bulk_where_the_addons_are_enabled(saving: Flow) -> None:
    model = expense_model(saving.kernel)
    with acting_as(saving.actor("li.na")):
        result = run_import(saving.kernel, model, _csv("甲", "乙", "丙"), filename="notes.csv")
    assert result.committed and result.created == 3
    with acting_as(saving.actor("hq.rep")):
        assert run_import(saving.kernel, model, _csv("丁"), filename="notes.csv").created == 1
    with system_context(), saving.kernel.session() as session:
        reasons = dict(session.execute(sa.select(model.title, model.cancel_reason)).all())
    assert reasons == {"甲": "second,first", "乙": "second,first", "丙": "second,first", "丁": None}
    # No flush ran for imported rows; the follow-up saw exactly the chunk's rows.
    assert _addon("sv_first").CALLS == []
    assert _addon("sv_first").IMPORTED == [3]


@pytest.mark.sqlite_only
def test_an_addon_owned_hook_is_declared_by_its_manifest(saving: Flow) -> None:
    registry = saving.kernel.registry
    caller = registry.hook.kehu_extra_note_marks
    assert caller.spec is not None and caller.spec.namespace.__name__ == "sv_first.hookspecs"
    assert [impl.plugin_name for impl in caller.get_hookimpls()] == ["sv_second"]
    assert registry.hooks_for(saving.division("HQ")).kehu_extra_note_marks(title="x") == []
    east = saving.kernel.hooks_for(saving.division("EAST"))
    assert east.kehu_extra_note_marks(title="x") == [["second saw x"]]
    # The kernel travels with its sessions: the save-time listener asks its registry.
    with saving.kernel.session() as session:
        assert session.info[KERNEL_KEY] is saving.kernel


def test_hooks_an_addon_declares_twice_or_cannot_import_stop_start_up(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from core.addons import AddonError, AddonSpec, Manifest, Registry

    monkeypatch.syspath_prepend(str(ADDONS))
    monkeypatch.syspath_prepend(str(SAVING_ADDONS))

    def spec(name: str, hookspecs: str) -> AddonSpec:
        manifest = Manifest(name=name, version="1.0.0", summary="x", hookspecs=hookspecs)
        return AddonSpec(name, "sv_first", "test", manifest=manifest)

    with pytest.raises(AddonError, match="addon 'dup' declares hooks that exist already: "
                                         "kehu_extra_note_marks"):
        Registry(catalog={"one": spec("one", "hookspecs"), "dup": spec("dup", "hookspecs")},
                 installed=["one", "dup"])
    with pytest.raises(AddonError, match="addon 'bad' declares hookspecs sv_first.nothing"):
        Registry(catalog={"bad": spec("bad", "nothing")}, installed=["bad"])
