"""Lines of a locked document are locked too, and every line change recomputes it (#13).

On the sample expense note (tests/core/workflow_addons/wf_expense): its receipts are
declared as the note's `Lines`, and `compute()` makes the amount their total.
"""

from __future__ import annotations

import decimal
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa

from core.context import acting_as, system_context
from core.errors import Conflict, KehuError, ValidationError
from tests.core.workflow_fixtures import flow, wf_templates  # noqa: F401  (fixtures)

D = decimal.Decimal


def line_model(flow: Any) -> type:
    return flow.model.lines.property.mapper.class_


def add_line(flow: Any, login: str, note: int, amount: str) -> int:
    """A receipt created on its own, naming the note by id only (as an API body would)."""
    with acting_as(flow.actor(login)), flow.kernel.sessions.begin() as session:
        line = line_model(flow)(note_id=note, description="票", amount=D(amount))
        session.add(line)
        session.flush()
        return int(line.id)


def change_line(flow: Any, login: str, line_id: int, **values: Any) -> None:
    with acting_as(flow.actor(login)), flow.kernel.sessions.begin() as session:
        line = session.get(line_model(flow), line_id)
        for key, value in values.items():
            setattr(line, key, value)


def delete_line(flow: Any, login: str, line_id: int) -> None:
    with acting_as(flow.actor(login)), flow.kernel.sessions.begin() as session:
        session.delete(session.get(line_model(flow), line_id))


def totals(flow: Any, note: int) -> tuple[D, D]:
    """(the note's amount, the sum of its lines), read fresh from the database."""
    lines = line_model(flow)
    with system_context(), flow.kernel.session() as session:
        amount = session.scalar(sa.select(flow.model.amount).where(flow.model.id == note))
        rows = session.scalars(sa.select(lines.amount).where(lines.note_id == note)).all()
        return amount, sum(rows, D(0))


def test_a_line_written_on_its_own_recomputes_the_note(flow) -> None:
    note, other = flow.note("li.na", "0"), flow.note("li.na", "0")
    first = add_line(flow, "li.na", note, "100")
    second = add_line(flow, "li.na", note, "20.50")
    assert totals(flow, note) == (D("120.50"), D("120.50"))
    change_line(flow, "li.na", first, amount=D("300"))
    assert totals(flow, note) == (D("320.50"), D("320.50"))
    change_line(flow, "li.na", first, note_id=other)  # moved to another note
    assert totals(flow, note) == (D("20.50"), D("20.50"))
    assert totals(flow, other) == (D("300.00"), D("300.00"))
    add_line(flow, "li.na", note, "1")
    delete_line(flow, "li.na", second)
    assert totals(flow, note) == (D("1.00"), D("1.00"))


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_lines_of_a_locked_note_cannot_be_touched_on_any_path(flow, state) -> None:
    note, draft = flow.note("li.na", "0"), flow.note("li.na", "0")
    line = add_line(flow, "li.na", note, "180")
    spare = add_line(flow, "li.na", draft, "5")
    flow.fire("li.na", note, "submit")
    if state == "approved":
        for task, login in zip(flow.tasks(note), ["lead", "fin"], strict=True):
            flow.decide(login, task.id, True)
    assert flow.state(note) == state
    attempts = [
        lambda: add_line(flow, "li.na", note, "5000"),
        lambda: change_line(flow, "li.na", line, amount=D("5000")),
        lambda: delete_line(flow, "li.na", line),
        lambda: change_line(flow, "li.na", line, note_id=draft),  # moved out
        lambda: change_line(flow, "li.na", spare, note_id=note),  # moved in
        lambda: add_line(flow, "lead", note, "5000"),  # a manager no more than the rep
    ]
    for attempt in attempts:
        with pytest.raises(KehuError) as refused:
            attempt()
        assert isinstance(refused.value, ValidationError), refused.value
        assert "lines cannot be" in refused.value.message
    assert totals(flow, note) == (D("180.00"), D("180.00"))
    assert totals(flow, draft) == (D("5.00"), D("5.00"))


def test_the_records_service_and_the_system_follow_the_same_rule(flow) -> None:
    note = flow.note("li.na", "0")
    records = flow.kernel.records[flow.model]
    with acting_as(flow.actor("li.na")), flow.kernel.sessions.begin() as session:
        records.update(session, note, {"lines": [{"description": "a", "amount": "7"}]},
                       version=None)
    flow.fire("li.na", note, "submit")
    with pytest.raises(ValidationError):
        with acting_as(flow.actor("li.na")), flow.kernel.sessions.begin() as session:
            records.update(session, note, {"lines": [{"description": "b", "amount": "9"}]},
                           version=None)
    # A data fix by the system may touch the lines; the note is still recomputed.
    with system_context(), flow.kernel.sessions.begin() as session:
        session.add(line_model(flow)(note_id=note, description="fix", amount=D("3"),
                                     division_id=flow.division("EAST")))
    assert totals(flow, note) == (D("10.00"), D("10.00"))


@pytest.mark.postgres_only
def test_fifty_concurrent_line_writes_keep_the_total(flow) -> None:
    note = flow.note("li.na", "0")
    lines = [add_line(flow, "li.na", note, "1") for _ in range(5)]
    rep = flow.actor("li.na")
    model = line_model(flow)

    def write(number: int) -> str:
        try:
            with acting_as(rep), flow.kernel.sessions.begin() as session:
                if number % 10 == 0:
                    session.get(model, lines[number // 10]).amount = D(number)
                else:
                    session.add(model(note_id=note, description="票", amount=D(number)))
            return "ok"
        except Conflict:
            return "conflict"  # a stale read refused is fine; a wrong total is not

    # Ten connections at a time (the pool holds 15): fifty writes racing on one note.
    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(write, range(50)))
    assert outcomes.count("ok") >= 40, outcomes
    amount, total = totals(flow, note)
    assert amount == total and total > D(50)


def imported_lines(flow: Any, login: str, rows: list[tuple[int, str, str]]) -> Any:
    """Import receipts (note id, description, amount) from a CSV as `login`."""
    import io

    from core.dataexchange import run_import

    header = "Expense note,Description,Amount\n"
    body = header + "".join(f"{note},{text},{amount}\n" for note, text, amount in rows)
    with acting_as(flow.actor(login)):
        return run_import(flow.kernel, line_model(flow), io.BytesIO(body.encode()),
                          filename="lines.csv")


@pytest.mark.sqlite_only  # the import writer's checks; the engine does not matter
def test_imported_lines_recompute_their_note_and_never_reach_a_locked_one(flow) -> None:
    draft, other, locked = (flow.note("li.na", "0") for _ in range(3))
    add_line(flow, "li.na", locked, "180")
    flow.fire("li.na", locked, "submit")
    done = imported_lines(flow, "li.na", [(draft, "a", "100"), (draft, "b", "20.50"),
                                          (other, "c", "7")])
    assert done.committed and not done.errors, done.errors
    assert totals(flow, draft) == (D("120.50"), D("120.50"))
    assert totals(flow, other) == (D("7.00"), D("7.00"))
    refused = imported_lines(flow, "li.na", [(draft, "d", "1"), (locked, "e", "5000"),
                                             (locked, "f", "1")])
    assert not refused.committed
    assert [error.row for error in refused.errors] == [3, 4], refused.errors
    assert all("lines cannot be" in error.message for error in refused.errors)
    assert totals(flow, locked) == (D("180.00"), D("180.00"))
    assert totals(flow, draft) == (D("120.50"), D("120.50"))
