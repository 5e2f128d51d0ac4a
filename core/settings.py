"""Settings: the defaults shipped in the package, the instance's kehu.toml, KEHU_* variables.

Layers, the later winning: core/config/kehu.toml (inside the package), then the
instance's own file (`$KEHU_CONFIG`, which must exist, else `<home>/kehu.toml`
when present), then `KEHU_*` environment variables.

The instance folder (`home`, `$KEHU_HOME`) holds the files of one installation:
the SQLite database, the secret key, attachments and logs. Relative paths in
the settings are taken from it. Without `$KEHU_HOME` it is the checkout's
`var/` when Kehu runs from a source checkout (`make run`), else `var/` of the
current folder (`home_is_default` tells the CLI to say so).
"""

from __future__ import annotations

import difflib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PACKAGE_ROOT = Path(__file__).resolve().parent
# The folder above the package: a source checkout, or site-packages once installed.
PROJECT_ROOT = PACKAGE_ROOT.parent
DEFAULTS_FILE = PACKAGE_ROOT / "config" / "kehu.toml"
INSTANCE_FILE_NAME = "kehu.toml"

# KEHU_* variables that are not settings but are read by a command.
OTHER_VARIABLES = {
    "KEHU_CONFIG": "the TOML file of this instance",
    "KEHU_ADMIN_PASSWORD": "password of the admin user `kehu init` creates",
    "KEHU_DEMO_PASSWORD": "password of the demo users",
    "KEHU_USER_PASSWORD": "password for `kehu user create`",
    "KEHU_DEBUG": "show tracebacks (like --debug)",
}
# Variables of the test suite and the benchmarks, not an operator's.
_TOOLING_PREFIXES = ("KEHU_TEST_", "KEHU_BENCH_", "KEHU_API_FUZZ", "KEHU_E2E_")


class SettingsError(Exception):
    """Raised when the configuration cannot be used; the message names the key."""


class DivisionConfig(BaseModel):
    """A division that `kehu init` creates, with the addons it enables."""

    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=128)
    addons: list[str] = Field(default_factory=list)
    # Users of the headquarters may be given rules that reach every division.
    headquarters: bool = False


class RateLimit(BaseModel):
    """A per-user token bucket of one expensive action (#22): `burst` requests at
    once, refilled at `per_minute`; `burst = 0` turns the limit off."""

    burst: int = Field(ge=0)
    per_minute: float = Field(ge=0)


# The actions a rate limit may apply to (core.api.ratelimit); ordinary reads and writes are not among them.
LimitedAction = Literal["export", "import", "report", "search", "login"]


def is_checkout() -> bool:
    """Whether Kehu runs from a source checkout (not an installed wheel)."""
    return (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "core").is_dir()


def default_home() -> Path:
    """The instance folder when $KEHU_HOME is not set."""
    if is_checkout():
        return PROJECT_ROOT / "var"
    return Path.cwd() / "var"


def home_is_default() -> bool:
    """True when neither $KEHU_HOME nor a checkout chose the instance folder."""
    return not os.environ.get("KEHU_HOME") and not is_checkout()


def _home_from_environment() -> Path:
    raw = os.environ.get("KEHU_HOME")
    return Path(raw).expanduser().resolve() if raw else default_home()


def config_path() -> Path | None:
    """The instance's TOML file: $KEHU_CONFIG (must exist), else <home>/kehu.toml if present."""
    named = os.environ.get("KEHU_CONFIG")
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise SettingsError(
                f"KEHU_CONFIG names {path}, which does not exist: "
                "create it or unset KEHU_CONFIG"
            )
        return path
    candidate = _home_from_environment() / INSTANCE_FILE_NAME
    return candidate if candidate.is_file() else None


class Settings(BaseSettings):
    """Every setting of a Kehu installation."""

    model_config = SettingsConfigDict(
        env_prefix="KEHU_", env_nested_delimiter="__", extra="forbid"
    )

    # The instance folder; relative paths below are taken from it.
    home: Path = Field(default_factory=default_home)
    database_url: str = "sqlite:///kehu.db"
    locale: Literal["zh_CN", "en"] = "zh_CN"
    host: str = "127.0.0.1"
    port: int = Field(default=8069, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    # Behind a TLS-terminating proxy: trust its X-Forwarded-* headers from these addresses.
    forwarded_allow_ips: str | None = None
    secret_key_file: Path = Path("secret.key")
    log_dir: Path = Path("log")
    # Uploaded files (attachments), outside the web root.
    data_dir: Path = Path("data")
    # Extra folders whose packages are addons (an integrator's work in progress).
    addons_path: list[Path] = Field(default_factory=list)
    # Jobs: "auto" runs them on the PostgreSQL queue (`kehu jobs worker`) when the
    # database is PostgreSQL, else inside `kehu serve`; "inprocess" or "queue" force one.
    jobs_runner: Literal["auto", "inprocess", "queue", "off"] = "auto"
    divisions: list[DivisionConfig] = Field(default_factory=list)
    # Rate limits of expensive actions ([limits.export] ...); an action not named is not limited.
    limits: dict[LimitedAction, RateLimit] = Field(default_factory=dict)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        scheme = value.partition(":")[0]
        if scheme not in ("sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg"):
            if scheme.startswith(("sqlite", "postgresql")):
                raise ValueError(f"unsupported driver '{scheme}': use sqlite:/// or "
                                 "postgresql+psycopg://")
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        return value

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @model_validator(mode="after")
    def _queue_needs_postgresql(self) -> Settings:
        if self.jobs_runner == "queue" and self.backend != "postgresql":
            raise ValueError("jobs_runner 'queue' needs a PostgreSQL database_url")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        instance = config_path()
        if instance is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=instance))
        sources.append(TomlConfigSettingsSource(settings_cls, toml_file=DEFAULTS_FILE))
        return tuple(sources)

    def path(self, relative: Path | str) -> Path:
        """An absolute path for a setting given relative to the instance folder."""
        candidate = Path(relative).expanduser()
        return candidate if candidate.is_absolute() else self.home / candidate

    @property
    def resolved_database_url(self) -> str:
        """The database URL with a relative SQLite path made absolute."""
        prefix = "sqlite:///"
        url = self.database_url
        if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
            return prefix + str(self.path(url[len(prefix):]))
        if url.startswith("postgresql://"):  # psycopg 3 is the driver Kehu ships with
            return "postgresql+psycopg://" + url[len("postgresql://"):]
        return url

    @property
    def backend(self) -> str:
        """"sqlite" or "postgresql"."""
        return "postgresql" if self.database_url.startswith("postgresql") else "sqlite"

    @property
    def queue_jobs(self) -> bool:
        """Whether jobs run on the PostgreSQL queue (else in-process, or not at all)."""
        if self.jobs_runner == "auto":
            return self.backend == "postgresql"
        return self.jobs_runner == "queue"


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(root)"
        lines.append(f"invalid setting '{key}': {item['msg']}")
    return "; ".join(lines)


def load_settings(**overrides: object) -> Settings:
    """Read the settings, raising SettingsError that names the offending key."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None
    except (OSError, ValueError) as error:  # unreadable or malformed TOML
        where = os.environ.get("KEHU_CONFIG") or _home_from_environment() / INSTANCE_FILE_NAME
        raise SettingsError(f"cannot read {where}: {error}") from None


def known_variables() -> set[str]:
    """The KEHU_* names an operator may set."""
    fields = {f"KEHU_{name.upper()}" for name in Settings.model_fields}
    return fields | set(OTHER_VARIABLES)


def unknown_variables(environ: dict[str, str] | Any = None) -> list[str]:
    """Messages for KEHU_* variables that no setting or command reads (typos)."""
    environ = os.environ if environ is None else environ
    known = known_variables()
    messages = []
    for name in sorted(environ):
        upper = name.upper()
        if not upper.startswith("KEHU_") or upper.startswith(_TOOLING_PREFIXES):
            continue
        if upper in known or upper.split("__", 1)[0] in known:
            continue
        guess = difflib.get_close_matches(upper, sorted(known), n=1)
        hint = f" (did you mean {guess[0]}?)" if guess else ""
        messages.append(f"unknown environment variable {name} is ignored{hint}")
    return messages


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
