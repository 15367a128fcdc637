"""The ``trainer`` command: database, code-set index, demo data, template checks, serving.

Every command is also available as ``flask --app trainer <command>``.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
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


def ensure_index(force: bool = False, icd10cm_index: Path | None = None) -> None:
    """Build the compact code-set index once from the shipped CDC files; later starts reuse it
    (nothing is downloaded). ``icd10cm_index``: CDC's Alphabetic Index XML, when available."""
    from trainer.core.codesets.index_build import build_index, index_is_current

    path = _index_path()
    if not force and icd10cm_index is None and index_is_current(path):
        return
    click.echo(f"Building the code-set index at {path} (one time, under a minute)...")
    report = build_index(path, icd10cm_index)
    click.echo(f"  {report}")


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema and build the code-set index."""
    upgrade_schema()
    ensure_index()
    click.echo("Database is at the latest schema.")
    _precompute_refreshers()


def _precompute_refreshers() -> None:
    """Work out every code update's "what changed" and refresher set now, so no worker does
    it on a request (it renders every template variant on both sides of each update)."""
    import time

    from .domain import domain

    start = time.perf_counter()
    found = domain().refreshers()
    click.echo(
        f"Code-update refreshers ready ({len(found.updates)} updates, "
        f"{time.perf_counter() - start:.1f} s): {domain().refresher_file}"
    )


@click.command("build-index")
@click.option("--force", is_flag=True, help="Rebuild even when the index is current.")
@click.option(
    "--icd10cm-index",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CDC's ICD-10-CM Alphabetic Index XML (icd10cm_index_20xx.xml) to add to the search.",
)
@with_appcontext
def build_index_command(force: bool, icd10cm_index: Path | None) -> None:
    """(Re)build the code-set index: ICD-10-CM from the CDC files in trainer/data/icd10cm and
    the CMS tables in trainer/data/cms."""
    try:
        ensure_index(force, icd10cm_index)
    except ValueError as exc:  # not a CDC index file
        raise click.BadParameter(str(exc), param_hint="--icd10cm-index") from exc


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


def ensure_port_free(host: str, port: int) -> None:
    """Say plainly that the port is taken (and how to pick another) instead of letting
    gunicorn retry and print its own errors. Bound the way gunicorn binds (SO_REUSEADDR), so
    a port only in TIME_WAIT is not reported as busy."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            command = click.get_current_context().command_path
            reason = "is already in use" if exc.errno == errno.EADDRINUSE else f"fails: {exc}"
            raise click.ClickException(
                f"Port {port} on {host} {reason} (another server is running there?). Stop "
                f"that server, or choose a free port with --port, e.g. "
                f"'{command} --port {port + 1}'."
            ) from None


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
def serve_command(host: str, port: int, workers: int) -> None:
    """Serve with gunicorn (sync workers; two fit a 2-core machine)."""
    ensure_port_free(host, port)
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


def _masked_url() -> str:
    """The database URL with any password hidden, for the confirmation prompt."""
    return db.engine.url.render_as_string(hide_password=True)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--force", is_flag=True, help="Delete ALL data in the database and seed the demo afresh."
)
@click.option("--yes", is_flag=True, help="With --force: do not ask for confirmation.")
@with_appcontext
@click.pass_context
def demo_command(ctx: click.Context, host: str, port: int, force: bool, yes: bool) -> None:
    """Set up the database and index, seed demo data if empty, print log-ins, and serve."""
    ensure_port_free(host, port)  # before any slow step: a busy port is known at once
    if force:
        from .services.demo import wipe_database

        users = db.session.scalar(select(func.count(User.id))) if _has_schema() else 0
        if not yes:
            click.confirm(
                f"This deletes every table of {_masked_url()} ({users or 0} account(s) and all "
                "their work) and seeds the demo again. Continue?",
                abort=True,
            )
        wipe_database()
        click.echo("Database emptied; rebuilding it.")
    ctx.invoke(init_db_command)
    ctx.invoke(seed_demo_command)
    ctx.invoke(serve_command, host=host, port=port, workers=2)


def _has_schema() -> bool:
    from sqlalchemy import inspect

    return inspect(db.engine).has_table("users")


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
@click.option(
    "--report-1m-db",
    default="",
    help="An EMPTY database URL (e.g. PostgreSQL) for report_1m_ms; default a temporary "
    "SQLite file. Never the app's own DATABASE_URL: a million synthetic attempts go in.",
)
@with_appcontext
def bench_command(as_json: bool, quick: bool, report_1m_db: str) -> None:
    """Measure the figures the issues name (see README for the latest)."""
    import tempfile

    from trainer.perf.benchmark import (
        BenchResult,
        bench_cold_start,
        bench_updates_first_request,
        run_core_benchmarks,
    )

    from .domain import domain

    result = BenchResult()
    result.figures.update(run_core_benchmarks(domain().library, domain().catalog))
    with tempfile.TemporaryDirectory() as tmp:
        cold, rss = bench_cold_start(_index_path(), Path(tmp))
        result.figures["cold_start_s"] = cold
        result.figures["rss_mb"] = rss
        result.figures["updates_first_ms"] = bench_updates_first_request(_index_path(), Path(tmp))
        if not quick:
            from trainer.perf.pages import run_page_benchmarks, run_report_benchmark

            result.figures.update(run_page_benchmarks(_index_path(), Path(tmp), result.notes))
            result.figures.update(run_report_benchmark(Path(tmp), result.notes))
            from trainer.perf.report_scale import run_report_1m_benchmark

            result.figures.update(
                run_report_1m_benchmark(Path(tmp), result.notes, database_url=report_1m_db)
            )
    click.echo(result.json() if as_json else result.table())


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


@click.command("lti-send-grades")
@with_appcontext
def lti_send_grades_command() -> None:
    """Send LMS gradebook scores still owed (an LMS that was down) or changed since (review)."""
    from .services.lti.grades import send_outstanding

    summary = send_outstanding()
    click.echo(f"LTI grades: {summary.sent} sent, {summary.failed} still failing.")
    if summary.failed:
        raise SystemExit(1)


COMMANDS = (
    lti_send_grades_command,
    loadtest_command,
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
    from .cli_backup import COMMANDS as BACKUP_COMMANDS
    from .cli_migrations import MigrationsGroup
    from .cli_users import COMMANDS as USER_COMMANDS

    app.cli.add_command(MigrationsGroup("db", help="Database migrations (Flask-Migrate)."))
    for command in (*COMMANDS, *USER_COMMANDS, *BACKUP_COMMANDS):
        app.cli.add_command(command)


def _create() -> Flask:
    from . import create_app

    return create_app()


def main() -> None:
    """Console-script entry point: ``trainer <command>``."""
    FlaskGroup(create_app=_create, help="The coding trainer.")(prog_name="trainer")
