"""Load a validated curriculum into the database as a new version, idempotently.

Services flush; the caller commits. A second sync of the same tree changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from sqlalchemy import select, update

from app.curriculum import loader
from app.curriculum.levels import levels_to_data
from app.curriculum.markdown import render_material
from app.curriculum.models import (
    Area,
    ChecklistStep,
    CurriculumPicture,
    CurriculumVersion,
    Item,
    ItemRevision,
    Skill,
)
from app.extensions import db


@dataclass
class SyncReport:
    changed: bool
    version: str
    counts: dict[str, int] = field(default_factory=dict)

    def bump(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    def describe(self) -> str:
        if not self.changed:
            return f"curriculum {self.version} is already in the database: nothing changed"
        parts = ", ".join(f"{n} {k}" for k, n in sorted(self.counts.items()) if n)
        return f"curriculum {self.version} synced: {parts or 'metadata only'}"


def _hash(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def active_version() -> CurriculumVersion | None:
    return db.session.scalar(
        select(CurriculumVersion).where(CurriculumVersion.active).order_by(CurriculumVersion.id.desc())
    )


def sync_curriculum(cur: loader.Curriculum) -> SyncReport:
    content_hash = cur.content_hash()
    current = active_version()
    if current is not None and current.content_hash == content_hash:
        return SyncReport(changed=False, version=current.label)
    report = SyncReport(changed=True, version=cur.version)
    db.session.execute(update(CurriculumVersion).values(active=False))
    version = CurriculumVersion(
        label=cur.version,
        content_hash=content_hash,
        levels=levels_to_data(cur.levels),
        settings=asdict(cur.settings),
        summary={
            "skills": len(cur.skills),
            "areas": len(cur.areas),
            "items": cur.item_count,
            "steps": cur.step_count,
            "basis": [asdict(b) for b in cur.basis],
        },
    )
    db.session.add(version)
    db.session.flush()
    _sync_pictures(cur, report)
    _sync_areas(cur)
    seen_skills: set[str] = set()
    for s in cur.skills:
        skill = _sync_skill(s, version, report)
        _sync_items(s, skill, version, report)
        _sync_steps(s, skill, report)
        seen_skills.add(s.code)
    for stale in db.session.scalars(select(Skill).where(Skill.code.not_in(seen_skills), Skill.active)):
        stale.active = False
        report.bump("skills retired")
    db.session.flush()
    return report


def _sync_pictures(cur: loader.Curriculum, report: SyncReport) -> None:
    """Store each picture once; old ones stay, since past attempts and versions name them."""
    if not cur.pictures:
        return
    known = set(
        db.session.scalars(select(CurriculumPicture.sha256).where(CurriculumPicture.sha256.in_(cur.pictures)))
    )
    for digest, data in cur.pictures.items():
        if digest not in known:
            db.session.add(CurriculumPicture(sha256=digest, data=data))
            report.bump("pictures added")
    db.session.flush()


def _sync_areas(cur: loader.Curriculum) -> None:
    existing = {a.code: a for a in db.session.scalars(select(Area))}
    for a in cur.areas:
        row = existing.get(a.code) or Area(code=a.code)
        row.position, row.title_id, row.title_en = a.order, a.title_id, a.title_en
        db.session.add(row)
    db.session.flush()


def _sync_skill(s: loader.Skill, version: CurriculumVersion, report: SyncReport) -> Skill:
    fields = {
        "area_code": s.area,
        "title_id": s.title_id,
        "title_en": s.title_en,
        "confidence": s.confidence,
        "sources": list(s.sources),
        "objectives": list(s.objectives),
        "material_md": s.material,
        "pass_mark": s.pass_mark,
        "items_per_attempt": s.items_per_attempt,
        "time_limit_minutes": s.time_limit_minutes,
    }
    content_hash = _hash({**fields, "pictures": s.material_pictures})
    skill = db.session.scalar(select(Skill).where(Skill.code == s.code))
    if skill is None:
        skill = Skill(
            code=s.code,
            version_id=version.id,
            content_hash=content_hash,
            material_html=render_material(s.material, dict(s.material_pictures)),
            **fields,
        )
        db.session.add(skill)
        db.session.flush()
        report.bump("skills added")
    elif skill.content_hash != content_hash or not skill.active:
        for key, value in fields.items():
            setattr(skill, key, value)
        skill.material_html = render_material(s.material, dict(s.material_pictures))
        skill.content_hash = content_hash
        skill.version_id = version.id
        skill.active = True
        report.bump("skills updated")
    return skill


def _sync_items(s: loader.Skill, skill: Skill, version: CurriculumVersion, report: SyncReport) -> None:
    existing = {i.key: i for i in db.session.scalars(select(Item).where(Item.skill_id == skill.id))}
    current_hashes = {
        rev.item_id: rev.content_hash
        for rev in db.session.scalars(
            select(ItemRevision)
            .join(Item, Item.current_revision_id == ItemRevision.id)
            .where(Item.skill_id == skill.id)
        )
    }
    for it in s.items:
        content = {
            "q": it.question,
            "o": [o.text for o in it.options],
            "c": it.correct_index,
            "e": it.explanation,
            "d": it.difficulty,
            "k": it.kind,
            "s": it.source,
            "p": [it.picture.sha256, it.picture.alt] if it.picture else None,
        }
        content_hash = _hash(content)
        item = existing.get(it.id)
        if item is None:
            item = Item(key=it.id, skill_id=skill.id)
            db.session.add(item)
            db.session.flush()
            number = 1
            report.bump("items added")
        elif current_hashes.get(item.id) == content_hash:
            if not item.active:
                item.active = True
                report.bump("items restored")
            continue
        else:
            number = 1 + (
                db.session.scalar(
                    select(ItemRevision.number)
                    .where(ItemRevision.item_id == item.id)
                    .order_by(ItemRevision.number.desc())
                    .limit(1)
                )
                or 0
            )
            item.active = True
            report.bump("items revised")
        revision = ItemRevision(
            item_id=item.id,
            number=number,
            difficulty=it.difficulty,
            question=it.question,
            options=[o.text for o in it.options],
            correct_index=it.correct_index,
            explanation=it.explanation,
            kind=it.kind,
            source=it.source,
            picture_sha256=it.picture.sha256 if it.picture else None,
            picture_alt=it.picture.alt if it.picture else None,
            content_hash=content_hash,
            version_id=version.id,
        )
        db.session.add(revision)
        db.session.flush()
        item.current_revision_id = revision.id
    keys = {it.id for it in s.items}
    for key, item in existing.items():
        if key not in keys and item.active:
            item.active = False
            report.bump("items retired")


def _sync_steps(s: loader.Skill, skill: Skill, report: SyncReport) -> None:
    existing = {
        st.key: st
        for st in db.session.scalars(select(ChecklistStep).where(ChecklistStep.skill_id == skill.id))
    }
    for position, step in enumerate(s.checklist, start=1):
        row = existing.get(step.id)
        if row is None:
            db.session.add(
                ChecklistStep(
                    key=step.id, skill_id=skill.id, position=position, text=step.text, critical=step.critical
                )
            )
            report.bump("steps added")
        elif (row.position, row.text, row.critical, row.active) != (position, step.text, step.critical, True):
            row.position, row.text, row.critical, row.active = position, step.text, step.critical, True
            report.bump("steps updated")
    keys = {st.id for st in s.checklist}
    for key, row in existing.items():
        if key not in keys and row.active:
            row.active = False
            report.bump("steps retired")
