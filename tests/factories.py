"""A small two-district world for integration tests: Brebes and Aceh Selatan, each with a
Puskesmas, two Posyandu and kader, plus one account per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from app.auth.models import User
from app.auth.services import create_user
from app.extensions import db
from app.rosters.models import Kader, Posyandu, Puskesmas, RosterMembership, Wilayah

PASSWORD = "rahasia-uji-123"


@dataclass
class World:
    posyandu_brebes: Posyandu
    posyandu_brebes_2: Posyandu
    posyandu_aceh: Posyandu
    puskesmas_brebes: Puskesmas
    puskesmas_aceh: Puskesmas
    kader_brebes: Kader
    kader_brebes_other: Kader
    kader_aceh: Kader
    users: dict[str, User]


def add_areas(prefix: str, prov_name: str, kab_name: str, kec_name: str, desa: list[str]) -> None:
    prov, kab, kec = prefix[:2], prefix[:5], prefix
    db.session.add(Wilayah(code=prov, name=prov_name, level="provinsi"))
    db.session.add(Wilayah(code=kab, name=kab_name, level="kabupaten", parent_code=prov))
    db.session.add(Wilayah(code=kec, name=kec_name, level="kecamatan", parent_code=kab))
    for i, name in enumerate(desa, start=1):
        db.session.add(Wilayah(code=f"{kec}.{2000 + i}", name=name, level="desa", parent_code=kec))
    db.session.flush()


def add_kader(
    nik: str,
    name: str,
    posyandu: Posyandu,
    role: str = "anggota",
    sex: str = "P",
    born: date = date(1985, 3, 12),
) -> Kader:
    kader = Kader(
        nik=nik,
        name=name,
        sex=sex,
        birth_date=born,
        phone=None,
        education="sma",
        start_year=2015,
        kabupaten_code=posyandu.kabupaten_code,
    )
    db.session.add(kader)
    db.session.flush()
    db.session.add(
        RosterMembership(kader_id=kader.id, posyandu_id=posyandu.id, role=role, start_date=date(2015, 1, 1))
    )
    db.session.flush()
    return kader


def build_world() -> World:
    add_areas("33.29.04", "Jawa Tengah", "Kabupaten Brebes", "Paguyangan", ["Cilibur", "Kretek"])
    add_areas("11.01.05", "Aceh", "Kabupaten Aceh Selatan", "Tapaktuan", ["Hilir", "Pasar"])
    pkm_b = Puskesmas(
        code="PKM-B", name="Puskesmas Paguyangan", kecamatan_code="33.29.04", kabupaten_code="33.29"
    )
    pkm_a = Puskesmas(
        code="PKM-A", name="Puskesmas Tapaktuan", kecamatan_code="11.01.05", kabupaten_code="11.01"
    )
    db.session.add_all([pkm_b, pkm_a])
    db.session.flush()
    p_b = Posyandu(
        code="PSY-B1",
        name="Posyandu Melati 1",
        desa_code="33.29.04.2001",
        puskesmas_id=pkm_b.id,
        kabupaten_code="33.29",
        dusun_rw="RW 01",
    )
    p_b2 = Posyandu(
        code="PSY-B2",
        name="Posyandu Mawar 2",
        desa_code="33.29.04.2002",
        puskesmas_id=pkm_b.id,
        kabupaten_code="33.29",
    )
    p_a = Posyandu(
        code="PSY-A1",
        name="Posyandu Seulanga 1",
        desa_code="11.01.05.2001",
        puskesmas_id=pkm_a.id,
        kabupaten_code="11.01",
    )
    db.session.add_all([p_b, p_b2, p_a])
    db.session.flush()
    k_b = add_kader("3329045203850001", "Siti Aminah", p_b, role="ketua")
    k_b2 = add_kader("3329045203850002", "Sri Wahyuni", p_b2)
    k_a = add_kader("1101055203850003", "Cut Nurul Aini", p_a, role="ketua")
    users = {
        "admin": create_user(username="admin", password=PASSWORD, full_name="Admin", role="admin"),
        "dinkes": create_user(
            username="dinkes.brebes",
            password=PASSWORD,
            full_name="Dinkes Brebes",
            role="dinkes",
            kabupaten_code="33.29",
        ),
        "dinkes_other": create_user(
            username="dinkes.acehselatan",
            password=PASSWORD,
            full_name="Dinkes Aceh Selatan",
            role="dinkes",
            kabupaten_code="11.01",
        ),
        "fasilitator": create_user(
            username="fasilitator.paguyangan",
            password=PASSWORD,
            full_name="Bidan Wulan",
            role="fasilitator",
            puskesmas_id=pkm_b.id,
        ),
        "kader": create_user(
            username="kader.siti", password=PASSWORD, full_name="Siti Aminah", role="kader", kader_id=k_b.id
        ),
    }
    db.session.commit()
    return World(p_b, p_b2, p_a, pkm_b, pkm_a, k_b, k_b2, k_a, users)


def grant(kader: Kader, *codes: str) -> None:
    """Record mastered skills directly (the quiz + practical chain is tested on its own).

    Like the app's own services, it keeps the kader's level summary in step.
    """
    from app.curriculum.models import Skill
    from app.progress.levels import refresh_levels
    from app.progress.models import SkillAchievement

    for code in codes:
        skill_id = db.session.scalar(select(Skill.id).where(Skill.code == code))
        db.session.add(
            SkillAchievement(
                kader_id=kader.id, skill_id=skill_id, achieved_at=datetime(2026, 10, 1, tzinfo=UTC)
            )
        )
    db.session.flush()
    refresh_levels([kader.id])
    db.session.commit()


def k01_session(world: World, kader_ids: list[int] | None = None, code: str = "K01"):
    """Today's assessment session at Posyandu Melati 1 by the Paguyangan fasilitator, for one skill."""
    from app.curriculum.models import Skill
    from app.practicals.services import create_session

    return create_session(
        posyandu=world.posyandu_brebes,
        assessor_id=world.users["fasilitator"].id,
        session_date=date.today(),
        today=date.today(),
        skills=[db.session.scalar(select(Skill).where(Skill.code == code))],
        kader_ids=[world.kader_brebes.id] if kader_ids is None else kader_ids,
        note=None,
    )


def add_bumiayu() -> tuple[Puskesmas, Posyandu]:
    """A second kecamatan of Brebes (Bumiayu) with its Puskesmas and one Posyandu (Anggrek)."""
    db.session.add_all(
        [
            Wilayah(code="33.29.05", name="Bumiayu", level="kecamatan", parent_code="33.29"),
            Wilayah(code="33.29.05.2001", name="Kalierang", level="desa", parent_code="33.29.05"),
        ]
    )
    puskesmas = Puskesmas(
        code="PKM-BMY", name="Puskesmas Bumiayu", kecamatan_code="33.29.05", kabupaten_code="33.29"
    )
    db.session.add(puskesmas)
    db.session.flush()
    posyandu = Posyandu(
        code="PSY-B3",
        name="Posyandu Anggrek",
        desa_code="33.29.05.2001",
        puskesmas_id=puskesmas.id,
        kabupaten_code="33.29",
    )
    db.session.add(posyandu)
    db.session.flush()
    return puskesmas, posyandu
