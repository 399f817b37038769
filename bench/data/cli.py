"""The `bench-data` command: generation run, replacing earlier synthetic data, the summary.

Registered on an app only from bench/ (`register`, `python -m bench.data`), never by
`create_app`: the production app does not carry benchmark tooling.
"""

from __future__ import annotations

import random
import secrets
import sys
import time
from collections.abc import Callable, Iterable
from datetime import date

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import text
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.reports.posyandu_counts import refresh_all
from bench.data.cleanup import delete_synthetic, describe_existing, synthetic_provinces
from bench.data.facts import CurriculumFacts, level_routes, load_curriculum_facts
from bench.data.places import KabupatenBuilder
from bench.data.run import (
    ANSWERS_DEFAULT_LIMIT,
    KAB_PER_PROVINCE,
    MAX_KABUPATEN,
    Plan,
    Run,
    province_name,
    split,
)
from bench.data.tables import BackgroundWriter, Ids, Rows, WriterFailed, id_tables, shapes


def reference_day(year: int | None) -> date:
    today = date.today()
    if year is None or year == today.year:
        return today
    if year > today.year:
        raise click.BadParameter("cannot be in the future", param_hint="--year")
    return date(year, 12, 31)


def run_generation(plan: Plan, cur: CurriculumFacts, echo: Callable[[str], None]) -> Rows:
    engine = db.session.get_bind()
    tables = shapes()
    rows = Rows(tuple(tables))
    run = Run(
        plan=plan,
        cur=cur,
        shapes=tables,
        ids=Ids(id_tables()),
        rows=rows,
        routes=level_routes(cur, random.Random(plan.seed)),
        # Accounts nobody can log in to: the password is random and never shown.
        password_hash=generate_password_hash(secrets.token_urlsafe(24), method="pbkdf2:sha256:1000"),
    )
    db.session.commit()  # hold nothing open: the writer thread has its own connection
    sizes = split(plan.kader, plan.kabupaten, random.Random(f"{plan.seed}:sizes"), 0.6)
    writer = BackgroundWriter(engine, tables, echo, time.monotonic())
    index, code = 0, ""
    # The writer thread needs the GIL only in short bursts; hand it over sooner than every 5 ms.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        for index, size in enumerate(sizes, start=1):
            builder = KabupatenBuilder(run, index, size)
            code = builder.code
            if (index - 1) % KAB_PER_PROVINCE == 0:  # the first kabupaten of a province
                rows.add("wilayah", (builder.province, province_name(builder.province), "provinsi", None))
            builder.build(writer)
            line = (
                f"[{index}/{plan.kabupaten}] {builder.code} {builder.name}: {size} kader, "
                f"{len(builder.holders)} certificates; total {rows.written['kader']} kader, "
                f"{rows.written['quiz_attempt']} quiz attempts"
            )
            writer.put(("commit", (dict(run.ids.next), line)))
    except WriterFailed:
        pass  # reported below
    finally:
        writer.close()
        sys.setswitchinterval(switch_interval)
    if writer.error is not None:
        echo(
            f"failed at or after {code}: {writer.committed} kabupaten were committed (remove with --replace)"
        )
        raise click.ClickException(f"writing failed: {writer.error}") from writer.error
    if engine.dialect.name == "postgresql":
        analyze(rows.written)
    return rows


def analyze(written: dict[str, int]) -> None:
    """Fresh planner statistics: right after a bulk load PostgreSQL still assumes empty tables."""
    tables = ", ".join(f'"{t}"' for t, n in written.items() if n)
    if tables:
        db.session.execute(text(f"ANALYZE {tables}"))
        db.session.commit()


def summary(written: dict[str, int], elapsed: float) -> Iterable[str]:
    width = max(len(t) for t in written)
    for table, n in written.items():
        yield f"  {table:<{width}}  {n:>12,}"
    yield f"  {'total':<{width}}  {sum(written.values()):>12,}"
    yield f"elapsed {elapsed:.1f} s"


@click.command("bench-data")
@click.option(
    "--kabupaten", type=click.IntRange(1, MAX_KABUPATEN), default=1, show_default=True, help="Districts."
)
@click.option(
    "--kader", type=click.IntRange(1), required=True, help="Total kader, spread over the districts."
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option(
    "--answers/--no-answers",
    default=None,
    help=f"Per-item quiz answers and checklist ticks (default: on up to {ANSWERS_DEFAULT_LIMIT:,} kader).",
)
@click.option(
    "--year", type=int, default=None, help="Activity ends on 31 December of this year (default: today)."
)
@click.option("--replace", is_flag=True, help="Delete previous synthetic data first.")
@with_appcontext
def bench_data_command(
    kabupaten: int, kader: int, seed: int, answers: bool | None, year: int | None, replace: bool
) -> None:
    """Generate synthetic, clearly marked kader data for benchmarks. Refused in production."""
    if not current_app.config.get("SEED_DEMO_ALLOWED", False):
        raise click.ClickException("bench-data is refused under the production configuration")
    if kader < kabupaten:
        raise click.BadParameter("needs at least one kader per kabupaten", param_hint="--kader")
    today = reference_day(year)
    started = time.monotonic()
    cur = load_curriculum_facts()
    existing = synthetic_provinces()
    if existing and not replace:
        raise click.ClickException(
            f"synthetic data already present ({describe_existing(existing)}): nothing changed; "
            "run again with --replace to delete it first"
        )
    if existing:
        click.echo(f"deleting synthetic data ({describe_existing(existing)}) ...")
        deleted = delete_synthetic(existing)
        db.session.commit()
        click.echo("deleted: " + ", ".join(f"{n} {t}" for t, n in deleted.items() if n))
    plan = Plan(
        kabupaten=kabupaten,
        kader=kader,
        seed=seed,
        answers=kader <= ANSWERS_DEFAULT_LIMIT if answers is None else answers,
        today=today,
    )
    click.echo(
        f"generating {kader:,} kader in {kabupaten} synthetic kabupaten (seed {seed}, activity up to "
        f"{today.isoformat()}, answers {'on' if plan.answers else 'off'})"
    )
    rows = run_generation(plan, cur, click.echo)
    # The per-Posyandu counts are recounted from what was written, as the app would keep them.
    refresh_all(db.session.connection())
    db.session.commit()
    analyze({"posyandu_kader_count": 1})
    click.echo("synthetic data written (rows per table):")
    for line in summary(rows.written, time.monotonic() - started):
        click.echo(line)


def register(app: Flask) -> None:
    """Give an app the `bench-data` command (bench scripts and tests; never create_app)."""
    app.cli.add_command(bench_data_command)
