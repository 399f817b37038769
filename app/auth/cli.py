"""`flask --app wsgi create-user`: create a real account (password asked, never echoed)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.auth.models import ROLES
from app.auth.passwords import password_problems
from app.auth.services import create_user, find_user
from app.core import audit
from app.extensions import db
from app.rosters.models import Kader, Puskesmas, Wilayah


@click.command("create-user")
@click.option("--username", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--full-name", required=True)
@click.option("--kabupaten", help="Kemendagri code of the kabupaten (dinkes), e.g. 33.29")
@click.option("--puskesmas", help="Puskesmas code (fasilitator)")
@click.option("--kader-nik", help="NIK of the kader record (kader)")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input")
@with_appcontext
def create_user_command(
    username: str,
    role: str,
    full_name: str,
    kabupaten: str | None,
    puskesmas: str | None,
    kader_nik: str | None,
    password_stdin: bool,
) -> None:
    """Create an account for ROLE with its scope."""
    if find_user(username):
        raise click.ClickException(f"username {username!r} already exists")
    kabupaten_code = puskesmas_id = kader_id = None
    if role == "dinkes":
        wil = db.session.get(Wilayah, kabupaten or "")
        if wil is None or wil.level != "kabupaten":
            raise click.ClickException("dinkes needs --kabupaten with a known kabupaten code")
        kabupaten_code = wil.code
    elif role == "fasilitator":
        pkm = db.session.scalar(select(Puskesmas).where(Puskesmas.code == (puskesmas or "")))
        if pkm is None:
            raise click.ClickException("fasilitator needs --puskesmas with a known Puskesmas code")
        puskesmas_id = pkm.id
    elif role == "kader":
        kader = db.session.scalar(select(Kader).where(Kader.nik == (kader_nik or "")))
        if kader is None:
            raise click.ClickException("kader needs --kader-nik with a known kader NIK")
        kader_id = kader.id
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problems = password_problems(password, username, role)
    if problems:
        raise click.ClickException("password rejected: " + ", ".join(problems))
    user = create_user(
        username=username,
        password=password,
        full_name=full_name,
        role=role,
        kabupaten_code=kabupaten_code,
        puskesmas_id=puskesmas_id,
        kader_id=kader_id,
    )
    db.session.commit()
    click.echo(f"created {user.role} account {user.username!r} (id {user.id})")


@click.command("end-sessions")
@click.argument("username")
@with_appcontext
def end_sessions_command(username: str) -> None:
    """Log USERNAME out everywhere (a lost phone, a leaked cookie): every session ends."""
    user = find_user(username)
    if user is None:
        raise click.ClickException(f"no account {username!r}")
    user.end_sessions()
    audit.record(
        "account.sessions_ended", "user", user.id, user_id=None, kabupaten_code=user.actor.kabupaten_code
    )
    db.session.commit()
    click.echo(f"every session of {user.username!r} has ended")
