"""Operator commands: ``flask --app wsgi setup``, ``create-admin`` and ``backup``."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from quizapp.backup import BackupError, backup
from quizapp.db import get_db
from quizapp.schema import current_revision, upgrade
from quizapp.services.accounts import EmailTaken, create_user, looks_like_email
from quizapp.services.passwords import password_problem
from quizapp.services.templates import load_builtin_templates
from quizapp.tokens import commands as token_commands


@click.command("setup")
@with_appcontext
def setup_command() -> None:
    """Create the instance folder, migrate the database, load the built-in templates.

    Safe to run again: migrations and template loading skip what is already there.
    """
    os.makedirs(current_app.instance_path, exist_ok=True)
    db = get_db()
    upgrade(db)
    click.echo(f"database: {db.engine.url.render_as_string()} at revision {current_revision(db)}")
    with db.write() as session:
        report = load_builtin_templates(session)
    click.echo(f"built-in templates: {report.inserted} added, {report.unchanged} unchanged")


@click.command("create-admin")
@with_appcontext
@click.option("--email", required=True)
@click.option("--display-name", default="管理者", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_admin_command(email: str, display_name: str, password_stdin: bool) -> None:
    """Create an administrator account (for example the first one)."""
    if not looks_like_email(email):
        raise click.ClickException(f"not an e-mail address: {email}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(
        password, min_length=current_app.config["PASSWORD_MIN_LENGTH"], email=email
    )
    if problem:
        raise click.ClickException(f"password refused: {problem.replace('_', ' ')}")
    password_hash = current_app.extensions["quizapp.hasher"].hash(password)
    try:
        with get_db().write() as session:
            create_user(session, email=email, display_name=display_name, password_hash=password_hash,
                        role="admin")
    except EmailTaken:
        raise click.ClickException(f"an account with e-mail {email} already exists") from None
    click.echo(f"created admin {email}")


@click.command("backup")
@with_appcontext
@click.option("--to", "target", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The backup file to write (replaced only once the copy is complete).")
def backup_command(target: str) -> None:
    """An online backup of the database while the service runs (docs/deploy.md)."""
    try:
        click.echo(backup(current_app.config["DATABASE_URL"], Path(target)))
    except BackupError as err:
        raise click.ClickException(str(err)) from None


def init_app(app: Flask) -> None:
    app.cli.add_command(setup_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(backup_command)
    token_commands.init_app(app)  # create-token, revoke-token, list-tokens
