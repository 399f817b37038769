"""What makes a kader record acceptable: one rulebook for the form and the roster import.

Pure: no flask, no sqlalchemy. Problems come back as codes with parameters (`Issue`), so each
caller words them in the user's language. Errors block saving; warnings (the NIK disagrees
with the recorded birth date or sex) ask for a second look.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.rosters.nik import NikError, NikInfo, nik_mismatches, normalise_nik, parse_nik

MIN_AGE, MAX_AGE = 15, 100
FIRST_START_YEAR = 1970  # the Posyandu movement began in the 1980s; earlier years are typos
MIN_START_AGE = 10  # nobody starts as a kader before the year of her tenth birthday
MAX_NAME = 120
SEXES = ("L", "P")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Issue:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class KaderInput:
    """A kader as typed or read from a file; `None` means missing or already reported unreadable."""

    nik: str
    name: str
    sex: str | None
    birth_date: date | None
    phone: str = ""
    start_year: int | str | None = None


@dataclass(frozen=True)
class KaderCheck:
    values: dict[str, Any]  # normalised values of the fields that passed
    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def clean_text(value: Any) -> str:
    """Cell or field text: NFC, no control characters, trimmed; whole floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _CONTROL.sub("", unicodedata.normalize("NFC", str(value))).strip()


def age_on(born: date, today: date) -> int:
    """Exact age in years: the birthday of this year counts from its day on."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def normalise_phone(value: Any) -> str | None:
    """'+62 812-3456-7890' / '628123…' / '08123…' -> '08123…'; None when not a mobile number."""
    digits = re.sub(r"[^\d+]", "", clean_text(value))
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    elif digits.startswith("8"):
        digits = "0" + digits
    return digits if re.fullmatch(r"08\d{8,11}", digits) else None


def check_nik(raw: str, today: date) -> tuple[NikInfo | None, Issue | None]:
    text = normalise_nik(clean_text(raw))
    if not text:
        return None, Issue("nik_required")
    try:
        return parse_nik(text, today=today), None
    except NikError as exc:
        return None, Issue(exc.code, {"nik": text[:20]})


def check_name(raw: str) -> tuple[str | None, Issue | None]:
    name = " ".join(clean_text(raw).split())
    if not name:
        return None, Issue("name_required")
    if len(name) > MAX_NAME:
        return None, Issue("name_too_long", {"max": MAX_NAME})
    return name, None


def check_birth_date(born: date, today: date) -> Issue | None:
    """Exact age between MIN_AGE and MAX_AGE years on `today`."""
    age = age_on(born, today)
    return None if MIN_AGE <= age <= MAX_AGE else Issue("birth_date_implausible", {"age": age})


def check_start_year(raw: int | str, born: date | None, today: date) -> tuple[int | None, Issue | None]:
    """From FIRST_START_YEAR to this year, and not before the kader was MIN_START_AGE."""
    text = str(raw).strip()
    if not re.fullmatch(r"\d{4}", text) or not FIRST_START_YEAR <= int(text) <= today.year:
        return None, Issue("start_year_invalid", {"value": text[:10], "max": today.year})
    if born is not None and int(text) < born.year + MIN_START_AGE:
        return None, Issue("start_year_before_birth")
    return int(text), None


def check_kader(data: KaderInput, today: date) -> KaderCheck:
    values: dict[str, Any] = {}
    errors: list[Issue] = []

    def take(key: str, value: Any, issue: Issue | None) -> None:
        if issue is not None:
            errors.append(issue)
        elif value is not None:
            values[key] = value

    info, issue = check_nik(data.nik, today)
    take("nik", info.nik if info else None, issue)
    name, issue = check_name(data.name)
    take("name", name, issue)
    if data.sex is not None:
        take("sex", data.sex, None if data.sex in SEXES else Issue("sex_invalid", {"value": data.sex[:20]}))
    if data.birth_date is not None:
        take("birth_date", data.birth_date, check_birth_date(data.birth_date, today))
    phone_raw = clean_text(data.phone)
    phone = normalise_phone(phone_raw) if phone_raw else None
    values["phone"] = phone
    if phone_raw and phone is None:
        errors.append(Issue("phone_invalid", {"value": phone_raw[:20]}))
    values["start_year"] = None
    if data.start_year not in (None, ""):
        year, issue = check_start_year(data.start_year, values.get("birth_date"), today)
        take("start_year", year, issue)
    warnings = tuple(
        Issue(code)
        for code in (nik_mismatches(info, values.get("birth_date"), values.get("sex")) if info else [])
    )
    return KaderCheck(values, tuple(errors), warnings)
