"""The columns of an import file: which fields, their headers, and what each accepts.

A model's import columns are its form fields (`Records.editable`); a header
matches a field by its label in either language or by the field's name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from core.errors import ValidationError
from core.fields import FieldInfo, display_name_column, model_label
from core.i18n import LOCALES, _, using_locale

if TYPE_CHECKING:
    from core.kernel import Kernel

# A text cell that starts with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def import_fields(kernel: Kernel, model: type) -> list[FieldInfo]:
    """The fields a file may fill: the model's form fields (many-to-many ones left out)."""
    records = kernel.records.get(model)
    if records is None:
        raise ValidationError(
            _("{model} cannot be imported: it has no form.").format(model=model_label(model))
        )
    return [field for field in records.editable if field.kind != "many"]


def _header_key(text: str) -> str:
    """A header as compared: trimmed, without a trailing required mark, case-folded."""
    return text.replace("\u3000", " ").strip().rstrip("*＊").strip().casefold()


def _in_every_locale(text: Any) -> set[str]:
    names = set()
    for locale in LOCALES:
        with using_locale(locale):
            names.add(str(text))
    return names


def header_names(field: FieldInfo) -> set[str]:
    """Every header that names `field`: its name and its label in each language."""
    return {_header_key(name) for name in {field.name, *_in_every_locale(field.label)}}


def match_headers(fields: Sequence[FieldInfo], headers: Sequence[str]) -> list[FieldInfo | None]:
    """The field of each header (None for a blank header); unknown, repeated or
    missing required columns are a ValidationError naming them."""
    known = {name: field for field in fields for name in header_names(field)}
    matched: list[FieldInfo | None] = []
    unknown, repeated = [], []
    for header in headers:
        if not header.strip():
            matched.append(None)
            continue
        field = known.get(_header_key(header))
        if field is None:
            unknown.append(header.strip())
        elif field in matched:
            repeated.append(header.strip())
        matched.append(field)
    if unknown:
        raise ValidationError(_("Unknown columns: {names}. Use the column titles of the template.")
                              .format(names=", ".join(unknown)), fields={"file": ", ".join(unknown)})
    if repeated:
        raise ValidationError(_("These columns appear twice: {names}.")
                              .format(names=", ".join(repeated)), fields={"file": ", ".join(repeated)})
    missing = [str(f.label) for f in fields if f.required and f not in matched]
    if missing:
        raise ValidationError(_("The file lacks required columns: {names}.")
                              .format(names=", ".join(missing)), fields={"file": ", ".join(missing)})
    return matched


def choice_values(field: FieldInfo) -> dict[str, str]:
    """A choice field's stored values, by their value and their labels in each language."""
    result: dict[str, str] = {}
    for value, label in field.choices:
        for text in {str(value), *_in_every_locale(label)}:
            result.setdefault(text.strip().casefold(), str(value))
    return result


def choice_labels(field: FieldInfo) -> list[str]:
    """A choice field's labels in the current language, in declared order."""
    return [str(label) for _value, label in field.choices]


def key_column(target: type) -> Any:
    """The column that identifies a record besides its name: `code`, or a user's `login`."""
    for name in ("code", "login"):
        column = getattr(target, name, None)
        if column is not None and hasattr(column, "property"):
            return column
    return None


def _kind_text(field: FieldInfo) -> str:
    if field.kind in ("text", "longtext") and field.max_length:
        return _("Text, at most {count} characters").format(count=field.max_length)
    if field.kind == "choice":
        return _("One of: {choices}").format(choices=" / ".join(choice_labels(field)))
    if field.kind == "ref" and field.target is not None:
        target = model_label(field.target)
        if key_column(field.target) is not None:
            return _("Code or name of a {target}").format(target=target)
        if display_name_column(field.target).key != "id":
            return _("Name of a {target}").format(target=target)
        return _("Number of a {target}").format(target=target)
    texts = {
        "int": _("Whole number"), "decimal": _("Number such as 12.5"),
        "money": _("Amount such as 1234.50"), "bool": _("Yes or no"),
        "date": _("Date such as 2026-11-24"),
        "datetime": _("Date and time such as 2026-11-24 09:30"),
    }
    return texts.get(field.kind, _("Text"))


def describe(field: FieldInfo) -> tuple[str, str]:
    """(Required or Optional, what the column accepts) in the current language."""
    return (_("Required") if field.required else _("Optional")), _kind_text(field)


def restore_text(text: str) -> str:
    """Undo the quote an export put before a formula-looking text (round trip)."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


# Characters XML 1.0 cannot hold (control characters but tab, newline, return):
# an Excel cell with one of them would make the whole file unreadable.
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(text: str) -> str:
    """A text that a spreadsheet will show, never run: formulas get a leading quote."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
