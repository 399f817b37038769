"""NIK (Nomor Induk Kependudukan) checks. Pure: no flask, no sqlalchemy.

Layout (16 digits): 1-2 provinsi, 3-4 kabupaten/kota, 5-6 kecamatan of issuance;
7-12 birth date DDMMYY with 40 added to DD for women; 13-16 serial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Kemendagri province codes, including the Papua provinces created in 2022.
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        "31", "32", "33", "34", "35", "36", "51", "52", "53",
        "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
        "81", "82", "91", "92", "93", "94", "95", "96",
    }
)  # fmt: skip

_DIGITS16 = re.compile(r"\d{16}")


@dataclass(frozen=True)
class NikInfo:
    nik: str
    area_code: str  # "33.29.04": provinsi.kabupaten.kecamatan
    birth_date: date
    sex: str  # "L" or "P"


class NikError(ValueError):
    """The NIK cannot be valid. `code` names the problem for translated messages."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def normalise_nik(raw: str) -> str:
    """Strip spaces, dots and dashes that people type or spreadsheets add."""
    text = str(raw).strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a number read from a spreadsheet cell
        text = text[:-2]
    return re.sub(r"[\s.\-']", "", text)


def parse_nik(raw: str, today: date | None = None) -> NikInfo:
    """Parse and validate a NIK; raise NikError with a code when it cannot be valid."""
    nik = normalise_nik(raw)
    if not _DIGITS16.fullmatch(nik):
        raise NikError("nik_format")
    prov, kab, kec = nik[0:2], nik[2:4], nik[4:6]
    if prov not in PROVINCE_CODES or kab == "00" or kec == "00":
        raise NikError("nik_area")
    if nik[12:16] == "0000":
        raise NikError("nik_serial")
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "L"
    if day > 40:
        day -= 40
        sex = "P"
    today = today or date.today()
    # Two-digit year: a year after this one cannot be a birth year, so it is the last century.
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    try:
        born = date(year, month, day)
    except ValueError:
        raise NikError("nik_birth_date") from None
    if born > today:
        raise NikError("nik_birth_date")
    return NikInfo(nik=nik, area_code=f"{prov}.{kab}.{kec}", birth_date=born, sex=sex)


def nik_mismatches(info: NikInfo, birth_date: date | None, sex: str | None) -> list[str]:
    """Where the recorded birth date or sex disagrees with the NIK (a warning, not an error).

    Only day, month and two-digit year are encoded, so the century is not compared.
    """
    problems: list[str] = []
    if birth_date is not None and (
        (birth_date.day, birth_date.month, birth_date.year % 100)
        != (info.birth_date.day, info.birth_date.month, info.birth_date.year % 100)
    ):
        problems.append("nik_birth_date_mismatch")
    if sex is not None and sex != info.sex:
        problems.append("nik_sex_mismatch")
    return problems


def mask_nik(nik: str) -> str:
    """Only the kabupaten part: 3329************.

    The serial is the one part of a NIK nobody can guess: the kecamatan follows from where a
    kader lives and digits 7-12 from her birth date and sex, which pages show. So the serial
    stays hidden, or a masked NIK plus a birth date would give the whole number away."""
    return nik[:4] + "*" * 12 if len(nik) == 16 else "*" * len(nik)
