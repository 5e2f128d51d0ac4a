"""Both languages: gettext over Babel catalogs of the kernel and each addon.

Catalogs are the .po files themselves (`<package>/locale/<locale>/LC_MESSAGES/
<domain>.po`), read once with Babel, so a source checkout needs no compile step.

Each addon's catalog is its own translation domain: a msgid written in an
addon's module (`_()` or `_l()` called there) is looked up in that addon's
catalog first, then in the kernel's, then in the other catalogs. Two addons
may so translate one msgid differently ("Purpose": 拜访目的 and 用途). Words that
differ by model within one domain take a context: `pgettext("visit", "Purpose")`
(msgctxt in the .po file).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import sys
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern, parse_pattern
from markupsafe import Markup, escape

LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
_locale: ContextVar[str] = ContextVar("kehu_locale", default=DEFAULT_LOCALE)
KERNEL = "core"
# Translation domain (a package: "core", "addons.crm_funnel") → its locale folder.
_catalog_dirs: dict[str, Path] = {KERNEL: Path(__file__).parent / "locale"}
# A msgid with its context (None without one).
Key = tuple[str | None, str]


def add_catalog_dir(folder: Path, package: str | None = None) -> None:
    """Make the catalogs under `folder` (an addon's locale/) the domain of `package`
    (the addon's package, e.g. "addons.crm_funnel"; its folder's path without one)."""
    domain = package or str(folder)
    if folder.is_dir() and _catalog_dirs.get(domain) != folder:
        _catalog_dirs[domain] = folder
        _messages.cache_clear()
        _domain_of.cache_clear()


def _read(folder: Path, locale: str) -> dict[Key, str]:
    table: dict[Key, str] = {}
    for po_file in sorted((folder / locale / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for message in catalog:
            if message.id and message.string and isinstance(message.id, str):
                table.setdefault((message.context, message.id), str(message.string))
    return table


@lru_cache(maxsize=8)
def _messages(locale: str) -> dict[str, dict[Key, str]]:
    """Each domain's translations, and under "" every catalog's in one table (the
    kernel's first, then the addons' in start-up order: the first wins)."""
    domains = {domain: _read(folder, locale) for domain, folder in _catalog_dirs.items()}
    merged: dict[Key, str] = {}
    for table in domains.values():
        for key, text in table.items():
            merged.setdefault(key, text)
    domains[""] = merged
    return domains


@lru_cache(maxsize=4096)
def _domain_of(module: str) -> str:
    """The translation domain of a module: its addon's package, else the kernel's."""
    parts = module.split(".")
    for size in range(len(parts), 0, -1):
        package = ".".join(parts[:size])
        if package in _catalog_dirs:
            return package
    return KERNEL


def _caller(depth: int) -> str:
    """The module `depth` frames above the caller of this function."""
    try:
        return str(sys._getframe(depth + 1).f_globals.get("__name__", ""))
    except ValueError:
        return ""


def translate(message: str, domain: str, context: str | None = None) -> str:
    """`message` in the current locale: from `domain`, then the kernel, then any catalog."""
    tables = _messages(current_locale())
    key = (context, message)
    for name in (domain, KERNEL, ""):
        text = tables.get(name, {}).get(key)
        if text is not None:
            return text
    return message


def current_locale() -> str:
    """The locale of the running request or command."""
    return _locale.get()


@contextlib.contextmanager
def using_locale(locale: str) -> Iterator[str]:
    """Translate the enclosed block into `locale`."""
    token = _locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield _locale.get()
    finally:
        _locale.reset(token)


def set_locale(locale: str) -> None:
    """Set the locale for the rest of this context (a CLI process, a request task)."""
    _locale.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def gettext(message: str) -> str:
    """`message` (an English msgid) in the current locale, in the caller's domain."""
    return translate(message, _domain_of(_caller(1)))


def pgettext(context: str, message: str) -> str:
    """`message` as translated for `context` (msgctxt), in the caller's domain."""
    return translate(message, _domain_of(_caller(1)), context)


_ = gettext


class LazyText:
    """A msgid translated each time it is shown (for module-level declarations), in the
    domain of the module that declared it (known once the addons' catalogs are added)."""

    __slots__ = ("message", "module", "context")

    def __init__(self, message: str, module: str = KERNEL, context: str | None = None) -> None:
        self.message = message
        self.module = module
        self.context = context

    def __str__(self) -> str:
        return translate(self.message, _domain_of(self.module), self.context)

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"_l({self.message!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyText) and (other.message, other.context) == (
            self.message, self.context)

    def __hash__(self) -> int:
        return hash((self.context, self.message))

    def format(self, *args: Any, **kwargs: Any) -> str:
        return str(self).format(*args, **kwargs)


def lazy_gettext(message: str) -> LazyText:
    """A LazyText for `message`, in the caller's domain."""
    return LazyText(message, _caller(1))


def lazy_pgettext(context: str, message: str) -> LazyText:
    """A LazyText for `message` in `context` (msgctxt), in the caller's domain."""
    return LazyText(message, _caller(1), context)


_l = lazy_gettext


@lru_cache(maxsize=8)
def babel_locale(code: str) -> Locale:
    """The Babel locale of `code`, parsed once (parsing it per value cost half a list page)."""
    return Locale.parse(code)


@lru_cache(maxsize=16)
def number_pattern(pattern: str) -> NumberPattern:
    """A number pattern ("#,##0.00"), parsed once."""
    return parse_pattern(pattern)


def format_number(value: decimal.Decimal | int | float, pattern: str) -> str:
    """`value` with `pattern` in the current locale."""
    return str(number_pattern(pattern).apply(value, babel_locale(current_locale())))


def format_money(amount: decimal.Decimal | None) -> str:
    """An amount in yuan formatted for the current locale (¥1,234.50)."""
    if amount is None:
        return ""
    return "¥" + format_number(amount, "#,##0.00")


def format_when(value: dt.date | dt.datetime | None) -> str:
    """A date or a date and time formatted for the current locale."""
    if value is None:
        return ""
    locale = babel_locale(current_locale())
    if isinstance(value, dt.datetime):
        return format_datetime(value, format="medium", locale=locale)
    return format_date(value, format="medium", locale=locale)


def pick_locale(candidates: Iterable[str], *, default: str = DEFAULT_LOCALE) -> str:
    """The first supported locale among `candidates` (e.g. Accept-Language)."""
    for candidate in candidates:
        normalized = candidate.replace("-", "_")
        if normalized in LOCALES:
            return normalized
        if normalized.lower().startswith("zh"):
            return "zh_CN"
        if normalized.lower().startswith("en"):
            return "en"
    return default


def markup(text: str) -> Markup:
    """Trusted HTML from a translated template string (already escaped parts)."""
    return Markup(text)
