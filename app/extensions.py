"""Extensions shared by the whole app: database session, login, CSRF, Babel, rate limiter."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, has_request_context, request, session
from flask import globals as flask_globals
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, scoped_session, sessionmaker
from sqlalchemy.pool import NullPool

POOL_RECYCLE_SECONDS = 1800  # well under common idle cut-offs (PgBouncer, cloud NAT, firewalls)


class Database:
    """SQLAlchemy 2 engine and scoped session bound to the current Flask app."""

    def __init__(self) -> None:
        self.session: scoped_session[Session] = scoped_session(
            lambda: current_app.extensions["kc_db"]["sessionmaker"](), scopefunc=_scope_key
        )

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"], echo=app.config.get("SQL_ECHO", False))
        app.extensions["kc_db"] = {
            "engine": engine,
            "sessionmaker": sessionmaker(bind=engine, expire_on_commit=False),
        }

        @app.teardown_appcontext
        def _remove_session(exc: BaseException | None) -> None:
            self.session.remove()

    @property
    def engine(self) -> Engine:
        return current_app.extensions["kc_db"]["engine"]


def _scope_key() -> int:
    # One session per application context (a request, a CLI command or a test block).
    ctx = flask_globals._cv_app.get(None)
    return id(ctx) if ctx is not None else 0


def make_engine(url: str, echo: bool = False, one_off: bool = False) -> Engine:
    """Engine with our SQLite pragmas; `one_off` keeps no pooled connection (CLI, migrations)."""
    kwargs: dict[str, Any] = {"echo": echo}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    if one_off:
        kwargs["poolclass"] = NullPool
    elif not url.startswith("sqlite"):
        # No pre-ping: it cost a round trip on every request. Connections are replaced before
        # a server or firewall idle timeout can cut them, and a connection found dead (server
        # restart) fails that one request and makes SQLAlchemy discard the whole pool.
        kwargs["pool_recycle"] = POOL_RECYCLE_SECONDS
        kwargs["pool_size"] = 10
        kwargs["max_overflow"] = 20
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers work while one writer commits; foreign keys are off by default in SQLite.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def select_locale() -> str:
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    lang = session.get("lang") or request.cookies.get("lang")
    if not lang and current_user and getattr(current_user, "is_authenticated", False):
        lang = current_user.locale
    if lang in supported:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Times shown in the zone of the kabupaten concerned: the object's (set by its view in
    `g.display_area`, e.g. a certificate on the public page), else the user's own area."""
    from app.core.local_time import zone_name

    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    area = g.get("display_area")
    if area is None and current_user and getattr(current_user, "is_authenticated", False):
        kader = current_user.kader if current_user.role == "kader" else None
        area = kader.kabupaten_code if kader is not None else current_user.actor.kabupaten_code
    return zone_name(area) if area else current_app.config["BABEL_DEFAULT_TIMEZONE"]


db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
