"""Bench for issue 16 item 4: a kabupaten-wide print job on the synthetic district, and how
fast pages answer meanwhile. Runs gunicorn against a scratch database prepared beforehand
(`alembic upgrade head`, `flask curriculum sync`, `python -m bench.data --kader 10000`):

  INSTANCE_PATH=/tmp/jobs-bench-inst DATABASE_URL=sqlite:////tmp/jobs-bench.db \
      .venv/bin/python bench/background_jobs.py [--rq redis://127.0.0.1:6379/13]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = 8791
BASE = f"http://127.0.0.1:{PORT}"


def opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def get(o, path: str) -> tuple[float, bytes]:
    t = time.perf_counter()
    with o.open(BASE + path) as r:
        body = r.read()
    return time.perf_counter() - t, body


def post(o, path: str, data: dict) -> str:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    req = urllib.request.Request(BASE + path, data=urllib.parse.urlencode(data).encode())
    no = urllib.request.build_opener(
        NoRedirect, *[h for h in o.handlers if isinstance(h, urllib.request.HTTPCookieProcessor)]
    )
    try:
        no.open(req)
    except urllib.error.HTTPError as e:
        if e.code in (302, 303):
            return e.headers["Location"]
        raise
    raise RuntimeError("no redirect")


def token(o, path: str) -> str:
    return re.search(rb'name="csrf-token" content="([^"]+)"', get(o, path)[1]).group(1).decode()


def summary(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[int(len(ms) * 0.95) - 1] if len(ms) >= 20 else ms[-1]
    return f"n={len(ms)} median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rq", default=None, help="REDIS_URL: run the job on RQ (flask jobs worker)")
    ap.add_argument("--kind", default="print", choices=("print", "export"))
    args = ap.parse_args()
    env = dict(os.environ, APP_ENV="development", SECRET_KEY="bench-" + "x" * 40)
    env.pop("REDIS_URL", None)
    if args.rq:
        env["REDIS_URL"] = args.rq
        import redis

        redis.Redis.from_url(args.rq).flushdb()
    # The synthetic dinkes has a random password: give it a known one (scratch database only).
    subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "from app import create_app; from app.extensions import db; from app.auth.models import User;"
                "from sqlalchemy import select; from werkzeug.security import generate_password_hash as h;"
                "a=create_app(); c=a.app_context(); c.push();"
                "u=db.session.scalar(select(User).where(User.username=='syn.dinkes.9901'));"
                "u.password_hash=h('bench-password-123'); u.must_change_password=False;"
                "from app.jobs.models import Job; db.session.query(Job).delete(); db.session.commit()"
            ),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers",
            "2",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--timeout",
            "60",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = None
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        o = opener()
        post(
            o,
            "/login",
            {
                "csrf_token": token(o, "/login"),
                "username": "syn.dinkes.9901",
                "password": "bench-password-123",
            },
        )
        pages = ["/sertifikat/", "/tugas/", "/kader/"]
        for p in pages:
            get(o, p)  # warm
        idle = {p: [get(o, p)[0] for _ in range(40)] for p in pages}
        t_start = time.perf_counter()
        if args.kind == "print":
            location = post(
                o, "/tugas/cetak-sertifikat", {"csrf_token": token(o, "/sertifikat/"), "kecamatan": ""}
            )
        else:
            location = post(o, "/tugas/ekspor-kader", {"csrf_token": token(o, "/tugas/")})
        job = location.rstrip("/").rsplit("/", 1)[-1]
        start_request = time.perf_counter() - t_start
        t0 = time.perf_counter()
        if args.rq:
            worker = subprocess.Popen(
                [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "jobs", "worker", "--burst"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        busy: dict[str, list[float]] = {p: [] for p in [*pages, "/tugas/<id>.json"]}
        status = {}
        while True:
            for p in pages:
                busy[p].append(get(o, p)[0])
            took, body = get(o, f"/tugas/{job}.json")
            busy["/tugas/<id>.json"].append(took)
            status = json.loads(body)
            if status["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
        wall = time.perf_counter() - t0
        print(
            "path: "
            + ("RQ (flask jobs worker, own process)" if args.rq else "in-process thread (gunicorn 2x4)")
        )
        print(
            f"job {job}: {status['status']}, {status['done']}/{status['total']} items, wall {wall:.1f} s "
            f"from start request to done seen; the start request itself took {start_request * 1000:.0f} ms"
        )
        for p in pages:
            print(f"  {p:18} idle: {summary(idle[p])}")
            print(f"  {p:18} busy: {summary(busy[p])}")
        print(f"  /tugas/<id>.json   busy: {summary(busy['/tugas/<id>.json'])}")
        _, pdf = get(o, status["download_url"])
        print(f"  file: {len(pdf) / 1048576:.1f} MB")
        from sqlalchemy import create_engine, text

        sys.path.insert(0, str(ROOT))
        from config import database_url

        with create_engine(database_url()).connect() as conn:
            row = conn.execute(
                text("SELECT started_at, finished_at, created_at FROM job WHERE id = :i"), {"i": job}
            ).one()
        ts = [v if not isinstance(v, str) else __import__("datetime").datetime.fromisoformat(v) for v in row]
        print(
            f"  queued {(ts[0] - ts[2]).total_seconds():.1f} s, ran {(ts[1] - ts[0]).total_seconds():.1f} s "
            f"(started_at to finished_at)"
        )
        if args.kind == "export":
            inline = [get(o, "/kader/?format=xlsx")[0] for _ in range(3)]
            print(f"  baseline in-request /kader/?format=xlsx (all kader): {summary(inline)}")
    finally:
        server.terminate()
        server.wait()
        if worker:
            worker.wait(timeout=60)


if __name__ == "__main__":
    main()
