"""Kader roster files (CSV or XLSX) -> validated rows. Pure: no flask, no sqlalchemy.

Reading lives in `roster_reading`; the rules for the kader's own fields in `kader_rules` (the
same ones the kader form applies). This module maps columns, reads cells into values and adds
what only a file has: education and role words, the Posyandu by code or name, a NIK twice in
one file, a NIK kept by another district. Problems are codes with parameters, so the web page
and the CLI can word them in the user's language. Row numbers are spreadsheet rows (the
header is row 1).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.rosters import columns
from app.rosters.kader_rules import MAX_NAME, Issue, KaderInput, check_kader, clean_text, normalise_phone
from app.rosters.roster_reading import RosterFileError, decode_csv, read_table

__all__ = [  # reading and phone rules moved; callers keep importing them from here
    "COLUMNS",
    "MAX_NAME",
    "TEMPLATE_HEADER",
    "Issue",
    "Lookups",
    "PosyanduRef",
    "RosterFileError",
    "Row",
    "decode_csv",
    "map_header",
    "name_key",
    "normalise_phone",
    "parse_date",
    "read_table",
    "validate_rows",
]

COLUMNS = columns.TEMPLATE
REQUIRED = frozenset({"nik", "nama", "jenis_kelamin", "tanggal_lahir", "posyandu"})
TEMPLATE_HEADER = columns.headers(COLUMNS)
_ALIASES = {
    "nik": "nik", "no_nik": "nik", "nomor_induk_kependudukan": "nik",
    "nama": "nama", "nama_kader": "nama", "nama_lengkap": "nama",
    "jenis_kelamin": "jenis_kelamin", "jk": "jenis_kelamin", "l_p": "jenis_kelamin",
    "tanggal_lahir": "tanggal_lahir", "tgl_lahir": "tanggal_lahir",
    "no_hp": "no_hp", "nomor_hp": "no_hp", "hp": "no_hp", "telepon": "no_hp", "no_telepon": "no_hp",
    "pendidikan": "pendidikan", "pendidikan_terakhir": "pendidikan",
    "posyandu": "posyandu", "kode_posyandu": "posyandu", "nama_posyandu": "posyandu",
    "peran": "peran", "jabatan": "peran",
    "tahun_mulai": "tahun_mulai", "mulai_tahun": "tahun_mulai", "tahun_mulai_kader": "tahun_mulai",
}  # fmt: skip
SEX = {
    "l": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "lk": "L",
    "pria": "L",
    "m": "L",
    "male": "L",
    "p": "P",
    "perempuan": "P",
    "pr": "P",
    "wanita": "P",
    "w": "P",
    "f": "P",
    "female": "P",
}
EDUCATION = {
    "tidak sekolah": "tidak_sekolah",
    "tidak_sekolah": "tidak_sekolah",
    "belum sekolah": "tidak_sekolah",
    "sd": "sd",
    "mi": "sd",
    "smp": "smp",
    "mts": "smp",
    "sltp": "smp",
    "sma": "sma",
    "smk": "sma",
    "ma": "sma",
    "slta": "sma",
    "d1": "d3",
    "d2": "d3",
    "d3": "d3",
    "d4": "s1",
    "diploma": "d3",
    "s1": "s1",
    "sarjana": "s1",
    "s2": "s2",
    "s3": "s2",
}
ROLES = {
    "ketua": "ketua",
    "sekretaris": "sekretaris",
    "bendahara": "bendahara",
    "anggota": "anggota",
    "kader": "anggota",
    "": "anggota",
}


@dataclass
class Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class PosyanduRef:
    id: int
    code: str
    name: str
    kabupaten_code: str


@dataclass(frozen=True)
class Lookups:
    """What validation needs to know about the database, fetched once by the caller."""

    kabupaten_code: str
    posyandu_by_code: Mapping[str, PosyanduRef]  # codes of every kabupaten, upper-case keys
    posyandu_by_name: Mapping[str, list[PosyanduRef]]  # names within this kabupaten, casefolded keys
    nik_kabupaten: Mapping[str, str]  # NIK -> kabupaten of existing kader (only NIKs in the file)
    today: date


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def map_header(header: list[str]) -> dict[str, int]:
    """Column name -> index; raises for missing, unknown or repeated columns."""
    mapping: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, raw in enumerate(header):
        if not raw:
            continue
        key = _ALIASES.get(_header_key(raw))
        if key is None:
            unknown.append(raw)
        elif key in mapping:
            repeated.append(raw)
        else:
            mapping[key] = index
    missing = [TEMPLATE_HEADER[COLUMNS.index(c)] for c in COLUMNS if c in REQUIRED and c not in mapping]
    if missing:
        raise RosterFileError("columns_missing", columns=", ".join(missing))
    if unknown:
        raise RosterFileError("columns_unknown", columns=", ".join(unknown[:10]))
    if repeated:
        raise RosterFileError("columns_repeated", columns=", ".join(repeated))
    return mapping


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    for pattern, order in (
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd"),
        (r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", "dmy"),
    ):
        match = re.fullmatch(pattern, text)
        if match:
            a, b, c = (int(g) for g in match.groups())
            y, m, d = (a, b, c) if order == "ymd" else (c, b, a)
            try:
                return date(y, m, d)
            except ValueError:
                return None
    return None


def validate_rows(header: list[str], body: list[list[Any]], lookups: Lookups) -> list[Row]:
    mapping = map_header(header)
    first_row_of_nik: dict[str, int] = {}
    rows: list[Row] = []
    for offset, raw in enumerate(body):
        row = Row(number=offset + 2)
        cells = {col: (raw[i] if i < len(raw) else None) for col, i in mapping.items()}
        _validate_row(row, cells, lookups)
        nik = row.values.get("nik")
        if nik:
            if nik in first_row_of_nik:
                row.errors.append(Issue("nik_duplicate_in_file", {"row": first_row_of_nik[nik]}))
            else:
                first_row_of_nik[nik] = row.number
        rows.append(row)
    return rows


def _validate_row(row: Row, cells: dict[str, Any], lookups: Lookups) -> None:
    v = row.values
    sex_text = clean_text(cells.get("jenis_kelamin")).lower()
    birth = parse_date(cells.get("tanggal_lahir"))
    check = check_kader(
        KaderInput(
            nik=clean_text(cells.get("nik")),
            name=clean_text(cells.get("nama")),
            sex=SEX.get(sex_text, sex_text),  # an unknown word is reported as it was written
            birth_date=birth,
            phone=clean_text(cells.get("no_hp")),
            start_year=clean_text(cells.get("tahun_mulai")),
        ),
        lookups.today,
    )
    v.update(check.values)
    row.errors.extend(check.errors)
    row.warnings.extend(check.warnings)
    if birth is None:
        row.errors.append(Issue("birth_date_invalid", {"value": clean_text(cells.get("tanggal_lahir"))[:20]}))
    other = lookups.nik_kabupaten.get(v.get("nik", ""))
    if other is not None and other != lookups.kabupaten_code:
        row.errors.append(Issue("nik_other_kabupaten"))

    edu_raw = clean_text(cells.get("pendidikan")).lower()
    v["education"] = None
    if edu_raw:
        v["education"] = EDUCATION.get(edu_raw) or EDUCATION.get(edu_raw.split("/")[0].strip())
        if v["education"] is None:
            row.errors.append(Issue("education_invalid", {"value": edu_raw[:20]}))

    role_raw = clean_text(cells.get("peran")).lower()
    role = ROLES.get(role_raw)
    if role is None:
        row.errors.append(Issue("role_invalid", {"value": role_raw[:20]}))
    else:
        v["role"] = role

    _resolve_posyandu(row, clean_text(cells.get("posyandu")), lookups)


def _resolve_posyandu(row: Row, text: str, lookups: Lookups) -> None:
    if not text:
        row.errors.append(Issue("posyandu_required"))
        return
    by_code = lookups.posyandu_by_code.get(text.upper())
    if by_code is not None:
        if by_code.kabupaten_code != lookups.kabupaten_code:
            row.errors.append(Issue("posyandu_other_kabupaten", {"value": text[:40]}))
        else:
            row.values["posyandu_id"] = by_code.id
        return
    matches = lookups.posyandu_by_name.get(" ".join(text.casefold().split()), [])
    if len(matches) == 1:
        row.values["posyandu_id"] = matches[0].id
    elif len(matches) > 1:
        row.errors.append(
            Issue("posyandu_ambiguous", {"value": text[:40], "codes": ", ".join(m.code for m in matches[:5])})
        )
    else:
        row.errors.append(Issue("posyandu_unknown", {"value": text[:40]}))


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())
