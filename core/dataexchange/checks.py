"""Extra row checks an addon adds to the import of a model (e.g. duplicate names).

    def duplicate_phones(session, rows):
        ...
        return [row.error("phone", _("Another customer has this phone.")) for row in clashes]

    @hookimpl
    def kehu_register_import_checks() -> list[ImportCheck]:
        return [ImportCheck(Customer, duplicate_phones)]

A check receives the rows of one chunk (at most 1,000 `ImportRow`s) that passed
validation, before they are written. Rows of earlier chunks of the same file are
already in the database (same, uncommitted transaction), so a query against the
table also finds duplicates inside the file; rows within the chunk the check
compares itself. It returns the `RowError`s of the rows to refuse. It runs as
the importing user; the division the rows go to is `session.info[IMPORT_DIVISION]`
(an administrator or the system may import into another division than their
own). The kernel collects the checks at start-up (`kernel.import_checks`) and
runs an addon's only in divisions that enable the addon.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from core.addons import AddonError

if TYPE_CHECKING:
    from core.dataexchange.importing import ImportRow, RowError
    from core.kernel import Kernel

RowsCheck = Callable[[Session, Sequence["ImportRow"]], Iterable["RowError"]]
# session.info key: the division an import writes into.
IMPORT_DIVISION = "kehu_import_division_id"


@dataclass(frozen=True)
class ImportCheck:
    """Run `check` on every chunk of rows imported into `model`."""

    model: type
    check: RowsCheck


def collect_import_checks(
    contributions: Iterable[tuple[str, Any]],
) -> dict[type, list[tuple[RowsCheck, str]]]:
    """The checks of the installed addons by model, each with its addon, in install order."""
    checks: dict[type, list[tuple[RowsCheck, str]]] = defaultdict(list)
    for addon, item in contributions:
        if not isinstance(item, ImportCheck) or not callable(item.check):
            raise AddonError(f"addon '{addon}' registered {item!r}, which is not an ImportCheck")
        if (item.check, addon) not in checks[item.model]:
            checks[item.model].append((item.check, addon))
    return dict(checks)


def checks_for(kernel: Kernel, model: type, division_id: int | None) -> list[RowsCheck]:
    """The kernel's checks that apply to an import of `model` into the division."""
    enabled = kernel.registry.enabled_for(division_id)
    return [check for check, addon in kernel.import_checks.get(model, ()) if addon == "core" or addon in enabled]
