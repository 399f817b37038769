"""Roster files (CSV or XLSX) -> a header and rows of cells. Pure: no flask, no sqlalchemy.

CSV in UTF-8 (with or without BOM) or Windows-1252, comma or semicolon; XLSX (first sheet).
A file that cannot be read as a whole raises RosterFileError with a code and parameters.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any

from app.rosters.kader_rules import Issue
from app.rosters.xlsx_limits import LIMITS, XlsxTooLarge, check_xlsx


class RosterFileError(ValueError):
    """The file as a whole cannot be read (empty, wrong format, bad header, too many rows)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.issue = Issue(code, params)


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
