"""Load test: 50 concurrent kader each log in and take a 10-item quiz against gunicorn + PostgreSQL.

Usage: .venv/bin/python bench/quiz_load.py [--users 50] [--workers 4] [--threads 4]
Sets up database kc_bench_quiz (dropped and re-created), starts gunicorn on 127.0.0.1:5099, runs
the plain threaded HTTP clients below (standard library only) and prints p50/p95/p99 per request
kind, requests per second and errors.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_DB = os.environ.get("BENCH_PG_DB", "kc_bench_quiz")  # BENCH_PG_DB: another (scratch) database
PG_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DB}"
BASE = "http://127.0.0.1:5099"
PASSWORD = "bench-kader-2026"
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def prepare(users: int) -> list[str]:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, select, text

    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {PG_DB}"))
    engine.dispose()
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", PG_URL)
    command.upgrade(cfg, "head")
    from app import create_app
    from app.auth.models import User
    from app.auth.services import create_user
    from app.curriculum.loader import load_curriculum
    from app.curriculum.sync import sync_curriculum
    from app.demo.seed import seed_demo
    from app.extensions import db
    from app.rosters.models import Kader

    app = create_app("testing", DATABASE_URL=PG_URL)
    with app.app_context():
        sync_curriculum(load_curriculum(ROOT / "curriculum"))
        seed_demo("bench-only-password")
        taken = set(db.session.scalars(select(User.kader_id).where(User.kader_id.is_not(None))))
        kaders = [k for k in db.session.scalars(select(Kader).order_by(Kader.id)) if k.id not in taken][
            :users
        ]
        names = []
        for k in kaders:
            create_user(
                username=f"bench{k.id}", password=PASSWORD, full_name=k.name, role="kader", kader_id=k.id
            )
            names.append(f"bench{k.id}")
        db.session.commit()
    app.extensions["kc_db"]["engine"].dispose()
    return names


class Client:
    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.token = ""

    def call(self, kind: str, path: str, data: dict | None, timings: dict, errors: list) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(urllib.request.Request(BASE + path, data=body), timeout=30) as response:
                text = response.read().decode("utf-8", "replace")
                final = response.geturl()
        except (urllib.error.URLError, TimeoutError) as exc:
            errors.append(f"{kind} {path}: {exc}")
            return ""
        finally:
            timings.setdefault(kind, []).append(time.perf_counter() - started)
        match = CSRF.search(text)
        if match:
            self.token = match.group(1)
        return final + "\n" + text


THINK = 0.0  # seconds a kader reads before the next tap (set by --think)
RAMP = 0.0  # kader arrive spread over this many seconds (set by --ramp)


def pause() -> None:
    if THINK:
        time.sleep(random.uniform(0.5 * THINK, 1.5 * THINK))


def run_user(username: str, timings: dict, errors: list) -> None:
    if RAMP:
        time.sleep(random.uniform(0, RAMP))
    c = Client()
    c.call("login page", "/login", None, timings, errors)
    c.call(
        "login",
        "/login",
        {"csrf_token": c.token, "username": username, "password": PASSWORD},
        timings,
        errors,
    )
    c.call("skill page", "/belajar/K05", None, timings, errors)
    page = c.call("start quiz", "/kuis/K05/mulai", {"csrf_token": c.token}, timings, errors)
    match = re.search(r"/kuis/percobaan/(\d+)/soal/1", page)
    if not match:
        errors.append(f"{username}: quiz did not start")
        return
    attempt = match.group(1)
    for n in range(1, 11):
        c.call("question page", f"/kuis/percobaan/{attempt}/soal/{n}", None, timings, errors)
        pause()
        reply = c.call(
            "answer save",
            f"/kuis/percobaan/{attempt}/jawab",
            {"csrf_token": c.token, "position": n, "option": n % 4},
            timings,
            errors,
        )
        if '"saved":true' not in reply.replace(" ", ""):
            errors.append(f"{username}: answer {n} not saved")
    result = c.call("submit", f"/kuis/percobaan/{attempt}/kirim", {"csrf_token": c.token}, timings, errors)
    if "/hasil" not in result.split("\n", 1)[0]:
        errors.append(f"{username}: submit did not show the result")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds between taps (0: no pause)")
    parser.add_argument("--ramp", type=float, default=0.0, help="spread the kader's arrival over N seconds")
    args = parser.parse_args()
    global THINK, RAMP
    THINK, RAMP = args.think, args.ramp
    usernames = prepare(args.users)
    env = {
        **os.environ,
        "APP_ENV": "development",  # production sets Secure cookies; plain-HTTP clients drop them
        "SECRET_KEY": "b" * 48,
        "DATABASE_URL": PG_URL,
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "QUIZ_COOLDOWN_MINUTES": "0",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--bind",
            "127.0.0.1:5099",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(BASE + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        timings: dict[str, list[float]] = {}
        errors: list[str] = []
        started = time.perf_counter()
        threads = [threading.Thread(target=run_user, args=(u, timings, errors)) for u in usernames]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    total = sum(len(v) for v in timings.values())
    print(
        f"{len(usernames)} kader, {total} requests in {elapsed:.1f} s = {total / elapsed:.0f} req/s, "
        f"{len(errors)} errors"
    )
    for kind in ("question page", "answer save", "login", "start quiz", "submit"):
        values = timings.get(kind, [])
        if values:
            print(
                f"  {kind:14s} n={len(values):4d}  p50 {pct(values, 50):6.1f} ms  "
                f"p95 {pct(values, 95):6.1f} ms  "
                f"p99 {pct(values, 99):6.1f} ms  mean {statistics.mean(values) * 1000:6.1f} ms"
            )
    for e in errors[:10]:
        print("  error:", e)


if __name__ == "__main__":
    main()
