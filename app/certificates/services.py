"""Issuing, revoking and re-issuing certificates. Services flush; the caller commits once.

Every refusal (CertificateError) is raised before anything is written, so a refused re-issue
leaves the old certificate valid. Issuing and revoking are announced (`certificate_issued`,
`certificate_revoked` in app.core.events) for whoever listens, e.g. a notifier.

Numbers are gap-free per district and year: the counter row is incremented with an UPDATE
first (a row lock on PostgreSQL, the write lock on SQLite), so concurrent issuers queue and a
rolled-back issue leaves no hole.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from app.certificates.document import (
    AreaSkills,
    CertificateSnapshot,
    Signatory,
    SkillLine,
    certificate_number,
    level_snapshot_fields,
)
from app.certificates.models import Certificate, CertificateCounter, CertificateImage, DistrictSettings
from app.core import audit
from app.core.events import certificate_issued, certificate_revoked
from app.core.models import utcnow
from app.curriculum.levels import Level
from app.curriculum.models import Area, Skill
from app.curriculum.sync import active_version
from app.extensions import db
from app.progress.levels import levels_and_areas, mastered_codes
from app.progress.rules import evaluate
from app.rosters.locking import lock_kader
from app.rosters.models import Kader, Wilayah
from app.rosters.nik import mask_nik

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


class CertificateError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def new_verification_code() -> str:
    """16 characters from a 32-letter alphabet: 80 bits, unguessable; shown in groups of four."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str) -> str | None:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return cleaned if len(cleaned) == 16 and all(ch in CODE_ALPHABET for ch in cleaned) else None


def next_sequence(kabupaten_code: str, year: int) -> int:
    table = CertificateCounter.__table__
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(table)
        .values(kabupaten_code=kabupaten_code, year=year, last_sequence=0)
        .on_conflict_do_nothing(index_elements=["kabupaten_code", "year"])
    )
    db.session.execute(
        update(table)
        .where(and_(table.c.kabupaten_code == kabupaten_code, table.c.year == year))
        .values(last_sequence=table.c.last_sequence + 1)
    )
    return db.session.scalar(
        select(table.c.last_sequence).where(
            and_(table.c.kabupaten_code == kabupaten_code, table.c.year == year)
        )
    )


def _signatory(settings: DistrictSettings) -> Signatory:
    return Signatory(
        settings.office_name,
        settings.signatory_name,
        settings.signatory_title,
        settings.signatory_nip,
        settings.place,
        logo_sha256=keep_image(settings.logo),
        signature_sha256=keep_image(settings.signature),
    )


def image_sha256(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data else None


def keep_image(data: bytes | None) -> str | None:
    """Store an image under its SHA-256 (once) and return the hash."""
    digest = image_sha256(data)
    if digest is None:
        return None
    if db.session.get(CertificateImage, digest) is None:
        try:
            with db.session.begin_nested():  # a concurrent issuance may store it first
                db.session.add(CertificateImage(sha256=digest, data=data))
        except IntegrityError:
            pass
    return digest


@dataclass(frozen=True)
class Standing:
    """The curriculum's levels and one kader's mastered skills, read once per certificate."""

    levels: tuple[Level, ...]
    by_area: dict[str, tuple[str, ...]]
    mastered: set[str]

    @classmethod
    def of(cls, kader_id: int) -> Standing:
        levels, by_area = levels_and_areas()
        return cls(levels, by_area, mastered_codes([kader_id])[kader_id])

    def rank(self, level_code: str) -> int | None:
        return next((i for i, level in enumerate(self.levels) if level.code == level_code), None)

    @property
    def reached(self) -> Level | None:
        return evaluate(self.levels, self.by_area, self.mastered).current


def build_snapshot(
    kader: Kader,
    standing: Standing,
    rank: int,
    number: str,
    code: str,
    today: date,
    replaces: str | None = None,
) -> CertificateSnapshot:
    """The certificate's text as of today; `_refusal` has checked roster and signatory."""
    membership = kader.current_membership
    assert membership is not None  # checked by _refusal before anything was written
    posyandu = membership.posyandu
    desa = posyandu.desa
    kecamatan = db.session.get(Wilayah, desa.parent_code)
    kabupaten = db.session.get(Wilayah, posyandu.kabupaten_code)
    provinsi = db.session.get(Wilayah, kabupaten.parent_code) if kabupaten.parent_code else None
    mastered: dict[str, list[SkillLine]] = defaultdict(list)
    for skill in db.session.scalars(
        select(Skill).where(Skill.active, Skill.code.in_(standing.mastered)).order_by(Skill.code)
    ):
        mastered[skill.area_code].append(SkillLine(skill.code, skill.title_id))
    areas = tuple(
        AreaSkills(area.code, area.title_id, tuple(mastered[area.code]))
        for area in db.session.scalars(select(Area).order_by(Area.position))
    )
    version = active_version()
    settings = db.session.get(DistrictSettings, kabupaten.code)
    assert settings is not None  # checked by _refusal
    level = standing.levels[rank]
    return CertificateSnapshot(
        number=number,
        verification_code=format_code(code),
        level_code=level.code,
        level_name=level.name,
        kader_name=kader.name,
        nik_masked=mask_nik(kader.nik),
        posyandu=posyandu.name,
        desa=desa.name,
        kecamatan=kecamatan.name if kecamatan else "",
        kabupaten=kabupaten.name,
        provinsi=provinsi.name if provinsi else "",
        issued_on=today,
        areas=areas,
        signatory=_signatory(settings),
        curriculum_version=version.label if version else "",
        replaces=replaces,
        **level_snapshot_fields(level, rank),
    )


def _refusal(
    kader: Kader, level_code: str, standing: Standing, replacing: Certificate | None = None
) -> CertificateError | None:
    """Why `level_code` cannot be certified for `kader` now (None: it can). `replacing` is the
    valid certificate a re-issue will revoke first, so it does not count as held."""
    wanted = standing.rank(level_code)
    if wanted is None:
        return CertificateError("level_unknown")
    reached = standing.reached
    if reached is None or (standing.rank(reached.code) or 0) < wanted:
        return CertificateError("level_not_reached")
    held = select(Certificate.id).where(
        Certificate.kader_id == kader.id, Certificate.level_code == level_code, Certificate.status == "valid"
    )
    if replacing is not None:
        held = held.where(Certificate.id != replacing.id)
    if db.session.scalar(held):
        return CertificateError("already_certified")
    membership = kader.current_membership
    if membership is None:
        return CertificateError("not_on_roster")
    if db.session.get(DistrictSettings, membership.posyandu.kabupaten_code) is None:
        return CertificateError("no_signatory")
    return None


def issue(
    kader: Kader, level_code: str, *, user_id: int | None, today: date, replaces: Certificate | None = None
) -> Certificate:
    # Two dinkes staff (or a double click) issuing for the same kader queue here; the second
    # then finds the first certificate and gets "already certified" instead of a 500.
    lock_kader(kader.id)
    standing = Standing.of(kader.id)
    refusal = _refusal(kader, level_code, standing)
    if refusal is not None:
        raise refusal
    rank = standing.rank(level_code)
    assert rank is not None  # checked by _refusal
    code = new_verification_code()
    sequence = next_sequence(kader.kabupaten_code, today.year)
    number = certificate_number(level_code, kader.kabupaten_code, today.year, sequence)
    snap = build_snapshot(kader, standing, rank, number, code, today, replaces.number if replaces else None)
    cert = Certificate(
        number=number,
        verification_code=code,
        kabupaten_code=kader.kabupaten_code,
        year=today.year,
        sequence=sequence,
        kader_id=kader.id,
        level_code=level_code,
        issued_on=today,
        snapshot=snap.to_json(),
        issued_by=user_id,
        replaces_id=replaces.id if replaces else None,
    )
    db.session.add(cert)
    db.session.flush()
    audit.record(
        "certificate.issued",
        "certificate",
        cert.id,
        user_id=user_id,
        kabupaten_code=cert.kabupaten_code,
        after={
            "number": number,
            "kader_id": kader.id,
            "level": level_code,
            "replaces": replaces.number if replaces else None,
        },
    )
    certificate_issued.send("certificates", certificate=cert, user_id=user_id)
    return cert


def revoke(cert: Certificate, reason: str, *, user_id: int | None) -> None:
    if cert.status == "revoked":
        raise CertificateError("already_revoked")
    if not reason.strip():
        raise CertificateError("reason_required")
    cert.status = "revoked"
    cert.revoked_at = utcnow()
    cert.revoked_reason = reason.strip()
    cert.revoked_by = user_id
    db.session.flush()
    audit.record(
        "certificate.revoked",
        "certificate",
        cert.id,
        user_id=user_id,
        kabupaten_code=cert.kabupaten_code,
        before={"status": "valid"},
        after={"status": "revoked", "reason": cert.revoked_reason},
    )
    certificate_revoked.send("certificates", certificate=cert, reason=cert.revoked_reason, user_id=user_id)


def reissue(cert: Certificate, reason: str, *, user_id: int | None, today: date) -> Certificate:
    """A corrected certificate (e.g. a misspelt name fixed on the kader record) replacing `cert`."""
    if cert.status != "valid":
        raise CertificateError("already_revoked")
    if not reason.strip():
        raise CertificateError("reason_required")
    lock_kader(cert.kader_id)
    refusal = _refusal(cert.kader, cert.level_code, Standing.of(cert.kader_id), replacing=cert)
    if refusal is not None:  # checked before the old certificate is revoked: it stays valid
        raise refusal
    revoke(cert, reason, user_id=user_id)
    return issue(cert.kader, cert.level_code, user_id=user_id, today=today, replaces=cert)
