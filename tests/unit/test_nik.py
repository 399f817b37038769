from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rosters.nik import NikError, mask_nik, nik_mismatches, normalise_nik, parse_nik

TODAY = date(2026, 11, 22)


def test_woman_gets_40_added_to_day():
    info = parse_nik("3329045203850001", today=TODAY)
    assert info.sex == "P"
    assert info.birth_date == date(1985, 3, 12)
    assert info.area_code == "33.29.04"


def test_man_day_as_is():
    info = parse_nik("3329041203050001", today=TODAY)
    assert info.sex == "L"
    assert info.birth_date == date(2005, 3, 12)


def test_two_digit_year_after_this_year_is_last_century():
    assert parse_nik("3329041203270001", today=TODAY).birth_date.year == 1927
    assert parse_nik("3329041203260001", today=TODAY).birth_date.year == 2026


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("332904520385000", "nik_format"),  # 15 digits
        ("33290452038500011", "nik_format"),  # 17 digits
        ("33290452O3850001", "nik_format"),  # letter O
        ("", "nik_format"),
        ("9929045203850001", "nik_area"),  # no province 99
        ("3300045203850001", "nik_area"),  # kabupaten 00
        ("3329005203850001", "nik_area"),  # kecamatan 00
        ("3329043202850001", "nik_birth_date"),  # 32 Feb
        ("3329047203850001", "nik_birth_date"),  # woman day 72 -> 32
        ("3329041213850001", "nik_birth_date"),  # month 13
        ("3329042902850001", "nik_birth_date"),  # 29 Feb 1985 (not a leap year)
        ("3329045203850000", "nik_serial"),
        ("3329040000850001", "nik_birth_date"),  # day 0
    ],
)
def test_invalid_niks_name_the_problem(nik, code):
    with pytest.raises(NikError) as exc:
        parse_nik(nik, today=TODAY)
    assert exc.value.code == code


def test_future_birth_date_rejected():
    with pytest.raises(NikError):
        parse_nik("3329041212260001", today=TODAY)  # 12 Dec 2026 is after today


def test_leap_day_accepted():
    assert parse_nik("3329046902840001", today=TODAY).birth_date == date(1984, 2, 29)


def test_normalise_strips_separators_and_spreadsheet_float():
    assert normalise_nik(" 3329 0452 0385 0001 ") == "3329045203850001"
    assert normalise_nik("3329.0452.0385.0001") == "3329045203850001"
    assert normalise_nik("3329045203850001.0") == "3329045203850001"
    assert normalise_nik("'3329045203850001") == "3329045203850001"


def test_mismatch_is_reported_not_raised():
    info = parse_nik("3329045203850001", today=TODAY)
    assert nik_mismatches(info, date(1985, 3, 12), "P") == []
    assert nik_mismatches(info, date(1985, 3, 13), "P") == ["nik_birth_date_mismatch"]
    assert nik_mismatches(info, date(1985, 3, 12), "L") == ["nik_sex_mismatch"]
    assert nik_mismatches(info, None, None) == []


def test_mask_hides_birth_date():
    assert mask_nik("3329045203850001") == "3329************"
    assert "520385" not in mask_nik("3329045203850001")


@given(
    born=st.dates(min_value=date(1927, 1, 1), max_value=TODAY),
    sex=st.sampled_from(["L", "P"]),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_round_trip_any_valid_birth_date(born, sex, serial):
    day = born.day + (40 if sex == "P" else 0)
    nik = f"332904{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
    info = parse_nik(nik, today=TODAY)
    assert info.sex == sex
    assert (info.birth_date.day, info.birth_date.month) == (born.day, born.month)
    assert info.birth_date.year % 100 == born.year % 100
    assert nik_mismatches(info, born, sex) == []


@given(st.text(max_size=40))
def test_arbitrary_text_never_crashes(text):
    try:
        info = parse_nik(text, today=TODAY)
    except NikError as exc:
        assert exc.code.startswith("nik_")
    else:
        assert len(info.nik) == 16 and info.nik.isdigit()
