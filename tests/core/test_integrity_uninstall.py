"""Uninstalling an addon takes the kernel's rows about its records with it, and a
reinstalled addon never gives an old id to a new record (#13).

On the sample expense notes (tests/core/workflow_addons): a submitted note with a
line, chatter, a follower, a share, a search token, a recent-record entry and an
attachment file; after uninstall and reinstall, the new note is clean.
On both engines: tables, sequences and foreign keys are the point.
"""

from __future__ import annotations

import decimal
from typing import Any

import sqlalchemy as sa

from core.attachments import Attachment, storage_root
from core.audit import Activity, Note
from core.context import acting_as, system_context
from core.installer import enable, install, uninstall
from core.kernel import boot
from core.notify.models import Follower, Notification
from core.search.models import SearchToken
from core.sharing import RecordShare
from core.workbench.models import RecentRecord
from core.workflow.models import ApprovalApprover, ApprovalRequest, ApprovalTask
from tests.core.workflow_fixtures import flow, wf_templates  # noqa: F401  (fixtures)

MODELS = ("wf_expense_note", "wf_expense_note_line")


def generic_rows(kernel: Any) -> dict[str, int]:
    """Rows of every table that points at a record by (model, res_id), about the notes."""
    counts = {}
    with kernel.engine.connect() as connection:
        inspector = sa.inspect(connection)
        for name in inspector.get_table_names():
            columns = {column["name"] for column in inspector.get_columns(name)}
            if {"model", "res_id"} <= columns:
                table = sa.table(name, sa.column("model"))
                counts[name] = connection.scalar(sa.select(sa.func.count()).select_from(table)
                                                 .where(table.c.model.in_(MODELS)))
    return {name: count for name, count in counts.items() if count}


def scattered_rows(flow: Any, note_id: int, data_dir: Any) -> Any:
    """Kernel rows about the note on every side table, and a stored attachment file."""
    users = flow.users
    file = storage_root(data_dir) / "ab" / "abcdef"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(b"%PDF-1.4 receipt")
    with system_context(), flow.kernel.sessions.begin() as session:
        division = flow.division("EAST")
        key = {"model": "wf_expense_note", "res_id": note_id}
        session.add_all([
            Note(**key, body="老的备注", user_id=users["li.na"]),
            Activity(**key, kind="call", summary="回访", assignee_id=users["li.na"]),
            Follower(**key, user_id=users["lead"]),
            RecordShare(**key, division_id=division, user_id=users["wang.qiang"], role="member"),
            SearchToken(**key, token="laode"),
            RecentRecord(**key, user_id=users["li.na"]),
            Notification(**key, user_id=users["lead"], kind="mention"),
            Attachment(**key, division_id=division, file_name="票.pdf",
                       content_type="application/pdf", size=16, sha256="0" * 64,
                       storage_name="ab/abcdef"),
        ])
    return file


def test_uninstall_takes_the_kernels_rows_and_a_reinstall_reuses_no_id(flow, tmp_path) -> None:
    kernel, settings = flow.kernel, flow.kernel.settings
    note = flow.note("li.na", "0")
    line_model = flow.model.lines.property.mapper.class_
    with acting_as(flow.actor("li.na")), kernel.sessions.begin() as session:
        session.add(line_model(note_id=note, description="票", amount=decimal.Decimal("180")))
    flow.fire("li.na", note, "submit")
    assert flow.tasks(note)  # an open approval round with its approvers
    file = scattered_rows(flow, note, settings.path(settings.data_dir))
    before = generic_rows(kernel)
    assert {"kehu_note", "kehu_activity", "kehu_follower", "kehu_attachment",
            "kehu_approval_request", "kehu_transition_log"} <= set(before), before
    with kernel.engine.connect() as connection:
        last_line = connection.scalar(sa.select(sa.func.max(line_model.id)))

    uninstall(settings, "wf_extra")
    uninstall(settings, "wf_expense")
    assert generic_rows(kernel) == {}
    with system_context(), kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(ApprovalRequest)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(ApprovalTask)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(ApprovalApprover)) == 0
    assert not file.exists()

    install(settings, ["wf_expense", "wf_extra"])
    kernel.engine.dispose()
    kernel = flow.kernel = boot(settings)  # the server restarted after the reinstall
    for code in ("HQ", "EAST"):
        enable(kernel, "wf_expense", code)
    fresh = flow.note("li.na", "0")
    with acting_as(flow.actor("li.na")), kernel.sessions.begin() as session:
        line = line_model(note_id=fresh, description="新票", amount=decimal.Decimal("1"))
        session.add(line)
        session.flush()
        new_line = line.id
    assert fresh > note and new_line > last_line
    assert flow.tasks(fresh) == [] and flow.state(fresh) == "draft"
    with system_context(), kernel.session() as session:
        for model in (Note, Activity, Follower, Attachment, RecordShare, RecentRecord,
                      Notification, ApprovalRequest):
            assert session.scalar(sa.select(sa.func.count()).select_from(model)
                                  .where(model.res_id == note)) == 0, model
