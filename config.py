"""Configuration classes, read from environment variables.

`APP_ENV` picks the class (development | testing | production; default development).
Every setting that differs between machines comes from the environment, never from code.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'kadercakap.db'}"


def database_url() -> str:
    """The database URL in force: `DATABASE_URL`, else the embedded SQLite file."""
    url = os.environ.get("DATABASE_URL") or default_database_url()
    # Heroku-style URLs name the old driver; we ship psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _development_secret() -> str:
    """A random key generated once and kept in instance/ so sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key


class BaseConfig:
    ENV_NAME = "base"
    DATABASE_URL = property(lambda self: database_url())
    SECRET_KEY: str | None = None
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute")  # per API token
    # Failed logins before an account is locked, and for how long.
    LOGIN_LOCKOUT_THRESHOLD = int(os.environ.get("LOGIN_LOCKOUT_THRESHOLD", "8"))
    LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto/-Host (docs/deploy.md:
    # 1 for nginx or Caddy). 0 trusts no such header: the socket address is the client.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
    LANGUAGES = ("id", "en")
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TZ_DISPLAY", "Asia/Jakarta")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    WTF_CSRF_TIME_LIMIT = None  # a kader may leave a quiz open for hours; the session bounds it
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
    QUIZ_MAX_ATTEMPTS_PER_DAY = int(os.environ.get("QUIZ_MAX_ATTEMPTS_PER_DAY", "5"))
    QUIZ_COOLDOWN_MINUTES = int(os.environ.get("QUIZ_COOLDOWN_MINUTES", "10"))
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "60 per minute")
    PRACTICAL_CORRECTION_DAYS = int(os.environ.get("PRACTICAL_CORRECTION_DAYS", "7"))
    ROSTER_IMPORT_MAX_ROWS = int(os.environ.get("ROSTER_IMPORT_MAX_ROWS", "20000"))
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    CURRICULUM_PATH = os.environ.get("CURRICULUM_PATH", str(BASE_DIR / "curriculum"))
    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "kadercakap-demo")
    SEED_DEMO_ALLOWED = True
    SQL_ECHO = False
    PASSWORD_HASH_METHOD = "scrypt"
    # Background jobs (district printing, large exports): RQ on this Redis when set (run
    # `flask jobs worker`), else a worker thread inside the app process.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    JOBS_DIR = os.environ.get("JOBS_DIR", str(INSTANCE_DIR / "jobs"))  # shared by app and workers
    JOBS_KEEP_DAYS = int(os.environ.get("JOBS_KEEP_DAYS", "7"))
    JOBS_STALE_MINUTES = int(os.environ.get("JOBS_STALE_MINUTES", "15"))  # no heartbeat: abandoned
    JOBS_PROGRESS_SECONDS = 1.0


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"

    def __init__(self) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or _development_secret()


class TestingConfig(BaseConfig):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = os.environ.get("SECRET_KEY", "testing-only-not-secret")
    RATELIMIT_STORAGE_URI = os.environ.get("TEST_RATELIMIT_STORAGE_URI", "memory://")
    # Fast hashing keeps the suite quick; production keeps scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    REDIS_URL = None  # jobs run in-process unless a test asks for RQ
    JOBS_DIR = os.environ.get("TEST_JOBS_DIR", str(Path(tempfile.gettempdir()) / "kadercakap-test-jobs"))


class ProductionConfig(BaseConfig):
    ENV_NAME = "production"
    # Every worker and server must count logins together: Redis, as the deploy guide runs it.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SEED_DEMO_ALLOWED = False
    PREFERRED_URL_SCHEME = "https"

    def __init__(self) -> None:
        key = os.environ.get("SECRET_KEY")
        if not key or len(key) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production"
            )
        self.SECRET_KEY = key


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[BaseConfig]:
    name = os.environ.get("APP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV must be one of {sorted(CONFIGS)}, not {name!r}") from None
