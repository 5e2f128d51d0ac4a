"""Addons: manifests, discovery, dependency order and per-division hook calls."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import logging
import pkgutil
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version
from pydantic import BaseModel, Field, field_validator

from core import hookspecs
from core.i18n import _

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "kehu.addons"
NAME_PATTERN = r"^[a-z][a-z0-9_]{1,62}$"
_DEPENDENCY = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(.*?)\s*$")


class AddonError(Exception):
    """An addon cannot be loaded, installed or removed; the message says why."""


class Manifest(BaseModel):
    """What an addon declares about itself."""

    model_config = {"frozen": True, "extra": "forbid"}

    name: str = Field(pattern=NAME_PATTERN)
    version: str
    summary: str
    depends: list[str] = Field(default_factory=list)
    category: str = "Other"
    author: str = ""
    # The addon's own hook specifications: a module of its package ("hookspecs" →
    # <package>.hookspecs) whose `@hookspec` functions other addons may implement.
    hookspecs: str | None = Field(default=None, pattern=r"^[a-z_][a-z0-9_.]*$")

    @field_validator("version")
    @classmethod
    def _valid_version(cls, value: str) -> str:
        try:
            Version(value)
        except InvalidVersion:
            raise ValueError(f"'{value}' is not a version such as 1.2.0") from None
        return value

    @field_validator("depends")
    @classmethod
    def _valid_depends(cls, values: list[str]) -> list[str]:
        for value in values:
            Dependency.parse(value)
        return values

    def dependencies(self) -> list[Dependency]:
        """The parsed `depends` entries."""
        return [Dependency.parse(value) for value in self.depends]


@dataclass(frozen=True)
class Dependency:
    """One `depends` entry: an addon name and an optional version range."""

    name: str
    specifier: SpecifierSet

    @classmethod
    def parse(cls, text: str) -> Dependency:
        match = _DEPENDENCY.match(text)
        if not match:
            raise ValueError(f"'{text}' is not an addon name with an optional version range")
        try:
            return cls(match.group(1), SpecifierSet(match.group(2)))
        except InvalidSpecifier:
            raise ValueError(f"'{text}' has an invalid version range") from None

    def accepts(self, version: str) -> bool:
        return self.specifier.contains(version, prereleases=True)


@dataclass
class AddonSpec:
    """A discovered addon: where it comes from and whether it loaded."""

    name: str
    module_name: str
    origin: str
    path: Path | None = None
    module: ModuleType | None = None
    manifest: Manifest | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.manifest is not None

    @property
    def migrations_dir(self) -> Path | None:
        if self.path is None:
            return None
        folder = self.path / "migrations"
        return folder if folder.is_dir() else None


def _locate(module_name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _load(spec: AddonSpec, *, rename: bool = False) -> None:
    """Import the addon's package; with `rename`, take the name its manifest declares."""
    spec.path = _locate(spec.module_name)
    try:
        module = importlib.import_module(spec.module_name)
    except Exception as error:  # noqa: BLE001 - one broken addon must not stop the others
        spec.error = f"cannot import {spec.module_name}: {type(error).__name__}: {error}"
        log.warning("addon %s failed to import\n%s", spec.name, traceback.format_exc())
        return
    manifest = getattr(module, "manifest", None)
    if not isinstance(manifest, Manifest):
        spec.error = f"{spec.module_name} has no `manifest = Manifest(...)`"
        return
    if rename:
        spec.name = manifest.name
    elif manifest.name != spec.name:
        spec.error = f"{spec.module_name} declares name '{manifest.name}', expected '{spec.name}'"
        return
    spec.module, spec.manifest = module, manifest


def _from_folder(folder: Path) -> dict[str, AddonSpec]:
    found: dict[str, AddonSpec] = {}
    if not folder.is_dir():
        log.warning("addons path %s is not a folder", folder)
        return found
    if str(folder) not in sys.path:
        sys.path.append(str(folder))
    for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda i: i.name):
        if info.ispkg:
            # A folder's package `kehu_x` may declare the addon `x`.
            spec = AddonSpec(info.name, info.name, f"folder {folder}")
            _load(spec, rename=True)
            found[spec.name] = spec
    return found


def discover(
    *, builtin_package: str = "addons", addons_path: Iterable[Path] = ()
) -> dict[str, AddonSpec]:
    """Find the built-in addons, those in `addons_path`, and those under `kehu.addons`."""
    found: dict[str, AddonSpec] = {}
    package = importlib.import_module(builtin_package)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.ispkg:
            found[info.name] = AddonSpec(info.name, f"{builtin_package}.{info.name}", "built-in")
    for folder in addons_path:
        for name, spec in _from_folder(Path(folder)).items():
            found.setdefault(name, spec)
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        origin = f"package {entry.dist.name}" if entry.dist else "entry point"
        if entry.name in found:
            log.warning("addon %s from %s ignored: the name is taken", entry.name, origin)
            continue
        found[entry.name] = AddonSpec(entry.name, entry.value, origin)
    for spec in found.values():
        if spec.module is not None or spec.error is not None:
            continue  # loaded already (from a folder)
        if not re.match(NAME_PATTERN, spec.name):
            spec.error = f"'{spec.name}' is not a valid addon name"
            continue
        _load(spec)
    return found


def resolve_order(catalog: Mapping[str, AddonSpec], wanted: Iterable[str]) -> list[str]:
    """`wanted` and their dependencies, each after what it depends on.

    Raises AddonError naming a missing or broken dependency, a version that
    does not fit, or the addons that form a cycle.
    """
    order: list[str] = []
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in done:
            return
        if name in path:
            cycle = path[path.index(name):] + [name]
            raise AddonError(_("dependency cycle: {cycle}").format(cycle=" → ".join(cycle)))
        spec = catalog.get(name)
        if spec is None:
            if path:
                raise AddonError(
                    _("addon '{name}' is not available (required by {parent})").format(
                        name=name, parent=path[-1]
                    )
                )
            raise AddonError(_("addon '{name}' is not available").format(name=name))
        if not spec.ok or spec.manifest is None:
            raise AddonError(
                _("addon '{name}' cannot be used: {reason}").format(name=name, reason=spec.error)
            )
        for dependency in spec.manifest.dependencies():
            target = catalog.get(dependency.name)
            if target is not None and target.manifest is not None and not dependency.accepts(
                target.manifest.version
            ):
                raise AddonError(
                    _("addon '{name}' needs {wanted}, but version {version} is available").format(
                        name=name,
                        wanted=f"{dependency.name}{dependency.specifier}",
                        version=target.manifest.version,
                    )
                )
            visit(dependency.name, [*path, name])
        done.add(name)
        order.append(name)

    for name in sorted(set(wanted)):
        visit(name, [])
    return order


def dependents(catalog: Mapping[str, AddonSpec], name: str, among: Iterable[str]) -> list[str]:
    """The addons in `among` that depend on `name`, directly or not."""
    among = list(among)
    result: list[str] = []
    frontier = {name}
    changed = True
    while changed:
        changed = False
        for other in among:
            spec = catalog.get(other)
            if other in result or spec is None or spec.manifest is None:
                continue
            if {d.name for d in spec.manifest.dependencies()} & frontier:
                result.append(other)
                frontier.add(other)
                changed = True
    return result


@dataclass
class Registry:
    """The addons of one process: which are installed, and hooks per division."""

    catalog: dict[str, AddonSpec]
    installed: list[str]
    enabled: dict[int, frozenset[str]] = field(default_factory=dict)
    pm: pluggy.PluginManager = field(init=False)
    reload: Callable[[], dict[int, frozenset[str]]] | None = None
    max_age: float = 5.0
    loaded_at: float = 0.0
    _subsets: dict[tuple[int, str], Any] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.pm = pluggy.PluginManager("kehu")
        self.pm.add_hookspecs(hookspecs)
        from core import kernel_hooks

        # The kernel first, so it runs after every addon (last registered first).
        self.pm.register(kernel_hooks, name="core")
        for name in self.installed:
            self._add_hookspecs(name)
        # Registered in dependency order: pluggy calls the last registered
        # first, so dependents run before their dependencies.
        for name in self.installed:
            module = self.catalog[name].module
            if module is not None:
                self.pm.register(module, name=name)

    def _add_hookspecs(self, name: str) -> None:
        """Declare the hooks an installed addon owns (its manifest's `hookspecs` module)."""
        spec = self.catalog[name]
        if spec.manifest is None or spec.manifest.hookspecs is None:
            return
        module_name = f"{spec.module_name}.{spec.manifest.hookspecs}"
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            raise AddonError(f"addon '{name}' declares hookspecs {module_name}, which cannot "
                             f"be imported: {error}") from None
        owned = [n for n in dir(module) if n.startswith("kehu_")]
        taken = [n for n in owned if self.pm.hook.__dict__.get(n) is not None
                 and getattr(self.pm.hook, n).spec is not None]
        if taken:
            raise AddonError(f"addon '{name}' declares hooks that exist already: "
                             f"{', '.join(sorted(taken))}")
        self.pm.add_hookspecs(module)

    @property
    def hook(self) -> Any:
        """Hooks of every installed addon (start-up registration)."""
        return self.pm.hook

    def manifest(self, name: str) -> Manifest:
        spec = self.catalog[name]
        assert spec.manifest is not None, f"{name} is loaded"
        return spec.manifest

    def enabled_for(self, division_id: int | None) -> frozenset[str]:
        """The addons a division has switched on (all installed for None).

        Re-read from the database when older than `max_age` seconds, so every
        worker of a running server follows `kehu addons enable/disable`.
        """
        if division_id is None:
            return frozenset(self.installed)
        if self.reload is not None and time.monotonic() - self.loaded_at > self.max_age:
            self.set_enabled(self.reload())
        return self.enabled.get(division_id, frozenset())

    def set_enabled(self, enabled: dict[int, frozenset[str]]) -> None:
        """Replace what each division enables (and forget cached hook subsets)."""
        if enabled != self.enabled:
            self._subsets.clear()
        self.enabled = enabled
        self.loaded_at = time.monotonic()

    def hooks_for(self, division_id: int | None) -> DivisionHooks:
        """Hook callers restricted to the addons enabled for `division_id`."""
        return DivisionHooks(self, division_id)

    def call_addon(self, name: str, hook_name: str, **kwargs: Any) -> Any:
        """Call one addon's own implementation of a hook, if it has one."""
        module = self.catalog[name].module
        function = getattr(module, hook_name, None)
        if function is None:
            return None
        caller = getattr(self.pm.hook, hook_name)
        for impl in caller.get_hookimpls():
            if impl.plugin_name == name:
                args = {key: kwargs[key] for key in impl.argnames}
                return impl.function(**args)
        return None

    def collect(self, hook_name: str) -> list[tuple[str, Any]]:
        """Each installed addon's contribution to a register_* hook, by addon name."""
        caller = getattr(self.pm.hook, hook_name)
        result = []
        for impl in reversed(caller.get_hookimpls()):  # dependency order
            for item in impl.function() or []:
                result.append((impl.plugin_name, item))
        return result

    def _subset(self, division_id: int, hook_name: str) -> Any:
        key = (division_id, hook_name)
        if key not in self._subsets:
            allowed = self.enabled_for(division_id)
            removed = [
                self.pm.get_plugin(name) for name in self.installed if name not in allowed
            ]
            self._subsets[key] = self.pm.subset_hook_caller(hook_name, removed)
        return self._subsets[key]


@dataclass(frozen=True)
class DivisionHooks:
    """`registry.hooks_for(division).kehu_x(...)` calls only enabled addons."""

    registry: Registry
    division_id: int | None

    def __getattr__(self, hook_name: str) -> Any:
        if not hook_name.startswith("kehu_"):
            raise AttributeError(hook_name)
        if self.division_id is None:
            return getattr(self.registry.pm.hook, hook_name)
        return self.registry._subset(self.division_id, hook_name)
