"""Benchmark: generate a 10,000-row kader roster and import it (validate + write + commit).

Runs on a fresh SQLite file and on PostgreSQL (database kc_bench_roster, created if missing).
Usage: .venv/bin/python bench/roster_import.py [--rows 10000] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, select, text

from app import create_app
from app.demo.seed import seed_demo
from app.extensions import db
from app.rosters.models import Posyandu
from app.rosters.roster_file import TEMPLATE_HEADER
from app.rosters.roster_import import apply, prepare

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_DB = os.environ.get("BENCH_PG_DB", "kc_bench_roster")  # BENCH_PG_DB: another (scratch) database
PG_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DB}"


def roster_csv(rows: int, posyandu_codes: list[str]) -> bytes:
    lines = [";".join(TEMPLATE_HEADER)]
    for i in range(rows):
        born = date(1965 + i % 37, 1 + i % 12, 1 + i % 28)
        sex = "L" if i % 15 == 0 else "P"
        day = born.day + (40 if sex == "P" else 0)
        nik = f"332904{day:02d}{born.month:02d}{born.year % 100:02d}{i % 9999 + 1:04d}"
        lines.append(
            ";".join(
                [
                    nik,
                    f"Kader Bench {i}",
                    sex,
                    born.strftime("%d/%m/%Y"),
                    f"0813{i:08d}",
                    "SMA",
                    posyandu_codes[i % len(posyandu_codes)],
                    "anggota",
                    "2019",
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def reset_postgres() -> None:
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {PG_DB}"))
    engine.dispose()


def run(url: str, rows: int) -> dict[str, float]:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "head")
    app = create_app("testing", DATABASE_URL=url)
    with app.app_context():
        seed_demo("bench-only-password")
        db.session.commit()
        codes = list(db.session.scalars(select(Posyandu.code).where(Posyandu.kabupaten_code == "33.29")))
        data = roster_csv(rows, codes)
        figures: dict[str, float] = {}
        for label in ("first import", "re-import (unchanged)"):
            db.session.remove()  # a fresh session, as in a new request or CLI run
            started = time.perf_counter()
            result = prepare(data, "bench.csv", "33.29", today=date.today())
            validated = time.perf_counter()
            assert not result.errors, [(r.number, r.errors) for r in result.errors[:3]]
            apply(result, "33.29", user_id=None, filename="bench.csv", today=date.today())
            db.session.commit()
            done = time.perf_counter()
            figures[label] = done - started
            figures[label + " (validate)"] = validated - started
            print(
                f"  {label}: {done - started:.2f} s total ({validated - started:.2f} s read+validate), "
                f"{result.counts['created']} created, {result.counts['unchanged']} unchanged"
            )
    app.extensions["kc_db"]["engine"].dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("APP_ENV", "testing")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"SQLite ({args.rows} rows)")
        run(f"sqlite:///{tmp}/bench.db", args.rows)
    if not args.skip_postgres:
        reset_postgres()
        print(f"PostgreSQL ({args.rows} rows)")
        run(PG_URL, args.rows)


if __name__ == "__main__":
    main()
