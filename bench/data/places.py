"""One synthetic kabupaten: its wilayah, Puskesmas, Pustu, Posyandu, accounts, kader and rosters,
then (through the parts it inherits) their learning activity and certificates."""

from __future__ import annotations

from bisect import bisect
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import accumulate

import click

from app.rosters.kader_rules import KaderInput, check_kader
from app.rosters.models import EDUCATION_LEVELS
from bench.data.activity import Activity
from bench.data.certificates import Certificates
from bench.data.run import FLUSH_ROWS, KADER_PER_POSYANDU, Place, Run, midnight, split
from bench.data.tables import BackgroundWriter

FEMALE_FIRST = (
    "Siti", "Sri", "Dwi", "Tri", "Nur", "Ratna", "Eka", "Yuli", "Susi", "Rina", "Dewi", "Endang",
    "Umi", "Lilis", "Titin", "Nining", "Ani", "Rini", "Tuti", "Euis", "Neneng", "Cut", "Nurul",
    "Fitri", "Rahma", "Mega", "Putri", "Indah", "Heni", "Yeni", "Ni Made", "Ni Luh", "Wahyu",
    "Kartini", "Murni", "Rosmala",
)  # fmt: skip
FEMALE_LAST = (
    "Aminah", "Wahyuni", "Lestari", "Rahayu", "Handayani", "Nurhayati", "Fatimah", "Maryam",
    "Khasanah", "Mulyani", "Suryani", "Purwati", "Setyowati", "Hidayah", "Kurniasih", "Susanti",
    "Rahmawati", "Hartati", "Yulianti", "Sulastri", "Marlina", "Safitri", "Anggraini", "Wulandari",
    "Puspitasari", "Astuti", "Siregar", "Nasution", "Lubis", "Simanjuntak", "Sari", "Yanti",
)  # fmt: skip
MALE_FIRST = ("Ahmad", "Budi", "Slamet", "Agus", "Joko", "Eko", "Hendra", "Rudi", "Dedi", "Muhammad", "Yusuf")
MALE_LAST = ("Santoso", "Hidayat", "Saputra", "Prasetyo", "Nugroho", "Setiawan", "Kurniawan", "Siregar")
KECAMATAN_STEMS = (
    "Karangsari", "Sukadana", "Kedungjati", "Wanasari", "Tanjungrejo", "Bulakrejo", "Margasari",
    "Sindangjaya", "Pakuwon", "Gunungtua", "Lemahabang", "Sumberjaya", "Kalibening", "Banyuurip",
    "Jatinegara", "Cikalong", "Tegalsari", "Rawamerta", "Pancur", "Kutawaru",
)  # fmt: skip
DESA_STEMS = (
    "Sukamaju", "Sukamulya", "Sidomulyo", "Karanganyar", "Sumberrejo", "Tegalrejo", "Mekarsari",
    "Margamulya", "Kalirejo", "Wonosari", "Banjarsari", "Sindangsari", "Sukajaya", "Jatisari",
    "Pasirjaya", "Tanjungsari", "Harjosari", "Purwodadi", "Sukorejo", "Kedungrejo", "Ngadirejo",
    "Gunungsari", "Rejosari", "Sumbersari", "Bojongsari",
)  # fmt: skip
POSYANDU_NAMES = (
    "Melati", "Mawar", "Anggrek", "Dahlia", "Kenanga", "Flamboyan", "Cempaka", "Teratai", "Seruni",
    "Bougenville", "Nusa Indah", "Kemuning", "Asoka", "Kasih Ibu", "Bina Sehat", "Harapan Bunda",
)  # fmt: skip
DUSUN = ("Krajan", "Karanganyar", "Sidamulya", "Pesantren", "Kaliwadas", "Cikuya", "Baroh", "Tunong")
PHONE_PREFIXES = ("11", "12", "13", "21", "22", "23", "52", "53", "57", "58", "77", "78", "81", "95", "96")
# Shares of the app's education levels (rosters.models.EDUCATION_LEVELS, in its order); a level
# added there gets none until given a share here.
EDUCATION_SHARES = {"tidak_sekolah": 1, "sd": 15, "smp": 25, "sma": 45, "d3": 6, "s1": 8}
EDUCATION = tuple(e for e in EDUCATION_LEVELS if e in EDUCATION_SHARES)
EDUCATION_CUMULATIVE = tuple(accumulate(EDUCATION_SHARES[e] for e in EDUCATION))
BORN_FROM, BORN_TO = date(1960, 1, 1).toordinal(), date(2004, 12, 31).toordinal()
MOVE_REASONS = ("Pindah domisili", "Pindah ke Posyandu lain", "Menikah, ikut suami")

CHECKED_AS_PROVINCE = "33"  # Jawa Tengah


def accept(kader: KaderInput, today: date) -> None:
    """The app's own kader rules (form and import) must accept every generated kader.

    Synthetic province codes are outside Kemendagri's list on purpose (nobody mistakes the
    data for real), so the NIK is checked under a real province code; every other rule applies.
    """
    check = check_kader(replace(kader, nik=CHECKED_AS_PROVINCE + kader.nik[2:]), today)
    if check.errors or check.warnings:
        found = ", ".join(i.code for i in (*check.errors, *check.warnings))
        raise click.ClickException(f"generated kader {kader.nik} breaks the kader rules: {found}")


class KabupatenBuilder(Activity, Certificates):
    def __init__(self, run: Run, index: int, kader_total: int) -> None:
        super().__init__(run, index, kader_total)
        self.nik_serial: dict[str, int] = defaultdict(int)

    def build(self, writer: BackgroundWriter) -> None:
        self.writer = writer
        self.dinkes_id = self._dinkes()
        posyandu_total = max(1, round(self.kader_total / KADER_PER_POSYANDU))
        n_kec = max(1, min(self.rng.randint(15, 20), posyandu_total // 4))
        per_kec = split(posyandu_total, n_kec, self.rng, 0.4)
        kader_per_posyandu = split(self.kader_total, posyandu_total, self.rng, 0.5)
        kec_names = self.rng.sample(KECAMATAN_STEMS, n_kec)
        self.rows.add("wilayah", (self.code, self.name, "kabupaten", self.province))
        places: list[Place] = []
        for j, (n_pos, stem) in enumerate(zip(per_kec, kec_names, strict=True), start=1):
            places.extend(self._kecamatan(j, stem, n_pos))
        sizes = iter(kader_per_posyandu)
        for place in places:
            self._fill_posyandu(place, next(sizes))
            if self.rows.pending() > FLUSH_ROWS:
                self._flush()
        self._certificates()
        self._flush()

    def _flush(self) -> None:
        self.writer.put(("rows", self.rows.take()))
        self.quiz_rows = self.rows.tables["quiz_attempt"]

    def _dinkes(self) -> int:
        user_id = self.ids.take("user")
        s = self.signatory()  # what the certificate snapshots print
        self.rows.add(
            "district_settings", (self.code, s.office, s.name, s.title, s.nip, s.place, self.created)
        )
        self._user(user_id, f"syn.dinkes.{self.code.replace('.', '')}", f"Dinkes {self.name}", "dinkes", None)
        return user_id

    def _user(self, user_id: int, username: str, full_name: str, role: str, puskesmas_id: int | None) -> None:
        kabupaten = self.code if role == "dinkes" else None
        self.rows.add(
            "user",
            (
                user_id,
                username,
                self.run.password_hash,
                full_name,
                role,
                kabupaten,
                puskesmas_id,
                self.created,
                self.created,
            ),
        )

    def _kecamatan(self, j: int, stem: str, n_posyandu: int) -> list[Place]:
        rng = self.rng
        code = f"{self.code}.{j:02d}"
        name = f"{stem} Sintetis"
        self.rows.add("wilayah", (code, name, "kecamatan", self.code))
        n_desa = min(rng.randint(12, 20), n_posyandu)
        desa = [
            (f"{code}.{2000 + m}", f"{s} Sintetis") for m, s in enumerate(rng.sample(DESA_STEMS, n_desa), 1)
        ]
        for d_code, d_name in desa:
            self.rows.add("wilayah", (d_code, d_name, "desa", code))
        pkm_id = self.ids.take("puskesmas")
        pkm_code = f"SYN-P{code.replace('.', '')}"
        self.rows.add(
            "puskesmas", (pkm_id, pkm_code, f"Puskesmas {name}", code, self.code, self.created, self.created)
        )
        for d_code, _ in desa:
            self.rows.add("puskesmas_desa", (pkm_id, d_code))
        for d_code, d_name in rng.sample(desa[1:], min(len(desa) - 1, rng.randint(1, 3))):
            self.rows.add(
                "pustu",
                (self.ids.take("pustu"), f"Pustu {d_name}", d_code, pkm_id, self.created, self.created),
            )
        assessor = self.ids.take("user")
        self._user(assessor, f"syn.fas.{pkm_code.lower()}", f"Bidan Sintetis {stem}", "fasilitator", pkm_id)
        places: list[Place] = []
        for (d_code, d_name), count in zip(desa, split(n_posyandu, n_desa, rng, 0.5), strict=True):
            for n in range(1, count + 1):
                pos_id = self.ids.take("posyandu")
                pos_name = f"Posyandu {rng.choice(POSYANDU_NAMES)} {n}"
                self.rows.add(
                    "posyandu",
                    (
                        pos_id,
                        f"SYN-{d_code.replace('.', '')}-{n:02d}",
                        pos_name,
                        d_code,
                        f"Dusun {rng.choice(DUSUN)} RW {n:02d}",
                        pkm_id,
                        self.code,
                        self.created,
                        self.created,
                    ),
                )
                places.append(Place(pos_id, pos_name, code.replace(".", ""), d_name, name, pkm_id, assessor))
        neighbours = [p.id for p in places]
        for p in places:
            p.neighbours = neighbours
        return places

    # -- kader and rosters

    def _fill_posyandu(self, place: Place, size: int) -> None:
        self._plan_sessions(place)
        roles = ("ketua", "sekretaris", "bendahara")
        for n in range(size):
            kader_id, name, nik, joined = self._kader(place, roles[n] if n < len(roles) else "anggota")
            self._activity(place, kader_id, name, nik, joined)
        self._emit_practicals(place)

    def _kader(self, place: Place, role: str) -> tuple[int, str, str, date]:
        rng, today, pick = self.rng, self.plan.today, self._pick
        female = rng.random() < 0.94
        if female:
            name = f"{pick(FEMALE_FIRST)} {pick(FEMALE_LAST)}"
        else:
            name = f"{pick(MALE_FIRST)} {pick(MALE_LAST)}"
        born = date.fromordinal(self.between(BORN_FROM, BORN_TO))
        birth = f"{born.day + (40 if female else 0):02d}{born.month:02d}{born.year % 100:02d}"
        key = place.kecamatan_digits + birth
        self.nik_serial[key] += 1
        nik = f"{key}{self.nik_serial[key]:04d}"
        latest = today - timedelta(days=60)
        first_year = min(max(2005, born.year + 17), latest.year)
        first = date.fromordinal(
            rng.randint(date(first_year, 1, 1).toordinal(), min(date(first_year, 12, 31), latest).toordinal())
        )
        kader_id = self.ids.take("kader")
        created = max(self.created, midnight(first))
        phone = self._phone() if rng.random() < 0.9 else None
        education = EDUCATION[bisect(EDUCATION_CUMULATIVE, rng.random() * EDUCATION_CUMULATIVE[-1])]
        sex = "P" if female else "L"
        accept(KaderInput(nik, name, sex, born, phone or "", first.year), today)
        self.rows.add(
            "kader",
            (kader_id, nik, name, sex, born, phone, education, first.year, self.code, created, created),
        )
        joined = self._memberships(place, kader_id, role, first, created)
        return kader_id, name, nik, joined

    def _pick(self, options: tuple[str, ...]) -> str:
        return options[int(self.rand() * len(options))]

    def _phone(self) -> str:
        # A bijection of the run's kader counter modulo 10^9: unique, but not sequential-looking.
        self.run.kader_seen += 1
        x = (self.run.kader_seen * 385_934_279 + self.plan.seed * 7_919) % 1_000_000_000
        return f"08{PHONE_PREFIXES[x % len(PHONE_PREFIXES)]}{x:09d}"

    def _memberships(self, place: Place, kader_id: int, role: str, first: date, created: datetime) -> date:
        """The open membership, and for ~10% an older closed one; returns when the open one began."""
        rng, latest = self.rng, self.plan.today - timedelta(days=60)
        start = first
        if rng.random() < 0.10:
            end = first + timedelta(days=rng.randint(365, 5 * 365))
            if end <= latest - timedelta(days=60):
                # Moved here from another Posyandu of the kecamatan (or left and came back).
                before = rng.choice([i for i in place.neighbours if i != place.id] or [place.id])
                self.rows.add(
                    "roster_membership",
                    (
                        self.ids.take("roster_membership"),
                        kader_id,
                        before,
                        "anggota",
                        first,
                        end,
                        rng.choice(MOVE_REASONS),
                        created,
                        created,
                    ),
                )
                start = end + timedelta(days=rng.randint(7, 45))
        self.rows.add(
            "roster_membership",
            (
                self.ids.take("roster_membership"),
                kader_id,
                place.id,
                role,
                start,
                None,
                None,
                created,
                created,
            ),
        )
        return start
