"""Every extension point of Kehu, in one place.

Families after `kehu_`:
- ``register_*`` contributes objects at start-up (models, menus, routes...);
  these are collected from every *installed* addon.
- ``extra_*`` adds to a per-call list; ``resolve_*`` is first-result-wins;
  ``check_*`` raises to veto; ``on_*`` is an event. These are called only for
  the addons *enabled* in the division of the current user.

Implementations are called dependents first (the most specific addon wins a
``resolve_*``). Each docstring below is the contract.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import Session
    from starlette.routing import BaseRoute

    from core.access.rules import Access, RecordRule
    from core.context import Actor
    from core.dataexchange.checks import ImportCheck
    from core.jobs import Job
    from core.models import Division
    from core.navigation import Menu
    from core.orm import Model
    from core.reports.declarations import Report
    from core.search import Searchable
    from core.seeding import LookupData
    from core.views import View
    from core.workbench import Widget
    from core.workflow.declarations import ApprovalStep, Transition, Workflow
    from core.workflow.models import TransitionLog

hookspec = pluggy.HookspecMarker("kehu")
hookimpl = pluggy.HookimplMarker("kehu")


# ------------------------------------------------------------------ start-up


@hookspec
def kehu_register_models() -> list[type]:
    """Return the addon's model classes and its @extends model extensions.

    Called once at start-up for every installed addon. Plain models are mapped
    already (they subclass `core.orm.Model`); extensions are applied to their
    target model here, so their columns exist only where the addon is installed.
    """


@hookspec
def kehu_register_menus() -> list[Menu]:
    """Return the menu entries (`core.navigation.Menu`) the addon adds.

    Collected for every installed addon; a user sees an entry only when the
    addon is enabled for their division (and, with access control, readable).
    """


@hookspec
def kehu_register_routes() -> list[BaseRoute]:
    """Return Starlette routes the addon serves, mounted under /a/<addon>/.

    A request to them from a division that has not enabled the addon gets 404.
    """


@hookspec
def kehu_register_lookup_data() -> list[LookupData]:
    """Return lookup rows (基础资料) to load when the addon is installed.

    Rows are matched on their key columns, so an upgrade adds what is new and
    never overwrites what an administrator edited.
    """


@hookspec
def kehu_register_views() -> list[View]:
    """Return list / form / kanban views, record actions, tabs and view extensions.

    Views name model attributes (`Customer.level`), never strings; extending
    another addon's view anchors on a field it shows (`after=Customer.level`).
    A second list, form or kanban of one model, an action key declared twice or
    an unknown anchor stop start-up with an error naming the addon.
    """


@hookspec
def kehu_register_access() -> list[Access]:
    """Return per-role model rights (`Access(Model, role, read=..., ...)`)."""


@hookspec
def kehu_register_record_rules() -> list[RecordRule]:
    """Return record rules: SQLAlchemy expressions built from the current user.

    A rule only grants rows: rules of a user's roles are OR-ed, and the
    division boundary is always AND-ed by the kernel.
    """


@hookspec
def kehu_register_workflows() -> list[Workflow]:
    """Return the `core.workflow.Workflow` of each model the addon gives a life cycle.

    Collected at start-up from every installed addon into `Kernel.workflows`
    (model → workflow) and validated there: unknown or unreachable states,
    required fields that are not columns, an approval transition whose target
    is not locked... stop start-up with an error naming the addon. One model
    has at most one workflow. A workflow's `chain` is its default approval
    chain, used in divisions that have no active chain of their own.
    """


@hookspec
def kehu_register_reports() -> list[Report]:
    """Return the addon's `core.reports.Report` declarations.

    Collected at start-up from every installed addon into `Kernel.reports`
    (key → report and addon) and checked there: unknown default dimensions,
    measure kinds or charts, a model no addon registers, a key used twice stop
    start-up with an error naming the addon and the report. A report is shown
    (menu "Reports", /r/<key>, /r/<key>.xlsx, GET /api/v1/reports/<key>) only
    where the declaring addon is enabled, to users who may read its model and
    hold one of its `roles`. Each run is one SQL aggregate under the user's
    record rules; `core.reports.run_report` runs one from Python.
    """


@hookspec
def kehu_register_jobs() -> list[Job]:
    """Return `core.jobs.Job`s: periodic work run by `kehu jobs run` (cron).

    Collected from every installed addon; each job runs once per active division
    where its addon is enabled, in the system context, in its own transaction.
    `Job.run(session, division)` returns how many records it changed. Keys are
    unique across addons.
    """


# ------------------------------------------------------------- save time (#21)


@hookspec
def kehu_prepare_records(session: Session, records: list[Model], deleted: list[Model]) -> None:
    """Complete and check business records before they are written.

    Called by the kernel's one ``before_flush`` listener (core/saving.py), once per
    division among the flushed records, with that division's new and changed
    records (`records`) and deleted ones (`deleted`) of every model; only the
    addons enabled in that division are called (records without a division, and
    every record an install or upgrade writes, go to every installed addon). Pick your own models with ``isinstance``. Fill
    defaults and computed values on `records` (they are written in this flush),
    and raise `core.errors.ValidationError` (fields named, lines as
    ``lines.<n>.<field>``) to refuse the whole flush. Runs as the acting user;
    use `core.context.system_context()` for look-ups the user may not read.
    Implementations run dependents first; the order between unrelated addons is
    install order. Do not flush inside.
    """


@hookspec
def kehu_register_import_checks() -> list[ImportCheck]:
    """Return `core.dataexchange.ImportCheck(model, check)`s: extra checks of imported rows.

    `check(session, rows)` gets each chunk of valid rows (at most 1,000
    `ImportRow`s) before they are written and returns the `RowError`s of the rows
    to refuse (e.g. duplicates: query the table for earlier chunks, compare the
    chunk's rows among themselves). Collected from every installed addon at
    start-up; run only in divisions that enable the addon, as the importing user.
    """


@hookspec
def kehu_prepare_import_rows(session: Session, model: type, rows: list[dict[str, Any]],
                             division_id: int | None) -> None:
    """Complete the value dicts of an import chunk of `model` before they are bulk-written.

    The import writer inserts chunks with executemany and does not run
    `kehu_prepare_records` per row; an addon whose save-time completion matters
    for imported rows fills the same values here, in bulk (one query per chunk,
    never per row). Called only for addons enabled in `division_id`.

    `rows` are the chunk's valid rows (at most 1,000), after validation and the
    import checks, as dicts of column key → value, with division, stamps, owner
    and column defaults filled; change them in place (set keys of your own
    columns too). Runs as the importing user, after `check_*` import checks
    refused what they refuse; raise nothing here (refuse rows with an import
    check). Other addons' rows (another model) are not yours: test `model`.
    """


@hookspec
def kehu_on_rows_imported(session: Session, model: type, written: ColumnElement[bool],
                          division_id: int | None) -> None:
    """Event: a chunk of `model` has been inserted by an import.

    `written` is a SQL condition that selects exactly the rows of this chunk
    (use it in an ``INSERT ... SELECT`` or an ``UPDATE ... WHERE``, never to load
    the rows one by one). Same transaction as the insert; called only for the
    addons enabled in `division_id`, and only when the chunk wrote rows. The
    kernel asks the database for the largest id before each chunk only when
    an enabled addon implements this hook.
    """


# ------------------------------------------------------- install and data


@hookspec
def kehu_on_installed(session: Session, addon: str) -> None:
    """Event: `addon` has just been installed (or upgraded) in this database.

    Every installed addon receives it; act only on your own name, or react to
    another addon arriving (e.g. link to it).
    """


@hookspec
def kehu_load_demo_data(session: Session, divisions: list[Division]) -> None:
    """Create demo records for `divisions` (`kehu init --demo`).

    Called in install order (dependencies first would need trylast; the kernel
    calls each addon's implementation itself in dependency order).
    """


# -------------------------------------------------- per-division behaviour


@hookspec
def kehu_extra_approval_steps(
    session: Session, document: Model, transition: Transition
) -> list[ApprovalStep]:
    """Return `core.workflow.ApprovalStep`s to add to the round `transition` opens on `document`.

    Called when a document is submitted (an approval transition fires), after
    the division's configured chain (or the workflow's default) is resolved,
    only for the addons enabled in the document's division. The steps of all
    addons are appended in install order; a step's `when` is evaluated on the
    document, and each step is resolved to its approvers like a chain step
    (nobody → the submission is refused). Return [] when nothing applies.
    """


@hookspec
def kehu_check_transition(
    session: Session, document: Model, transition: Transition, actor: Actor
) -> None:
    """Raise `core.errors.TransitionRefused` to veto `transition` on `document`.

    Called by `core.workflow.fire` after the rights, state, roles, comment,
    required-field and guard checks passed, before anything is written (the
    document does not carry the call's `values` yet); also before the approval
    engine fires the outcome of a round (`actor` is then the last decider).
    Only addons enabled in the document's division are asked. Do not write.
    """


@hookspec
def kehu_on_transition(
    session: Session, document: Model, transition: Transition, actor: Actor, log: TransitionLog
) -> None:
    """Event: `transition` has been fired on `document`; its state and `log` are written.

    Called in the same transaction (raising rolls the transition back), only
    for addons enabled in the document's division. After an approval round
    the outcome is fired by the system: `actor` is the user who decided the
    last step, and the session runs in the system context.
    """


@hookspec
def kehu_extra_home_items(division: Division) -> list[str]:
    """Return short lines of text that the addon shows on the division's home page."""


# ------------------------------------- workbench, search, notifications (#18)


@hookspec
def kehu_register_widgets() -> list[Widget]:
    """Return the `core.workbench.Widget`s the addon adds to the home page (工作台).

    Collected at start-up from every installed addon and the kernel. A widget
    is shown to a user only where its addon is enabled for the user's
    division, when the user holds one of its `roles` (any role when empty) and
    may read each of its `models`. `Widget.render(ctx)` runs as the user (their
    record rules apply) with one or two SQL statements, never a query per row,
    and returns a `core.workbench.Content` (figures and/or rows) or None to
    stay hidden. Keys are unique across addons. See docs/integrator.md.
    """


@hookspec
def kehu_register_searchables() -> list[Searchable]:
    """Return `core.search.Searchable(model, fields=[...])` for the global search.

    Collected at start-up from every installed addon. The kernel keeps the
    search tokens of those models up to date on every write (flush and bulk
    import) and finds them by any field's words, suffixes, pinyin and pinyin
    initials; results are read from the model as the user (record rules
    apply), 10 per model, and only from addons enabled for the user's division.
    """

