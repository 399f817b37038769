"""What each kind of job does: write its file to `out`, report progress, return the download name."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from openpyxl import Workbook
from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from app.certificates.models import Certificate
from app.certificates.rendering import certificate_pdf
from app.core.exports import neutralise
from app.extensions import db
from app.jobs.models import Job
from app.jobs.progress import Progress
from app.rosters.models import Kader, Posyandu, RosterMembership, Wilayah


class NothingToDo(Exception):
    """The selection is empty (for instance every certificate was revoked since the job started)."""


@dataclass(frozen=True)
class Task:
    extension: str
    run: Callable[[Job, BinaryIO, Progress], str]


# ---- certificates of a kecamatan or of the whole kabupaten ----

CHUNK = 200  # certificates loaded at a time: memory stays flat however large the district


def certificate_ids(kabupaten_code: str, kecamatan_code: str | None = None) -> list[int]:
    """Valid certificates in print order: by the kader's current kecamatan, desa, Posyandu and
    name, so each Posyandu's certificates come out as one stack; kader on no roster come last."""
    desa = aliased(Wilayah)
    stmt = (
        select(Certificate.id)
        .join(Kader, Kader.id == Certificate.kader_id)
        .outerjoin(
            RosterMembership,
            and_(RosterMembership.kader_id == Certificate.kader_id, RosterMembership.end_date.is_(None)),
        )
        .outerjoin(Posyandu, Posyandu.id == RosterMembership.posyandu_id)
        .outerjoin(desa, desa.code == Posyandu.desa_code)
        .where(Certificate.kabupaten_code == kabupaten_code, Certificate.status == "valid")
        .order_by(
            desa.code.is_(None), desa.parent_code, desa.name, Posyandu.name, Kader.name, Certificate.number
        )
    )
    if kecamatan_code:
        stmt = stmt.where(desa.parent_code == kecamatan_code)
    return list(dict.fromkeys(db.session.scalars(stmt)))  # one row each, even on a doubled roster


def _certificates(ids: list[int]) -> Iterator[Certificate]:
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        loaded = {c.id: c for c in db.session.scalars(select(Certificate).where(Certificate.id.in_(chunk)))}
        for cert_id in chunk:
            if cert_id in loaded:  # revoked and deleted rows are skipped, not fatal
                yield loaded[cert_id]
        for cert in loaded.values():
            db.session.expunge(cert)


def print_certificates(job: Job, out: BinaryIO, progress: Progress) -> str:
    kecamatan = job.params.get("kecamatan") or None
    ids = certificate_ids(job.kabupaten_code, kecamatan)
    if not ids:
        raise NothingToDo
    progress.start(len(ids))
    certificate_pdf(progress.track(_certificates(ids)), out=out)  # type: ignore[arg-type]
    return f"sertifikat-{(kecamatan or job.kabupaten_code).replace('.', '-')}.pdf"


# ---- every kader of the district as XLSX (the same columns as `flask roster export`) ----


def export_kader(job: Job, out: BinaryIO, progress: Progress) -> str:
    from app.rosters.export import ROSTER_EXPORT_HEADER, roster_export_rows

    rows = list(roster_export_rows(job.kabupaten_code))
    if not rows:
        raise NothingToDo
    progress.start(len(rows))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Kader")
    sheet.append([neutralise(h) for h in ROSTER_EXPORT_HEADER])
    for row in progress.track(rows):
        sheet.append(["" if v is None else neutralise(v) for v in row])
    workbook.save(out)
    return f"kader-{job.kabupaten_code.replace('.', '-')}.xlsx"


TASKS: dict[str, Task] = {
    "certificates_print": Task("pdf", print_certificates),
    "kader_export": Task("xlsx", export_kader),
}
