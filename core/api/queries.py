"""Query parameters of a list: filters, order, cursor, limit, search, count.

Filters use the one grammar of every list (`core.lists.parse_filters`:
`level=A`, `status__in=prospect,formal`, `name__contains=华`,
`owner_id__isnull=1`). A parameter that names no field, an operator that does
not fit the field, or a value the column cannot hold is a 400, never silently
ignored: a misspelt filter must not return every row. The result is the
`core.lists.ListQuery` that `Records.list` runs.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.api.errors import BadRequest
from core.api.resources import Resource
from core.errors import ValidationError
from core.i18n import _
from core.lists import ListQuery, parse_filters
from core.lookups import division_scoped, usable_in

# usable_in=<division id>: only the rows a record of that division may reference (#14).
RESERVED = frozenset({"q", "order", "cursor", "limit", "count", "lang", "usable_in"})
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_SEARCH = 200
COMPARISONS = frozenset({"gt", "gte", "lt", "lte"})
TRUE = frozenset({"1", "true", "yes"})
FALSE = frozenset({"0", "false", "no", ""})


def bad(parameter: str, message: str) -> BadRequest:
    """A BadRequest naming the query parameter."""
    return BadRequest(_("A query parameter is not valid."), fields={parameter: message})


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    try:
        limit = int(raw) if raw.strip().isascii() else 0
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise bad("limit", _("Enter a whole number from 1 to {max}.").format(max=MAX_LIMIT))
    return limit


def _flag(name: str, raw: str | None) -> bool:
    value = (raw or "").strip().lower()
    if value not in TRUE | FALSE:
        raise bad(name, _("Enter 1 or 0."))
    return value in TRUE


def _search(raw: str | None) -> str | None:
    text = (raw or "").strip()
    if len(text) > MAX_SEARCH:
        raise bad("q", _("At most {count} characters.").format(count=MAX_SEARCH))
    return text or None


def _check_filter(resource: Resource, key: str, value: str) -> None:
    """What the API checks beyond the grammar: a comparison needs a value, and an
    integer must fit its column."""
    name, _sep, op = key.partition("__")
    field = resource.filters[name]
    if op in COMPARISONS and not value.strip():
        raise bad(key, _("Enter a value to compare with."))
    problem = resource.filter_in_range(field, op or "eq", value)
    if problem:
        raise bad(key, problem)


def expensive(query: ListQuery) -> bool:
    """Whether a list request costs more than a page: an exact count or a text search."""
    return query.count or bool(query.search)


def parse_list_query(resource: Resource, params: Mapping[str, str]) -> ListQuery:
    """The checked list request of `params` (400 for anything unusable)."""
    for key, value in params.items():
        if "\x00" in key or "\x00" in value:
            raise bad(key.replace("\x00", ""), _("This value is not valid."))
    filters = {key: value for key, value in params.items() if key not in RESERVED}
    try:
        conditions = parse_filters(filters, resource.filters, strict=True)
    except ValidationError as error:
        raise BadRequest(error.message, fields=error.fields) from None
    for key, value in filters.items():
        _check_filter(resource, key, value)
    division = _division(params.get("usable_in"))
    scoped = division is not None and division_scoped(resource.model)
    return ListQuery(
        conditions=tuple(conditions),
        search=_search(params.get("q")),
        extra=(usable_in(resource.model, division),) if scoped and division is not None else (),
        order=params.get("order") or None,
        cursor=params.get("cursor") or None,
        limit=_limit(params.get("limit")),
        fields=resource.fields,
        count=_flag("count", params.get("count")),
    )


def _division(raw: str | None) -> int | None:
    text = (raw or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise bad("usable_in", _("Enter a division's id."))
    return int(text)
