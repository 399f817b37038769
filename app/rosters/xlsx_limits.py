"""Bound the work an uploaded XLSX can cause before any XML is parsed. Pure.

An XLSX is a ZIP of XML. A few hundred kilobytes can declare a sheet of 17 billion cells, hold
millions of empty cells or one shared string of a gigabyte; openpyxl would try to build all of
it. We read the ZIP directory first (declared sizes are enforced by `zipfile` while reading:
an entry that inflates past its declared size fails its check) and refuse what no roster of
kader needs, so that one upload stays within a few tens of megabytes and fails in well under a
second.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class XlsxLimits:
    max_entries: int = 300
    max_total_bytes: int = 64 * 2**20  # all parts, uncompressed
    max_sheet_bytes: int = 32 * 2**20  # ~80,000 roster rows of 9 columns
    max_shared_strings_bytes: int = 16 * 2**20
    max_columns: int = 40  # a roster has 9; spare columns are refused by the header check


LIMITS = XlsxLimits()


class XlsxTooLarge(ValueError):
    """The file would take more work to read than any roster needs."""

    def __init__(self, part: str, size: int, limit: int) -> None:
        super().__init__(part)
        self.part, self.size, self.limit = part, size, limit


def check_xlsx(data: bytes, limits: XlsxLimits = LIMITS) -> None:
    """Raise zipfile.BadZipFile for a broken ZIP, XlsxTooLarge for one that asks too much."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        if len(entries) > limits.max_entries:
            raise XlsxTooLarge("entries", len(entries), limits.max_entries)
        total = 0
        for entry in entries:
            total += entry.file_size
            name = entry.filename.lower()
            if name.startswith("xl/worksheets/") and entry.file_size > limits.max_sheet_bytes:
                raise XlsxTooLarge("sheet", entry.file_size, limits.max_sheet_bytes)
            if name == "xl/sharedstrings.xml" and entry.file_size > limits.max_shared_strings_bytes:
                raise XlsxTooLarge("shared_strings", entry.file_size, limits.max_shared_strings_bytes)
        if total > limits.max_total_bytes:
            raise XlsxTooLarge("total", total, limits.max_total_bytes)
