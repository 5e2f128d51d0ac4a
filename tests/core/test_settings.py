"""Settings come from the packaged defaults, the instance's kehu.toml and KEHU_* variables;
bad ones name the key."""

from __future__ import annotations

import pytest

from core.settings import SettingsError, load_settings


def test_defaults_come_from_the_project_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KEHU_DATABASE_URL", raising=False)
    monkeypatch.delenv("KEHU_DIVISIONS", raising=False)
    settings = load_settings()
    assert settings.port == 8069
    assert settings.database_url == "sqlite:///kehu.db"
    # Run from the checkout, the instance folder is the checkout's var/.
    assert settings.resolved_database_url.endswith("/var/kehu.db")
    assert {d.code for d in settings.divisions} >= {"HQ"}


def test_environment_overrides_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHU_PORT", "9000")
    monkeypatch.setenv("KEHU_LOCALE", "en")
    settings = load_settings()
    assert (settings.port, settings.locale) == (9000, "en")


@pytest.mark.parametrize(
    ("variable", "value", "key"),
    [
        ("KEHU_PORT", "eighty", "port"),
        ("KEHU_LOCALE", "fr", "locale"),
        ("KEHU_DATABASE_URL", "mysql://x", "database_url"),
        ("KEHU_DIVISIONS", '[{"code": "bad code!", "name": "X"}]', "divisions.0.code"),
    ],
)
def test_invalid_setting_names_the_key(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, key: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=f"'{key}'"):
        load_settings()


def test_unknown_key_in_the_file_is_refused(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "kehu.toml"
    config.write_text('databse_url = "sqlite:///x.db"\n', encoding="utf-8")
    monkeypatch.setenv("KEHU_CONFIG", str(config))
    with pytest.raises(SettingsError, match="'databse_url'"):
        load_settings()


def test_a_named_config_file_that_does_not_exist_is_an_error(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEHU_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(SettingsError, match="missing.toml, which does not exist"):
        load_settings()


def test_the_instance_file_overrides_the_packaged_defaults(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KEHU_CONFIG", raising=False)
    monkeypatch.delenv("KEHU_PORT", raising=False)
    monkeypatch.delenv("KEHU_DIVISIONS", raising=False)
    monkeypatch.setenv("KEHU_HOME", str(tmp_path))
    (tmp_path / "kehu.toml").write_text("port = 9100\n", encoding="utf-8")
    settings = load_settings()
    assert settings.port == 9100
    assert settings.home == tmp_path.resolve()
    assert settings.path(settings.secret_key_file) == tmp_path.resolve() / "secret.key"
    assert {d.code for d in settings.divisions} >= {"HQ"}  # still from the package


def test_unknown_variables_are_reported_with_a_guess() -> None:
    from core.settings import unknown_variables

    messages = unknown_variables({"KEHU_PORTT": "9000", "KEHU_PORT": "1", "KEHU_TEST_DBS": "x",
                                  "KEHU_DIVISIONS__0__CODE": "HQ", "PATH": "/bin"})
    assert messages == ["unknown environment variable KEHU_PORTT is ignored "
                        "(did you mean KEHU_PORT?)"]
