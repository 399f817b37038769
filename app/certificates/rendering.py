"""Turn stored certificates into PDFs and badges (shared by the pages and the CLI)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from flask import current_app

from app.certificates.badges import build_credential, sign
from app.certificates.document import CertificateSnapshot
from app.certificates.keys import issuer_key
from app.certificates.models import Certificate, CertificateImage
from app.certificates.pdf import render_certificates, render_certificates_with_sheet
from app.certificates.queries import highest_valid_per_kader, valid_certificates_of
from app.core.models import utcnow
from app.curriculum.levels import Level
from app.extensions import db
from app.progress.levels import active_levels, reached_levels
from app.rosters.labels import ROLE_LABELS
from app.rosters.models import Posyandu
from app.rosters.queries import current_roster


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


def snapshots_with_looks(
    certs: Iterable[Certificate], levels: tuple[Level, ...] | None = None
) -> Iterator[tuple[CertificateSnapshot, str]]:
    """Each certificate's snapshot and verification URL. Snapshots taken before they kept the
    level's colour and wording get them from the curriculum's levels."""
    levels = active_levels() if levels is None else levels
    by_code = {lv.code: (rank, lv) for rank, lv in enumerate(levels)}
    for cert in certs:
        snap = CertificateSnapshot.from_json(cert.snapshot)
        rank, level = by_code.get(snap.level_code, (None, None))
        yield snap.with_level_looks(level, rank), verify_url(cert)


def certificate_pdf(certs: Iterable[Certificate], out: io.BufferedIOBase | None = None) -> bytes | None:
    return render_certificates(snapshots_with_looks(certs), out=out, images=SnapshotImages())


def posyandu_batch_pdf(posyandu: Posyandu, out: io.BufferedIOBase) -> int:
    """Roster sheet (every kader, role, level, certificate number) then every valid certificate."""
    roster = current_roster(posyandu.id)
    ids = [m.kader_id for m in roster]
    levels = reached_levels(ids)
    certs = valid_certificates_of(ids)
    best = highest_valid_per_kader(certs)
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
    render_certificates_with_sheet(sheet, snapshots_with_looks(certs), out=out, images=SnapshotImages())
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
