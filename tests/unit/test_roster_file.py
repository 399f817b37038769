"""Roster file reading and row validation (pure)."""

import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from app.rosters.roster_file import (
    TEMPLATE_HEADER,
    Lookups,
    PosyanduRef,
    RosterFileError,
    decode_csv,
    map_header,
    normalise_phone,
    parse_date,
    read_table,
    validate_rows,
)

TODAY = date(2026, 11, 22)
MELATI = PosyanduRef(1, "PSY-B1", "Posyandu Melati 1", "33.29")
MAWAR_A = PosyanduRef(2, "PSY-B2", "Posyandu Mawar", "33.29")
MAWAR_B = PosyanduRef(3, "PSY-B3", "Posyandu Mawar", "33.29")
ACEH = PosyanduRef(4, "PSY-A1", "Posyandu Seulanga", "11.01")
LOOKUPS = Lookups(
    kabupaten_code="33.29",
    posyandu_by_code={p.code: p for p in (MELATI, MAWAR_A, MAWAR_B, ACEH)},
    posyandu_by_name={"posyandu melati 1": [MELATI], "posyandu mawar": [MAWAR_A, MAWAR_B]},
    nik_kabupaten={"1101055203850003": "11.01"},
    today=TODAY,
)
GOOD = [
    "3329045203850001",
    "Siti Aminah",
    "P",
    "12/03/1985",
    "0812-3456-7890",
    "SMA",
    "PSY-B1",
    "ketua",
    "2015",
]


def rows_of(*data, header=TEMPLATE_HEADER):
    return validate_rows(list(header), [list(r) for r in data], LOOKUPS)


def codes(row):
    return [i.code for i in row.errors]


def test_good_row_is_normalised():
    (row,) = rows_of(GOOD)
    assert row.ok and row.warnings == []
    assert row.values == {
        "nik": "3329045203850001",
        "name": "Siti Aminah",
        "sex": "P",
        "birth_date": date(1985, 3, 12),
        "phone": "081234567890",
        "education": "sma",
        "role": "ketua",
        "start_year": 2015,
        "posyandu_id": 1,
    }


def test_csv_utf8_comma_and_cp1252_semicolon():
    header = ",".join(TEMPLATE_HEADER)
    utf8 = (header + "\n" + ",".join(GOOD).replace("Siti Aminah", "Siti Nur’aini") + "\n").encode("utf-8")
    h, body = read_table(utf8, "a.csv")
    assert h == list(TEMPLATE_HEADER) and body[0][1] == "Siti Nur’aini"
    cp = (";".join(TEMPLATE_HEADER) + "\r\n" + ";".join(GOOD).replace("Siti Aminah", "Siti Nur’aini")).encode(
        "cp1252"
    )
    h, body = read_table(cp, "b.csv")
    assert body[0][1] == "Siti Nur’aini" and len(body[0]) == 9
    bom = b"\xef\xbb\xbf" + utf8
    assert read_table(bom, "c.csv")[0][0] == "NIK"


def test_a_csv_mixing_utf8_and_cp1252_is_refused_with_the_row_and_bytes():
    header = ",".join(TEMPLATE_HEADER).encode()
    row1 = ",".join(GOOD).replace("Siti Aminah", "Dhién").encode("utf-8")
    row2 = ",".join(GOOD).replace("Siti Aminah", "Désa Ayu").encode("cp1252")
    with pytest.raises(RosterFileError) as exc:
        read_table(header + b"\n" + row1 + b"\n" + row2 + b"\n", "campur.csv")
    assert exc.value.issue.code == "encoding_mixed"
    assert exc.value.issue.params == {"row": 3, "bytes": "E9"}


def test_bytes_that_no_single_encoding_reads_are_refused():
    header = ",".join(TEMPLATE_HEADER).encode()
    row = ",".join(GOOD).encode().replace(b"Siti", b"Si\x81ti")  # 0x81 is unassigned in cp1252
    with pytest.raises(RosterFileError) as exc:
        read_table(header + b"\n" + row, "rusak.csv")
    assert exc.value.issue.code == "encoding_unknown" and exc.value.issue.params["row"] == 2
    bom_then_cp1252 = b"\xef\xbb\xbf" + header + b"\n" + row.replace(b"\x81", b"\xe9")
    with pytest.raises(RosterFileError) as exc:
        read_table(bom_then_cp1252, "bom.csv")
    assert exc.value.issue.code == "encoding_mixed"


@given(st.text(alphabet=st.characters(codec="cp1252", exclude_categories=("Cc", "Cs")), max_size=40))
def test_any_name_saved_in_one_encoding_reads_back_unchanged(name):
    header = ",".join(TEMPLATE_HEADER)
    line = ",".join(GOOD).replace("Siti Aminah", name.replace(",", " ").replace('"', " "))
    text = header + "\n" + line + "\n"
    assert decode_csv(text.encode("utf-8")) == text
    cp = text.encode("cp1252")
    try:
        cp.decode("utf-8")
    except UnicodeDecodeError:
        try:  # read right, or refused (e.g. "Â" + NBSP looks like UTF-8): never garbled
            assert decode_csv(cp) == text
        except RosterFileError as exc:
            assert exc.issue.code == "encoding_mixed"
    else:  # e.g. "Ã©": its cp1252 bytes are also valid UTF-8; the UTF-8 reading wins
        assert decode_csv(cp) == cp.decode("utf-8")


def test_xlsx_with_typed_cells():
    wb = Workbook()
    ws = wb.active
    ws.append(list(TEMPLATE_HEADER))
    ws.append(
        [3329045203850001, "Siti Aminah", "P", date(1985, 3, 12), 81234567890, "SMA", "PSY-B1", "Ketua", 2015]
    )
    out = io.BytesIO()
    wb.save(out)
    header, body = read_table(out.getvalue(), "r.xlsx")
    (row,) = validate_rows(header, body, LOOKUPS)
    assert row.ok, row.errors
    assert row.values["nik"] == "3329045203850001" and row.values["phone"] == "081234567890"


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "a.csv", "file_empty"),
        (b"   \n\n", "a.csv", "file_empty"),
        (",".join(TEMPLATE_HEADER).encode(), "a.csv", "no_data_rows"),
        (b"not a zip", "a.xlsx", "xlsx_unreadable"),
        (b"PK\x03\x04garbage", "a.xlsx", "xlsx_unreadable"),
        ("NIK,Nama\n1,2\n".encode("utf-16"), "a.csv", "not_a_table"),
    ],
)
def test_unreadable_files(data, name, code):
    with pytest.raises(RosterFileError) as exc:
        read_table(data, name)
    assert exc.value.issue.code == code


def test_too_many_rows_refused_before_validation():
    data = (",".join(TEMPLATE_HEADER) + "\n" + (",".join(GOOD) + "\n") * 51).encode()
    with pytest.raises(RosterFileError) as exc:
        read_table(data, "big.csv", max_rows=50)
    assert exc.value.issue.code == "too_many_rows"


def test_header_aliases_and_problems():
    assert map_header(["nik", "Nama Lengkap", "JK", "tgl lahir", "Posyandu"])["jenis_kelamin"] == 2
    with pytest.raises(RosterFileError) as exc:
        map_header(["NIK", "Nama", "Posyandu"])
    assert exc.value.issue.code == "columns_missing"
    assert "Jenis Kelamin" in exc.value.issue.params["columns"]
    with pytest.raises(RosterFileError) as exc:
        map_header([*TEMPLATE_HEADER, "Golongan Darah"])
    assert exc.value.issue == exc.value.issue.__class__("columns_unknown", {"columns": "Golongan Darah"})
    with pytest.raises(RosterFileError) as exc:
        map_header([*TEMPLATE_HEADER, "nik"])
    assert exc.value.issue.code == "columns_repeated"


@pytest.mark.parametrize(
    ("index", "value", "code"),
    [
        (0, "", "nik_required"),
        (0, "33290452038500", "nik_format"),
        (0, "9929045203850001", "nik_area"),
        (0, "1101055203850003", "nik_other_kabupaten"),
        (1, "", "name_required"),
        (1, "x" * 121, "name_too_long"),
        (2, "X", "sex_invalid"),
        (3, "31/02/1985", "birth_date_invalid"),
        (3, "kemarin", "birth_date_invalid"),
        (3, "01/01/2020", "birth_date_implausible"),
        (4, "12345", "phone_invalid"),
        (5, "pesantren", "education_invalid"),
        (6, "", "posyandu_required"),
        (6, "Posyandu Anggrek", "posyandu_unknown"),
        (6, "PSY-A1", "posyandu_other_kabupaten"),
        (6, "posyandu mawar", "posyandu_ambiguous"),
        (7, "wakil ketua", "role_invalid"),
        (8, "1969", "start_year_invalid"),
        (8, "2027", "start_year_invalid"),
        (8, "1990", "start_year_before_birth"),
    ],
)
def test_each_field_error(index, value, code):
    bad = list(GOOD)
    bad[index] = value
    (row,) = rows_of(bad)
    assert code in codes(row)


def test_nik_mismatch_is_a_warning_not_an_error():
    bad = list(GOOD)
    bad[2] = "L"
    bad[3] = "13/03/1985"
    (row,) = rows_of(bad)
    assert row.ok
    assert sorted(i.code for i in row.warnings) == ["nik_birth_date_mismatch", "nik_sex_mismatch"]


def test_duplicate_nik_in_file_names_the_first_row():
    rows = rows_of(GOOD, GOOD)
    assert rows[0].ok
    assert rows[1].errors[0].code == "nik_duplicate_in_file" and rows[1].errors[0].params == {"row": 2}


def test_optional_fields_may_be_empty_and_name_html_is_kept_as_text():
    row_data = list(GOOD)
    row_data[1] = "<script>alert(1)</script> Siti"
    row_data[4] = row_data[5] = row_data[7] = row_data[8] = ""
    (row,) = rows_of(row_data)
    assert row.ok
    assert row.values["name"] == "<script>alert(1)</script> Siti"  # escaped at output, stored as typed
    assert row.values["role"] == "anggota" and row.values["phone"] is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+62 812-3456-7890", "081234567890"),
        ("6281234567890", "081234567890"),
        ("81234567890", "081234567890"),
        ("0812 3456 789", "08123456789"),
        ("021-555-1234", None),
        ("0812", None),
        ("", None),
    ],
)
def test_phone_normalisation(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1985-03-12", date(1985, 3, 12)),
        ("12/03/1985", date(1985, 3, 12)),
        ("12-3-1985", date(1985, 3, 12)),
        ("12.03.1985", date(1985, 3, 12)),
        ("1985/03/12", None),
        ("29/02/1985", None),
    ],
)
def test_date_formats(raw, expected):
    assert parse_date(raw) == expected


hostile = st.one_of(
    st.text(max_size=200),
    st.integers(),
    st.floats(allow_nan=True),
    st.none(),
    st.dates(),
    st.sampled_from(["=cmd|' /C calc'!A0", "<img src=x>", "'; DROP TABLE kader;--"]),
)


@settings(max_examples=200)
@given(st.lists(st.lists(hostile, min_size=0, max_size=12), min_size=1, max_size=5))
def test_any_cell_values_give_rows_with_codes_never_exceptions(body):
    for row in validate_rows(list(TEMPLATE_HEADER), body, LOOKUPS):
        assert all(isinstance(i.code, str) for i in row.errors + row.warnings)
        if row.ok:
            assert {"nik", "name", "sex", "birth_date", "posyandu_id", "role"} <= set(row.values)


@settings(max_examples=100)
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused_cleanly(data):
    try:
        read_table(data, "x.csv")
    except RosterFileError as exc:
        assert exc.issue.code


def test_one_list_of_kader_columns_for_template_export_and_list_download():
    from app.rosters import columns
    from app.rosters.export import KADER_LIST_HEADER, ROSTER_EXPORT_HEADER

    # The import reads its own template, every column of it, by the same names.
    assert map_header(list(TEMPLATE_HEADER)) == {key: i for i, key in enumerate(columns.TEMPLATE)}
    record = columns.headers(columns.RECORD)
    assert ROSTER_EXPORT_HEADER[: len(record)] == record == KADER_LIST_HEADER[: len(record)]
    # Every kader-record column a download writes is one the import reads back.
    assert set(record) <= set(TEMPLATE_HEADER)
