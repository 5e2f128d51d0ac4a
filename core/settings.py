"""Settings from config/kehu.toml, overridable by KEHU_* environment variables."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(Exception):
    """Raised when the configuration cannot be used; the message names the key."""


class DivisionConfig(BaseModel):
    """A division that `kehu init` creates, with the addons it enables."""

    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=128)
    addons: list[str] = Field(default_factory=list)
    # Users of the headquarters may be given rules that reach every division.
    headquarters: bool = False


def config_path() -> Path:
    """The TOML file to read: $KEHU_CONFIG or config/kehu.toml of the project."""
    return Path(os.environ.get("KEHU_CONFIG") or PROJECT_ROOT / "config" / "kehu.toml")


class Settings(BaseSettings):
    """Every setting of a Kehu installation."""

    model_config = SettingsConfigDict(
        env_prefix="KEHU_", env_nested_delimiter="__", extra="forbid"
    )

    home: Path = PROJECT_ROOT
    database_url: str = "sqlite:///var/kehu.db"
    locale: Literal["zh_CN", "en"] = "zh_CN"
    host: str = "127.0.0.1"
    port: int = Field(default=8069, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    # Behind a TLS-terminating proxy: trust its X-Forwarded-* headers from these addresses.
    forwarded_allow_ips: str | None = None
    secret_key_file: Path = Path("var/secret.key")
    log_dir: Path = Path("var/log")
    # Uploaded files (attachments), outside the web root; relative to the project folder.
    data_dir: Path = Path("var/data")
    # Extra folders whose packages are addons (an integrator's work in progress).
    addons_path: list[Path] = Field(default_factory=list)
    divisions: list[DivisionConfig] = Field(default_factory=list)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "sqlite+", "postgresql:", "postgresql+")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_path())
        return (init_settings, env_settings, toml)

    def path(self, relative: Path | str) -> Path:
        """An absolute path for a setting given relative to the project folder."""
        candidate = Path(relative)
        return candidate if candidate.is_absolute() else self.home / candidate

    @property
    def resolved_database_url(self) -> str:
        """The database URL with a relative SQLite path made absolute."""
        prefix = "sqlite:///"
        url = self.database_url
        if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
            return prefix + str(self.path(url[len(prefix):]))
        return url


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
        raise SettingsError(f"cannot read {config_path()}: {error}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
