"""The ``trainer`` command: database, code-set index, demo data, template checks, serving.

Every command is also available as ``flask --app trainer <command>``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import func, select

from .database import upgrade_schema
from .extensions import db
from .models import User


def _index_path() -> Path:
    return Path(
        current_app.config.get("CODESET_INDEX")
        or Path(current_app.instance_path) / "codesets.sqlite"
    )


def ensure_index(force: bool = False) -> None:
    """Build the compact code-set index once; later starts reuse it (no download at run time)."""
    from trainer.core.codesets.index_build import build_index, index_is_current

    path = _index_path()
    if not force and index_is_current(path):
        return
    click.echo(f"Building the code-set index at {path} (one time, about a minute)...")
    report = build_index(path)
    click.echo(f"  {report}")


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema and build the code-set index."""
    upgrade_schema()
    ensure_index()
    click.echo("Database is at the latest schema.")


@click.command("build-index")
@click.option("--force", is_flag=True, help="Rebuild even when the index is current.")
@with_appcontext
def build_index_command(force: bool) -> None:
    """(Re)build the code-set index: ICD-10-CM and the shipped CMS tables (trainer/data/cms)."""
    ensure_index(force)


@click.command("create-admin")
@click.argument("username")
@click.option("--password", envvar="TRAINER_ADMIN_PASSWORD", help="Prompted when not given.")
@with_appcontext
def create_admin_command(username: str, password: str | None) -> None:
    """Create an administrator account (the first one is made this way)."""
    from .services.accounts import AccountError, create_user

    if not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        create_user(username, password, role="admin", display_name=username)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Administrator {username!r} created.")


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Seed even when users already exist.")
@with_appcontext
def seed_demo_command(force: bool) -> None:
    """Create demo accounts, a cohort and some practice history (synthetic, Faker)."""
    from .services.demo import DEMO_LOGINS, seed_demo

    has_users = db.session.scalar(select(func.count(User.id))) or 0
    if has_users and not force:
        click.echo("Users exist already; demo data not added (use --force to add anyway).")
    else:
        summary = seed_demo()
        click.echo(summary)
    print_logins(DEMO_LOGINS)


def print_logins(logins: list[tuple[str, str, str]]) -> None:
    click.echo("\nDemo log-ins (synthetic accounts; change or remove them before real use):")
    for role, username, password in logins:
        click.echo(f"  {role:<10} {username:<12} {password}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve_command(host: str, port: int, workers: int) -> None:
    """Serve with gunicorn (sync workers; two fit a 2-core machine)."""
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    args = [
        gunicorn,
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--no-control-socket",
        "--access-logfile",
        "-",
        "trainer:create_app()",
    ]
    click.echo(f"Serving on http://{host}:{port} (Ctrl+C stops)")
    os.execv(gunicorn, args)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.pass_context
def demo_command(ctx: click.Context, host: str, port: int) -> None:
    """Set up the database and index, seed demo data if empty, print log-ins, and serve."""
    ctx.invoke(init_db_command)
    ctx.invoke(seed_demo_command)
    ctx.invoke(serve_command, host=host, port=port, workers=2)


@click.group("exercises")
def exercises_group() -> None:
    """Chart templates."""


@exercises_group.command("check")
@click.option("--seeds", default=3, show_default=True, help="Seeds rendered per variant.")
@with_appcontext
def exercises_check_command(seeds: int) -> None:
    """Load, render and validate every template; exit 1 on any problem."""
    from trainer.core.content.templates import load_library
    from trainer.core.content.validation import check_library

    from .domain import domain

    library = load_library(Path(current_app.config["EXERCISES_DIR"]))
    report = check_library(library, domain().catalog, seeds_per_variant=seeds)
    click.echo(report.render())
    if report.problems:
        sys.exit(1)


@click.command("bench")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--quick", is_flag=True, help="Core figures only (no servers, no report).")
@with_appcontext
def bench_command(as_json: bool, quick: bool) -> None:
    """Measure the figures the issues name (see README for the latest)."""
    import tempfile

    from trainer.perf.benchmark import BenchResult, bench_cold_start, run_core_benchmarks

    from .domain import domain

    result = BenchResult()
    result.figures.update(run_core_benchmarks(domain().library, domain().catalog))
    with tempfile.TemporaryDirectory() as tmp:
        cold, rss = bench_cold_start(_index_path(), Path(tmp))
        result.figures["cold_start_s"] = cold
        result.figures["rss_mb"] = rss
        if not quick:
            from trainer.perf.pages import run_page_benchmarks, run_report_benchmark

            result.figures.update(run_page_benchmarks(_index_path(), Path(tmp), result.notes))
            result.figures.update(run_report_benchmark(Path(tmp), result.notes))
    click.echo(result.json() if as_json else result.table())


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """Copy the SQLite database to TARGET while the app keeps running."""
    from .backup import BackupError, backup

    try:
        backup(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up to {target}")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="Replace the current database with this backup?")
@with_appcontext
def restore_command(source: Path) -> None:
    """Replace the SQLite database with SOURCE (stop the app servers first)."""
    from .backup import BackupError, restore

    db.engine.dispose()
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], source)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored from {source}")


@click.command("loadtest")
@click.option("--users", default=50, show_default=True)
@click.option("--seconds", default=60, show_default=True)
@click.option("--database-url", default=None, help="PostgreSQL URL (default: a temp SQLite).")
@with_appcontext
def loadtest_command(users: int, seconds: int, database_url: str | None) -> None:
    """Simulated trainees against gunicorn on loopback; prints errors and p95 latency."""
    import json

    from trainer.perf.loadtest import run_loadtest

    from .domain import domain

    result = run_loadtest(
        _index_path(), database_url, users, seconds, domain().library.specialties()
    )
    click.echo(json.dumps(result, indent=2))
    if result["failures"]:
        sys.exit(1)


@click.command("create-token")
@click.argument("username")
@click.option("--name", default="client", help="What the token is for (e.g. the LMS).")
@with_appcontext
def create_token_command(username: str, name: str) -> None:
    """Create an API token for USERNAME; it is printed once and stored only as a hash."""
    from .services.tokens import create_token

    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    click.echo(create_token(user, name))


COMMANDS = (
    create_token_command,
    loadtest_command,
    backup_command,
    restore_command,
    bench_command,
    init_db_command,
    build_index_command,
    create_admin_command,
    seed_demo_command,
    serve_command,
    demo_command,
    exercises_group,
)


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def _create() -> Flask:
    from . import create_app

    return create_app()


def main() -> None:
    """Console-script entry point: ``trainer <command>``."""
    FlaskGroup(create_app=_create, help="The coding trainer.")(prog_name="trainer")
