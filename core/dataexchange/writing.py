"""The second pass of an import: validate, check and insert rows, a chunk at a time.

Each chunk of 1,000 rows is validated with the model's form schema (the same
messages as forms and API), checked against unique keys and the addons'
import checks, then written with ONE executemany: an ORM bulk insert, so the
access layer checks the create right and the rows' division. Stamps, division
and owner are filled as a flush would fill them. No ORM object is made per row.
Since no flush runs, `kehu_prepare_records` does not see imported rows: the
addons enabled in the import's division complete each chunk's value dicts with
`kehu_prepare_import_rows` just before the insert, and may follow up on the
written rows with `kehu_on_rows_imported` (e.g. write a first history entry).

The valid rows of a chunk are written even when an earlier row was bad: the
transaction is rolled back at the end unless `valid_only`, and rows in the
table keep the duplicate checks of later chunks complete.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core import schemas
from core.access.enforce import may_hand_over
from core.access.rules import field_of
from core.context import Actor, system_context
from core.dataexchange.checks import IMPORT_DIVISION, checks_for
from core.dataexchange.columns import choice_values, restore_text
from core.dataexchange.lookups import Lookup, unprepared
from core.dataexchange.rows import ImportRow, RowError
from core.errors import ValidationError
from core.fields import FieldInfo
from core.i18n import _
from core.orm import Model, utcnow
from core.records import _unique_message
from core.workflow.lines import locked_documents, recompute_documents

if TYPE_CHECKING:
    from core.kernel import Kernel

Params = dict[str, Any]


def unique_keys(model: type, names: set[str]) -> list[tuple[str, ...]]:
    """The model's unique column sets whose columns every imported row fills."""
    table: sa.Table = model.__table__  # type: ignore[attr-defined]
    keys = [tuple(c.key for c in constraint.columns) for constraint in table.constraints
            if isinstance(constraint, sa.UniqueConstraint)]
    keys += [tuple(c.key for c in index.columns) for index in table.indexes
             if index.unique and len(index.columns) == len(index.expressions)]
    return [key for key in dict.fromkeys(keys) if key and set(key) <= names]


def _constants(model: type, actor: Actor, division_id: int | None) -> Params:
    """What a flush would fill in every new row: division, stamps, version."""
    if not issubclass(model, Model):
        return {}
    now = utcnow()
    return {"division_id": division_id, "version": 1, "create_uid": actor.user_id,
            "write_uid": actor.user_id, "create_date": now, "write_date": now}


def _fills(model: type, columns: Sequence[FieldInfo], actor: Actor) -> dict[str, Any]:
    """Values for empty cells: the owner is the importing user, a column's default."""
    fills: dict[str, Any] = {}
    for field in columns:
        default = field.column.default if field.column is not None else None
        if default is not None and default.is_scalar and not field.column.nullable:  # type: ignore[union-attr]
            fills[field.name] = default.arg  # type: ignore[attr-defined]
    owner = field_of(model, "owner")
    if owner is not None and actor.user_id is not None:
        fills[owner.key] = actor.user_id
    return fills


class ChunkWriter:
    """Validates, checks and inserts the staged rows of one import."""

    def __init__(self, kernel: Kernel, session: Session, model: type, columns: list[FieldInfo],
                 lookups: dict[str, Lookup], *, division_id: int | None, actor: Actor) -> None:
        self.session = session
        # The division the rows go to, for the addons' checks (checks.py): an
        # administrator or the system may import into another division (#6).
        session.info[IMPORT_DIVISION] = division_id
        self.model = model
        self.columns = columns
        self.names = [field.name for field in columns]
        self.lookups = lookups
        self.labels = {field.name: str(field.label) for field in columns}
        self.choices = {f.name: choice_values(f) for f in columns if f.kind == "choice"}
        self.constants = _constants(model, actor, division_id)
        self.fills = _fills(model, columns, actor)
        self.unique = unique_keys(model, {*self.names, *self.constants, *self.fills})
        self.checks = checks_for(kernel, model, division_id)
        # Without the hand-over right a file gives records to nobody but the importer (#13).
        owner = field_of(model, "owner")
        self.owner = None if owner is None or may_hand_over(actor) else owner.key
        self.importer = actor.user_id
        self.division_id = division_id
        self.hooks = kernel.hooks_for(division_id)
        self.follow_up = bool(self.hooks.kehu_on_rows_imported.get_hookimpls())
        # Lines of a document: none under a locked one, and the document recomputed (#13).
        self.links = kernel.flows.lines.get(model, [])
        policy = kernel.policy
        self.may_hide = not actor.system and policy.criteria(actor, model) is not None
        self.last_id = self._last_id() if self.may_hide else 0
        self.written, self.analyze_at = 0, 10_000

    def _last_id(self) -> int:
        key = self.model.id  # type: ignore[attr-defined]
        with system_context():
            return int(self.session.scalar(sa.select(sa.func.max(key))) or 0)

    def write(self, chunk: list[list[str]]) -> tuple[int, list[RowError]]:
        """Rows written from `chunk` (staged rows: number, cells...), and its errors."""
        rows: list[ImportRow] = []
        errors: list[RowError] = []
        for staged in chunk:
            row, problems = self.validate(int(staged[0]), staged[1:])
            errors += [row.error(name, message) for name, message in problems.items()]
            if not problems:
                rows.append(row)
        params = {row.number: self.params(row) for row in rows}
        rows, refused = self._checked(rows, params)
        errors += refused
        if rows:
            values = [params[row.number] for row in rows]
            self.hooks.kehu_prepare_import_rows(session=self.session, model=self.model,
                                                rows=values, division_id=self.division_id)
            errors += self._written(rows, values)
            self._recompute(values)
        refused_rows = {error.row for error in errors}
        return sum(1 for row in rows if row.number not in refused_rows), errors

    # ------------------------------------------------------------ validation

    def _context(self, texts: dict[str, str]) -> dict[type, int]:
        """The row's references that are known for sure, by target model: a name two
        stages share is settled by the row's sales mode (#14)."""
        context = {}
        for name, lookup in self.lookups.items():
            found = lookup.found.get(texts.get(name) or "")
            if found is not None and lookup.field.target is not None:
                context[lookup.field.target] = found
        return context

    def validate(self, number: int, cells: list[str]) -> tuple[ImportRow, dict[str, str]]:
        """The row's converted values, and a message per bad field (lookups first)."""
        texts = dict(zip(self.names, cells, strict=True))
        data: dict[str, Any] = {}
        problems: dict[str, str] = {}
        context = self._context(texts)
        for field in self.columns:
            text = texts[field.name]
            if field.kind == "ref" and text:
                record_id, problem = self.lookups[field.name].resolve(text, context)
                if problem is not None:
                    problems[field.name] = problem
                    continue
                data[field.name] = record_id
            elif field.kind == "choice":
                data[field.name] = self.choices[field.name].get(text.casefold(), text)
            else:
                data[field.name] = restore_text(text) if field.kind in ("text", "longtext") else text
        values: dict[str, Any] = {}
        try:
            values = schemas.validate(self.model, self.columns, data, partial=False)
        except ValidationError as error:
            for name, message in error.fields.items():
                problems.setdefault(name, message)
        return ImportRow(number, values, texts, self.labels), problems

    def params(self, row: ImportRow) -> dict[str, Any]:
        """The row as inserted: its values, the constants, and fills for empty cells."""
        params = {**row.values, **self.constants}
        for name, value in self.fills.items():
            if params.get(name) is None:
                params[name] = value
        return params

    # ---------------------------------------------------------------- checks

    def _checked(self, rows: list[ImportRow], params: dict[int, Params]) -> tuple[list[ImportRow], list[RowError]]:
        """The rows that pass the unique keys and the addons' checks, and the others' errors."""
        errors = self._duplicates(rows, params) + self._owners(rows, params)
        errors += self._locked(rows, params)
        for check in self.checks:
            refused = {error.row for error in errors}
            errors += list(check(self.session, [row for row in rows if row.number not in refused]))
        refused = {error.row for error in errors}
        return [row for row in rows if row.number not in refused], errors

    def _owners(self, rows: list[ImportRow], params: dict[int, Params]) -> list[RowError]:
        """Rows that would give a record to another user (a hand-over is a manager's)."""
        if self.owner is None:
            return []
        message = _("Only a manager may give a record to another user or take it from "
                    "them: ask for a hand-over.")
        return [row.error(self.owner if self.owner in self.labels else None, message)
                for row in rows if params[row.number].get(self.owner) not in (None, self.importer)]

    def _locked(self, rows: list[ImportRow], params: dict[int, Params]) -> list[RowError]:
        """Rows that would add a line under a document in a locked state (submitted,
        approved...): refused as a form or the API refuses them (#13)."""
        errors = []
        for link in self.links:
            refused = locked_documents(self.session, link,
                                       (params[row.number].get(link.key) for row in rows))
            column = link.key if link.key in self.labels else None
            errors += [row.error(column, refused[params[row.number][link.key]]) for row in rows
                       if params[row.number].get(link.key) in refused]
        return errors

    def _recompute(self, values: list[Params]) -> None:
        """The documents that received lines compute their totals again, in this
        transaction (a line's own save would have, #13)."""
        for link in self.links:
            recompute_documents(self.session, link, (value.get(link.key) for value in values))

    def _duplicates(self, rows: list[ImportRow], params: dict[int, Params]) -> list[RowError]:
        """Rows whose unique key another record, or an earlier row, already holds."""
        errors = []
        message = _("Another record already uses this value.")
        for key in self.unique:
            column = next((name for name in key if name in self.labels), key[-1])
            values = {row.number: tuple(params[row.number].get(n) for n in key) for row in rows}
            taken = self._taken(key, {v for v in values.values() if None not in v})
            for row in rows:
                value = values[row.number]
                if None not in value and value in taken:
                    errors.append(row.error(column, message))
                taken.add(value)
        return errors

    def _taken(self, key: tuple[str, ...], values: set[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
        """The `values` of `key` that rows of the table hold (hidden rows too: the
        database would refuse them all the same)."""
        if not values:
            return set()
        table: sa.Table = self.model.__table__  # type: ignore[attr-defined]
        columns = [table.c[name] for name in key]
        # Columns with one value in the chunk (the division) become equalities, so
        # the unique index serves the query: a row-value IN list defeats it (#5).
        fixed = [(c, v.pop()) for c, v in ((c, {value[i] for value in values})
                                          for i, c in enumerate(columns)) if len(v) == 1]
        varying = [c for c in columns if all(c is not f for f, _v in fixed)]
        conditions = [column == value for column, value in fixed]
        if len(varying) == 1:
            position = columns.index(varying[0])
            conditions.append(varying[0].in_({value[position] for value in values}))
        elif varying:
            positions = [columns.index(c) for c in varying]
            conditions.append(sa.tuple_(*varying).in_({tuple(v[i] for i in positions) for v in values}))
        with system_context(), unprepared(self.session):
            found = self.session.execute(sa.select(*columns).where(*conditions))
            return {tuple(row) for row in found}

    # ---------------------------------------------------------------- insert

    def _written(self, rows: list[ImportRow], params: list[Params]) -> list[RowError]:
        """Insert the rows, then tell the addons that follow imports up which rows were written."""
        if not self.follow_up:
            return self._insert(rows, params)
        if not self.may_hide:
            self.last_id = self._last_id()
        written = self._new_rows()
        errors = self._insert(rows, params)
        self.hooks.kehu_on_rows_imported(session=self.session, model=self.model, written=written,
                                         division_id=self.division_id)
        return errors

    def _insert(self, rows: list[ImportRow], params: list[Params]) -> list[RowError]:
        """Insert the rows with one executemany; with record rules, refuse the rows the
        user could not see afterwards, as a form refuses them."""
        self._execute(rows, sa.insert(self.model), params)
        self._keep_statistics(len(rows))
        if not self.may_hide:
            return []
        new = self._new_rows()
        key = self.model.id  # type: ignore[attr-defined]
        with unprepared(self.session):
            with system_context():
                inserted, top = self.session.execute(
                    sa.select(sa.func.count(), sa.func.max(key)).where(new)).one()
            visible = self.session.scalar(sa.select(sa.func.count()).select_from(self.model).where(new))
        if visible == inserted:
            self.last_id = top
            return []
        return self._one_by_one(rows, params, new)

    def _keep_statistics(self, count: int) -> None:
        """ANALYZE the table when the import has written 10k, 100k... rows (PostgreSQL).

        Statistics gathered before the import describe a smaller table: the
        planner then scans the whole table for each chunk's checks instead of
        using its indexes. ANALYZE in our transaction counts our own new rows.
        """
        self.written += count
        bind = self.session.get_bind()
        if self.written < self.analyze_at or bind.dialect.name != "postgresql":
            return
        self.analyze_at *= 10
        table = bind.dialect.identifier_preparer.quote(self.model.__tablename__)  # type: ignore[attr-defined]
        self.session.execute(sa.text(f"ANALYZE {table}"))

    def _new_rows(self) -> sa.ColumnElement[bool]:
        """The rows this import inserted since the last check: above the last id seen
        (the primary key's index finds them) and with this import's stamp.

        Counting them needs no RETURNING, which would cost a multi-row INSERT
        statement (3× slower on PostgreSQL) or a row at a time (SQLite, ordered).
        """
        model: Any = self.model
        stamp = self.constants
        return sa.and_(model.id > self.last_id, model.create_date == stamp["create_date"],
                       model.create_uid == stamp["create_uid"])

    def _one_by_one(self, rows: list[ImportRow], params: list[Params],
                    new: sa.ColumnElement[bool]) -> list[RowError]:
        """Some rows of the chunk would be hidden from the user (rare: a rep importing
        other reps' rows): take the chunk out and insert it a row at a time to tell which."""
        key = self.model.id  # type: ignore[attr-defined]
        self._delete(new)
        ids = [self._execute([row], sa.insert(self.model).returning(key), one).scalar_one()
               for row, one in zip(rows, params, strict=True)]
        visible = set(self.session.scalars(sa.select(key).where(key.in_(ids))))
        self._delete(key.in_(set(ids) - visible))
        self.last_id = max(ids)
        message = _("You may not create a record that your own access rules would hide from you.")
        return [row.error(None, message) for row, record_id in zip(rows, ids, strict=True)
                if record_id not in visible]

    def _execute(self, rows: list[ImportRow], statement: Any, params: Any) -> sa.Result[Any]:
        try:
            return self.session.execute(statement.execution_options(render_nulls=True), params)
        except sa.exc.IntegrityError as error:
            reason = _unique_message(error)
            raise ValidationError(
                _("Rows {first} to {last} could not be saved: {reason}").format(
                    first=rows[0].number, last=rows[-1].number, reason=reason),
                fields={"file": reason}) from None

    def _delete(self, condition: sa.ColumnElement[bool]) -> None:
        with system_context():
            self.session.execute(sa.delete(self.model).where(condition)
                                 .execution_options(synchronize_session=False))
