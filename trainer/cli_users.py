"""Account commands: ``trainer create-user``, ``set-role``, ``deactivate-user``.

They call ``services.people`` with no acting user (whoever runs the command has the server),
so the same rules and the same audit log apply as in the browser; the log names the actor
"command line".
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from .models import ROLES, User


def _named(username: str) -> User:
    from .services.people import user_named

    user = user_named(username)
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    return user


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="trainee", show_default=True)
@click.option("--name", "display_name", default="", help="Display name (default: USERNAME).")
@click.option("--email", default="")
@click.option(
    "--generate-password",
    is_flag=True,
    help="Print a one-time password (shown once) instead of prompting; the user must choose "
    "their own at first sign-in.",
)
@with_appcontext
def create_user_command(
    username: str, role: str, display_name: str, email: str, generate_password: bool
) -> None:
    """Create an account with ROLE; the password is prompted for, or generated and printed once."""
    from .services.people import PeopleError, create_account

    password = None
    if not generate_password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user, generated = create_account(None, username, role, display_name, email, password)
    except PeopleError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.username!r} ({user.role}).")
    if generated:
        click.echo(f"One-time password (shown once; changed at first sign-in): {generated}")


@click.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@with_appcontext
def set_role_command(username: str, role: str) -> None:
    """Give USERNAME the ROLE (trainee, supervisor or admin)."""
    from .services.people import PeopleError, set_role

    user = _named(username)
    try:
        set_role(None, user, role)
    except PeopleError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{user.username} is now {role}.")


@click.command("deactivate-user")
@click.argument("username")
@click.option("--reactivate", is_flag=True, help="Make the account active again.")
@with_appcontext
def deactivate_user_command(username: str, reactivate: bool) -> None:
    """Deactivate USERNAME (signed out everywhere, tokens stop; history kept), or reactivate."""
    from .services.people import PeopleError, set_active

    user = _named(username)
    try:
        set_active(None, user, reactivate)
    except PeopleError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{user.username} is {'active' if reactivate else 'deactivated'}.")


COMMANDS = (create_user_command, set_role_command, deactivate_user_command)
