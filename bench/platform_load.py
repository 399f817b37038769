"""Mixed load of the whole platform: kader quizzes, fasilitator checklists, dinkes dashboards and PDFs.

Usage: .venv/bin/python bench/platform_load.py [--duration 180] [--kader 40] [--fasilitator 6] [--dinkes 3]
       [--workers 4] [--threads 2] [--think 2] [--ramp 10]
Sets up database kc_bench_platform (dropped and re-created; one Posyandu's kader are given Purwa through
the services and certified), starts gunicorn on 127.0.0.1:5097 and runs one thread per virtual user until
the duration ends:
- kader: log in, open a skill's material, start its quiz, answer each question with the background save
  quiz.js makes, submit, read the result; again with another skill.
- fasilitator: new assessment session today at a Posyandu of their Puskesmas, add attending kader, tick
  every checklist step with the background save checklist.js makes, confirm; open the Posyandu matrix.
- dinkes: home, the /laporan/ dashboard (skipped when it answers 404 at start-up), the certificate list
  and the batch PDF of the certified Posyandu.
Prints p50/p95/p99 per request kind, throughput, errors, peak RSS of gunicorn and of the PostgreSQL
backends, and checks that every answer and tick a client saw saved is in the database.
Exit code 1 on any error or lost answer/tick.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import quiz_load
from quiz_load import PASSWORD, PG_ADMIN, ROOT, Client, pct

DB_NAME = os.environ.get("BENCH_PG_DB", "kc_bench_platform")  # BENCH_PG_DB: another (scratch) database
PG_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DB_NAME}"
PORT = 5097  # not quiz_load's 5099, so both benchmarks can never talk to each other's server
BASE = f"http://127.0.0.1:{PORT}"
# quiz_load.Client reads the module global BASE at call time; point it at our server.
quiz_load.BASE = BASE
KABUPATEN = "33.29"  # Brebes: the dinkes users' district and the certified Posyandu's
ANSWER_ACCURACY = 0.85  # a kader who read the material picks the right option this often (~80% pass)


# ---------------------------------------------------------------- preparation


@dataclass
class Plan:
    kader: list[str]
    fasilitator: list[str]
    dinkes: list[str]
    skills: list[str]
    answer_key: dict[str, str]  # question text -> correct option text
    pdf_posyandu_id: int
    certificates: int


def _purwa_skills(skills_by_area: dict[str, list]) -> list:
    """The fewest skills that reach Purwa: all of PP and BB plus the smallest of IH/UR/DL."""
    smallest = min(("IH", "UR", "DL"), key=lambda a: len(skills_by_area[a]))
    return skills_by_area["PP"] + skills_by_area["BB"] + skills_by_area[smallest]


def prepare(n_kader: int, n_fasilitator: int, n_dinkes: int) -> Plan:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, select, text

    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {DB_NAME}"))
    engine.dispose()
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", PG_URL)
    command.upgrade(cfg, "head")

    from app import create_app
    from app.auth.models import User
    from app.auth.services import create_user
    from app.certificates.models import DistrictSettings
    from app.certificates.services import issue
    from app.curriculum.loader import load_curriculum
    from app.curriculum.models import Item, ItemRevision, Skill
    from app.curriculum.sync import sync_curriculum
    from app.demo.seed import seed_demo
    from app.extensions import db
    from app.practicals.services import active_steps, confirm, create_session, result_for, set_ticks
    from app.quizzes.services import finish, save_answer, start
    from app.rosters.models import Kader, Posyandu, Puskesmas
    from app.rosters.queries import current_roster

    app = create_app("testing", DATABASE_URL=PG_URL)
    with app.app_context():
        # The demo's rosters without its learning activity (seeded only with a curriculum in
        # place): the load below starts from a known state.
        seed_demo("bench-only-password")
        sync_curriculum(load_curriculum(ROOT / "curriculum"))
        db.session.flush()
        rng = random.Random(2026)  # the same accounts every run

        # Kader accounts spread over both districts, so fasilitators also assess kader who are online.
        taken = set(db.session.scalars(select(User.kader_id).where(User.kader_id.is_not(None))))
        free = [k for k in db.session.scalars(select(Kader).order_by(Kader.id)) if k.id not in taken]
        if len(free) < n_kader:
            print(f"only {len(free)} kader without an account: --kader {n_kader} lowered", file=sys.stderr)
        kader_names = []
        for k in sorted(rng.sample(free, min(n_kader, len(free))), key=lambda k: k.id):
            create_user(
                username=f"bench{k.id}", password=PASSWORD, full_name=k.name, role="kader", kader_id=k.id
            )
            kader_names.append(f"bench{k.id}")
        puskesmas = db.session.scalars(select(Puskesmas).order_by(Puskesmas.code)).all()
        fas_names = []
        for i in range(n_fasilitator):
            pkm = puskesmas[i % len(puskesmas)]
            name = f"benchfas{i + 1}"
            create_user(
                username=name,
                password=PASSWORD,
                full_name=f"Bidan {name}",
                role="fasilitator",
                puskesmas_id=pkm.id,
            )
            fas_names.append(name)
        dinkes_names = []
        for i in range(n_dinkes):
            name = f"benchdinkes{i + 1}"
            create_user(
                username=name,
                password=PASSWORD,
                full_name=f"Dinkes {name}",
                role="dinkes",
                kabupaten_code=KABUPATEN,
            )
            dinkes_names.append(name)
        db.session.flush()

        # One Posyandu with certificates: every kader on its roster passes the Purwa skills' quizzes
        # and is assessed kompeten, through the same services the pages call.
        fasilitator = db.session.scalar(select(User).where(User.username == "fasilitator.demo"))
        dinkes = db.session.scalar(select(User).where(User.username == "dinkes.brebes"))
        posyandu = db.session.scalar(
            select(Posyandu).where(Posyandu.puskesmas_id == fasilitator.puskesmas_id).order_by(Posyandu.code)
        )
        skills = db.session.scalars(select(Skill).where(Skill.active).order_by(Skill.code)).all()
        by_area: dict[str, list] = {}
        for s in skills:
            by_area.setdefault(s.area_code, []).append(s)
        purwa = _purwa_skills(by_area)
        roster = [m.kader for m in current_roster(posyandu.id)]
        now = datetime.now(UTC)
        for kader in roster:
            for skill in purwa:
                attempt = start(kader.id, skill, now, max_per_day=100, cooldown_minutes=0)
                for item in attempt.items:
                    save_answer(
                        attempt, item.position, item.option_order.index(item.revision.correct_index), now
                    )
                finish(attempt, now, "submitted")
        session = create_session(
            posyandu=posyandu,
            assessor_id=fasilitator.id,
            session_date=date.today(),
            today=date.today(),
            skills=purwa,
            kader_ids=[k.id for k in roster],
            note="bench preparation",
        )
        for kader in roster:
            for skill in purwa:
                result = result_for(session, kader.id, skill, fasilitator.id)
                done = {s.id: True for s in active_steps(skill.id)}
                set_ticks(result, done, user_id=fasilitator.id, min_share=0.75)
                confirm(result, "kompeten", None, user_id=fasilitator.id, min_share=0.75)
        db.session.add(
            DistrictSettings(
                kabupaten_code=KABUPATEN,
                office_name="Dinas Kesehatan Kabupaten Brebes",
                signatory_name="dr. Bench Penandatangan",
                signatory_title="Kepala Dinas Kesehatan",
                signatory_nip="197001012000031001",
                place="Brebes",
            )
        )
        db.session.flush()
        issued = [issue(k, "purwa", user_id=dinkes.id, today=date.today()) for k in roster]
        if not issued:
            raise RuntimeError(f"no certificate issued for {posyandu.name}")

        key = {
            q.strip(): opts[correct].strip()
            for q, opts, correct in db.session.execute(
                select(ItemRevision.question, ItemRevision.options, ItemRevision.correct_index).join(
                    Item, Item.current_revision_id == ItemRevision.id
                )
            )
        }
        plan = Plan(
            kader=kader_names,
            fasilitator=fas_names,
            dinkes=dinkes_names,
            skills=[s.code for s in skills],
            answer_key=key,
            pdf_posyandu_id=posyandu.id,
            certificates=len(issued),
        )
        db.session.commit()
    app.extensions["kc_db"]["engine"].dispose()
    return plan


# ---------------------------------------------------------------- virtual users


class Stop(Exception):
    """The duration is over: the user leaves, even mid-quiz (its saved answers are still checked)."""


@dataclass
class Shared:
    deadline: float
    think: float
    plan: Plan
    dashboard: bool
    t0: float


@dataclass
class Outcome:
    timings: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    error_kinds: Counter = field(default_factory=Counter)
    answers: dict[tuple[int, int], int] = field(default_factory=dict)  # (attempt, position) -> display
    ticks: dict[tuple[int, int, str, int], bool] = field(default_factory=dict)  # session, kader, skill, step
    counts: Counter = field(default_factory=Counter)


OPTION = re.compile(r'name="option" value="(\d+)"[^>]*> <span>(.*?)</span>', re.S)
LEGEND = re.compile(r'<fieldset class="question">\s*<legend>(.*?)</legend>', re.S)


def _split(page: str) -> tuple[str, str]:
    url, _, body = page.partition("\n")
    return urllib.parse.urlsplit(url).path, body


class VirtualUser:
    def __init__(self, username: str, shared: Shared) -> None:
        self.username = username
        self.shared = shared
        self.client = Client()
        self.out = Outcome()
        self.rng = random.Random(username)

    def call(self, kind: str, path: str, data: dict | list[tuple[str, str]] | None = None) -> str:
        """One request through quiz_load.Client; a failure is counted against its kind, with the time."""
        before = len(self.out.errors)
        # Client.call is typed `dict`, but urlencode also takes pairs: needed for repeated fields.
        page = self.client.call(kind, path, data, self.out.timings, self.out.errors)  # type: ignore[arg-type]
        if len(self.out.errors) > before:
            self.out.error_kinds[kind] += 1
            self.out.errors[-1] = f"t={self._t():.1f}s {self.username}: {self.out.errors[-1]}"
            return ""
        if "/login" in page.partition("\n")[0] and not path.startswith("/login"):
            self.fail(kind, f"{path}: redirected to the login page (session lost)")
            return ""
        return page

    def fail(self, kind: str, message: str) -> None:
        self.out.error_kinds[kind] += 1
        self.out.errors.append(f"t={self._t():.1f}s {self.username}: {kind} {message}")

    def _t(self) -> float:
        return time.monotonic() - self.shared.t0

    def pause(self, scale: float = 1.0) -> None:
        left = self.shared.deadline - time.monotonic()
        if left <= 0:
            raise Stop
        mean = self.shared.think * scale
        time.sleep(min(left, self.rng.uniform(0.5 * mean, 1.5 * mean)) if mean else 0)
        if time.monotonic() >= self.shared.deadline:
            raise Stop

    def login(self) -> bool:
        self.call("login page", "/login")
        page = self.call(
            "login",
            "/login",
            {"csrf_token": self.client.token, "username": self.username, "password": PASSWORD},
        )
        return bool(page)

    def run(self, ramp: float) -> None:
        time.sleep(self.rng.uniform(0, ramp))
        try:
            if not self.login():
                return
            while True:
                before = len(self.out.errors)
                self.iteration()
                if len(self.out.errors) > before:
                    time.sleep(0.5)  # a broken flow must not spin with --think 0
                self.pause()
        except Stop:
            pass
        except Exception:  # noqa: BLE001 - a bug in this script must show in the report, not kill silently
            self.fail("client", traceback.format_exc(limit=3).replace("\n", " | "))

    def iteration(self) -> None:
        raise NotImplementedError


class KaderUser(VirtualUser):
    def __init__(self, username: str, shared: Shared) -> None:
        super().__init__(username, shared)
        self.todo = list(shared.plan.skills)
        self.rng.shuffle(self.todo)

    def choose(self, body: str) -> int | None:
        options = [(int(v), html.unescape(t).strip()) for v, t in OPTION.findall(body)]
        if not options:
            return None
        legend = LEGEND.search(body)
        right = self.shared.plan.answer_key.get(html.unescape(legend.group(1)).strip()) if legend else None
        if right is not None and self.rng.random() < ANSWER_ACCURACY:
            for display, text in options:
                if text == right:
                    return display
        return self.rng.choice(options)[0]

    def iteration(self) -> None:
        code = self.todo.pop(0) if self.todo else self.rng.choice(self.shared.plan.skills)
        self.call("home", "/")
        self.call("skill page", f"/belajar/{code}")
        self.pause(2)  # reading the material
        page = self.call("start quiz", f"/kuis/{code}/mulai", {"csrf_token": self.client.token})
        if not page:
            return
        path, body = _split(page)
        match = re.fullmatch(r"/kuis/percobaan/(\d+)/soal/(\d+)", path)
        if not match:
            self.fail("start quiz", f"/kuis/{code}/mulai: landed on {path}, not a question")
            return
        attempt = int(match.group(1))
        positions = sorted({int(p) for p in re.findall(rf'/kuis/percobaan/{attempt}/soal/(\d+)"', body)})
        for position in positions:
            if position != int(match.group(2)):
                page = self.call("question page", f"/kuis/percobaan/{attempt}/soal/{position}")
                if not page:
                    return
                body = _split(page)[1]
            answer_url = re.search(r'data-answer-url="([^"]+)"', body)
            choice = self.choose(body)
            if answer_url is None or choice is None:
                self.fail("question page", f"attempt {attempt} position {position}: no answer form")
                return
            self.pause()
            # Sometimes the kader changes her mind: two saves, the last one must be kept.
            for _ in range(2 if self.rng.random() < 0.1 else 1):
                if not self.save(answer_url.group(1), attempt, position, choice):
                    return
                choice = self.choose(body) or 0
        # Like quiz.js users moving on through the quiz map: the background save is the only write.
        self.call("summary", f"/kuis/percobaan/{attempt}/ringkasan")
        self.pause()
        page = self.call("submit", f"/kuis/percobaan/{attempt}/kirim", {"csrf_token": self.client.token})
        if not page:
            return
        path, body = _split(page)
        if not path.endswith("/hasil"):
            self.fail("submit", f"attempt {attempt}: landed on {path}, not the result")
            return
        self.out.counts["quizzes submitted"] += 1
        if "result-pass" in body:
            self.out.counts["quizzes passed"] += 1
        self.pause()
        if self.rng.random() < 0.3:
            self.call("my progress", "/kemajuan")

    def save(self, url: str, attempt: int, position: int, display: int) -> bool:
        key = (attempt, position)
        page = self.call(
            "answer save",
            url,
            {"csrf_token": self.client.token, "position": str(position), "option": str(display)},
        )
        if '"saved":true' not in page.replace(" ", ""):
            self.out.answers.pop(key, None)  # the server may or may not have it: not checkable
            if page:
                self.fail("answer save", f"{url}: no saved:true in {page[-120:]!r}")
            return False
        self.out.answers[key] = display
        return True


class FasilitatorUser(VirtualUser):
    def iteration(self) -> None:
        self.call("home", "/")
        page = self.call("new session form", "/praktik/baru")
        if not page:
            return
        body = _split(page)[1]
        select_html = re.search(r'<select[^>]*name="posyandu_id"[^>]*>(.*?)</select>', body, re.S)
        posyandu = re.findall(r'<option[^>]*value="(\d+)"', select_html.group(1)) if select_html else []
        skills = re.findall(r'<input[^>]*name="skill_ids"[^>]*value="(\d+)"', body)
        if not posyandu or not skills:
            self.fail("new session form", "no Posyandu or skill to choose")
            return
        posyandu_id = self.rng.choice(posyandu)
        form: list[tuple[str, str]] = [
            ("csrf_token", self.client.token),
            ("posyandu_id", posyandu_id),
            ("session_date", date.today().isoformat()),
            ("note", "bench"),
        ]
        form += [("skill_ids", s) for s in self.rng.sample(skills, self.rng.randint(1, 2))]
        self.pause()
        page = self.call("create session", "/praktik/baru", form)
        if not page:
            return
        path, body = _split(page)
        match = re.fullmatch(r"/praktik/(\d+)/peserta", path)
        kader = re.findall(r'<input[^>]*name="kader_ids"[^>]*value="(\d+)"', body)
        if not match or not kader:
            self.fail("create session", f"landed on {path} with {len(kader)} kader to choose")
            return
        session_id = int(match.group(1))
        chosen = self.rng.sample(kader, min(len(kader), self.rng.randint(2, 3)))
        self.pause()
        page = self.call(
            "add attendees",
            f"/praktik/{session_id}/peserta",
            [("csrf_token", self.client.token)] + [("kader_ids", k) for k in chosen],
        )
        if not page:
            return
        pairs = re.findall(rf'/praktik/{session_id}/nilai/(\d+)/([A-Z0-9]+)"', _split(page)[1])
        if not pairs:
            self.fail("add attendees", f"session {session_id}: no kader/skill to observe")
            return
        self.out.counts["sessions"] += 1
        for kader_id, code in pairs:
            self.observe(session_id, int(kader_id), code)
        self.call("progress matrix", f"/posyandu/{posyandu_id}/matriks")

    def observe(self, session_id: int, kader_id: int, code: str) -> None:
        path = f"/praktik/{session_id}/nilai/{kader_id}/{code}"
        page = self.call("checklist page", path)
        if not page:
            return
        body = _split(page)[1]
        tick_url = re.search(r'data-tick-url="([^"]+)"', body)
        steps = [int(s) for s in re.findall(r'name="step-(\d+)" value="1"', body)]
        if tick_url is None or not steps:
            self.fail("checklist page", f"{path}: no checklist form")
            return
        state: dict[int, bool] = {}
        suggested = ""
        for step in steps:
            self.pause(0.5)  # watching the kader do the step
            order = [step]
            if state and self.rng.random() < 0.1:
                order.append(self.rng.choice(list(state)))  # a correction of an earlier tick
            for s in order:
                done = self.rng.random() < 0.9 if s not in state else not state[s]
                reply = self.tick(tick_url.group(1), (session_id, kader_id, code, s), done)
                if reply is None:
                    return
                state[s] = done
                suggested = reply.get("suggested", "")
        if suggested not in ("kompeten", "belum_kompeten"):
            self.fail("tick save", f"{path}: no suggested result after the last tick")
            return
        self.pause()
        # The browser posts the whole form: every checked radio, then the decision (the suggestion).
        form = [("csrf_token", self.client.token)] + [
            (f"step-{s}", "1" if d else "0") for s, d in state.items()
        ]
        form += [("decision", suggested), ("note", ""), ("action", "confirm")]
        page = self.call("confirm result", path, form)
        if page and _split(page)[0] != f"/praktik/{session_id}":
            self.fail("confirm result", f"{path}: landed on {_split(page)[0]}, not the session")
        elif page:
            self.out.counts["results confirmed"] += 1

    def tick(self, url: str, key: tuple[int, int, str, int], done: bool) -> dict | None:
        data = {"csrf_token": self.client.token, f"step-{key[3]}": "1" if done else "0"}
        page = self.call("tick save", url, data)
        try:
            reply = json.loads(_split(page)[1]) if page else {}
        except ValueError:
            reply = {}
        if reply.get("saved") is not True:
            self.out.ticks.pop(key, None)  # unknown whether it was stored: not checkable
            if page:
                self.fail("tick save", f"{url}: no saved:true in {page[-120:]!r}")
            return None
        self.out.ticks[key] = done
        return reply


class DinkesUser(VirtualUser):
    def iteration(self) -> None:
        self.call("home", "/")
        if self.shared.dashboard:
            self.call("dashboard", "/laporan/")
            self.pause(2)
        self.call("certificate list", "/sertifikat/")
        self.pause()
        page = self.call("batch PDF", f"/posyandu/{self.shared.plan.pdf_posyandu_id}/sertifikat.pdf")
        if page and not _split(page)[1].startswith("%PDF-"):
            self.fail("batch PDF", "the answer is not a PDF")
        elif page:
            self.out.counts["batch PDFs"] += 1
        self.pause(2)


# ---------------------------------------------------------------- server and measurements


def start_gunicorn(workers: int, threads: int, log: Path) -> subprocess.Popen:
    with socket.socket() as probe:
        # connect, not bind: our last run's sockets in TIME_WAIT must not count as "in use"
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            sys.exit(f"port {PORT} is in use: stop whatever listens there first")
    env = {
        **os.environ,
        "APP_ENV": "development",  # production sets Secure cookies; plain-HTTP clients drop them
        "SECRET_KEY": "p" * 48,
        "DATABASE_URL": PG_URL,
        # Every client logs in from 127.0.0.1: the per-address login limit would refuse them.
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "LOGIN_LOCKOUT_THRESHOLD": "1000",
        "QUIZ_COOLDOWN_MINUTES": "0",
        "QUIZ_MAX_ATTEMPTS_PER_DAY": "1000",
    }
    cmd = [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(workers), "--threads", str(threads)]
    cmd += ["--bind", f"127.0.0.1:{PORT}", "--log-level", "warning", "wsgi:app"]
    with log.open("wb") as fh:
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
    for _ in range(120):
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            with urllib.request.urlopen(BASE + "/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    stop_gunicorn(server)
    sys.exit(f"gunicorn did not answer /healthz in 60 s; see {log}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process we can see."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
            cmdline = Path(f"/proc/{entry.name}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # gone between listing and reading
        ppid = int(stat.rpartition(")")[2].split()[1])  # the command name may hold spaces and ")"
        table[int(entry.name)] = (ppid, cmdline)
    return table


def _rss_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, RssAnon) in kB; RssAnon leaves out PostgreSQL's shared buffers that every backend maps."""
    values = {"VmRSS": 0, "RssAnon": 0}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in values:
                values[name] = int(rest.split()[0])
    except OSError:
        pass
    return values["VmRSS"], values["RssAnon"]


class RssSampler(threading.Thread):
    """Samples once a second: gunicorn master + workers, and the backends connected to our database."""

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master = master
        self.halt = threading.Event()
        self.gunicorn_peak = self.worker_peak = self.workers = 0
        self.pg_peak = self.pg_anon_peak = self.pg_backends = 0

    def run(self) -> None:
        while not self.halt.wait(1.0):
            table = _processes()
            family = {self.master}
            for pid, (ppid, _) in sorted(table.items()):
                if ppid in family:
                    family.add(pid)
            workers = [_rss_kb(p)[0] for p in family if p != self.master]
            self.gunicorn_peak = max(self.gunicorn_peak, _rss_kb(self.master)[0] + sum(workers))
            self.worker_peak = max([self.worker_peak, *workers])
            self.workers = max(self.workers, len(workers))
            backends = [
                _rss_kb(p)
                for p, (_, cmd) in table.items()
                if cmd.startswith("postgres:") and f" {DB_NAME} " in cmd
            ]
            self.pg_peak = max(self.pg_peak, sum(v for v, _ in backends))
            self.pg_anon_peak = max(self.pg_anon_peak, sum(a for _, a in backends))
            self.pg_backends = max(self.pg_backends, len(backends))


def dashboard_available(username: str) -> bool:
    """The /laporan/ dashboard is being built: measure it only when it exists at start-up."""
    probe = Client()
    scratch: list[str] = []
    probe.call("login page", "/login", None, {}, scratch)
    probe.call(
        "login",
        "/login",
        {"csrf_token": probe.token, "username": username, "password": PASSWORD},
        {},
        scratch,
    )
    probe.call("dashboard", "/laporan/", None, {}, scratch)
    return not any("HTTP Error 404" in e for e in scratch)


def lost_saves(
    answers: dict[tuple[int, int], int], ticks: dict[tuple[int, int, str, int], bool]
) -> tuple[int, int]:
    """Compare every save a client saw acknowledged with what the database holds now."""
    from sqlalchemy import select

    from app import create_app
    from app.curriculum.models import Skill
    from app.extensions import db
    from app.practicals.models import PracticalResult, StepResult
    from app.quizzes.models import QuizAttemptItem

    app = create_app("testing", DATABASE_URL=PG_URL)
    with app.app_context():
        stored = {
            (a, p): (order, chosen)
            for a, p, order, chosen in db.session.execute(
                select(
                    QuizAttemptItem.attempt_id,
                    QuizAttemptItem.position,
                    QuizAttemptItem.option_order,
                    QuizAttemptItem.chosen,
                ).where(QuizAttemptItem.attempt_id.in_({a for a, _ in answers} or {0}))
            )
        }
        # The client chose a displayed position; the database keeps the authored index behind it.
        lost_a = sum(
            1
            for key, display in answers.items()
            if key not in stored or stored[key][1] != stored[key][0][display]
        )
        done = {
            (s, k, code, step): d
            for s, k, code, step, d in db.session.execute(
                select(
                    PracticalResult.session_id,
                    PracticalResult.kader_id,
                    Skill.code,
                    StepResult.step_id,
                    StepResult.done,
                )
                .join(StepResult, StepResult.result_id == PracticalResult.id)
                .join(Skill, Skill.id == PracticalResult.skill_id)
                .where(PracticalResult.session_id.in_({key[0] for key in ticks} or {0}))
            )
        }
        lost_t = sum(1 for key, d in ticks.items() if done.get(key) is not d)
    app.extensions["kc_db"]["engine"].dispose()
    return lost_a, lost_t


def server_tracebacks(log: Path) -> list[str]:
    """Each traceback gunicorn wrote: the app logs 'unhandled error on METHOD PATH' before it."""
    text = log.read_text(errors="replace") if log.exists() else ""
    blocks = re.split(r"\n(?=\[\d{4}-\d\d-\d\d )", text)
    return [b for b in blocks if "Traceback" in b or "WORKER TIMEOUT" in b]


# ---------------------------------------------------------------- main


def row(kind: str, values: list[float], errors: int) -> str:
    cells = " ".join(
        f"{x:8.1f}" for x in (pct(values, 50), pct(values, 95), pct(values, 99), max(values) * 1000)
    )
    return f"  {kind:17s} {len(values):6d} {cells} {errors:6d}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=180.0, help="seconds of load (default 180)")
    parser.add_argument("--kader", type=int, default=40)
    parser.add_argument("--fasilitator", type=int, default=6)
    parser.add_argument("--dinkes", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between taps (0: none)")
    parser.add_argument("--ramp", type=float, default=10.0, help="users arrive spread over N seconds")
    args = parser.parse_args()

    prepared = time.perf_counter()
    plan = prepare(args.kader, args.fasilitator, args.dinkes)
    print(
        f"prepared {DB_NAME} in {time.perf_counter() - prepared:.1f} s: {len(plan.kader)} kader, "
        f"{len(plan.fasilitator)} fasilitator, {len(plan.dinkes)} dinkes accounts; "
        f"{plan.certificates} certificates at Posyandu #{plan.pdf_posyandu_id}",
        flush=True,
    )
    log = Path(tempfile.mkdtemp(prefix="kc-platform-load-")) / "gunicorn.log"
    server = start_gunicorn(args.workers, args.threads, log)
    sampler = RssSampler(server.pid)
    sampler.start()
    try:
        dashboard = bool(plan.dinkes) and dashboard_available(plan.dinkes[0])
        t0 = time.monotonic()
        shared = Shared(deadline=t0 + args.duration, think=args.think, plan=plan, dashboard=dashboard, t0=t0)
        users: list[VirtualUser] = [KaderUser(u, shared) for u in plan.kader]
        users += [FasilitatorUser(u, shared) for u in plan.fasilitator]
        users += [DinkesUser(u, shared) for u in plan.dinkes]
        ramp = min(args.ramp, args.duration / 3)
        threads = [threading.Thread(target=u.run, args=(ramp,), daemon=True) for u in users]
        for t in threads:
            t.start()
        for t in threads:
            # A request can take up to the client's 30 s timeout after the deadline.
            t.join(timeout=max(0.0, shared.deadline - time.monotonic()) + 90)
        elapsed = time.monotonic() - t0
        stuck = sum(t.is_alive() for t in threads)
    finally:
        sampler.halt.set()
        sampler.join(timeout=5)
        crashed = server.poll()
        stop_gunicorn(server)

    timings: dict[str, list[float]] = {}
    errors: list[str] = []
    error_kinds: Counter = Counter()
    counts: Counter = Counter()
    answers: dict[tuple[int, int], int] = {}
    ticks: dict[tuple[int, int, str, int], bool] = {}
    for u in users:
        for kind, values in u.out.timings.items():
            timings.setdefault(kind, []).extend(values)
        errors += u.out.errors
        error_kinds += u.out.error_kinds
        counts += u.out.counts
        answers.update(u.out.answers)
        ticks.update(u.out.ticks)
    if stuck:
        errors.append(f"{stuck} virtual users still running 90 s after the end")
    if crashed is not None:
        errors.append(f"gunicorn exited during the run with {crashed}")
    lost_a, lost_t = lost_saves(answers, ticks)
    tracebacks = server_tracebacks(log)

    total = sum(len(v) for v in timings.values())
    print(
        f"\n{len(plan.kader)} kader, {len(plan.fasilitator)} fasilitator, {len(plan.dinkes)} dinkes; "
        f"gunicorn {args.workers} workers x {args.threads} threads; think {args.think:g} s; ramp {ramp:.0f} s"
    )
    print(
        f"duration {elapsed:.1f} s, {total} requests, {total / elapsed:.1f} req/s, {len(errors)} errors"
        + ("" if dashboard else "; dashboard /laporan/ skipped: 404 at start-up")
    )
    print(f"  {'request':17s} {'n':>6s} {'p50':>8s} {'p95':>8s} {'p99':>8s} {'max':>8s} {'errors':>6s}  (ms)")
    for kind in sorted(timings, key=lambda k: -len(timings[k])):
        print(row(kind, timings[kind], error_kinds.get(kind, 0)))
    every = [x for v in timings.values() for x in v]
    if every:
        print(row("all", every, sum(error_kinds.values())) + f"  mean {statistics.mean(every) * 1000:.1f}")
    print("  done: " + ", ".join(f"{n} {what}" for what, n in sorted(counts.items())))
    print(
        f"peak RSS gunicorn master + {sampler.workers} workers: {sampler.gunicorn_peak / 1024:.0f} MB "
        f"(largest worker {sampler.worker_peak / 1024:.0f} MB)"
    )
    if sampler.pg_backends:
        print(
            f"peak RSS PostgreSQL: {sampler.pg_backends} backends on {DB_NAME}, "
            f"{sampler.pg_anon_peak / 1024:.0f} MB private (RssAnon), "
            f"{sampler.pg_peak / 1024:.0f} MB VmRSS (counts shared buffers once per backend)"
        )
    else:
        print("peak RSS PostgreSQL: backends not visible in /proc")
    print(f"lost answers: {lost_a} (of {len(answers)} saved)")
    print(f"lost ticks: {lost_t} (of {len(ticks)} saved)")
    for e in errors[:10]:
        print("  error:", e[:400])
    if tracebacks:
        print(f"gunicorn wrote {len(tracebacks)} traceback(s) / timeouts; the first:")
        print("    " + tracebacks[0].strip().replace("\n", "\n    ")[:4000])
    print(f"gunicorn log: {log}")
    return 1 if errors or lost_a or lost_t or tracebacks else 0


if __name__ == "__main__":
    sys.exit(main())
