"""The one rulebook for a kader record (form and import): NIK, name, sex against the NIK,
birth date by exact age, start year with its 1970 floor, phone."""

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rosters.kader_rules import (
    FIRST_START_YEAR,
    MAX_AGE,
    MAX_NAME,
    MIN_AGE,
    KaderInput,
    age_on,
    check_birth_date,
    check_kader,
    check_start_year,
)

TODAY = date(2026, 11, 22)
SITI = KaderInput(
    nik="3329045203850001",
    name="  Siti   Aminah ",
    sex="P",
    birth_date=date(1985, 3, 12),
    phone="+62 812-3456-7890",
    start_year=2015,
)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def codes(check):
    return [i.code for i in check.errors]


def test_a_good_record_is_normalised_without_problems():
    check = check_kader(SITI, TODAY)
    assert check.ok and check.warnings == ()
    assert check.values == {
        "nik": "3329045203850001",
        "name": "Siti Aminah",
        "sex": "P",
        "birth_date": date(1985, 3, 12),
        "phone": "081234567890",
        "start_year": 2015,
    }


@given(born=st.dates(min_value=date(1900, 1, 1), max_value=date(2090, 12, 31)), days=st.integers(0, 40000))
def test_age_is_the_number_of_birthdays_reached(born, days):
    today = born + timedelta(days=days)

    def birthday(n):  # 29 February is celebrated on 1 March in other years
        try:
            return born.replace(year=born.year + n)
        except ValueError:
            return date(born.year + n, 3, 1)

    age = age_on(born, today)
    assert birthday(age) <= today < birthday(age + 1)


@pytest.mark.parametrize(
    ("born", "ok"),
    [
        (date(2011, 11, 22), True),  # 15 today
        (date(2011, 11, 23), False),  # 15 tomorrow: 14 today
        (date(1926, 11, 23), True),  # 100 still (101 tomorrow)
        (date(1925, 11, 22), False),  # 101 today
        (date(1926, 11, 22), True),  # 100 today
    ],
)
def test_age_bounds_are_exact_on_the_birthday(born, ok):
    assert (check_birth_date(born, TODAY) is None) is ok


def test_the_form_used_to_count_days_over_365_and_now_counts_birthdays():
    # 15 years of days//365 is reached a few days before the 15th birthday (leap days).
    born = date(2011, 11, 25)
    assert (TODAY - born).days // 365 == 15  # what the form used to accept
    issue = check_birth_date(born, TODAY)
    assert issue is not None and issue.code == "birth_date_implausible" and issue.params == {"age": 14}


@given(born=st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
def test_birth_date_accepted_exactly_when_the_age_is_within_bounds(born):
    issue = check_birth_date(born, TODAY)
    age = age_on(born, TODAY)
    assert (issue is None) == (MIN_AGE <= age <= MAX_AGE)
    if issue is not None:
        assert issue.params == {"age": age}


@given(year=st.integers(min_value=1900, max_value=2100), born_year=st.integers(1920, 2011))
def test_start_year_rule(year, born_year):
    born = date(born_year, 6, 15)
    value, issue = check_start_year(year, born, TODAY)
    if not FIRST_START_YEAR <= year <= TODAY.year:
        assert value is None and issue.code == "start_year_invalid"
    elif year < born_year + 10:
        assert value is None and issue.code == "start_year_before_birth"
    else:
        assert value == year and issue is None
    # Text from a file follows the same rule as the number from the form.
    assert check_start_year(str(year), born, TODAY) == (value, issue)


@pytest.mark.parametrize("text", ["19a0", "20155", "", "2015.5", "-2015"])
def test_start_year_text_that_is_not_a_year(text):
    assert check_start_year(text, None, TODAY)[1].code == "start_year_invalid"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"nik": ""}, "nik_required"),
        ({"nik": "33290452038500"}, "nik_format"),
        ({"nik": "9929045203850001"}, "nik_area"),
        ({"nik": "3329045203850000"}, "nik_serial"),
        ({"name": "   "}, "name_required"),
        ({"name": "x" * (MAX_NAME + 1)}, "name_too_long"),
        ({"sex": "perempuan"}, "sex_invalid"),
        ({"birth_date": date(2020, 1, 1)}, "birth_date_implausible"),
        ({"phone": "12345"}, "phone_invalid"),
        ({"start_year": 1969}, "start_year_invalid"),
        ({"start_year": 1990}, "start_year_before_birth"),
    ],
)
def test_each_error(change, code):
    fields = {**SITI.__dict__, **change}
    check = check_kader(KaderInput(**fields), TODAY)
    assert codes(check) == [code]
    assert not check.ok


def test_missing_optional_fields_are_none():
    check = check_kader(KaderInput(SITI.nik, "Siti", "P", date(1985, 3, 12)), TODAY)
    assert check.ok and check.values["phone"] is None and check.values["start_year"] is None


def test_unreadable_sex_or_birth_date_is_left_to_the_caller_and_not_compared():
    check = check_kader(KaderInput(SITI.nik, "Siti", None, None), TODAY)
    assert check.ok and check.warnings == ()
    assert "sex" not in check.values and "birth_date" not in check.values


@given(born=st.dates(min_value=date(1926, 11, 23), max_value=date(2011, 11, 22)), sex=st.sampled_from("LP"))
def test_nik_disagreeing_with_sex_or_birth_date_warns_and_never_blocks(born, sex):
    check = check_kader(KaderInput(SITI.nik, "Siti", sex, born), TODAY)
    assert check.ok
    warned = {i.code for i in check.warnings}
    assert ("nik_sex_mismatch" in warned) == (sex != "P")
    same_day = (born.day, born.month, born.year % 100) == (12, 3, 85)
    assert ("nik_birth_date_mismatch" in warned) == (not same_day)


def test_an_implausible_birth_date_is_not_also_compared_with_the_nik():
    check = check_kader(KaderInput(SITI.nik, "Siti", "P", TODAY - timedelta(days=1)), TODAY)
    assert codes(check) == ["birth_date_implausible"] and check.warnings == ()


@given(
    nik=st.text(max_size=30),
    name=st.text(max_size=200),
    sex=st.one_of(st.none(), st.text(max_size=3)),
    born=st.one_of(st.none(), dates),
    phone=st.text(max_size=25),
    start=st.one_of(st.none(), st.integers(-10, 3000), st.text(max_size=6)),
)
def test_any_input_gives_codes_never_exceptions(nik, name, sex, born, phone, start):
    check = check_kader(KaderInput(nik, name, sex, born, phone, start), TODAY)
    assert check.ok == (check.errors == ())
    if check.ok:
        assert {"nik", "name", "phone", "start_year"} <= check.values.keys()
        assert len(check.values["name"]) <= MAX_NAME


PURE = ["app/rosters/kader_rules.py", "app/rosters/roster_reading.py", "app/rosters/columns.py"]


@pytest.mark.parametrize("module", PURE)
def test_rule_modules_import_no_framework(module):
    tree = ast.parse((Path(__file__).resolve().parents[2] / module).read_text(encoding="utf-8"))
    imported = {
        (node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {a.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    assert not imported & {"flask", "flask_babel", "sqlalchemy", "wtforms"}
