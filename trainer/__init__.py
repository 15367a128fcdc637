"""The coding trainer: practice on synthetic charts, graded line by line."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from flask import Flask

from .config import (
    DEFAULT_INSTANCE,
    PROJECT_ROOT,
    Defaults,
    database_url,
    ensure_secret_key,
    env_overrides,
)
from .core.pricing.drg import parse_base_rate


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory: defaults, then instance/config.py, then TRAINER_* environment.

    ``test_config`` replaces the file and environment layers, so tests never read the
    developer's instance folder or shell.
    """
    instance = Path(os.environ.get("TRAINER_INSTANCE_PATH") or DEFAULT_INSTANCE)
    app = Flask(
        __name__,
        instance_path=str(instance),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_object(Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(env_overrides())
    else:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(
        app.config.get("SQLALCHEMY_DATABASE_URI"), Path(app.instance_path)
    )
    # A mistyped base rate stops the start-up with its reason rather than pricing wrongly.
    app.config["DRG_BASE_RATE"] = parse_base_rate(app.config["DRG_BASE_RATE"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = ensure_secret_key(Path(app.instance_path))
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    if app.config.get("HTTPS"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True

    # Building the app imports and allocates the framework (models, blueprints, SQLAlchemy's
    # structures), all of it kept: the collector's automatic passes over it freed ~600 objects
    # and cost 7-11% of the build (measured), so it pauses until the app is built.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _build(app)
    finally:
        if collecting:
            gc.enable()
    # Everything imported and built so far lives as long as the process: move it out of the
    # collector's generations, so the collections that request-time allocations trigger (a
    # report builds tens of thousands of tuples) do not rescan the whole framework each time.
    gc.freeze()
    return app


def _build(app: Flask) -> None:
    """Extensions, the domain, the blueprints and the CLI on ``app``."""
    from . import database, domain, extensions, web

    extensions.db.init_app(app)
    with app.app_context():
        database.configure_sqlite(extensions.db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    database.defer_migrations(app)
    extensions.csrf.init_app(app)
    domain.init_app(app)
    web.init_app(app)
    _keep_compiled_pages(app)

    from . import cli

    cli.init_app(app)


def _keep_compiled_pages(app: Flask) -> None:
    """Keep compiled page templates between processes (Jinja's bytecode cache, written
    atomically): a fresh worker's first request to a large page, such as an update's "what
    changed", otherwise spends a few hundred milliseconds compiling it."""
    from jinja2 import FileSystemBytecodeCache

    folder = Path(app.instance_path) / "jinja-cache"
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return  # a read-only instance folder: compile in each process, as before
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(folder))
