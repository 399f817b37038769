"""Certificate CLI: `certificates print` (batch PDF per Posyandu) and `certificates verify-badge`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.certificates.badges import parse_credential, verify
from app.certificates.keys import public_key
from app.certificates.models import Certificate
from app.certificates.rendering import posyandu_batch_pdf
from app.certificates.services import normalise_code
from app.extensions import db
from app.rosters.models import Posyandu

certificates_cli = AppGroup("certificates", help="Certificate printing and badge verification.")


@certificates_cli.command("print")
@click.option("--posyandu", "posyandu_id", required=True, type=int)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def print_command(posyandu_id: int, output: Path) -> None:
    """All valid certificates of a Posyandu's current roster, merged into one PDF (streamed to disk)."""
    posyandu = db.session.get(Posyandu, posyandu_id)
    if posyandu is None:
        raise click.ClickException(f"no Posyandu with id {posyandu_id}")
    with output.open("wb") as fh:
        count = posyandu_batch_pdf(posyandu, fh)
    click.echo(f"wrote {count} certificate(s) of {posyandu.name} to {output}")


@certificates_cli.command("verify-badge")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_badge_command(file: Path) -> None:
    """Check an Open Badges 3.0 credential's signature and status: valid, revoked or tampered."""
    try:
        document = parse_credential(file.read_text(encoding="utf-8"))
        method = document["proof"]["verificationMethod"]
        kabupaten_code = urlsplit(method).path.rstrip("/").rsplit("/", 1)[-1]
        status_path = urlsplit(document["evidence"][0]["id"]).path
    except (ValueError, KeyError, TypeError, AttributeError):
        click.echo("tampered: not a signed Kader Cakap badge")
        raise SystemExit(2) from None
    key = public_key(kabupaten_code)
    if key is None or not verify(document, key):
        click.echo("tampered: the signature does not match the content")
        raise SystemExit(2)
    code = normalise_code(status_path.removeprefix("/v/"))
    cert = (
        db.session.scalar(select(Certificate).where(Certificate.verification_code == code)) if code else None
    )
    if cert is None:
        click.echo("tampered: the certificate it names does not exist")
        raise SystemExit(2)
    if cert.status == "revoked":
        click.echo(f"revoked: {cert.number} on {cert.revoked_at:%Y-%m-%d}: {cert.revoked_reason}")
        raise SystemExit(1)
    click.echo(f"valid: {cert.number} ({cert.snapshot['level_name']}, {cert.snapshot['kader_name']})")
