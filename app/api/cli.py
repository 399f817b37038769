"""`flask --app wsgi api token create|list|revoke`: tokens for systems, from the server."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.api.models import ApiToken
from app.api.tokens import MAX_EXPIRY_DAYS, create_token, revoke_token, tokens_of
from app.auth.services import find_user
from app.extensions import db

api_cli = AppGroup("api", help="The integration API.")
token_cli = AppGroup("token", help="API tokens: create, list, revoke.")
api_cli.add_command(token_cli)


def _user(username: str):  # type: ignore[no-untyped-def]
    user = find_user(username)
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    return user


@token_cli.command("create")
@click.argument("username")
@click.option("--name", default="API", help="What the token is for, e.g. the district system's name.")
@click.option("--expires", type=click.IntRange(1, MAX_EXPIRY_DAYS), help="Days until it expires.")
def create_command(username: str, name: str, expires: int | None) -> None:
    """Create a token acting as USERNAME; it is printed once and never shown again."""
    user = _user(username)
    if not user.active:
        raise click.ClickException(f"user {username!r} is not active")
    issued = create_token(user, name, expires, created_by=None)
    db.session.commit()
    click.echo(issued.secret)
    click.echo(
        f"token {issued.token.id} ({issued.token.prefix}…) for {user.username}: store it now", err=True
    )


@token_cli.command("list")
@click.argument("username")
def list_command(username: str) -> None:
    """List USERNAME's tokens (never the secrets)."""
    for t in tokens_of(_user(username).id):
        state = "revoked" if t.revoked_at else "active"
        expiry = f"expires {t.expires_at:%Y-%m-%d}" if t.expires_at else "no expiry"
        used = f"last used {t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
        click.echo(
            "\t".join(
                [str(t.id), f"{t.prefix}…", t.name, state, f"created {t.created_at:%Y-%m-%d}", expiry, used]
            )
        )


@token_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke_command(token_id: int) -> None:
    """Revoke token TOKEN_ID: systems using it get 401 from now on."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(f"no token {token_id}")
    if not revoke_token(token, revoked_by=None):
        raise click.ClickException(f"token {token_id} was already revoked")
    db.session.commit()
    click.echo(f"token {token_id} revoked")
