"""Server CPU per quiz answer save beside a bare Flask request, in one process and one run.

Usage: .venv/bin/python bench/answer_save.py [--saves 2000] [--rounds 5] [--no-postgres]

For SQLite (a temporary file) and PostgreSQL (database kc_bench_save, dropped and re-created)
it seeds the demo data, logs the demo kader in through the Flask test client, starts a quiz and
then times, with time.process_time, N background saves (`POST /kuis/percobaan/<id>/jawab`, each
one changing the stored answer) beside N requests of a client without a session (the bare Flask
request of issue 16) to `/healthz` (one `SELECT 1`) and to a route that touches nothing
(registered by this script only), and N requests of the logged-in kader to that route (session
cookie and user load). They are interleaved in rounds so that drift hits them alike. It prints
CPU per request and the ratio save / healthz (issue 16: goal ≤5×, limit 7×) beside the others.

It also counts, per save, the SQL statements SQLAlchemy sends (before_cursor_execute) and, on
PostgreSQL, the real network round trips: an untimed pass runs through a small TCP relay that
counts the protocol messages ending a round trip (simple Query 'Q' and extended-protocol Sync
'S'), so BEGIN, COMMIT, the pool's pre-ping and the reset on return are all seen. The same pass
counts what the "Simpan dan lanjut" form costs when it re-posts the answer already saved.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import socket
import statistics
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_ADMIN = f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/postgres"
PG_DB = os.environ.get("BENCH_PG_DB", "kc_bench_save")  # BENCH_PG_DB: another (scratch) database
PASSWORD = "bench-kader-2026"
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
ATTEMPT = re.compile(r"/kuis/percobaan/(\d+)")


def pg_url(port: int = PG_PORT) -> str:
    # No SSL/GSS negotiation: the relay below then sees plain protocol messages.
    return f"postgresql+psycopg://postgres@{PG_HOST}:{port}/{PG_DB}?sslmode=disable&gssencmode=disable"


def prepare(url: str) -> None:
    """A fresh schema with the real curriculum and the demo districts."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    if url.startswith("postgresql"):
        engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {PG_DB}"))
        engine.dispose()
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "head")
    from app.curriculum.loader import load_curriculum
    from app.curriculum.sync import sync_curriculum
    from app.demo.seed import seed_demo
    from app.extensions import db

    app = make_app(url)
    with app.app_context():
        sync_curriculum(load_curriculum(ROOT / "curriculum"))
        seed_demo(PASSWORD)
        db.session.commit()
    app.extensions["kc_db"]["engine"].dispose()


def make_app(url: str):
    from app import create_app

    app = create_app("testing", DATABASE_URL=url, QUIZ_COOLDOWN_MINUTES=0, QUIZ_MAX_ATTEMPTS_PER_DAY=10_000)
    # A request that touches neither the database nor the login: Flask, the security headers
    # and the input guard only.
    app.add_url_rule("/bench-bare", "bench_bare", lambda: "ok")
    return app


class Kader:
    """The demo kader, logged in, with an open quiz attempt."""

    def __init__(self, app) -> None:
        self.client = app.test_client()
        self.anonymous = app.test_client()  # no session cookie: the bare request of issue 16
        token = self._token("/login")
        r = self.client.post(
            "/login", data={"username": "kader.demo", "password": PASSWORD, "csrf_token": token}
        )
        assert r.status_code == 302, "login failed"
        token = self._token("/belajar/K01")
        r = self.client.post("/kuis/K01/mulai", data={"csrf_token": token})
        match = ATTEMPT.search(r.location or "")
        assert match, f"no attempt started: {r.status_code} {r.location}"
        self.attempt = int(match.group(1))
        self.token = self._token(f"/kuis/percobaan/{self.attempt}/soal/1")
        self.count = 0

    def _token(self, path: str) -> str:
        match = CSRF.search(self.client.get(path).get_data(as_text=True))
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def save(self) -> None:
        """One background save that changes the stored answer (positions 1-10, options 0-3)."""
        position, option = self.count % 10 + 1, (self.count // 10) % 4
        self.count += 1
        r = self.client.post(
            f"/kuis/percobaan/{self.attempt}/jawab",
            data={"csrf_token": self.token, "position": str(position), "option": str(option)},
            headers={"Accept": "application/json"},
        )
        assert r.status_code == 200, r.get_data(as_text=True)

    def repost_form(self, position: int, option: int) -> None:
        """The "Simpan dan lanjut" form posting the answer the background save just stored."""
        r = self.client.post(
            f"/kuis/percobaan/{self.attempt}/soal/{position}",
            data={"csrf_token": self.token, "option": str(option), "go": "next"},
        )
        assert r.status_code == 302, r.status_code

    def healthz(self) -> None:
        assert self.anonymous.get("/healthz").status_code == 200

    def bare(self) -> None:
        assert self.anonymous.get("/bench-bare").status_code == 200

    def bare_logged_in(self) -> None:
        assert self.client.get("/bench-bare").status_code == 200


def cpu_per_call(fn, n: int) -> float:
    start = time.process_time()
    for _ in range(n):
        fn()
    return time.process_time() - start


def measure_cpu(kader: Kader, saves: int, rounds: int) -> dict[str, float]:
    """Milliseconds of process CPU per request, interleaved in rounds."""
    per_round = max(1, saves // rounds)
    calls = {"save": kader.save, "healthz": kader.healthz, "bare": kader.bare, "login": kader.bare_logged_in}
    for fn in calls.values():  # warm-up: caches, pool, prepared plans
        cpu_per_call(fn, 100)
    totals = dict.fromkeys(calls, 0.0)
    for _ in range(rounds):
        for name, fn in calls.items():
            totals[name] += cpu_per_call(fn, per_round)
    return {k: 1000 * v / (per_round * rounds) for k, v in totals.items()}


@contextmanager
def statement_counter(app) -> Iterator[list[str]]:
    from sqlalchemy import event

    seen: list[str] = []
    engine = app.extensions["kc_db"]["engine"]

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(" ".join(statement.split())[:90])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


class WireCounter:
    """A TCP relay to PostgreSQL that counts client round trips ('Q' and 'S' messages)."""

    def __init__(self) -> None:
        self.trips = 0
        self.kinds: list[str] = []
        self._lock = threading.Lock()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> None:
        with self._lock:
            self.trips, self.kinds = 0, []

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection((PG_HOST, PG_PORT))
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        buf, started = b"", False
        try:
            while data := src.recv(65536):
                dst.sendall(data)
                if not from_client:
                    continue
                buf += data
                while True:
                    if not started:  # the startup message has a length and no type byte
                        if len(buf) < 4:
                            break
                        (length,) = struct.unpack("!I", buf[:4])
                        if len(buf) < length:
                            break
                        buf, started = buf[length:], True
                        continue
                    if len(buf) < 5:
                        break
                    kind, (length,) = buf[:1], struct.unpack("!I", buf[1:5])
                    if len(buf) < 1 + length:
                        break
                    if kind in (b"Q", b"S"):
                        with self._lock:
                            self.trips += 1
                            if kind == b"Q":  # simple protocol: BEGIN, COMMIT, ROLLBACK
                                self.kinds.append(buf[5 : 1 + length].rstrip(b"\0").decode()[:20])
                            else:
                                self.kinds.append("(statement)")
                    buf = buf[1 + length :]
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.server.close()


def count_trips(url: str, wire: WireCounter | None, saves: int = 30) -> dict[str, object]:
    """Statements (and wire round trips, PostgreSQL) of steady-state saves and form re-posts."""
    app = make_app(url)
    kader = Kader(app)
    for _ in range(20):  # past psycopg's prepare threshold and the first-use costs
        kader.save()
    stmts, trips, kinds, example = [], [], [], []
    for _ in range(saves):
        if wire:
            wire.reset()
        with statement_counter(app) as seen:
            kader.save()
        stmts.append(len(seen))
        example = seen
        if wire:
            trips.append(wire.trips)
            kinds = list(wire.kinds)
    # the form posting what the background save stored a moment ago (the "double save")
    position, option = 5, 2
    kader.client.post(
        f"/kuis/percobaan/{kader.attempt}/jawab",
        data={"csrf_token": kader.token, "position": str(position), "option": str(option)},
    )
    if wire:
        wire.reset()
    with statement_counter(app) as form_seen:
        kader.repost_form(position, option)
    out: dict[str, object] = {
        "statements": statistics.median(stmts),
        "statement_list": example,
        "form_repost_statements": form_seen,
    }
    if wire:
        out["round_trips"] = statistics.median(trips)
        out["round_trip_kinds"] = kinds
        out["form_repost_round_trips"] = wire.trips
    app.extensions["kc_db"]["engine"].dispose()
    return out


def run(name: str, url: str, saves: int, rounds: int, wire: WireCounter | None) -> None:
    print(f"\n== {name}")
    prepare(url)
    app = make_app(url)
    ms = measure_cpu(Kader(app), saves, rounds)
    app.extensions["kc_db"]["engine"].dispose()
    print(
        f"CPU per request (ms, {saves} each): save {ms['save']:.3f} · healthz {ms['healthz']:.3f}"
        f" · bare route {ms['bare']:.3f} · bare route logged in {ms['login']:.3f}"
    )
    print(f"ratio save / healthz: {ms['save'] / ms['healthz']:.2f}x  (goal <=5x, limit 7x)")
    print(f"ratio save / bare route: {ms['save'] / ms['bare']:.2f}x")
    print(f"ratio save / bare route logged in: {ms['save'] / ms['login']:.2f}x")
    trips = count_trips(url if wire is None else pg_url(wire.port), wire)
    print(f"SQL statements per save (incl. the login's user load): {trips['statements']}")
    for s in trips["statement_list"]:
        print(f"    {s}")
    if wire:
        print(f"network round trips per save: {trips['round_trips']}  {trips['round_trip_kinds']}")
    form = trips["form_repost_statements"]
    extra = f", {trips['form_repost_round_trips']} round trips" if wire else ""
    print(f"form re-post of an answer already saved: {len(form)} statements{extra}")
    for s in form:
        print(f"    {s}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--saves", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.python_version()} · {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", args.saves, args.rounds, None)
    if not args.no_postgres:
        wire = WireCounter()
        try:
            run("PostgreSQL", pg_url(), args.saves, args.rounds, wire)
        finally:
            wire.close()


if __name__ == "__main__":
    main()
