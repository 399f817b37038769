"""Dashboard server time at district and national scale.

Usage: .venv/bin/python bench/dashboard.py [--district] [--national] [--runs 7] [--kader N]
                                           [--national-kader N]
  --district   a kabupaten of 10,000 kader: SQLite file /tmp/kc_bench10k.db and PostgreSQL kc_bench10k
               (--kader 500: /tmp/kc_bench_500.db and kc_bench_500, for a quick check)
  --national   514 kabupaten, 1,500,000 kader: PostgreSQL kc_bench (admin's national summary;
               --national-kader 2000: kc_bench_national_2000 with 514 small kabupaten)
A database that does not exist yet is created, migrated, given the curriculum and filled with
`python -m bench.data`; one that exists is migrated to the current schema (a new summary table is
filled by its migration). Times are server time through the app (Flask test client, no network),
the first request (cold caches) reported apart from the median, min and max of the following runs
(on a busy machine the min shows what the work itself costs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/"
FLASK = [str(ROOT / ".venv/bin/flask"), "--app", "wsgi"]


def _pg_exists(name: str) -> bool:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG + "postgres")
    with engine.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
    engine.dispose()
    return found is not None


def _create_pg(name: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG + "postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def ensure(url: str, kabupaten: int, kader: int) -> None:
    """Migrate, sync the curriculum and generate synthetic data once; later runs reuse it."""
    env = {**os.environ, "DATABASE_URL": url, "APP_ENV": "development"}
    if url.startswith("sqlite"):
        fresh = not Path(url.removeprefix("sqlite:///")).exists()
    else:
        name = url.rsplit("/", 1)[1]
        fresh = not _pg_exists(name)
        if fresh:
            _create_pg(name)
    if not fresh:
        subprocess.run(
            [str(ROOT / ".venv/bin/alembic"), "upgrade", "head"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        return
    print(f"generating {kader:,} kader in {kabupaten} kabupaten into {url} ...", flush=True)
    subprocess.run([str(ROOT / ".venv/bin/alembic"), "upgrade", "head"], env=env, cwd=ROOT, check=True)
    subprocess.run([*FLASK, "curriculum", "sync"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [
            str(ROOT / ".venv/bin/python"),
            "-m",
            "bench.data",
            "--kabupaten",
            str(kabupaten),
            "--kader",
            str(kader),
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )


def _user(role: str, kabupaten: str | None) -> str:
    from sqlalchemy import select

    from app.auth.models import User
    from app.auth.services import create_user
    from app.extensions import db

    username = f"bench.{role}"
    if db.session.scalar(select(User).where(User.username == username)) is None:
        create_user(
            username=username,
            password="bench-dashboard-2026",
            full_name=f"Bench {role}",
            role=role,
            kabupaten_code=kabupaten,
        )
        db.session.commit()
    return username


APP_NAME = "kc_bench_dashboard"  # marks this script's PostgreSQL connections in pg_stat_activity


def backend_cpu_seconds() -> float | None:
    """CPU used so far by the PostgreSQL backends serving this script, when they run on this machine.

    Wall time on a busy machine mostly measures the queue for the cores; CPU time (this process
    plus its database backends) measures the work a request needs.
    """
    from sqlalchemy import create_engine, text

    engine = create_engine(PG + "postgres")
    with engine.connect() as conn:
        pids = conn.scalars(
            text("SELECT pid FROM pg_stat_activity WHERE application_name = :n"), {"n": APP_NAME}
        ).all()
    engine.dispose()
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None  # a database on another machine
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return total


def measure(url: str, role: str, path: str, runs: int) -> dict[str, float | int | None]:
    from sqlalchemy import func, select

    from app import create_app
    from app.extensions import db
    from app.rosters.models import Kader

    postgres = not url.startswith("sqlite")
    if postgres:
        url += f"?application_name={APP_NAME}"
    # The limiter stays on (sign-in lockout counts in its storage); the login limit is raised.
    app = create_app("testing", DATABASE_URL=url, WTF_CSRF_ENABLED=False, LOGIN_RATE_LIMIT="1000 per minute")
    with app.app_context():
        kader = db.session.scalar(select(func.count()).select_from(Kader))
        username = _user(role, "99.01" if role == "dinkes" else None)
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": "bench-dashboard-2026"})
    assert response.status_code == 302, response.status_code
    times = []
    for n in range(runs + 1):
        if n == 1:  # CPU counted over the warm runs only
            cpu_start, db_start = time.process_time(), backend_cpu_seconds() if postgres else 0.0
        start = time.perf_counter()
        response = client.get(path)
        times.append(1000 * (time.perf_counter() - start))
        assert response.status_code == 200, response.status_code
    db_end = backend_cpu_seconds() if postgres else 0.0
    app_cpu = 1000 * (time.process_time() - cpu_start) / runs
    db_cpu = None if db_start is None or db_end is None else 1000 * (db_end - db_start) / runs
    app.extensions["kc_db"]["engine"].dispose()  # the next case's backends are its own
    warm = times[1:]
    return {
        "kader in database": kader,
        "first (ms)": round(times[0], 1),
        "median (ms)": round(statistics.median(warm), 1),
        "min (ms)": round(min(warm), 1),
        "max (ms)": round(max(warm), 1),
        "CPU per request (ms)": None if db_cpu is None else round(app_cpu + db_cpu, 1),
        "of it database (ms)": None if db_cpu is None else round(db_cpu, 1),
        "page bytes": len(response.data),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--district", action="store_true")
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--kader", type=int, default=10_000, help="district size (a smaller one gets its own databases)"
    )
    parser.add_argument("--national-kader", type=int, default=1_500_000)
    args = parser.parse_args()
    if not (args.district or args.national):
        args.district = args.national = True
    cases = []
    if args.district:
        name = "kc_bench10k" if args.kader == 10_000 else f"kc_bench_{args.kader}"
        for url in (f"sqlite:////tmp/{name}.db", PG + os.environ.get("BENCH_PG_DB", name)):
            ensure(url, 1, args.kader)
            cases += [
                (url, "dinkes", "/laporan/", "district dashboard (dinkes, kecamatan rows)"),
                (url, "dinkes", "/laporan/?heat=skill", "district dashboard, heatmap by skill"),
                (url, "dinkes", "/laporan/unduh/kuis.xlsx", "quiz table as XLSX"),
            ]
    if args.national:
        n = args.national_kader
        name = os.environ.get("BENCH_PG_DB") or ("kc_bench" if n == 1_500_000 else f"kc_bench_national_{n}")
        ensure(PG + name, min(514, n), n)
        cases += [
            (PG + name, "admin", "/laporan/", "national summary (admin, provinsi rows)"),
            (PG + name, "admin", "/laporan/?wilayah=99", "one provinsi (kabupaten rows)"),
            (PG + name, "dinkes", "/laporan/", "one district in the national database"),
        ]
    for url, role, path, label in cases:
        db = "SQLite" if url.startswith("sqlite") else "PostgreSQL " + url.rsplit("/", 1)[1]
        result = measure(url, role, path, args.runs)
        print(f"{db:28} {label:45} " + "  ".join(f"{k}: {v}" for k, v in result.items()), flush=True)


if __name__ == "__main__":
    main()
