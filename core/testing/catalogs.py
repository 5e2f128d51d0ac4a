"""Is every user-visible string translated? Extracts msgids as Babel does."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from core.addons import AddonSpec

KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None,
            "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2)}
# A msgid with a context (msgctxt) is keyed "<context>\x04<msgid>", as gettext does.
CONTEXT_SEPARATOR = "\x04"
METHODS = [
    ("**/scaffolding/templates/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
]


def extract(folder: Path) -> set[str]:
    """Every msgid used in the Python files and templates under `folder`."""
    found: set[str] = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(folder), method_map=METHODS, keywords=KEYWORDS,
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        if isinstance(message, str) and message:
            found.add(f"{context}{CONTEXT_SEPARATOR}{message}" if context else message)
        elif isinstance(message, tuple):
            found.update(part for part in message if part)
    return found


def catalog(folder: Path, locale: str) -> dict[str, str]:
    """msgid → msgstr of every .po file of `locale` under `folder`/locale."""
    result: dict[str, str] = {}
    for po_file in (folder / "locale" / locale / "LC_MESSAGES").glob("*.po"):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if message.id and isinstance(message.id, str):
                    key = (f"{message.context}{CONTEXT_SEPARATOR}{message.id}"
                           if message.context else message.id)
                    result[key] = str(message.string or "")
    return result


def missing(folder: Path, locale: str, *, extra: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """The msgids under `folder` (plus `extra`) with no translation in `locale`."""
    have = catalog(folder, locale)
    return sorted(m for m in extract(folder) | set(extra) if not have.get(m))


def manifest_texts(spec: AddonSpec) -> set[str]:
    """The texts of an addon's manifest that pages show (its summary)."""
    return {spec.manifest.summary} if spec.manifest else set()
