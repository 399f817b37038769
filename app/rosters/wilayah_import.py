"""Load Kemendagri area codes from CSV (`kode,nama`), inferring level and parent from the code."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from app.extensions import db
from app.rosters.models import WILAYAH_LEVELS, Wilayah

CODE_PATTERN = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")


@dataclass
class WilayahImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def parse_wilayah_csv(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Rows as (code, name) and problems as 'row N: message' (header is row 1)."""
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[tuple[str, str]] = []
    errors: list[str] = []
    header = next(reader, None)
    if not header or [h.strip().lower() for h in header[:2]] not in (["kode", "nama"], ["code", "name"]):
        return [], ["row 1: header must be 'kode,nama'"]
    seen: set[str] = set()
    for n, raw in enumerate(reader, start=2):
        if not raw or not any(c.strip() for c in raw):
            continue
        if len(raw) < 2:
            errors.append(f"row {n}: expected code and name")
            continue
        code, name = raw[0].strip(), raw[1].strip()
        if not CODE_PATTERN.fullmatch(code):
            errors.append(f"row {n}: '{code}' is not a Kemendagri code like 33.29.04.2001")
        elif not name or len(name) > 120:
            errors.append(f"row {n}: name must be 1-120 characters")
        elif code in seen:
            errors.append(f"row {n}: code {code} appears twice")
        else:
            seen.add(code)
            rows.append((code, name))
    return rows, errors


def import_wilayah(rows: list[tuple[str, str]]) -> WilayahImportResult:
    """Upsert areas parents-first; a code whose parent is unknown is an error (nothing written)."""
    result = WilayahImportResult()
    existing = {w.code: w for w in db.session.scalars(select(Wilayah))}
    known = set(existing) | {code for code, _ in rows}
    for code, _name in rows:
        parent = code.rsplit(".", 1)[0] if "." in code else None
        if parent and parent not in known:
            result.errors.append(f"{code}: parent area {parent} is unknown")
    if result.errors:
        return result
    for code, name in sorted(rows, key=lambda r: r[0].count(".")):
        level = WILAYAH_LEVELS[code.count(".")]
        parent = code.rsplit(".", 1)[0] if "." in code else None
        current = existing.get(code)
        if current is None:
            db.session.add(Wilayah(code=code, name=name, level=level, parent_code=parent))
            result.created += 1
        elif current.name != name:
            current.name = name
            result.updated += 1
        else:
            result.unchanged += 1
        db.session.flush()
    return result
