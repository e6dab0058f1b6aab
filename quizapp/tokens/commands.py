"""CLI: ``flask --app wsgi create-token --email ... --name ... --scope learner|instructor``,
``revoke-token --email ... (--name ... | --id N)`` and ``list-tokens --email ...``."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from quizapp.db import get_db
from quizapp.models import TOKEN_SCOPES
from quizapp.services import tokens as svc
from quizapp.services.accounts import find_user


def _user(session, email: str):
    user = find_user(session, email)
    if user is None:
        raise click.ClickException(f"no account with e-mail {email}")
    return user


@click.command("create-token")
@with_appcontext
@click.option("--email", required=True, help="The account the token acts for.")
@click.option("--name", required=True, help="What the token is for (shown on the settings page).")
@click.option("--scope", type=click.Choice(TOKEN_SCOPES), default="learner", show_default=True)
def create_token_command(email: str, name: str, scope: str) -> None:
    """Create a personal API token and print it once (only its hash is stored)."""
    try:
        with get_db().write() as session:
            row, secret = svc.create_token(session, _user(session, email), name, scope)
            token_id = row.id
    except svc.TokenError as err:
        raise click.ClickException(err.message_en) from None
    click.echo(f"created token {token_id} ({scope}) for {email}; it is shown only now:", err=True)
    click.echo(secret)


@click.command("revoke-token")
@with_appcontext
@click.option("--email", required=True)
@click.option("--name", help="Revoke the active tokens with this name.")
@click.option("--id", "token_id", type=int, help="Revoke the token with this id.")
def revoke_token_command(email: str, name: str | None, token_id: int | None) -> None:
    """Revoke a token by name or id; it stops working at once."""
    if (name is None) == (token_id is None):
        raise click.UsageError("give exactly one of --name and --id")
    with get_db().write() as session:
        user = _user(session, email)
        if token_id is not None:
            row = svc.revoke_token(session, user.id, token_id)
            count = 0 if row is None else 1
        else:
            count = svc.revoke_by_name(session, user.id, name)
    if count == 0:
        raise click.ClickException("no such active token")
    click.echo(f"revoked {count} token(s) of {email}")


@click.command("list-tokens")
@with_appcontext
@click.option("--email", required=True)
def list_tokens_command(email: str) -> None:
    """List a user's tokens (never the secrets, which are not stored)."""
    with get_db().sessions() as session:
        for row in svc.tokens_of(session, _user(session, email).id):
            state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "active"
            used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
            click.echo(f"{row.id}\t{row.name}\t{row.scope}\t{state}\tlast used {used} UTC")


def init_app(app: Flask) -> None:
    for command in (create_token_command, revoke_token_command, list_tokens_command):
        app.cli.add_command(command)
