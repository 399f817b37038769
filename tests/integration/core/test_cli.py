from sqlalchemy import func, select

from app.auth.models import User
from app.demo.seed import WILAYAH_FILE
from app.extensions import db
from app.rosters.models import Kader, Posyandu, RosterMembership, Wilayah
from tests.conftest import run_cli


def test_seed_demo_is_idempotent_and_complete(app):
    first = run_cli(app, "seed-demo")
    assert first.exit_code == 0, first.output
    assert "demo data created" in first.output
    counts = {
        m.__name__: db.session.scalar(select(func.count()).select_from(m))
        for m in (Wilayah, Posyandu, Kader, RosterMembership, User)
    }
    assert counts["Posyandu"] >= 20 and counts["Kader"] >= 150
    assert {u for u in db.session.scalars(select(User.username))} >= {
        "admin",
        "dinkes.brebes",
        "dinkes.acehselatan",
        "fasilitator.demo",
        "kader.demo",
    }
    assert (
        db.session.scalar(
            select(func.count()).select_from(RosterMembership).where(RosterMembership.end_date.is_not(None))
        )
        > 0
    )  # some history
    second = run_cli(app, "seed-demo")
    assert second.exit_code == 0 and "nothing changed" in second.output
    assert counts == {
        m.__name__: db.session.scalar(select(func.count()).select_from(m))
        for m in (Wilayah, Posyandu, Kader, RosterMembership, User)
    }


def test_demo_accounts_use_demo_password(app):
    app.config["DEMO_PASSWORD"] = "lain-dari-biasa-42"
    run_cli(app, "seed-demo")
    for username in ("admin", "dinkes.brebes", "dinkes.acehselatan", "fasilitator.demo", "kader.demo"):
        user = db.session.scalar(select(User).where(User.username == username))
        assert user.check_password("lain-dari-biasa-42"), username


def test_demo_kader_niks_are_consistent(app):
    from app.rosters.nik import nik_mismatches, parse_nik

    run_cli(app, "seed-demo")
    for kader in db.session.scalars(select(Kader)):
        info = parse_nik(kader.nik)
        assert nik_mismatches(info, kader.birth_date, kader.sex) == []


def test_seed_demo_if_empty_skips_populated_database(app, world):
    result = run_cli(app, "seed-demo", "--if-empty")
    assert result.exit_code == 0 and "not seeded" in result.output


def test_seed_demo_refused_in_production(app):
    app.config["SEED_DEMO_ALLOWED"] = False
    result = run_cli(app, "seed-demo")
    assert result.exit_code != 0 and "production" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_user_for_each_scope(app, world):
    args = ["create-user", "--password-stdin", "--username"]
    result = run_cli(
        app,
        *args,
        "dinkes.baru",
        "--role",
        "dinkes",
        "--full-name",
        "Dinkes Baru",
        "--kabupaten",
        "33.29",
        input="panjang-sekali-aman\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "dinkes.baru"))
    assert user.kabupaten_code == "33.29" and user.check_password("panjang-sekali-aman")
    bad_scope = run_cli(
        app,
        *args,
        "f2",
        "--role",
        "fasilitator",
        "--full-name",
        "F",
        "--puskesmas",
        "NOPE",
        input="panjang-sekali-aman\n",
    )
    assert bad_scope.exit_code != 0 and "Puskesmas" in bad_scope.output
    weak = run_cli(app, *args, "a2", "--role", "admin", "--full-name", "A", input="pendek\n")
    assert weak.exit_code != 0 and "too_short" in weak.output
    assert db.session.scalar(select(User).where(User.username == "a2")) is None


def test_wilayah_import_is_idempotent_and_validates(app, tmp_path):
    result = run_cli(app, "wilayah", "import", str(WILAYAH_FILE))
    assert result.exit_code == 0 and "created 36" in result.output
    assert db.session.get(Wilayah, "33.29.04").parent_code == "33.29"
    again = run_cli(app, "wilayah", "import", str(WILAYAH_FILE))
    assert "created 0, updated 0, unchanged 36" in again.output
    bad = tmp_path / "bad.csv"
    bad.write_text("kode,nama\n33.29.99.2001,Desa Yatim\n3x.29,Salah\n", encoding="utf-8")
    result = run_cli(app, "wilayah", "import", str(bad))
    assert result.exit_code == 1 and "row 3" in result.output
