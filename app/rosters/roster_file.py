"""Kader roster files (CSV or XLSX) -> validated rows. Pure: no flask, no sqlalchemy.

Reading: CSV in UTF-8 (with or without BOM) or Windows-1252, comma or semicolon; XLSX (first
sheet). Validation checks every row and reports problems as codes with parameters, so the web
page and the CLI can word them in the user's language. Row numbers are spreadsheet rows
(the header is row 1).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.rosters.nik import NikError, nik_mismatches, normalise_nik, parse_nik
from app.rosters.xlsx_limits import LIMITS, XlsxTooLarge, check_xlsx

COLUMNS = (
    "nik",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "no_hp",
    "pendidikan",
    "posyandu",
    "peran",
    "tahun_mulai",
)
REQUIRED = frozenset({"nik", "nama", "jenis_kelamin", "tanggal_lahir", "posyandu"})
TEMPLATE_HEADER = (
    "NIK",
    "Nama",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "No HP",
    "Pendidikan",
    "Posyandu",
    "Peran",
    "Tahun Mulai",
)
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
MAX_NAME = 120
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Issue:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


class RosterFileError(ValueError):
    """The file as a whole cannot be read (empty, wrong format, bad header, too many rows)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.issue = Issue(code, params)


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


# A UTF-8 multi-byte sequence: in a file that is not valid UTF-8 as a whole, its presence means
# two encodings were mixed (one row pasted from elsewhere), and no single reading is right.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _encoding_error(code: str, data: bytes, start: int, end: int) -> RosterFileError:
    row = data[:start].count(b"\n") + 1
    return RosterFileError(code, row=row, bytes=data[start : max(end, start + 1)][:8].hex(" ").upper())


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) or, for a file with no UTF-8 in it at all, Windows-1252.

    Anything else is refused with the row and the bytes that broke it: a silently garbled
    name ("DhiÃ©n") would end up printed on a certificate."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if data is not body or _UTF8_SEQUENCE.search(body):
            raise _encoding_error("encoding_mixed", body, exc.start, exc.end) from None
    try:
        return body.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _encoding_error("encoding_unknown", body, exc.start, exc.end) from None


def read_table(data: bytes, filename: str, max_rows: int | None = None) -> tuple[list[str], list[list[Any]]]:
    """The header and the data rows of a CSV or XLSX file."""
    if not data.strip():
        raise RosterFileError("file_empty")
    is_xlsx = data[:4] == b"PK\x03\x04"
    if filename.lower().endswith((".xlsx", ".xlsm")) and not is_xlsx:
        raise RosterFileError("xlsx_unreadable")
    rows = _read_xlsx(data, max_rows) if is_xlsx else _read_csv(data, max_rows)
    rows = [r for r in rows if any(str(c).strip() for c in r if c is not None)]
    if not rows:
        raise RosterFileError("file_empty")
    header = [str(c or "").strip() for c in rows[0]]
    body = rows[1:]
    if not body:
        raise RosterFileError("no_data_rows")
    if max_rows is not None and len(body) > max_rows:
        raise RosterFileError("too_many_rows", max=max_rows)
    return header, body


def _read_csv(data: bytes, max_rows: int | None) -> list[list[Any]]:
    text = decode_csv(data)
    if "\x00" in text:
        raise RosterFileError("not_a_table")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Any]] = []
    try:
        for row in reader:
            rows.append(row)
            if max_rows is not None and len(rows) > max_rows + 1:
                raise RosterFileError("too_many_rows", max=max_rows)
    except csv.Error as exc:
        raise RosterFileError("csv_unreadable", detail=str(exc)) from None
    return rows


def _read_xlsx(data: bytes, max_rows: int | None) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        check_xlsx(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except XlsxTooLarge as exc:
        raise RosterFileError("xlsx_too_large", megabytes=max(1, exc.limit // 2**20)) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise RosterFileError("xlsx_unreadable") from None
    try:
        sheet = workbook.worksheets[0]
        # The declared dimension (e.g. A1:XFD1048576) is not trusted: openpyxl would pad
        # every row to it. Read what is there, at most LIMITS.max_columns wide.
        sheet.reset_dimensions()
        rows: list[list[Any]] = []
        for row in sheet.iter_rows(max_col=LIMITS.max_columns, values_only=True):
            rows.append(list(row))
            if max_rows is not None and len(rows) > max_rows + 1:
                raise RosterFileError("too_many_rows", max=max_rows)
        return rows
    finally:
        workbook.close()


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


def _clean_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _CONTROL.sub("", unicodedata.normalize("NFC", str(value))).strip()


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _clean_text(value)
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


def normalise_phone(value: Any) -> str | None:
    """'+62 812-3456-7890' / '628123…' / '08123…' -> '08123…'; None when not a mobile number."""
    text = _clean_text(value)
    digits = re.sub(r"[^\d+]", "", text)
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    elif digits.startswith("8"):
        digits = "0" + digits
    if re.fullmatch(r"08\d{8,11}", digits):
        return digits
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
    nik_text = normalise_nik(_clean_text(cells.get("nik")))
    info = None
    if not nik_text:
        row.errors.append(Issue("nik_required"))
    else:
        try:
            info = parse_nik(nik_text, today=lookups.today)
            v["nik"] = info.nik
        except NikError as exc:
            row.errors.append(Issue(exc.code, {"nik": nik_text[:20]}))
    if info is not None:
        other = lookups.nik_kabupaten.get(info.nik)
        if other is not None and other != lookups.kabupaten_code:
            row.errors.append(Issue("nik_other_kabupaten"))

    name = _clean_text(cells.get("nama"))
    if not name:
        row.errors.append(Issue("name_required"))
    elif len(name) > MAX_NAME:
        row.errors.append(Issue("name_too_long", {"max": MAX_NAME}))
    else:
        v["name"] = " ".join(name.split())

    sex_text = _clean_text(cells.get("jenis_kelamin")).lower()
    sex = SEX.get(sex_text)
    if sex is None:
        row.errors.append(Issue("sex_invalid", {"value": sex_text[:20]}))
    else:
        v["sex"] = sex

    birth = parse_date(cells.get("tanggal_lahir"))
    if birth is None:
        row.errors.append(
            Issue("birth_date_invalid", {"value": _clean_text(cells.get("tanggal_lahir"))[:20]})
        )
    else:
        age = (
            lookups.today.year
            - birth.year
            - ((lookups.today.month, lookups.today.day) < (birth.month, birth.day))
        )
        if not 15 <= age <= 100:
            row.errors.append(Issue("birth_date_implausible", {"age": age}))
        else:
            v["birth_date"] = birth
    if info is not None:
        for code in nik_mismatches(info, v.get("birth_date"), v.get("sex")):
            row.warnings.append(Issue(code))

    phone_raw = _clean_text(cells.get("no_hp"))
    if phone_raw:
        phone = normalise_phone(phone_raw)
        if phone is None:
            row.errors.append(Issue("phone_invalid", {"value": phone_raw[:20]}))
        else:
            v["phone"] = phone
    else:
        v["phone"] = None

    edu_raw = _clean_text(cells.get("pendidikan")).lower()
    if edu_raw:
        edu = EDUCATION.get(edu_raw) or EDUCATION.get(edu_raw.split("/")[0].strip())
        if edu is None:
            row.errors.append(Issue("education_invalid", {"value": edu_raw[:20]}))
        v["education"] = edu
    else:
        v["education"] = None

    role_raw = _clean_text(cells.get("peran")).lower()
    role = ROLES.get(role_raw)
    if role is None:
        row.errors.append(Issue("role_invalid", {"value": role_raw[:20]}))
    else:
        v["role"] = role

    year_raw = _clean_text(cells.get("tahun_mulai"))
    v["start_year"] = None
    if year_raw:
        if not re.fullmatch(r"\d{4}", year_raw) or not 1970 <= int(year_raw) <= lookups.today.year:
            row.errors.append(
                Issue("start_year_invalid", {"value": year_raw[:10], "max": lookups.today.year})
            )
        elif v.get("birth_date") and int(year_raw) < v["birth_date"].year + 10:
            row.errors.append(Issue("start_year_before_birth"))
        else:
            v["start_year"] = int(year_raw)

    _resolve_posyandu(row, _clean_text(cells.get("posyandu")), lookups)


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
