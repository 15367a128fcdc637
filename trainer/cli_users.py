"""Account commands: ``trainer create-user``, ``set-role``, ``deactivate-user``, and the API
token commands ``create-token``, ``list-tokens``, ``revoke-token``.

They call ``services.people`` with no acting user (whoever runs the command has the server),
so the same rules and the same audit log apply as in the browser; the log names the actor
"command line".
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .extensions import db
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


@click.command("create-token")
@click.argument("username")
@click.option("--name", default="client", help="What the token is for (e.g. the LMS).")
@click.option(
    "--expires-days", type=click.IntRange(1, 3650), default=None, help="Expire after N days."
)
@with_appcontext
def create_token_command(username: str, name: str, expires_days: int | None) -> None:
    """Create an API token for USERNAME; it is printed once and stored only as a hash."""
    from .services.tokens import TokenError, create_token

    try:
        click.echo(create_token(_named(username), name, expires_days))
    except TokenError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("list-tokens")
@click.argument("username", required=False)
@with_appcontext
def list_tokens_command(username: str | None) -> None:
    """List API tokens (all, or USERNAME's): id, owner, name, created, expiry, status."""
    from .models import ApiToken
    from .services.tokens import token_status

    query = select(ApiToken).order_by(ApiToken.id)
    if username:
        query = query.where(ApiToken.user_id == _named(username).id)
    rows = list(db.session.scalars(query))
    if not rows:
        click.echo("No API tokens.")
    for row in rows:
        expires = row.expires_at.strftime("%Y-%m-%d") if row.expires_at else "never"
        click.echo(
            f"{row.id:>5}  {row.user.username:<16} {row.name:<20} "
            f"{row.created_at:%Y-%m-%d}  expires {expires:<10}  {token_status(row)}"
        )


@click.command("revoke-token")
@click.argument("token_id", type=int)
@with_appcontext
def revoke_token_command(token_id: int) -> None:
    """Revoke the API token with TOKEN_ID (see list-tokens); clients using it get 401."""
    from .models import ApiToken
    from .services.tokens import revoke_token

    row = db.session.get(ApiToken, token_id)
    if row is None:
        raise click.ClickException(f"No token {token_id}.")
    # Whoever runs the CLI holds the server: they act with the owner's own authority.
    revoke_token(row.user, token_id)
    click.echo(f"Token {token_id} ({row.name!r} of {row.user.username}) revoked.")


COMMANDS = (
    create_user_command,
    set_role_command,
    deactivate_user_command,
    create_token_command,
    list_tokens_command,
    revoke_token_command,
)
