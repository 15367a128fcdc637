"""Configuration: defaults here, then ``instance/config.py``, then ``TRAINER_*`` environment.

The order matters for deployments: an institution's IT sets secrets in the environment without
touching files, while a single-server install keeps everything in ``instance/``.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from .core.stats.mastery import ELITE, TARGET

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"


class Defaults:
    """Settings every install starts from."""

    SECRET_KEY: str | None = None  # generated into instance/secret_key when not configured
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {}
    SQLITE_BUSY_TIMEOUT_MS = 20_000
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # TRAINER_HTTPS=1 turns this on
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 8 * 3600  # a practice session lasts hours
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 512 * 1024
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    EXERCISES_DIR = str(PROJECT_ROOT / "exercises")
    CODESET_INDEX: str | None = None  # default: instance/codesets.sqlite
    ACCURACY_TARGET = TARGET
    ACCURACY_ELITE = ELITE
    HTTPS = False


def _coerce(raw: str) -> Any:
    """Read an environment value as JSON when it parses (numbers, booleans), else as text."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def env_overrides(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Collect ``TRAINER_*`` variables (prefix stripped) and ``DATABASE_URL``."""
    environ = dict(os.environ if environ is None else environ)
    found = {
        k[len("TRAINER_") :]: _coerce(v) for k, v in environ.items() if k.startswith("TRAINER_")
    }
    if environ.get("DATABASE_URL"):
        found["SQLALCHEMY_DATABASE_URI"] = environ["DATABASE_URL"]
    return found


def database_url(url: str | None, instance_path: Path) -> str:
    """Default to SQLite in the instance folder; read postgres:// URLs as psycopg 3 ones."""
    if not url:
        return f"sqlite:///{instance_path / 'trainer.sqlite'}"
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def ensure_secret_key(instance_path: Path) -> str:
    """Persist a random key in the instance folder so sessions survive restarts.

    Several app servers must share one key: they set TRAINER_SECRET_KEY instead.
    """
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
