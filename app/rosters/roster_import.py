"""Roster import: validate a whole file against the database, then apply it all or nothing.

Importing the same file again updates instead of duplicating (kader are matched by NIK)
and reports what changed. Used by the web preview/commit pages and the `roster` CLI.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select, text, update

from app.core import audit
from app.core.batching import batched
from app.core.models import utcnow
from app.extensions import db
from app.rosters.membership import Placement, open_memberships, place_many
from app.rosters.models import Kader, Posyandu, RosterImport
from app.rosters.roster_file import Lookups, PosyanduRef, Row, name_key, read_table, validate_rows
from app.rosters.services import create_kaders, update_kader

KADER_FIELDS = ("name", "sex", "birth_date", "phone", "education", "start_year")
ANALYZE_AFTER = 1000  # rows
IMPORT_REASON = "Impor roster"  # end reason of a membership a file moved elsewhere


@dataclass
class RowPlan:
    row: Row
    action: str  # "create" | "update" | "unchanged"
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    membership: str = "none"  # "join" | "move" | "none"


@dataclass
class ImportResult:
    rows: list[Row]
    plans: list[RowPlan]
    sha256: str
    applied: bool = False

    @property
    def errors(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def warnings(self) -> list[Row]:
        return [r for r in self.rows if r.warnings]

    def count(self, action: str) -> int:
        return sum(1 for p in self.plans if p.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "created": self.count("create"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
        }


def build_lookups(kabupaten_code: str, niks: list[str], today: date) -> Lookups:
    by_code: dict[str, PosyanduRef] = {}
    by_name: dict[str, list[PosyanduRef]] = defaultdict(list)
    for pid, code, name, kab in db.session.execute(
        select(Posyandu.id, Posyandu.code, Posyandu.name, Posyandu.kabupaten_code)
    ):
        ref = PosyanduRef(pid, code, name, kab)
        by_code[code.upper()] = ref
        if kab == kabupaten_code:
            by_name[name_key(name)].append(ref)
    nik_kab: dict[str, str] = {}
    for chunk in batched(sorted(set(niks))):
        nik_kab.update(
            db.session.execute(select(Kader.nik, Kader.kabupaten_code).where(Kader.nik.in_(chunk))).all()
        )
    return Lookups(kabupaten_code, by_code, dict(by_name), nik_kab, today)


def _candidate_niks(header: list[str], body: list[list[Any]]) -> list[str]:
    from app.rosters.nik import normalise_nik
    from app.rosters.roster_file import _header_key  # the same header rules as validation

    index = next((i for i, h in enumerate(header) if _header_key(h) in ("nik", "no_nik")), None)
    if index is None:
        return []
    return [normalise_nik(str(r[index])) for r in body if index < len(r) and r[index] is not None]


def prepare(
    data: bytes, filename: str, kabupaten_code: str, *, today: date, max_rows: int | None = None
) -> ImportResult:
    """Read and validate; plan creates/updates for valid rows. Raises RosterFileError."""
    header, body = read_table(data, filename, max_rows=max_rows)
    return prepare_table(header, body, kabupaten_code, today=today, sha256=hashlib.sha256(data).hexdigest())


def prepare_table(
    header: list[str], body: list[list[Any]], kabupaten_code: str, *, today: date, sha256: str
) -> ImportResult:
    """Validate an already-read table against the database as it is now (preview and commit)."""
    lookups = build_lookups(kabupaten_code, _candidate_niks(header, body), today)
    rows = validate_rows(header, body, lookups)
    plans = _plan(rows, kabupaten_code) if all(r.ok for r in rows) else []
    return ImportResult(rows=rows, plans=plans, sha256=sha256)


def max_rows() -> int:
    """The most data rows one import may hold (ROSTER_IMPORT_MAX_ROWS)."""
    return int(current_app.config["ROSTER_IMPORT_MAX_ROWS"])


def validate_stored(record: RosterImport, today: date) -> ImportResult:
    """The stored table checked against the database as it is now (older uploads: the file)."""
    if record.parsed_table is None:
        return prepare(
            record.content, record.filename, record.kabupaten_code, today=today, max_rows=max_rows()
        )
    table = record.parsed_table
    return prepare_table(
        table["header"], table["body"], record.kabupaten_code, today=today, sha256=record.sha256
    )


def storable_table(header: list[str], body: list[list[Any]]) -> dict[str, Any]:
    """The table as JSON, read once at upload: dates as ISO text (the validator reads them back)."""

    def cell(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if value is None or isinstance(value, str | int | float | bool):
            return value
        return str(value)

    return {"header": list(header), "body": [[cell(v) for v in row] for row in body]}


def _existing(kabupaten_code: str, niks: list[str]) -> dict[str, Kader]:
    """The district's kader with these NIKs, by NIK."""
    kader: dict[str, Kader] = {}
    for chunk in batched(niks):
        for k in db.session.scalars(
            select(Kader).where(Kader.nik.in_(chunk), Kader.kabupaten_code == kabupaten_code)
        ):
            kader[k.nik] = k
    return kader


def _plan(rows: list[Row], kabupaten_code: str) -> list[RowPlan]:
    existing = _existing(kabupaten_code, [r.values["nik"] for r in rows])
    open_rows = open_memberships(k.id for k in existing.values())
    names = dict(
        db.session.execute(
            select(Posyandu.id, Posyandu.name).where(Posyandu.kabupaten_code == kabupaten_code)
        ).all()
    )
    plans: list[RowPlan] = []
    for row in rows:
        v = row.values
        kader = existing.get(v["nik"])
        if kader is None:
            plans.append(RowPlan(row, "create", membership="join"))
            continue
        changes = {f: (getattr(kader, f), v[f]) for f in KADER_FIELDS if getattr(kader, f) != v[f]}
        current = open_rows.get(kader.id)
        membership = "none"
        if current is None:
            membership = "join"
        elif (current.posyandu_id, current.role) != (v["posyandu_id"], v["role"]):
            membership = "move"
            changes["posyandu"] = (
                f"{names.get(current.posyandu_id, '?')} ({current.role})",
                f"{names.get(v['posyandu_id'], '?')} ({v['role']})",
            )
        plans.append(RowPlan(row, "update" if changes else "unchanged", changes, membership))
    return plans


def apply(
    result: ImportResult, kabupaten_code: str, *, user_id: int | None, filename: str, today: date
) -> None:
    """Write the planned changes in the caller's transaction (the caller commits or rolls back).

    Kader records and memberships go through the same services as the kader form, so every
    created kader, changed field, join and move has its own audit row, as if typed in."""
    if result.errors or result.applied:
        raise ValueError("cannot apply an import with errors or twice")
    niks = [p.row.values["nik"] for p in result.plans]
    existing = _existing(kabupaten_code, niks)
    created = [p for p in result.plans if p.action == "create"]
    new_kader = create_kaders([p.row.values for p in created], kabupaten_code, user_id=user_id)
    for plan in result.plans:
        if plan.action == "update":
            update_kader(existing[plan.row.values["nik"]], plan.row.values, user_id=user_id)
    placements = [
        # A new kader serves from the year she says she started; the file gives no day.
        _placement(kader, plan, date(y, 1, 1) if (y := plan.row.values.get("start_year")) else today)
        for kader, plan in zip(new_kader, created, strict=True)
    ]
    placements += [
        _placement(existing[p.row.values["nik"]], p, today)
        for p in result.plans
        if p.action != "create" and p.membership != "none"
    ]
    place_many(placements, user_id=user_id)
    if len(result.plans) >= ANALYZE_AFTER and db.session.get_bind().dialect.name == "postgresql":
        # A large import changes the tables' statistics; refresh them so the next lookups plan well
        # instead of waiting for autovacuum.
        db.session.execute(text("ANALYZE kader"))
        db.session.execute(text("ANALYZE roster_membership"))
    audit.record(
        "roster.imported",
        "kabupaten",
        kabupaten_code,
        user_id=user_id,
        kabupaten_code=kabupaten_code,
        after={"file": filename, "sha256": result.sha256, **result.counts},
    )
    result.applied = True


def _placement(kader: Kader, plan: RowPlan, on: date) -> Placement:
    v = plan.row.values
    return Placement(kader, v["posyandu_id"], v["role"], on, reason=IMPORT_REASON)


def store_upload(
    kabupaten_code: str,
    filename: str,
    data: bytes,
    header: list[str],
    body: list[list[Any]],
    result: ImportResult,
    *,
    user_id: int | None,
) -> RosterImport:
    """Keep an uploaded file, and the table read from it, between preview and commit."""
    record = RosterImport(
        kabupaten_code=kabupaten_code,
        user_id=user_id,
        filename=filename,
        sha256=result.sha256,
        content=data,
        parsed_table=storable_table(header, body),
        counts=result.counts,
    )
    db.session.add(record)
    db.session.flush()  # its id for the preview address
    return record


def claim(record: RosterImport) -> bool:
    """Mark a previewed import committed; False when another request already did (or it was
    discarded). The loaded record keeps "preview" in memory, so a commit refused afterwards
    (400: the request rolls the claim back) shows the preview page as it was."""
    return bool(
        db.session.execute(
            update(RosterImport)
            .where(RosterImport.id == record.id, RosterImport.status == "preview")
            .values(status="committed", committed_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
    )


def commit_stored(record: RosterImport, *, user_id: int | None, today: date) -> ImportResult | None:
    """Claim a previewed import, validate it again and apply every row or none.

    None: another request already committed it, or it was discarded. A result with errors
    applied nothing; the caller answers with an error, which rolls the claim back. Raises
    RosterFileError when the stored file cannot be read again.
    """
    if not claim(record):
        return None
    result = validate_stored(record, today)
    if result.errors:
        return result
    apply(result, record.kabupaten_code, user_id=user_id, filename=record.filename, today=today)
    record.counts = result.counts
    db.session.expire(record, ["status", "committed_at"])  # the claim wrote them behind the ORM
    return result
