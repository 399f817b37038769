"""`flask roster import/export` on both databases."""

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.core.audit import AuditLog
from app.extensions import db
from app.rosters.models import Kader, RosterMembership
from tests.conftest import run_cli
from tests.integration.rosters.roster_files import csv_bytes, kader_rows, xlsx_bytes


def kader_count():
    return db.session.scalar(select(func.count()).select_from(Kader))


def test_import_then_reimport_updates_instead_of_duplicating(app, world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(kader_rows(30)))
    first = run_cli(app, "roster", "import", str(path), "--kabupaten", "33.29")
    assert first.exit_code == 0, first.output
    assert "created 30, updated 0, unchanged 0" in first.output
    assert kader_count() == 33
    again = run_cli(app, "roster", "import", str(path), "--kabupaten", "33.29")
    assert "created 0, updated 0, unchanged 30" in again.output
    rows = kader_rows(30)
    rows[0][4] = "081399990000"  # phone changed
    rows[1][6] = "PSY-B2"  # moved to another Posyandu
    path.write_bytes(csv_bytes(rows))
    third = run_cli(app, "roster", "import", str(path), "--kabupaten", "33.29")
    assert "created 0, updated 2, unchanged 28" in third.output
    assert kader_count() == 33
    moved = db.session.scalar(select(Kader).where(Kader.name == "Kader Uji 101"))
    history = db.session.scalars(
        select(RosterMembership)
        .where(RosterMembership.kader_id == moved.id)
        .order_by(RosterMembership.start_date)
    ).all()
    assert len(history) == 2 and history[0].end_date is not None and history[1].end_date is None
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "roster.imported")
        )
        == 3
    )


def test_one_bad_row_among_1000_imports_nothing_and_names_the_row(app, world, tmp_path):
    rows = kader_rows(1000)
    rows[456][3] = "31/02/1985"
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(rows, delimiter=";"))
    result = run_cli(app, "roster", "import", str(path), "--kabupaten", "33.29")
    assert result.exit_code == 1
    assert "row 458: Tanggal lahir tidak terbaca" in result.output  # header is row 1
    assert [line for line in result.output.splitlines() if line.startswith("row ")] == [
        line for line in result.output.splitlines() if line.startswith("row 458")
    ]
    assert kader_count() == 3


def test_dry_run_writes_nothing(app, world, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes(kader_rows(5)))
    result = run_cli(app, "roster", "import", str(path), "--kabupaten", "33.29", "--dry-run")
    assert result.exit_code == 0 and "dry run, nothing written: created 5" in result.output
    assert kader_count() == 3


def test_posyandu_of_another_kabupaten_is_refused(app, world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(kader_rows(2, posyandu="PSY-A1")))
    result = run_cli(app, "roster", "import", str(path), "--kabupaten", "33.29")
    assert result.exit_code == 1 and 'row 2: Posyandu "PSY-A1" berada di kabupaten lain.' in result.output
    assert kader_count() == 3


def test_nik_mismatch_warns_but_imports(app, world, tmp_path):
    rows = kader_rows(1)
    rows[0][2] = "L"
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(rows))
    result = run_cli(app, "roster", "import", str(path), "--kabupaten", "33.29")
    assert result.exit_code == 0
    assert "row 2: warning: Jenis kelamin tidak sesuai dengan NIK." in result.output
    assert kader_count() == 4


def test_unknown_kabupaten_and_bad_file(app, world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(b"")
    assert "unknown kabupaten" in run_cli(app, "roster", "import", str(path), "--kabupaten", "99.99").output
    result = run_cli(app, "roster", "import", str(path), "--kabupaten", "33.29")
    assert result.exit_code == 1 and "Berkas kosong" in result.output


def test_export_csv_and_xlsx(app, world, tmp_path):
    world.kader_brebes.name = '=HYPERLINK("http://x","klik")'
    db.session.commit()
    out = tmp_path / "kader.csv"
    result = run_cli(app, "roster", "export", "--kabupaten", "33.29", "-o", str(out))
    assert result.exit_code == 0 and "wrote 2 kader" in result.output
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:3] == ["NIK", "Nama", "Jenis Kelamin"] and rows[0][-2:] == ["Tingkat", "No Sertifikat"]
    names = {r[1] for r in rows[1:]}
    assert '\'=HYPERLINK("http://x","klik")' in names and "Sri Wahyuni" in names
    posyandu = {r[1]: r[8] for r in rows[1:]}
    assert posyandu["Sri Wahyuni"] == "Posyandu Mawar 2"
    xlsx = tmp_path / "kader.xlsx"
    run_cli(app, "roster", "export", "--kabupaten", "33.29", "-o", str(xlsx))
    sheet = load_workbook(xlsx).active
    values = [c.value for c in sheet["B"]]
    assert values[0] == "Nama" and '\'=HYPERLINK("http://x","klik")' in values
    assert all(
        not (isinstance(v, str) and v.startswith("="))
        for row in sheet.iter_rows(values_only=True)
        for v in row
    )
