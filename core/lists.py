"""What a list asks for and what it gets back: the one list service's vocabulary.

`Records.list(session, ListQuery(...)) -> ListResult` is the sequence every
list of Kehu runs (the web list, the REST API, the kanban, the export and the
CLI): filters of one grammar (`parse_conditions`), the actor's rights and
record rules (applied by the ORM to every statement it runs), the keyset page,
the reference names of the columns shown (one statement per referenced model),
and a capped count.

Cursors are signed with the installation's secret together with the model and
the order (`CursorSigner`): a cursor edited by hand, or reused with another
order, is a ValidationError (400) instead of a value of the wrong type reaching
the database.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from core.errors import ValidationError
from core.fields import FieldInfo
from core.i18n import _

OPERATORS = ("eq", "ne", "in", "gt", "gte", "lt", "lte", "contains", "isnull")
TEXT_KINDS = frozenset({"text", "longtext", "choice"})
ORDERED_KINDS = frozenset({"int", "decimal", "money", "date", "datetime", "text", "longtext",
                           "choice", "ref"})
COUNT_CAP = 10_000


@dataclass(frozen=True)
class Condition:
    """One filter: `field` `op` `value` (value already a string from the request)."""

    field: str
    op: str
    value: str


def operators(field: FieldInfo) -> tuple[str, ...]:
    """The filter operators that make sense for `field` (others are refused)."""
    ops = ["eq", "ne", "in", "isnull"]
    if field.kind in ORDERED_KINDS:
        ops += ["gt", "gte", "lt", "lte"]
    if field.kind in TEXT_KINDS:
        ops.append("contains")
    return tuple(ops)


def parse_conditions(params: Mapping[str, str], allowed: Sequence[str]) -> list[Condition]:
    """Conditions from query parameters such as `level=A`, `amount__gte=1000`,
    `status__in=prospect,formal`, `name__contains=华`, `owner_id__isnull=1`.

    Parameters that do not name an allowed field are left to the caller (the
    web list ignores them, the API and the CLI refuse them); a bad operator is a
    ValidationError naming the parameter.
    """
    result = []
    for key, value in params.items():
        name, _sep, op = key.partition("__")
        if name not in allowed:
            continue
        op = op or "eq"
        if op not in OPERATORS:
            raise ValidationError(_("Unknown filter operator."), fields={key: op})
        result.append(Condition(name, op, value))
    return result


def parse_filters(params: Mapping[str, str], fields: Mapping[str, FieldInfo], *,
                  strict: bool) -> list[Condition]:
    """The filters of a list request in the one grammar of every list:
    `field[__op]=value`, with the operators that fit the field (`operators`).

    `strict` (the API, the CLI): a parameter that names no field is refused
    (a misspelt filter must not return every row). Otherwise (the web list,
    whose form sends empty fields) unknown names and empty values are skipped.
    An operator that does not fit the field is refused either way.
    """
    result = []
    for key, value in params.items():
        name, _sep, op = key.partition("__")
        field = fields.get(name)
        if field is None or (not strict and value == ""):
            if strict:
                raise ValidationError(_("A query parameter is not valid."),
                                      fields={key: _("Unknown parameter.")})
            continue
        op = op or "eq"
        if op not in operators(field):
            raise ValidationError(_("A query parameter is not valid."),
                                  fields={key: _("This operator does not apply to this field.")})
        result.append(Condition(name, op, value))
    return result


@dataclass(frozen=True)
class ListQuery:
    """One list request, already parsed.

    `extra` holds conditions a caller builds itself (a saved or named filter,
    `usable_in`, the kanban's column); `fields` are the fields the caller shows:
    their reference names come with the result, and only their columns (with
    the id, version, write date and sort keys) are read. None reads whole records.
    `limit` None means every row (`Records.stream`).
    """

    conditions: tuple[Condition, ...] = ()
    search: str | None = None
    extra: tuple[sa.ColumnElement[bool], ...] = ()
    order: str | None = None
    cursor: str | None = None
    limit: int | None = 50
    fields: tuple[FieldInfo, ...] | None = None
    count: bool = False
    count_cap: int = COUNT_CAP


@dataclass
class ListResult:
    """One page: its rows, the display names of their references (field → id → name),
    the signed cursors of the next and previous pages (None at either end) and,
    when asked, the count of matching rows (at most the cap; `capped` if more)."""

    rows: list[Any]
    names: dict[str, dict[int, str]] = field(default_factory=dict)
    next_cursor: str | None = None
    previous_cursor: str | None = None
    count: int | None = None
    capped: bool = False


def invalid_cursor() -> ValidationError:
    """The error of a cursor that was not made here (a 400 on every path)."""
    message = _("The page cursor is not valid.")
    return ValidationError(message, fields={"cursor": message})


class CursorSigner:
    """Signs and checks cursors with the installation's secret (read on first use)."""

    def __init__(self, secret: Callable[[], str] | None = None) -> None:
        self._secret = secret
        self._key: bytes | None = None

    @property
    def key(self) -> bytes:
        if self._key is None:
            # Without an installation secret (a Records built by hand): a key of this process.
            secret = self._secret() if self._secret is not None else secrets.token_urlsafe(32)
            self._key = hashlib.sha256(("kehu.list.cursor:" + secret).encode()).digest()
        return self._key

    def _mac(self, scope: str, inner: str) -> str:
        digest = hmac.new(self.key, f"{scope}\n{inner}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")

    def sign(self, scope: str, backwards: bool, values: list[Any]) -> str:
        """The cursor handed out for the page after (or before) a row with `values` as keys."""
        inner = encode([1 if backwards else 0, values])
        return f"{inner}.{self._mac(scope, inner)}"

    def open(self, scope: str, cursor: str) -> tuple[bool, list[Any]]:
        """(backwards, key values) of a cursor made here for `scope`; else a ValidationError."""
        inner, _sep, mac = cursor.rpartition(".")
        if not inner or not hmac.compare_digest(mac.encode(), self._mac(scope, inner).encode()):
            raise invalid_cursor()
        payload = decode(inner)
        if len(payload) != 2 or payload[0] not in (0, 1) or not isinstance(payload[1], list):
            raise invalid_cursor()
        return bool(payload[0]), payload[1]


def encode(values: list[Any]) -> str:
    """JSON in URL-safe base64, dates and decimals typed."""
    def plain(value: Any) -> Any:
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, (dt.date, dt.datetime)):
            return {"d": value.isoformat()}
        if isinstance(value, decimal.Decimal):
            return {"n": str(value)}
        return value

    raw = json.dumps(plain(values), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(text: str) -> list[Any]:
    """The values of `encode`; a ValidationError for anything else."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        values = json.loads(raw)
    except (ValueError, json.JSONDecodeError):
        raise invalid_cursor() from None
    if not isinstance(values, list):
        raise invalid_cursor()

    def typed(value: Any) -> Any:
        if isinstance(value, list):
            return [typed(v) for v in value]
        if isinstance(value, dict) and "d" in value:
            text = value["d"]
            return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
        if isinstance(value, dict) and "n" in value:
            return decimal.Decimal(value["n"])
        return value

    try:
        return [typed(v) for v in values]
    except (ValueError, TypeError, decimal.InvalidOperation):
        raise invalid_cursor() from None
