"""Tabular exports to CSV and XLSX, neutralised against spreadsheet formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from flask import Response, send_file
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv"  # Werkzeug appends "; charset=utf-8" to text types: say it once
FORMATS = ("csv", "xlsx")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP advice).

    Numbers and dates stay typed; only strings are touched.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(value)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with BOM so Excel opens Indonesian names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Data") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise(h) for h in header])
    for row in rows:
        sheet.append(["" if v is None else neutralise(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def send_table(
    header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, filename: str, title: str = "Data"
) -> Response:
    """A table as a CSV or XLSX download named `<filename>.<fmt>`."""
    data = to_csv(header, rows) if fmt == "csv" else to_xlsx(header, rows, title)
    return send_file(
        io.BytesIO(data),
        mimetype=CSV_MIMETYPE if fmt == "csv" else XLSX_MIMETYPE,
        as_attachment=True,
        download_name=f"{filename}.{fmt}",
    )
