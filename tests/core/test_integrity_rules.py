"""Record rules are checked on the new values of every write, for every model (#13).

On the sample expense note, whose reps see the notes they created (OWN without an
owner field: the creator): a rep who rewrites the creator would lose the note.
"""

from __future__ import annotations

import pytest

from core.context import acting_as
from core.errors import AccessDenied
from tests.core.workflow_fixtures import flow, wf_templates  # noqa: F401  (fixtures)


def rewrite_creator(flow, login: str, note: int, creator: str) -> None:
    with acting_as(flow.actor(login)), flow.kernel.sessions.begin() as session:
        flow.load(session, note).create_uid = flow.users[creator]


def test_a_write_that_would_hide_the_record_from_its_writer_is_refused(flow) -> None:
    note = flow.note("li.na")
    with pytest.raises(AccessDenied, match="hide it"):
        rewrite_creator(flow, "li.na", note, "wang.qiang")
    with acting_as(flow.actor("li.na")), flow.kernel.session() as session:
        assert flow.load(session, note) is not None  # nothing was written
    # A manager who still sees it afterwards (his department's notes) may.
    rewrite_creator(flow, "gm.east", note, "li.na")
