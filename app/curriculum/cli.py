"""`flask --app wsgi curriculum check [PATH]` and `curriculum sync [PATH]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.core import audit
from app.curriculum.loader import Curriculum, CurriculumError, load_curriculum
from app.curriculum.sync import sync_curriculum
from app.extensions import db
from app.progress.levels import recompute_all_levels

curriculum_cli = AppGroup("curriculum", help="The 25 skills, item banks, checklists and level rules.")


def _load_or_exit(path: Path | None) -> Curriculum:
    root = path or Path(current_app.config["CURRICULUM_PATH"])
    try:
        return load_curriculum(root)
    except CurriculumError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"FAILED: {len(exc.problems)} problem(s) in {root}", err=True)
        raise SystemExit(1) from None


@curriculum_cli.command("check")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
def check_command(path: Path | None) -> None:
    """Validate a curriculum tree (default: the configured one) and list its skills."""
    cur = _load_or_exit(path)
    for area in cur.areas:
        click.echo(f"{area.code}  {area.title_id}")
        for skill in (s for s in cur.skills if s.area == area.code):
            click.echo(
                f"  {skill.code}  {skill.title_id}  [{len(skill.items)} items, "
                f"{len(skill.checklist)} steps, {skill.confidence}]"
            )
    levels = ", ".join(lv.name for lv in cur.levels)
    click.echo(f"levels: {levels}")
    click.echo(
        f"OK: {len(cur.skills)} skills in {len(cur.areas)} areas, {cur.item_count} quiz items, "
        f"{cur.step_count} checklist steps"
    )


@curriculum_cli.command("sync")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
def sync_command(path: Path | None) -> None:
    """Load the curriculum into the database as a new version (no change, no new version)."""
    cur = _load_or_exit(path)
    report = sync_curriculum(cur)
    if report.changed:
        audit.record("curriculum.synced", "curriculum", cur.version, user_id=None, after=report.counts)
        # New level rules or skills may change anyone's level: bring the summary in step.
        evaluated = recompute_all_levels()
    db.session.commit()
    click.echo(report.describe())
    if report.changed:
        click.echo(f"levels re-evaluated for {evaluated} kader")
