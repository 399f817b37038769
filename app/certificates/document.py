"""The immutable certificate snapshot and its number format. Pure: no flask, no sqlalchemy.

A certificate is rendered only from this snapshot, taken on the day of issue, so the PDF
and the verification page show the same facts however the roster changes later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from app.curriculum.levels import DEFAULT_COLOUR, DEFAULT_WORDING, Level

V = TypeVar("V")


def highest_per_kader(rows: Iterable[tuple[int, str, V]], rank: Mapping[str, int]) -> dict[int, V]:
    """kader id -> the value of their highest-level row, from (kader id, level code, value) rows.

    `rank` comes from the curriculum's levels (`level_rank`); a code no longer listed there
    ranks below every listed level."""
    best: dict[int, tuple[int, V]] = {}
    for kader_id, level_code, value in rows:
        level = rank.get(level_code, -1)
        if kader_id not in best or level > best[kader_id][0]:
            best[kader_id] = (level, value)
    return {k: v for k, (_, v) in best.items()}


def level_snapshot_fields(level: Level, rank: int) -> dict[str, Any]:
    """What a certificate keeps of its level besides code and name, as on the day of issue."""
    return {
        "level_rank": rank,
        "level_name_en": level.name_en,
        "level_colour": level.colour,
        "level_wording": level.wording,
    }


def certificate_number(level_code: str, kabupaten_code: str, year: int, sequence: int) -> str:
    """`TKK/<LEVEL>/<KAB>/<YEAR>/<SEQ>`, e.g. TKK/MADYA/3329/2026/000042.

    The sequence is per kabupaten and year, shared by all levels, and gap-free.
    """
    if not 1 <= sequence <= 999_999:
        raise ValueError("sequence out of range")
    return f"TKK/{level_code.upper()}/{kabupaten_code.replace('.', '')}/{year:04d}/{sequence:06d}"


@dataclass(frozen=True)
class SkillLine:
    code: str
    title: str


@dataclass(frozen=True)
class AreaSkills:
    code: str
    title: str
    skills: tuple[SkillLine, ...]


@dataclass(frozen=True)
class Signatory:
    office: str  # e.g. Dinas Kesehatan Kabupaten Brebes
    name: str
    title: str  # jabatan
    nip: str
    place: str  # where signed, e.g. Brebes
    # SHA-256 of the logo and signature images printed on the day of issue (CertificateImage);
    # a later change of signatory must not change certificates already issued.
    logo_sha256: str | None = None
    signature_sha256: str | None = None


@dataclass(frozen=True)
class CertificateSnapshot:
    number: str
    verification_code: str
    level_code: str
    level_name: str
    kader_name: str
    nik_masked: str
    posyandu: str
    desa: str
    kecamatan: str
    kabupaten: str
    provinsi: str
    issued_on: date
    areas: tuple[AreaSkills, ...]
    signatory: Signatory
    curriculum_version: str
    replaces: str | None = None  # number of the certificate this one re-issues
    # The level's look on the day of issue; None in snapshots taken before levels carried
    # them (the renderer then takes them from the curriculum, see `with_level_looks`).
    level_rank: int | None = None
    level_name_en: str | None = None
    level_colour: str | None = None
    level_wording: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["issued_on"] = self.issued_on.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CertificateSnapshot:
        return cls(
            **{
                **data,
                "issued_on": date.fromisoformat(data["issued_on"]),
                "areas": tuple(
                    AreaSkills(a["code"], a["title"], tuple(SkillLine(**s) for s in a["skills"]))
                    for a in data["areas"]
                ),
                "signatory": Signatory(**data["signatory"]),
            }
        )

    def with_level_looks(self, level: Level | None, rank: int | None) -> CertificateSnapshot:
        """This snapshot with the level's colour and wording filled in where it has none."""
        return replace(
            self,
            level_rank=self.level_rank if self.level_rank is not None else rank,
            level_name_en=self.level_name_en
            if self.level_name_en is not None
            else (level.name_en if level else ""),
            level_colour=self.level_colour or (level.colour if level else DEFAULT_COLOUR),
            level_wording=self.level_wording or (level.wording if level else DEFAULT_WORDING),
        )


def mask_nip(nip: str) -> str:
    """A civil-servant NIP starts with the holder's birth date: the public sees the last 4 digits."""
    return "*" * max(0, len(nip) - 4) + nip[-4:]


def public_snapshot(snapshot: dict) -> dict:
    """The snapshot as the public verification JSON shows it: the signatory's NIP masked."""
    signatory = dict(snapshot.get("signatory") or {})
    if signatory.get("nip"):
        signatory["nip"] = mask_nip(str(signatory["nip"]))
    return {**snapshot, "signatory": signatory}
