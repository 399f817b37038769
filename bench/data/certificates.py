"""Certificates of one district, numbered as the issuing service numbers them, with the snapshot
built from the app's own dataclasses (`CertificateSnapshot`), as issuing on that day would."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from app.certificates.document import (
    AreaSkills,
    CertificateSnapshot,
    Signatory,
    SkillLine,
    certificate_number,
    level_snapshot_fields,
)
from app.certificates.services import CODE_ALPHABET, format_code
from app.rosters.nik import mask_nik
from bench.data.run import District, Holder, midnight, province_name
from bench.data.tables import FIELDS

SIGNATORY, SIGNATORY_NIP = "dr. Penanda Tangan Sintetis", "197001011998032001"
REISSUED_SHARE = 0.01
REVOKED = slice(FIELDS["certificate"].index("status"), FIELDS["certificate"].index("revoked_by") + 1)


class Certificates(District):
    def signatory(self) -> Signatory:
        """The district's signatory, as its district_settings row has it (synthetic: no images)."""
        return Signatory(
            office=f"Dinas Kesehatan {self.name}",
            name=SIGNATORY,
            title=f"Kepala Dinas Kesehatan {self.name}",
            nip=SIGNATORY_NIP,
            place=f"Sintetis {self.index:03d}",
        )

    def _certificates(self) -> None:
        """Numbered in order of issue, gap-free per year; a few revoked and re-issued."""
        rng, last_day = self.rng, self.plan.today - timedelta(days=1)
        events: list[tuple[date, int, bool, Holder]] = []  # (issued on, kader id, is re-issue, holder)
        for h in self.holders:
            issued = min(h.since.date() + timedelta(days=rng.randint(3, 90)), last_day)
            events.append((issued, h.kader_id, False, h))
            if rng.random() < REISSUED_SHARE:
                events.append(
                    (min(issued + timedelta(days=rng.randint(10, 60)), last_day), h.kader_id, True, h)
                )
        events.sort(key=lambda e: e[:3])
        sequences: dict[int, int] = defaultdict(int)
        first: dict[int, list[Any]] = {}
        certificates: list[list[Any]] = []
        for issued, kader_id, reissue, holder in events:
            sequences[issued.year] += 1
            replaced = first.get(kader_id) if reissue else None
            row = self._certificate(holder, issued, sequences[issued.year], replaced)
            if replaced is not None:
                # Revoked before the re-issue is written: one valid certificate per kader and level.
                replaced[REVOKED] = [
                    "revoked",
                    midnight(issued) + timedelta(hours=4),
                    "Perbaikan penulisan nama (data sintetis)",
                    self.dinkes_id,
                ]
            else:
                first[kader_id] = row
            certificates.append(row)
        for row in certificates:
            self.rows.add("certificate", tuple(row))
        for year, last in sorted(sequences.items()):
            self.rows.add("certificate_counter", (self.code, year, last))

    def _certificate(self, h: Holder, issued: date, sequence: int, replaces: list[Any] | None) -> list[Any]:
        """A certificate row (a list: a later re-issue may still revoke it)."""
        number = certificate_number(h.level.code, self.code, issued.year, sequence)
        code = self._verification_code()
        snapshot = CertificateSnapshot(
            number=number,
            verification_code=format_code(code),
            level_code=h.level.code,
            level_name=h.level.name,
            kader_name=h.name,
            nik_masked=mask_nik(h.nik),
            posyandu=h.place.name,
            desa=h.place.desa,
            kecamatan=h.place.kecamatan,
            kabupaten=self.name,
            provinsi=province_name(self.province),
            issued_on=issued,
            areas=self._snapshot_areas(h.mastered),
            signatory=self.signatory(),
            curriculum_version=self.cur.label,
            replaces=replaces[1] if replaces else None,
            **level_snapshot_fields(h.level, self.run.level_rank[h.level.code]),
            extra={"synthetic": True},
        )
        created = midnight(issued) + timedelta(hours=5 if replaces else 3)
        return [
            self.ids.take("certificate"),
            number,
            code,
            self.code,
            issued.year,
            sequence,
            h.kader_id,
            h.level.code,
            issued,
            snapshot.to_json(),
            "valid",
            None,
            None,
            None,
            replaces[0] if replaces else None,
            self.dinkes_id,
            created,
        ]

    def _snapshot_areas(self, mastered: frozenset[str]) -> tuple[AreaSkills, ...]:
        if mastered not in self.run.areas_cache:
            titles = {s.code: s.title for s in self.cur.skills}
            self.run.areas_cache[mastered] = tuple(
                AreaSkills(
                    area,
                    title,
                    tuple(SkillLine(c, titles[c]) for c in self.cur.by_area.get(area, ()) if c in mastered),
                )
                for area, title in self.cur.areas
            )
        return self.run.areas_cache[mastered]

    def _verification_code(self) -> str:
        while True:
            code = "".join(self.rng.choices(CODE_ALPHABET, k=16))
            if code not in self.run.used_codes:
                self.run.used_codes.add(code)
                return code
