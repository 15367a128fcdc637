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

from .core.pricing.drg import DEFAULT_BASE_RATE
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
    JSON_MAX_BYTES = 256 * 1024  # a claim with 50 lines is under 10 KB
    JSON_MAX_DEPTH = 16  # the deepest real body (a graded key) nests 5 levels
    # Failed log-ins on one account from one address before that address backs off (1 s,
    # 2 s, 4 s, ... at most LOGIN_BACKOFF_MAX_SECONDS); forgotten after the window.
    LOGIN_MAX_FAILURES = 5
    LOGIN_FAILURE_WINDOW_MINUTES = 15
    LOGIN_BACKOFF_MAX_SECONDS = 900
    # Failed log-ins from one address, over all accounts (Flask-Limiter syntax).
    LOGIN_ADDRESS_LIMIT = "20 per minute; 100 per hour"
    # Refused password changes per signed-in user (a stolen session cannot guess the current
    # password through the change form).
    PASSWORD_CHANGE_LIMIT = "10 per hour"
    # Wrong cohort join codes per signed-in user.
    JOIN_CODE_LIMIT = "5 per minute; 20 per hour"
    # Reverse proxies in front of the app that set X-Forwarded-For (nginx: 1). Without it every
    # request would seem to come from the proxy, and throttling by address would throttle all.
    PROXY_COUNT = 0
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_STRATEGY = "moving-window"
    EXERCISES_DIR = str(PROJECT_ROOT / "exercises")
    CODESET_INDEX: str | None = None  # default: instance/codesets.sqlite
    ACCURACY_TARGET = TARGET
    ACCURACY_ELITE = ELITE
    # The national IPPS base rate (operating + capital, dollars) an inpatient DRG difference is
    # priced at; the FY2026 final rule's by default (core/pricing/drg.py). A deployment sets
    # TRAINER_DRG_BASE_RATE to price at its own blended rate.
    DRG_BASE_RATE = str(DEFAULT_BASE_RATE)
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
