"""Turn stored certificates into PDFs and badges (shared by the pages and the CLI)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from flask import current_app

from app.certificates.badges import build_credential, sign
from app.certificates.document import CertificateSnapshot, highest_per_kader
from app.certificates.keys import issuer_key
from app.certificates.models import Certificate, CertificateImage
from app.certificates.pdf import render_certificates, render_certificates_with_sheet
from app.core.models import utcnow
from app.extensions import db


def base_url() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def verify_url(cert: Certificate) -> str:
    return f"{base_url()}/v/{cert.verification_code}"


class SnapshotImages:
    """The logo and signature each snapshot names, loaded once per hash for a batch."""

    def __init__(self) -> None:
        self._cache: dict[str, bytes | None] = {}

    def _image(self, digest: str | None) -> bytes | None:
        if digest is None:
            return None
        if digest not in self._cache:
            row = db.session.get(CertificateImage, digest)
            self._cache[digest] = row.data if row else None
        return self._cache[digest]

    def __call__(self, snap: CertificateSnapshot) -> tuple[bytes | None, bytes | None]:
        return self._image(snap.signatory.logo_sha256), self._image(snap.signatory.signature_sha256)


def certificate_pdf(certs: Iterable[Certificate], out: io.BufferedIOBase | None = None) -> bytes | None:
    items: Iterator[tuple[CertificateSnapshot, str]] = (
        (CertificateSnapshot.from_json(c.snapshot), verify_url(c)) for c in certs
    )
    return render_certificates(items, out=out, images=SnapshotImages())


def posyandu_batch_pdf(posyandu, out: io.BufferedIOBase) -> int:
    """Roster sheet (every kader, role, level, certificate number) then every valid certificate."""
    from sqlalchemy import select

    from app.core.templating import ROLE_LABELS
    from app.progress.levels import reached_levels
    from app.rosters.queries import current_roster

    roster = current_roster(posyandu.id)
    ids = [m.kader_id for m in roster]
    levels = reached_levels(ids)
    certs = list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.kader_id.in_(ids), Certificate.status == "valid")
            .order_by(Certificate.number)
        )
    )
    best = highest_per_kader((c.kader_id, c.level_code, c) for c in certs)
    rows = [
        (
            m.kader.name,
            str(ROLE_LABELS.get(m.role, m.role)),
            levels[m.kader_id].name if levels.get(m.kader_id) else "",
            best[m.kader_id].number if m.kader_id in best else "",
        )
        for m in roster
    ]
    sheet = (
        f"Daftar kader {posyandu.name}",
        f"Desa/Kelurahan {posyandu.desa.name} · {posyandu.puskesmas.name} · {len(rows)} kader, "
        f"{len(certs)} sertifikat sah",
        rows,
    )
    items = ((CertificateSnapshot.from_json(c.snapshot), verify_url(c)) for c in certs)
    render_certificates_with_sheet(sheet, items, out=out, images=SnapshotImages())
    return len(certs)


def badge(cert: Certificate) -> dict:
    snap = CertificateSnapshot.from_json(cert.snapshot)
    issuer = f"{base_url()}/issuers/{cert.kabupaten_code}"
    credential = build_credential(
        snap,
        credential_id=f"{base_url()}/v/{cert.verification_code}/badge",
        issuer_id=issuer,
        issuer_name=snap.signatory.office,
        achievement_id=f"{base_url()}/achievements/{cert.level_code}",
        verify_url=verify_url(cert),
    )
    return sign(credential, issuer_key(cert.kabupaten_code), f"{issuer}#key-1", utcnow())
