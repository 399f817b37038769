"""Roster command-line tools: `flask --app wsgi wilayah import FILE`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.extensions import db
from app.rosters.wilayah_import import import_wilayah, parse_wilayah_csv

wilayah_cli = AppGroup("wilayah", help="Kemendagri area reference data.")


@wilayah_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def wilayah_import_command(file: Path) -> None:
    """Load or update areas from a CSV with columns kode,nama."""
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    rows, errors = parse_wilayah_csv(text)
    if not errors:
        result = import_wilayah(rows)
        errors = result.errors
    if errors:
        db.session.rollback()
        for line in errors:
            click.echo(line, err=True)
        raise SystemExit(1)
    db.session.commit()
    click.echo(f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}")


roster_cli = AppGroup("roster", help="Kader roster import and export.")


@roster_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kabupaten", "kabupaten_code", required=True, help="Kemendagri code, e.g. 33.29")
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
def roster_import_command(file: Path, kabupaten_code: str, dry_run: bool) -> None:
    """Import kader and their Posyandu membership from CSV or XLSX (all rows or none)."""
    from datetime import date

    from app.rosters.import_messages import issue_text
    from app.rosters.models import Wilayah
    from app.rosters.roster_file import RosterFileError
    from app.rosters.roster_import import apply, prepare

    kabupaten = db.session.get(Wilayah, kabupaten_code)
    if kabupaten is None or kabupaten.level != "kabupaten":
        raise click.ClickException(f"unknown kabupaten {kabupaten_code!r}")
    today = date.today()
    try:
        result = prepare(file.read_bytes(), file.name, kabupaten_code, today=today)
    except RosterFileError as exc:
        click.echo(f"file: {issue_text(exc.issue)}", err=True)
        raise SystemExit(1) from None
    for row in result.rows:
        for issue in row.errors:
            click.echo(f"row {row.number}: {issue_text(issue)}")
        for issue in row.warnings:
            click.echo(f"row {row.number}: warning: {issue_text(issue)}")
    if result.errors:
        click.echo(f"{len(result.errors)} row(s) with errors: nothing imported", err=True)
        raise SystemExit(1)
    if not dry_run:
        apply(result, kabupaten_code, user_id=None, filename=file.name, today=today)
        db.session.commit()
    counts = result.counts
    prefix = "dry run, nothing written: " if dry_run else ""
    click.echo(
        f"{prefix}created {counts['created']}, updated {counts['updated']}, "
        f"unchanged {counts['unchanged']} ({counts['rows']} rows, {counts['warnings']} with warnings)"
    )


@roster_cli.command("export")
@click.option("--kabupaten", "kabupaten_code", required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def roster_export_command(kabupaten_code: str, output: Path) -> None:
    """Write every kader of the kabupaten with Posyandu, role, level and certificate number."""
    from app.core.exports import to_csv, to_xlsx
    from app.rosters.export import ROSTER_EXPORT_HEADER, roster_export_rows

    suffix = output.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise click.ClickException("output must end in .csv or .xlsx")
    rows = list(roster_export_rows(kabupaten_code))
    data = (
        to_csv(ROSTER_EXPORT_HEADER, rows)
        if suffix == ".csv"
        else to_xlsx(ROSTER_EXPORT_HEADER, rows, "Kader")
    )
    output.write_bytes(data)
    click.echo(f"wrote {len(rows)} kader to {output}")
