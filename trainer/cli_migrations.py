"""``trainer db``: Flask-Migrate's commands, loaded on demand."""

from __future__ import annotations

from typing import Any

import click


class MigrationsGroup(click.Group):
    """``trainer db ...``: Flask-Migrate's own command group, imported only when ``db`` is
    asked for (importing it imports Alembic; the app registers Flask-Migrate on first use:
    ``database.DeferredMigrations``). The real group parses the arguments and runs."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        from flask_migrate.cli import db as commands

        return commands.make_context(info_name, args, parent=parent, **extra)
