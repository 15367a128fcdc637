"""Configuration layers: defaults, instance/config.py, TRAINER_* environment, DATABASE_URL."""

from pathlib import Path

from trainer.config import database_url, env_overrides


def test_environment_overrides_are_prefixed_and_typed():
    found = env_overrides(
        {
            "TRAINER_LOGIN_MAX_FAILURES": "3",
            "TRAINER_HTTPS": "true",
            "TRAINER_SECRET_KEY": "abc",
            "OTHER": "x",
        }
    )
    assert found == {"LOGIN_MAX_FAILURES": 3, "HTTPS": True, "SECRET_KEY": "abc"}


def test_database_url_selects_the_database():
    found = env_overrides({"DATABASE_URL": "postgresql+psycopg://u:p@h/db"})
    assert found["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@h/db"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path: Path):
    assert database_url(None, tmp_path) == f"sqlite:///{tmp_path / 'trainer.sqlite'}"


def test_plain_postgres_urls_use_psycopg3(tmp_path: Path):
    assert database_url("postgres://u@h/d", tmp_path) == "postgresql+psycopg://u@h/d"
    assert database_url("postgresql://u@h/d", tmp_path) == "postgresql+psycopg://u@h/d"


def test_instance_config_file_is_read(tmp_path, monkeypatch, codeset_index):
    from trainer import create_app

    (tmp_path / "config.py").write_text("LOGIN_MAX_FAILURES = 9\nSECRET_KEY = 'from-file'\n")
    monkeypatch.setenv("TRAINER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("TRAINER_LOGIN_LOCK_MINUTES", "7")
    app = create_app()
    assert app.config["LOGIN_MAX_FAILURES"] == 9
    assert app.config["LOGIN_LOCK_MINUTES"] == 7
    assert app.config["SECRET_KEY"] == "from-file"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith(f"{tmp_path}/trainer.sqlite")


def test_https_setting_makes_cookies_secure(tmp_path, monkeypatch):
    from trainer import create_app

    monkeypatch.setenv("TRAINER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("TRAINER_HTTPS", "1")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
