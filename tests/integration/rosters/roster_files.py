"""Roster files for import tests, made in memory."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

from app.rosters.roster_file import TEMPLATE_HEADER


def nik_for(n: int, born: date = date(1985, 3, 12), sex: str = "P") -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"332904{day:02d}{born.month:02d}{born.year % 100:02d}{n % 9999 + 1:04d}"


def kader_rows(count: int, posyandu: str = "PSY-B1", start: int = 100) -> list[list[str]]:
    rows = []
    for i in range(count):
        born = date(1970 + i % 30, 1 + i % 12, 1 + i % 28)
        rows.append(
            [
                nik_for(start + i, born),
                f"Kader Uji {start + i}",
                "P",
                born.strftime("%d/%m/%Y"),
                f"0812{start + i:08d}",
                "SMA",
                posyandu,
                "anggota",
                "2018",
            ]
        )
    return rows


def csv_bytes(rows, header=TEMPLATE_HEADER, delimiter=",", encoding="utf-8") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(map(str, r)) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows, header=TEMPLATE_HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
