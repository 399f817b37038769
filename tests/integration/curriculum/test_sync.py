from sqlalchemy import func, select

from app.core.audit import AuditLog
from app.curriculum.models import ChecklistStep, CurriculumVersion, Item, ItemRevision, Skill
from app.extensions import db
from tests.conftest import run_cli
from tests.curriculum_tree import edit_yaml, item


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_sync_twice_second_run_changes_nothing(app, mini_tree):
    first = run_cli(app, "curriculum", "sync", str(mini_tree))
    assert first.exit_code == 0, first.output
    assert "curriculum uji-1 synced: 60 items added" in first.output
    assert (count(Skill), count(Item), count(ItemRevision), count(ChecklistStep)) == (5, 60, 60, 30)
    second = run_cli(app, "curriculum", "sync", str(mini_tree))
    assert second.exit_code == 0
    assert "nothing changed" in second.output
    assert count(CurriculumVersion) == 1 and count(ItemRevision) == 60
    assert count(AuditLog, AuditLog.action == "curriculum.synced") == 1


def test_edited_item_becomes_a_new_revision_and_old_text_survives(app, mini_tree, synced):
    item = db.session.scalar(select(Item).where(Item.key == "K01-Q03"))
    old_revision_id = item.current_revision_id
    old = db.session.get(ItemRevision, old_revision_id)
    old_text, old_options = old.question, list(old.options)

    edit_yaml(
        mini_tree / "skills/K01-contoh/items.yaml",
        lambda d: d["items"][2].update(question="Berapa batas LiLA ibu hamil berisiko KEK?"),
    )
    result = run_cli(app, "curriculum", "sync", str(mini_tree))
    assert "1 items revised" in result.output

    db.session.expire_all()
    item = db.session.scalar(select(Item).where(Item.key == "K01-Q03"))
    assert item.id is not None and item.current_revision_id != old_revision_id  # same identity, new wording
    new = db.session.get(ItemRevision, item.current_revision_id)
    assert new.number == 2 and new.question == "Berapa batas LiLA ibu hamil berisiko KEK?"
    kept = db.session.get(ItemRevision, old_revision_id)  # what a past attempt points at
    assert (kept.question, kept.options, kept.number) == (old_text, old_options, 1)
    assert count(CurriculumVersion) == 2
    assert count(CurriculumVersion, CurriculumVersion.active) == 1


def test_removed_items_and_steps_are_retired_not_deleted(app, mini_tree, synced):
    def replace_last_item(data):
        data["items"][-1] = item("K02", 13)

    def replace_last_step(data):
        data["checklist"][-1] = {"id": "K02-S07", "text": "Langkah baru", "critical": False}

    edit_yaml(mini_tree / "skills/K02-contoh/items.yaml", replace_last_item)
    edit_yaml(mini_tree / "skills/K02-contoh/skill.yaml", replace_last_step)
    result = run_cli(app, "curriculum", "sync", str(mini_tree))
    assert "1 items retired" in result.output and "1 steps retired" in result.output
    assert "1 items added" in result.output and "1 steps added" in result.output
    retired = db.session.scalar(select(Item).where(Item.key == "K02-Q12"))
    assert retired.active is False and retired.current_revision_id is not None
    assert count(ChecklistStep, ChecklistStep.active) == 30


def test_material_is_rendered_and_sanitised(app, synced):
    skill = db.session.scalar(select(Skill).where(Skill.code == "K01"))
    assert "<h2>Materi K01</h2>" in skill.material_html
    assert "<script" not in skill.material_html


def test_sync_of_invalid_tree_writes_nothing(app, mini_tree):
    edit_yaml(
        mini_tree / "skills/K01-contoh/items.yaml", lambda d: d["items"][0]["options"][1].update(correct=True)
    )
    result = run_cli(app, "curriculum", "sync", str(mini_tree))
    assert result.exit_code == 1
    assert (
        "skills/K01-contoh/items.yaml: item K01-Q01: needs exactly one correct option, has 2" in result.output
    )
    assert count(CurriculumVersion) == 0 and count(Item) == 0
