"""``trainer backup`` and ``trainer restore``: the SQLite database copied while the app runs,
and put back with the app servers stopped (the work is in ``trainer.backup``).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .extensions import db


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


COMMANDS = (backup_command, restore_command)
