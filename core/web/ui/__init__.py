"""Generated pages for every model with views: list, form, lookups (#5)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from core.web.ui import actions, chatter, exchange, forms, kanban, listing


def ui_routes() -> list[BaseRoute]:
    """The routes of the generated pages, under /m/<model key>."""
    from core.web.attachments import attachment_routes

    return [
        *attachment_routes(),
        Route("/m/{key}", listing.list_page, name="model_list"),
        Route("/m/{key}/lookup", listing.lookup, name="model_lookup"),
        Route("/m/{key}/bulk", listing.bulk_action, methods=["POST"], name="model_bulk"),
        Route("/m/{key}/filters", listing.save_filter, methods=["POST"], name="model_save_filter"),
        Route("/m/{key}/filters/{filter_id:int}/delete", listing.delete_filter, methods=["POST"],
              name="model_delete_filter"),
        Route("/m/{key}/kanban", kanban.kanban_page, name="model_kanban"),
        Route("/m/{key}/export.{fmt}", exchange.export_list, name="model_export"),
        Route("/m/{key}/import", exchange.import_page, methods=["GET", "POST"],
              name="model_import"),
        Route("/m/{key}/import/template.{fmt}", exchange.import_template,
              name="model_import_template"),
        Route("/m/{key}/import/{job_id}", exchange.import_status, name="model_import_status"),
        Route("/m/{key}/import/{job_id}/errors.{fmt}", exchange.import_errors,
              name="model_import_errors"),
        Route("/m/{key}/{record_id:int}/move", kanban.move_card, methods=["POST"],
              name="model_move"),
        Route("/m/{key}/new", forms.form_page, name="model_new"),
        Route("/m/{key}/new", forms.save_form, methods=["POST"], name="model_create"),
        Route("/m/{key}/{record_id:int}", forms.form_page, name="model_record"),
        Route("/m/{key}/{record_id:int}", forms.save_form, methods=["POST"], name="model_update"),
        Route("/m/{key}/{record_id:int}/delete", forms.delete_record, methods=["POST"],
              name="model_delete"),
        Route("/m/{key}/{record_id:int}/note", chatter.add_entry, methods=["POST"],
              name="model_note"),
        Route("/m/{key}/{record_id:int}/activity", chatter.add_entry, methods=["POST"],
              name="model_activity"),
        Route("/m/{key}/{record_id:int}/activities/{activity_id:int}/done", chatter.add_entry,
              methods=["POST"], name="model_activity_done"),
        Route("/m/{key}/{record_id:int}/why", chatter.why_page, name="model_why"),
        Route("/m/{key}/{record_id:int}/do/{name}", actions.run_action, methods=["POST"],
              name="model_action"),
        Route("/m/{key}/{record_id:int}/status", actions.set_status, methods=["POST"],
              name="model_status"),
    ]
