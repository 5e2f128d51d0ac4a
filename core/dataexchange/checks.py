"""Extra row checks an addon adds to the import of a model (e.g. duplicate names).

    def duplicate_phones(session, rows):
        ...
        return [row.error("phone", _("Another customer has this phone.")) for row in clashes]

    register_import_check(Customer, duplicate_phones, addon="crm_customer")

A check receives the rows of one chunk (at most 1,000 `ImportRow`s) that passed
validation, before they are written. Rows of earlier chunks of the same file are
already in the database (same, uncommitted transaction), so a query against the
table also finds duplicates inside the file; rows within the chunk the check
compares itself. It returns the `RowError`s of the rows to refuse. It runs as
the importing user; the division the rows go to is `session.info[IMPORT_DIVISION]`
(an administrator or the system may import into another division than their
own). Register a check once, when the addon's module is imported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from core.dataexchange.importing import ImportRow, RowError
    from core.kernel import Kernel

ImportCheck = Callable[[Session, Sequence["ImportRow"]], Iterable["RowError"]]
# session.info key: the division an import writes into.
IMPORT_DIVISION = "kehu_import_division_id"

_checks: dict[type, list[tuple[ImportCheck, str | None]]] = defaultdict(list)


def register_import_check(model: type, check: ImportCheck, *, addon: str | None = None) -> None:
    """Run `check` on every chunk imported into `model` (only in divisions that
    enable `addon`, when given). Registering the same check twice is harmless."""
    if (check, addon) not in _checks[model]:
        _checks[model].append((check, addon))


def checks_for(kernel: Kernel, model: type, division_id: int | None) -> list[ImportCheck]:
    """The checks that apply to an import of `model` into the division."""
    enabled = kernel.registry.enabled_for(division_id)
    return [check for check, addon in _checks.get(model, ()) if addon is None or addon in enabled]


def unregister_import_check(model: type, check: ImportCheck) -> None:
    """Stop running `check` on imports into `model` (tests, reloaded addons)."""
    _checks[model] = [(c, addon) for c, addon in _checks.get(model, ()) if c is not check]
