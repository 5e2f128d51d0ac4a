"""`check_addon(name)`: the promises every addon keeps, checked in its own tests.

    # tests/addons/crm_credit/test_contract.py
    def test_contract():
        assert check_addon("crm_credit") == []

It boots a kernel on an empty in-memory database with the addon and what it
depends on, and reports: models without rights, views that name fields of
another model, record rules the kernel would refuse, and zh_CN / en messages
without translation.
"""

from __future__ import annotations

from typing import Any

from core.addons import discover, resolve_order
from core.fields import field_info
from core.kernel import Kernel, boot
from core.settings import load_settings
from core.testing.catalogs import manifest_texts, missing
from core.views import FormView, KanbanView, ListView, Section


def _kernel(name: str) -> Kernel:
    catalog = discover()
    settings = load_settings(database_url="sqlite:///:memory:", divisions=[])
    return boot(settings, installed=resolve_order(catalog, [name]))


def _view_fields(view: Any) -> list[Any]:
    if isinstance(view, ListView):
        return [*view.columns, *view.search, *view.group_by, *view.sums]
    if isinstance(view, FormView):
        fields: list[Any] = []
        for item in view.fields:
            fields.extend(item.fields if isinstance(item, Section) else [item])
        return fields
    if isinstance(view, KanbanView):
        return [view.column_by, *view.card]
    return []


def _view_problems(kernel: Kernel, name: str) -> list[str]:
    problems = []
    for addon, view in kernel.registry.collect("kehu_register_views"):
        if addon != name:
            continue
        for attribute in _view_fields(view):
            owner = getattr(attribute, "class_", None)
            if owner is not None and not issubclass(view.model, owner):
                problems.append(f"{type(view).__name__} of {view.model.__name__} names "
                                f"{owner.__name__}.{attribute.key}")
                continue
            try:
                field_info(attribute)
            except (AttributeError, IndexError):
                problems.append(f"{type(view).__name__} of {view.model.__name__} names "
                                f"{attribute!r}, which is not a field")
    return problems


def _rights_problems(kernel: Kernel, name: str) -> list[str]:
    return [
        f"{model.__name__} has no rights for any role (kehu_register_access)"
        for model in kernel.models.get(name, [])
        if not kernel.policy.rights.get(model)
    ]


def _catalog_problems(kernel: Kernel, name: str) -> list[str]:
    spec = kernel.catalog[name]
    if spec.path is None:
        return [f"{name}: no package folder"]
    problems = []
    for locale in ("zh_CN", "en"):
        for msgid in missing(spec.path, locale, extra=manifest_texts(spec)):
            problems.append(f"{locale}: no translation for {msgid!r}")
    return problems


def check_addon(name: str) -> list[str]:
    """Every broken promise of addon `name`, as sentences (empty when all hold)."""
    try:
        kernel = _kernel(name)
    except Exception as error:  # noqa: BLE001 - the failure itself is the report
        return [f"{name} does not start: {type(error).__name__}: {error}"]
    try:
        return [*_rights_problems(kernel, name), *_view_problems(kernel, name),
                *_catalog_problems(kernel, name)]
    finally:
        kernel.engine.dispose()
