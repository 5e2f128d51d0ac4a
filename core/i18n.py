"""Both languages: gettext over Babel catalogs of the kernel and each addon.

Catalogs are the .po files themselves (`<package>/locale/<locale>/LC_MESSAGES/
<domain>.po`), read once with Babel, so a source checkout needs no compile step.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
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
_catalog_dirs: list[Path] = [Path(__file__).parent / "locale"]


def add_catalog_dir(folder: Path) -> None:
    """Make the catalogs under `folder` (an addon's locale/) part of the lookup."""
    if folder.is_dir() and folder not in _catalog_dirs:
        _catalog_dirs.append(folder)
        _messages.cache_clear()


@lru_cache(maxsize=8)
def _messages(locale: str) -> dict[str, str]:
    """Every catalog's translations in one table; the kernel's first, so an addon that
    translates a kernel msgid differently cannot change the kernel's pages."""
    merged: dict[str, str] = {}
    for folder in _catalog_dirs:
        for po_file in sorted((folder / locale / "LC_MESSAGES").glob("*.po")):
            with po_file.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
            for message in catalog:
                if message.id and message.string and isinstance(message.id, str):
                    merged.setdefault(message.id, str(message.string))
    return merged


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
    """`message` (an English msgid) in the current locale."""
    return _messages(current_locale()).get(message, message)


_ = gettext


class LazyText:
    """A msgid translated each time it is shown (for module-level declarations)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return gettext(self.message)

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"_l({self.message!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyText) and other.message == self.message

    def __hash__(self) -> int:
        return hash(self.message)

    def format(self, *args: Any, **kwargs: Any) -> str:
        return str(self).format(*args, **kwargs)


def lazy_gettext(message: str) -> LazyText:
    """A LazyText for `message`."""
    return LazyText(message)


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
