"""Records of one model: query, page, group, read, create, update, delete.

Pages, the REST API, the kanban, import and export all go through this one
service, so validation, optimistic locking and keyset pagination behave the
same everywhere; every list is `Records.list` (a page) or `Records.stream`
(every row) of a `core.lists.ListQuery`. The actor's rights and record rules
apply to every statement this service runs: the ORM adds them below
(core/access/enforce.py), so no caller filters rows itself.
"""

from __future__ import annotations

import builtins
import dataclasses
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from core import schemas
from core.errors import Conflict, NotFound, ValidationError
from core.fields import (
    FieldInfo,
    display_name_column,
    display_text,
    field_info,
    model_fields,
    system_columns,
)
from core.i18n import _
from core.lists import (
    Condition,
    CursorSigner,
    ListQuery,
    ListResult,
    invalid_cursor,
    parse_conditions,
)
from core.views import ModelViews

__all__ = ["Condition", "ListQuery", "ListResult", "Page", "Records", "parse_conditions"]

INT32_MAX = 2**31 - 1
MAX_LINES = 500  # lines of one document (a quote, a claim) edited at once
STREAM_CHUNK = 1_000  # rows of a streamed list (an export) read at a time


@dataclass
class Page:
    """One page of a list, and the signed cursor of the next page (None at the end)."""

    rows: list[Any]
    next_cursor: str | None


@dataclass(frozen=True)
class LineSet:
    """The child rows a form edits inline (`core.views.Lines`): quote lines, claim lines."""

    name: str  # the parent's relationship attribute
    child: type
    fields: tuple[FieldInfo, ...]
    label: str | None

    @classmethod
    def of(cls, lines: Any) -> LineSet:
        relationship = lines.relationship.property
        return cls(name=relationship.key, child=relationship.mapper.class_,
                   fields=tuple(field_info(column) for column in lines.columns),
                   label=lines.label)


class Records:
    """The service of one model, built from its declared views."""

    def __init__(self, views: ModelViews, absent: frozenset[str] = frozenset(),
                 cursors: CursorSigner | None = None) -> None:
        self.views = views
        self.cursors = cursors or CursorSigner()
        self.model = views.model
        self.all_fields = {f.name: f for f in model_fields(self.model, absent)}
        form = views.form.flat_fields() if views.form else []
        names = [field_info(attr).name for attr in form] or [
            name for name in self.all_fields if name not in system_columns(self.model)
        ]
        many = {f.name: f for f in (field_info(a) for a in form) if f.kind == "many"}
        system = system_columns(self.model)
        self.editable = [many.get(n) or self.all_fields[n] for n in names if n not in system]
        columns = views.listing.columns if views.listing else []
        self.columns = [self.all_fields[field_info(attr).name] for attr in columns] or self.editable
        self.filterable = sorted(self.all_fields)
        self.lines = [LineSet.of(lines) for lines in (views.form.lines if views.form else ())]

    # ------------------------------------------------------------ reading

    def get(self, session: Session, record_id: int) -> Any:
        """The record, or NotFound when it does not exist or is not visible."""
        if not 0 < record_id <= INT32_MAX:  # no such id: the database could not even bind it (#13)
            raise NotFound(_("The record does not exist or you may not see it."))
        record = session.get(self.model, record_id)
        if record is None:
            raise NotFound(_("The record does not exist or you may not see it."))
        return record

    def _condition(self, condition: Condition) -> sa.ColumnElement[bool]:
        field = self.all_fields[condition.field]
        column: Any = getattr(self.model, field.name)
        result: sa.ColumnElement[bool]
        if condition.op == "isnull":
            result = column.is_(None) if condition.value.lower() in ("1", "true", "yes") \
                else column.is_not(None)
            return result
        if condition.op == "contains":
            result = column.icontains(condition.value, autoescape=True)
            return result
        try:
            values = [self._convert(field, part) for part in condition.value.split(",")] \
                if condition.op == "in" else [self._convert(field, condition.value)]
        except ValidationError as error:
            raise ValidationError(error.message, fields={condition.field: error.message}) from None
        if any(value is None for value in values):
            message = _("Enter a value to filter on.")
            raise ValidationError(message, fields={condition.field: message})
        if condition.op == "in":
            result = column.in_(values)
            return result
        operators = {"eq": column.__eq__, "ne": column.__ne__, "gt": column.__gt__,
                     "gte": column.__ge__, "lt": column.__lt__, "lte": column.__le__}
        result = operators[condition.op](values[0])
        return result

    def _convert(self, field: FieldInfo, text: str) -> Any:
        try:
            values = schemas.validate(self.model, [_optional(field)], {field.name: text},
                                      partial=False)
        except ValidationError as error:
            raise ValidationError(error.fields.get(field.name, error.message)) from None
        return values[field.name]

    def select(
        self, *, conditions: Sequence[Condition] = (), search: str | None = None,
        extra: Sequence[sa.ColumnElement[bool]] = (),
    ) -> sa.Select[Any]:
        """SELECT of the model with filters and free-text search (rules added by the ORM)."""
        statement: sa.Select[Any] = sa.select(self.model)
        for condition in conditions:
            statement = statement.where(self._condition(condition))
        if search and self.views.listing and self.views.listing.search:
            pattern = f"%{search.strip()}%"
            statement = statement.where(
                sa.or_(*[attr.ilike(pattern) for attr in self.views.listing.search])
            )
        for clause in extra:
            statement = statement.where(clause)
        return statement

    def order_keys(self, order: str | None) -> builtins.list[tuple[Any, bool]]:
        """The ORDER BY as (column, descending) pairs ending with id: "-expected_date"."""
        keys: builtins.list[tuple[Any, bool]] = []
        if order:
            for part in order.split(","):
                descending = part.startswith("-")
                name = part.lstrip("-")
                if name not in self.all_fields:
                    raise ValidationError(_("Cannot sort by this field."), fields={"order": name})
                keys.append((getattr(self.model, name), descending))
        elif self.views.listing and self.views.listing.order:
            keys = list(self.views.listing.order)
        if not any(getattr(attr, "key", None) == "id" for attr, _d in keys):
            descending = keys[-1][1] if keys else True
            keys.append((self.model.id, descending))  # type: ignore[attr-defined]
        return keys

    def scope(self, order: str | None) -> str:
        """What a cursor is signed with besides its keys: the model and the order."""
        return f"{self.model.__tablename__}\n{order or ''}"  # type: ignore[attr-defined]

    def list(self, session: Session, query: ListQuery) -> ListResult:
        """The one list sequence (web list, API, kanban, CLI): filters, the actor's
        rights and rules (the ORM adds them to each statement), one keyset page,
        the reference names of `query.fields` (one statement per referenced model)
        and, if asked, a capped count. A cursor not signed here is a ValidationError."""
        statement = self.select(conditions=query.conditions, search=query.search,
                                extra=query.extra)
        keys = self.order_keys(query.order)
        backwards, after = False, None
        if query.cursor:
            backwards, after = self.cursors.open(self.scope(query.order), query.cursor)
        limit = query.limit if query.limit is not None else 50
        paged = statement if after is None else statement.where(_after(keys, after, backwards))
        rows = self._fetch(session, self._loading(paged, query.fields, keys)
                           .order_by(*_ordering(keys, backwards))
                           .limit(sa.bindparam("lim", limit + 1)), query.fields)
        more = len(rows) > limit
        rows = rows[:limit]
        if backwards:
            rows.reverse()
        result = ListResult(rows, self.references(session, rows, self._shown(query.fields)))
        if rows:
            sign = functools.partial(self.cursors.sign, self.scope(query.order))
            if more or backwards:
                result.next_cursor = sign(False, _keys_of(rows[-1], keys))
            if (more and backwards) or (after is not None and not backwards):
                result.previous_cursor = sign(True, _keys_of(rows[0], keys))
        if query.count:
            result.count, result.capped = self.count(session, statement, cap=query.count_cap)
        return result

    def stream(self, session: Session, query: ListQuery) -> Iterator[ListResult]:
        """Every row of the list (no page), a chunk at a time from a server-side cursor,
        each chunk with the reference names of its rows: what an export writes."""
        statement = self.select(conditions=query.conditions, search=query.search,
                                extra=query.extra)
        keys = self.order_keys(query.order)
        loading = self._loading(statement, query.fields, keys).order_by(*_ordering(keys, False))
        shown = self._shown(query.fields)
        result = session.execute(loading.execution_options(yield_per=STREAM_CHUNK))
        for partition in result.partitions():
            rows = list(partition) if self._by_columns(query.fields) else [row[0] for row in partition]
            yield ListResult(rows, self.references(session, rows, shown))

    def page(
        self, session: Session, statement: sa.Select[Any], *, order: str | None = None,
        limit: int = 50,
    ) -> Page:
        """The first page of `statement` (a `select`) in the list's order: records."""
        keys = self.order_keys(order)
        rows = list(session.scalars(statement.order_by(*_ordering(keys, False)).limit(limit + 1)))
        following = self.cursors.sign(self.scope(order), False, _keys_of(rows[limit - 1], keys)) \
            if len(rows) > limit else None
        return Page(rows[:limit], following)

    def _shown(self, fields: Sequence[FieldInfo] | None) -> builtins.list[FieldInfo]:
        return list(fields) if fields is not None else self.columns

    @staticmethod
    def _by_columns(fields: Sequence[FieldInfo] | None) -> bool:
        """Whether a list of `fields` reads columns only (no whole records)."""
        return fields is not None and all(f.column is not None or f.kind == "many" for f in fields)

    def _loading(self, statement: sa.Select[Any], fields: Sequence[FieldInfo] | None,
                 keys: builtins.list[tuple[Any, bool]]) -> sa.Select[Any]:
        """`statement` reading the columns the list shows (with the id, version, write date
        and sort keys), or whole records when some field is not a column."""
        if not self._by_columns(fields):
            return statement
        model = self.model
        names = ["id", *[n for n in ("version", "write_date") if n in self.all_fields],
                 *[f.name for f in fields or () if f.column is not None],
                 *[attr.key for attr, _d in keys]]
        return statement.with_only_columns(*[getattr(model, n) for n in dict.fromkeys(names)])

    def _fetch(self, session: Session, statement: sa.Select[Any],
               fields: Sequence[FieldInfo] | None) -> builtins.list[Any]:
        if self._by_columns(fields):
            return list(session.execute(statement))
        return list(session.scalars(statement))

    def count(self, session: Session, statement: sa.Select[Any], *, cap: int = 10_000) -> tuple[int, bool]:
        """How many rows match, counting at most `cap` (a long exact count is slow)."""
        limited = statement.with_only_columns(self.model.id).limit(cap + 1).subquery()  # type: ignore[attr-defined]
        total = session.scalar(sa.select(sa.func.count()).select_from(limited)) or 0
        return min(total, cap), total > cap

    def group(
        self, session: Session, statement: sa.Select[Any], by: str,
    ) -> builtins.list[tuple[Any, int, dict[str, Any]]]:
        """Rows grouped by `by`: (value, count, {sum field: total}) in one SQL query."""
        if by not in self.all_fields:
            raise ValidationError(_("Cannot group by this field."), fields={"group": by})
        sums = [field_info(a).name for a in (self.views.listing.sums if self.views.listing else ())]
        subquery = statement.subquery()
        grouped = sa.select(
            subquery.c[by], sa.func.count(), *[sa.func.sum(subquery.c[s]) for s in sums]
        ).group_by(subquery.c[by]).order_by(sa.func.count().desc())
        result = []
        for row in session.execute(grouped):
            totals = dict(zip(sums, row[2:], strict=True))
            result.append((row[0], row[1], totals))
        return result

    # ------------------------------------------------------------ writing

    def validate(self, session: Session, data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
        """Checked values for the editable fields; references must be visible records.

        A many-to-many field's ids come back as the list of target records.
        """
        values = schemas.validate(self.model, self.editable, data, partial=partial)
        errors = {}
        for field in self.editable:
            target = field.target
            value = values.get(field.name)
            if target is None or value is None:
                continue
            if field.kind == "ref" and session.get(target, value) is None:
                errors[field.name] = _("No such record, or you may not see it.")
            elif field.kind == "many":
                key: sa.Column[Any] = sa.inspect(target).primary_key[0]
                try:
                    wanted = {key.type.python_type(v) for v in value}
                except ValueError:
                    wanted = set()
                found: builtins.list[Any] = list(session.scalars(sa.select(target).where(key.in_(wanted))))
                if len(found) != len(set(value)):
                    errors[field.name] = _("No such record, or you may not see it.")
                values[field.name] = found
        if errors:
            raise ValidationError(_("Please correct the marked fields."), fields=errors)
        return values

    def create(self, session: Session, data: dict[str, Any], *,
               division_id: int | None = None) -> Any:
        """A new record from `data` (validated) with its lines, flushed so it has an id.

        Its division is `division_id` (chosen on the form by a user of several
        divisions), else the one of the customer (or other record) it is for, else the
        user's (#14); the access layer refuses a division the user does not belong to."""
        values, lines = self._checked(session, data, partial=False)
        record = self.model(**values)
        if division_id is not None:
            record.division_id = division_id
        elif values.get("division_id") is None and \
                "division_id" in self.model.__table__.c:  # type: ignore[attr-defined]
            from core.lookups import division_from_references  # imports the access layer

            record.division_id = division_from_references(session, self.model, values)
        for line in self.lines:
            self._apply_lines(record, line, lines.get(line.name, []))
        self._compute(record)
        session.add(record)
        self._flush(session)
        return record

    def _checked(self, session: Session, data: dict[str, Any], *, partial: bool
                 ) -> tuple[dict[str, Any], dict[str, builtins.list[tuple[int | None, dict[str, Any]]]]]:
        """The header's values and the lines sent; every error of both reported together."""
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        lines = {}
        header = {key: value for key, value in data.items()
                  if key not in {line.name for line in self.lines}}
        try:
            values = self.validate(session, header, partial=partial)
        except ValidationError as error:
            errors.update(error.fields)
        for line in self.lines:
            if line.name in data:
                try:
                    lines[line.name] = self.validate_lines(session, line, data[line.name])
                except ValidationError as error:
                    errors.update(error.fields)
        if errors:
            raise ValidationError(_("Please correct the marked fields."), fields=errors)
        return values, lines

    def validate_lines(self, session: Session, line: LineSet,
                       rows: Any) -> builtins.list[tuple[int | None, dict[str, Any]]]:
        """(id or None, checked values) of each row; errors are named "<lines>.<n>.<field>"
        with n counted from 1, the way the user sees the rows."""
        if rows is None:
            return []
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ValidationError(_("Please correct the marked fields."),
                                  fields={line.name: _("A list of lines is expected.")})
        if len(rows) > MAX_LINES:
            message = _("At most {count} lines.").format(count=MAX_LINES)
            raise ValidationError(message, fields={line.name: message})
        result: builtins.list[tuple[int | None, dict[str, Any]]] = []
        errors: dict[str, str] = {}
        for number, row in enumerate(rows, start=1):
            raw_id = row.get("id")
            line_id = int(raw_id) if isinstance(raw_id, int | str) and str(raw_id).isdigit() else None
            try:
                values = schemas.validate(line.child, list(line.fields),
                                          {k: v for k, v in row.items() if k != "id"},
                                          partial=False)
            except ValidationError as error:
                for name, message in error.fields.items():
                    errors[f"{line.name}.{number}.{name}"] = message
                continue
            for field in line.fields:
                value = values.get(field.name)
                if field.kind in ("int", "ref") and value is not None and abs(value) > INT32_MAX:
                    errors[f"{line.name}.{number}.{field.name}"] = _("This number is too large.")
                elif field.kind == "ref" and field.target is not None and value is not None \
                        and session.get(field.target, value) is None:
                    errors[f"{line.name}.{number}.{field.name}"] = _(
                        "No such record, or you may not see it.")
            result.append((line_id, values))
        if errors:
            raise ValidationError(_("Please correct the marked fields."), fields=errors)
        return result

    def _apply_lines(self, record: Any, line: LineSet,
                     rows: builtins.list[tuple[int | None, dict[str, Any]]]) -> None:
        """Make the record's lines `rows`: kept by id, new ones added, the others removed."""
        collection = getattr(record, line.name)
        existing = {child.id: child for child in collection if child.id is not None}
        wanted = []
        changed = False
        for line_id, values in rows:
            child = existing.get(line_id) if line_id is not None else None
            if child is None:
                child = line.child(**values)
                changed = True
            else:
                for key, value in values.items():
                    if getattr(child, key) != value:
                        setattr(child, key, value)
                        changed = True
            wanted.append(child)
        if changed or len(wanted) != len(collection):
            collection[:] = wanted
            # The parent counts as changed: a locked document refuses it (core/workflow/locks).
            flag_modified(record, line.name)

    @staticmethod
    def _compute(record: Any) -> None:
        compute = getattr(record, "compute", None)
        if callable(compute):
            compute()

    def update(self, session: Session, record_id: int, data: dict[str, Any], *,
               version: int | None) -> Any:
        """Change `data`'s fields; a stale `version` is a Conflict."""
        record = self.get(session, record_id)
        if version is not None and getattr(record, "version", version) != version:
            raise Conflict(_("Somebody else changed this record: reload it and try again."))
        values, lines = self._checked(session, data, partial=True)
        self._check_readonly(record, values)
        for key, value in values.items():
            setattr(record, key, value)
        for name, rows in lines.items():
            self._apply_lines(record, next(ln for ln in self.lines if ln.name == name), rows)
        self._compute(record)
        self._flush(session)
        return record

    def readonly_now(self, record: Any) -> set[str]:
        """The fields the form declares read-only in the record's current state."""
        form = self.views.form
        if form is None or not form.readonly_in:
            return set()
        from core.workflow.registry import workflows_of  # the registry imports Records

        workflow = workflows_of(record).for_model(self.model)  # its session's kernel's
        state = getattr(record, workflow.state_key if workflow is not None else "state", None)
        if state is None:
            return set()
        return {field_info(attr).name for attr in form.readonly_in.get(str(state), ())}

    def _check_readonly(self, record: Any, values: dict[str, Any]) -> None:
        """Refuse changes to fields that are read-only in the record's state (every path)."""
        locked = self.readonly_now(record)
        changed = sorted(name for name, value in values.items()
                         if name in locked and getattr(record, name) != value)
        if changed:
            message = _("This field cannot be changed in the record's current state.")
            raise ValidationError(_("Some fields cannot be changed in the record's current state."),
                                  fields={name: message for name in changed})

    def delete(self, session: Session, record_id: int, *, version: int | None = None) -> None:
        """Delete the record (a stale `version` is a Conflict)."""
        record = self.get(session, record_id)
        if version is not None and getattr(record, "version", version) != version:
            raise Conflict(_("Somebody else changed this record: reload it and try again."))
        session.delete(record)
        self._flush(session)

    def _flush(self, session: Session) -> None:
        try:
            session.flush()
        except StaleDataError:
            raise Conflict(_("Somebody else changed this record: reload it and try again.")) from None
        except sa.exc.IntegrityError as error:
            raise ValidationError(_unique_message(error), fields=_unique_fields(self.model, error)) from None

    # ------------------------------------------------------------ output

    def display_names(self, session: Session, target: type, ids: set[int]) -> dict[int, str]:
        """Names of referenced records in one query (no query per row)."""
        if not ids:
            return {}
        name = display_name_column(target)
        rows = session.execute(sa.select(target.id, name).where(target.id.in_(sorted(ids))))  # type: ignore[attr-defined]
        return {row[0]: display_text(target, row[1]) for row in rows}

    def references(self, session: Session, rows: Sequence[Any], fields: Sequence[FieldInfo]) -> dict[str, dict[int, str]]:
        """For each ref field shown, the display names of the rows' targets: one
        statement per referenced model (an owner and a creator are one look-up)."""
        wanted: dict[type, set[int]] = {}
        refs = [f for f in fields if f.kind == "ref" and f.target is not None]
        for field in refs:
            assert field.target is not None
            ids = wanted.setdefault(field.target, set())
            ids.update(value for row in rows if (value := getattr(row, field.name)) is not None)
        names = {target: self.display_names(session, target, ids) for target, ids in wanted.items()}
        return {field.name: names[field.target] for field in refs if field.target is not None}


def _keys_of(row: Any, keys: list[tuple[Any, bool]]) -> list[Any]:
    return [getattr(row, attr.key) for attr, _d in keys]


def _nullable(attr: Any) -> bool:
    return bool(attr.property.columns[0].nullable) if hasattr(attr, "property") else False


def _ordering(keys: list[tuple[Any, bool]], backwards: bool) -> list[Any]:
    """ORDER BY of `keys`, NULLs after values; `backwards` reverses all of it."""
    columns = []
    for attr, descending in keys:
        if _nullable(attr):
            columns.append(attr.is_(None).desc() if backwards else attr.is_(None))
        columns.append(attr.desc() if descending != backwards else attr.asc())
    return columns


def _optional(field: FieldInfo) -> FieldInfo:
    return dataclasses.replace(field, required=False)


def _after(keys: list[tuple[Any, bool]], values: list[Any],
           backwards: bool = False) -> sa.ColumnElement[bool]:
    """Rows after `values` in the order of `keys` (NULLs sort after values), or
    before them when going `backwards`."""
    if len(values) != len(keys):
        raise invalid_cursor()
    alternatives = []
    for index, (attr, descending) in enumerate(keys):
        equal = [_equal(a, v) for (a, _d), v in zip(keys[:index], values[:index], strict=True)]
        value = values[index]
        beyond: sa.ColumnElement[bool]
        if backwards:
            beyond = attr.is_not(None) if value is None else \
                attr > value if descending else attr < value
        elif value is None:
            continue  # nothing sorts after NULL in this column but equal NULLs
        else:
            beyond = attr < value if descending else attr > value
            if _nullable(attr):
                beyond = sa.or_(beyond, attr.is_(None))
        alternatives.append(sa.and_(*equal, beyond))
    return sa.or_(*alternatives) if alternatives else sa.false()


def _equal(attr: Any, value: Any) -> sa.ColumnElement[bool]:
    result: sa.ColumnElement[bool] = attr.is_(None) if value is None else attr == value
    return result


def _unique_message(error: sa.exc.IntegrityError) -> str:
    text = str(error.orig).lower()
    if "unique" in text or "duplicate" in text:
        return _("Another record already uses this value.")
    if "foreign key" in text:
        return _("The record is still used by other records.")
    return _("The record could not be saved: it breaks a database rule.")


def _unique_fields(model: type, error: sa.exc.IntegrityError) -> dict[str, str]:
    """The columns a unique violation names (SQLite: "t.a, t.b"; PostgreSQL: "Key (a, b)")."""
    text = str(error.orig)
    names: list[str] = []
    if "Key (" in text:
        names = [n.strip() for n in text.split("Key (", 1)[1].split(")", 1)[0].split(",")]
    elif "constraint failed:" in text:
        names = [part.strip().split(".")[-1] for part in text.split("constraint failed:", 1)[1].split(",")]
    message = _unique_message(error)
    return {name: message for name in names if name not in ("id", "division_id")}
