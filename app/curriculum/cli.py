"""`flask --app wsgi curriculum check [PATH]` and `curriculum sync [PATH]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.core import audit
from app.core.events import curriculum_synced
from app.curriculum.item_quality import SkillJudgement, judge
from app.curriculum.loader import Curriculum, CurriculumError, Problem, load_curriculum
from app.curriculum.sync import sync_curriculum
from app.extensions import db

curriculum_cli = AppGroup("curriculum", help="The 25 skills, item banks, checklists and level rules.")


def _fail(problems: list[Problem], root: Path) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"FAILED: {len(problems)} problem(s) in {root}", err=True)
    raise SystemExit(1)


def _load_or_exit(path: Path | None) -> tuple[Curriculum, list[SkillJudgement]]:
    """A curriculum whose files are well-formed and whose item banks a guesser cannot pass."""
    root = path or Path(current_app.config["CURRICULUM_PATH"])
    try:
        cur = load_curriculum(root)
    except CurriculumError as exc:
        judged = judge(exc.partial)[1] if exc.partial else []
        _fail(exc.problems + judged, root)
    verdicts, problems = judge(cur)
    if problems:
        _fail(problems, root)
    return cur, verdicts


@curriculum_cli.command("check")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
def check_command(path: Path | None) -> None:
    """Validate a curriculum tree (default: the configured one): format, then item quality."""
    cur, verdicts = _load_or_exit(path)
    by_code = {v.code: v for v in verdicts}
    for area in cur.areas:
        click.echo(f"{area.code}  {area.title_id}")
        for skill in (s for s in cur.skills if s.area == area.code):
            click.echo(
                f"  {skill.code}  {skill.title_id}  [{len(skill.items)} items, "
                f"{len(skill.checklist)} steps, {skill.confidence}]"
            )
            click.echo(f"      {by_code[skill.code].describe()}")
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
    cur, _ = _load_or_exit(path)
    report = sync_curriculum(cur)
    said: list[str] = []
    if report.changed:
        audit.record("curriculum.synced", "curriculum", cur.version, user_id=None, after=report.counts)
        # New level rules or skills may change anyone's level: progress listens and re-evaluates.
        replies = curriculum_synced.send("curriculum", version=cur.version)
        said = [line for _listener, line in replies if isinstance(line, str)]
    db.session.commit()
    click.echo(report.describe())
    for line in said:
        click.echo(line)
