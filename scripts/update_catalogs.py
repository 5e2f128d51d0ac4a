"""Bring every zh_CN and en catalog up to date with the msgids in the code.

Run: .venv/bin/python scripts/update_catalogs.py
New msgids get an empty zh_CN msgstr (to translate) and an identical en one;
msgids no longer used are dropped; existing translations are kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.addons import discover  # noqa: E402
from core.testing.catalogs import CONTEXT_SEPARATOR, extract, manifest_texts  # noqa: E402


def update(folder: Path, domain: str, msgids: set[str]) -> list[str]:
    untranslated = []
    for locale in ("zh_CN", "en"):
        path = folder / "locale" / locale / "LC_MESSAGES" / f"{domain}.po"
        old: dict[str, str] = {}
        created = None
        if path.exists():
            with path.open("rb") as handle:
                previous = read_po(handle)
            old = {(f"{m.context}{CONTEXT_SEPARATOR}{m.id}" if m.context else m.id): m.string
                   for m in previous if m.id}
            created = previous.creation_date  # unchanged files stay unchanged
        catalog = Catalog(locale=locale, domain=domain, project="Kehu", fuzzy=False,
                          creation_date=created, revision_date=created)
        for msgid in sorted(msgids):
            context, _sep, text = msgid.rpartition(CONTEXT_SEPARATOR)
            string = old.get(msgid) or (text if locale == "en" else "")
            catalog.add(text, string, context=context or None)
            if not string:
                untranslated.append(f"{path.relative_to(ROOT)}: {msgid}")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, no_location=True)
    return untranslated


def main() -> int:
    todo = update(ROOT / "core", "kehu", extract(ROOT / "core"))
    for name, spec in discover().items():
        if spec.path is None or spec.origin != "built-in":
            continue
        todo += update(spec.path, name, extract(spec.path) | manifest_texts(spec))
    for line in todo:
        print("untranslated:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
