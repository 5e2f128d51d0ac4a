"""Import and export of records as CSV and XLSX files (issue #5).

- `template(kernel, model, fmt)`: an empty file to fill, one column per form field.
- `run_import(kernel, model, source, filename=...)`: every row validated like a
  form, lookups by code or name, all-or-nothing (or `valid_only=True`), written
  in chunks of 1,000 with one executemany each; `start_import_job` runs it in a
  thread that a page polls with `import_job`.
- `error_report(result, fmt)`: the row errors of an import as a file.
- `export_rows(kernel, session, model, query, fmt)`: a list (`core.lists.ListQuery`:
  filters, order, columns; record rules included) streamed as file chunks;
  `export_stream(...)` the same with its own session, for a streaming response.
- `ImportCheck(model, fn)`: an addon's extra row checks (duplicates), returned by its
  `kehu_register_import_checks` hook.

Everything runs as the current actor (`core.context.acting_as`), so rights and
record rules apply; imports and exports go to the security log.
"""

from __future__ import annotations

from core.dataexchange.checks import ImportCheck
from core.dataexchange.exporting import export_filename, export_rows, export_stream
from core.dataexchange.importing import ImportResult, ImportRow, RowError, run_import
from core.dataexchange.jobs import ImportJob, import_job, start_import_job
from core.dataexchange.reports import error_report
from core.dataexchange.templates import template

FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "ImportCheck",
    "ImportJob",
    "ImportResult",
    "ImportRow",
    "RowError",
    "error_report",
    "export_filename",
    "export_rows",
    "export_stream",
    "import_job",
    "run_import",
    "start_import_job",
    "template",
]
