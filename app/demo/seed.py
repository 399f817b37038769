"""A realistic, idempotent demo: two kabupaten, their Puskesmas, Pustu, Posyandu and kader.

Names are typical for the regions; NIKs are generated to be internally consistent (area of
the kecamatan, encoded birth date and sex). Area codes follow the Kemendagri pattern and come
from data/wilayah-demo.csv. Everything is demo data: the command refuses to run in production.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.auth.models import User
from app.auth.services import create_user
from app.demo.activity import seed_activity
from app.extensions import db
from app.rosters.kader_rules import KaderInput, check_kader
from app.rosters.membership import Placement, place_many
from app.rosters.models import Kader, Posyandu, Puskesmas, Pustu, RosterMembership, Wilayah, kabupaten_of
from app.rosters.services import create_kaders
from app.rosters.wilayah_import import import_wilayah, parse_wilayah_csv

WILAYAH_FILE = Path(__file__).resolve().parents[2] / "data" / "wilayah-demo.csv"

BREBES_FIRST = [
    "Siti",
    "Sri",
    "Dwi",
    "Tri",
    "Nur",
    "Ratna",
    "Eka",
    "Yuli",
    "Susi",
    "Rina",
    "Dewi",
    "Endang",
    "Umi",
    "Lilis",
    "Titin",
    "Nining",
    "Tarsih",
    "Casriah",
    "Warniti",
    "Daryati",
    "Sariah",
    "Khotimah",
    "Rohmah",
    "Sumiati",
]
BREBES_LAST = [
    "Aminah",
    "Wahyuni",
    "Lestari",
    "Rahayu",
    "Handayani",
    "Nurhayati",
    "Fatimah",
    "Maryam",
    "Khasanah",
    "Sholikhah",
    "Rokhayah",
    "Mulyani",
    "Suryani",
    "Purwati",
    "Setyowati",
    "Hidayah",
    "Zubaedah",
    "Kurniasih",
    "Fitriyani",
    "Susanti",
]
ACEH_FIRST = [
    "Cut",
    "Nurul",
    "Rahmah",
    "Khairun",
    "Safrida",
    "Yusnidar",
    "Nurmala",
    "Rosma",
    "Fitri",
    "Mawaddah",
    "Rauzah",
    "Salbiah",
    "Erna",
    "Zuraida",
    "Hasnidar",
    "Marlina",
]
ACEH_LAST = [
    "Aini",
    "Wati",
    "Nisa",
    "Yanti",
    "Hayati",
    "Mutia",
    "Safitri",
    "Rahmi",
    "Zahara",
    "Husna",
    "Fajriah",
    "Ulfa",
    "Maulida",
    "Syarifah",
]
MALE = {
    "33": ["Slamet Riyadi", "Ahmad Fauzi", "Budi Santoso", "Tarjo Sudarsono"],
    "11": ["Teuku Irwan", "Muhammad Rizal", "Zulkifli Hasan", "Syahrul Ramadhan"],
}
FLOWERS = {
    "33": [
        "Melati",
        "Mawar",
        "Anggrek",
        "Dahlia",
        "Kenanga",
        "Flamboyan",
        "Cempaka",
        "Teratai",
        "Seruni",
        "Bougenville",
        "Nusa Indah",
        "Sakura",
        "Kemuning",
        "Tulip",
        "Asoka",
    ],
    "11": [
        "Seulanga",
        "Bungong Jeumpa",
        "Meulu",
        "Kenanga",
        "Cempaka",
        "Mawar",
        "Melati",
        "Teratai",
        "Anggrek",
        "Dahlia",
    ],
}
DUSUN = {
    "33": ["Krajan", "Karanganyar", "Sidamulya", "Pesantren", "Kaliwadas", "Cikuya"],
    "11": ["Teungoh", "Baroh", "Tunong", "Meunasah", "Kuala", "Lhok"],
}
PHONE_PREFIXES = ["12", "13", "21", "52", "57", "77"]
EDUCATION = ["sd", "smp", "smp", "sma", "sma", "sma", "sma", "d3", "s1"]


@dataclass
class SeedReport:
    created: dict[str, int]

    def bump(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n


def _make_nik(rng: random.Random, kecamatan_code: str, born: date, sex: str) -> str:
    day = born.day + (40 if sex == "P" else 0)
    area = kecamatan_code.replace(".", "")
    return f"{area}{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 9999):04d}"


def _person(rng: random.Random, prov: str) -> tuple[str, str]:
    if rng.random() < 0.06:
        return rng.choice(MALE[prov]), "L"
    first, last = (BREBES_FIRST, BREBES_LAST) if prov == "33" else (ACEH_FIRST, ACEH_LAST)
    return f"{rng.choice(first)} {rng.choice(last)}", "P"


def seed_demo(password: str) -> SeedReport:
    report = SeedReport(created={})
    rows, errors = parse_wilayah_csv(WILAYAH_FILE.read_text(encoding="utf-8"))
    if errors:
        raise click.ClickException("; ".join(errors))
    result = import_wilayah(rows)
    report.bump("wilayah", result.created)

    kecamatan = db.session.scalars(
        select(Wilayah).where(Wilayah.level == "kecamatan").order_by(Wilayah.code)
    ).all()
    for kec in kecamatan:
        _seed_kecamatan(kec, report)

    _seed_accounts(password, report)
    db.session.flush()
    seed_activity(date.today(), report)  # needs the curriculum; skipped without it
    return report


def _seed_kecamatan(kec: Wilayah, report: SeedReport) -> None:
    rng = random.Random(kec.code)  # deterministic per kecamatan: re-runs produce the same data
    prov = kec.code[:2]
    desa = db.session.scalars(
        select(Wilayah).where(Wilayah.parent_code == kec.code).order_by(Wilayah.code)
    ).all()
    pkm_code = f"P{kec.code.replace('.', '')}01"
    pkm = db.session.scalar(select(Puskesmas).where(Puskesmas.code == pkm_code))
    if pkm is None:
        pkm = Puskesmas(
            code=pkm_code,
            name=f"Puskesmas {kec.name}",
            kecamatan_code=kec.code,
            kabupaten_code=kabupaten_of(kec.code),
            desa_served=list(desa),
        )
        db.session.add(pkm)
        db.session.flush()
        report.bump("puskesmas")
        db.session.add(Pustu(name=f"Pustu {desa[-1].name}", desa_code=desa[-1].code, puskesmas_id=pkm.id))
        report.bump("pustu")
    flowers = FLOWERS[prov]
    for i, d in enumerate(desa):
        code = f"PSY-{d.code.replace('.', '')}-01"
        if db.session.scalar(select(Posyandu.id).where(Posyandu.code == code)):
            continue
        flower = flowers[(int(d.code[-2:]) + len(kec.name) + i) % len(flowers)]
        posyandu = Posyandu(
            code=code,
            name=f"Posyandu {flower} {i % 3 + 1}",
            desa_code=d.code,
            dusun_rw=f"Dusun {rng.choice(DUSUN[prov])} RW {i + 1:02d}",
            puskesmas_id=pkm.id,
            kabupaten_code=kabupaten_of(d.code),
        )
        db.session.add(posyandu)
        db.session.flush()
        report.bump("posyandu")
        _seed_kader(rng, kec, posyandu, report)
    db.session.flush()
    _seed_history(rng, kec, report)


def _nik_taken(nik: str, batch: list[dict[str, Any]]) -> bool:
    return any(r["nik"] == nik for r in batch) or bool(
        db.session.scalar(select(Kader.id).where(Kader.nik == nik))
    )


def _seed_kader(rng: random.Random, kec: Wilayah, posyandu: Posyandu, report: SeedReport) -> None:
    """The Posyandu's kader, checked by the kader rules, recorded and placed by the roster services."""
    prov = kec.code[:2]
    roles = ["ketua", "sekretaris", "bendahara"] + ["anggota"] * rng.randint(3, 5)
    today = date.today()
    records: list[dict[str, Any]] = []
    starts: list[date] = []
    for _ in roles:
        name, sex = _person(rng, prov)
        born = date(rng.randint(1968, 2002), rng.randint(1, 12), rng.randint(1, 28))
        nik = _make_nik(rng, kec.code, born, sex)
        while _nik_taken(nik, records):
            nik = _make_nik(rng, kec.code, born, sex)
        start_year = rng.randint(max(2008, born.year + 18), 2024)
        phone = f"08{rng.choice(PHONE_PREFIXES)}{rng.randint(10_000_000, 99_999_999)}"
        check = check_kader(KaderInput(nik, name, sex, born, phone, start_year), today)
        if not check.ok:
            raise click.ClickException(f"demo kader {nik}: {', '.join(i.code for i in check.errors)}")
        records.append({**check.values, "education": rng.choice(EDUCATION)})
        starts.append(date(start_year, rng.randint(1, 12), 1))
    kaders = create_kaders(records, kabupaten_of(kec.code), user_id=None)
    place_many(
        [Placement(k, posyandu.id, role, on) for k, role, on in zip(kaders, roles, starts, strict=True)],
        user_id=None,
    )
    report.bump("kader", len(kaders))


def _seed_history(rng: random.Random, kec: Wilayah, report: SeedReport) -> None:
    """A few kader moved between Posyandu of their kecamatan (the roster service closes the old
    membership the day before the new one opens)."""
    if db.session.scalar(
        select(func.count())
        .select_from(RosterMembership)
        .join(Posyandu, Posyandu.id == RosterMembership.posyandu_id)
        .where(RosterMembership.end_date.is_not(None), Posyandu.desa_code.like(f"{kec.code}.%"))
    ):
        return
    posyandu = db.session.scalars(
        select(Posyandu).where(Posyandu.desa_code.like(f"{kec.code}.%")).order_by(Posyandu.code)
    ).all()
    if len(posyandu) < 2:
        return
    members = db.session.scalars(
        select(RosterMembership)
        .where(
            RosterMembership.posyandu_id == posyandu[0].id,
            RosterMembership.role == "anggota",
            RosterMembership.end_date.is_(None),
        )
        .order_by(RosterMembership.id)
    ).all()
    moves = [
        Placement(
            m.kader,
            posyandu[1].id,
            "anggota",
            max(m.start_date + timedelta(days=400), date(2024, 7, 1)) + timedelta(days=14),
            reason="Pindah domisili",
        )
        for m in members[:1]
    ]
    report.bump("roster moves", place_many(moves, user_id=None).moved)


def _seed_accounts(password: str, report: SeedReport) -> None:
    paguyangan = db.session.scalar(select(Puskesmas).where(Puskesmas.kecamatan_code == "33.29.04"))
    first_posyandu = db.session.scalar(
        select(Posyandu).where(Posyandu.puskesmas_id == paguyangan.id).order_by(Posyandu.code)
    )
    ketua = db.session.scalar(
        select(RosterMembership).where(
            RosterMembership.posyandu_id == first_posyandu.id,
            RosterMembership.role == "ketua",
            RosterMembership.end_date.is_(None),
        )
    )
    accounts = [
        dict(username="admin", full_name="Admin Sistem", role="admin"),
        dict(
            username="dinkes.brebes",
            full_name="Dinkes Kabupaten Brebes",
            role="dinkes",
            kabupaten_code="33.29",
        ),
        dict(
            username="dinkes.acehselatan",
            full_name="Dinkes Kabupaten Aceh Selatan",
            role="dinkes",
            kabupaten_code="11.01",
        ),
        dict(
            username="fasilitator.demo",
            full_name="Bidan Wulan Sari",
            role="fasilitator",
            puskesmas_id=paguyangan.id,
        ),
        dict(username="kader.demo", full_name=ketua.kader.name, role="kader", kader_id=ketua.kader_id),
    ]
    for spec in accounts:
        if db.session.scalar(select(User.id).where(User.username == spec["username"])):
            continue
        create_user(password=password, **spec)
        report.bump("accounts")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when any account already exists.")
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Build the demo data set (idempotent). Refused under the production configuration."""
    if not current_app.config.get("SEED_DEMO_ALLOWED", False):
        raise click.ClickException("seed-demo is refused under the production configuration")
    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        click.echo("database already has accounts: demo not seeded")
        return
    report = seed_demo(current_app.config["DEMO_PASSWORD"])
    db.session.commit()
    if any(report.created.values()):
        click.echo("demo data created: " + ", ".join(f"{n} {k}" for k, n in report.created.items() if n))
    else:
        click.echo("demo data already present: nothing changed")
