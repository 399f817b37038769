"""With RATELIMIT_STORAGE_URI pointing at Redis, login limits are shared through Redis."""

import redis

from app import create_app
from app.extensions import limiter
from tests.conftest import login

REDIS_URL = "redis://127.0.0.1:6379/15"


def test_login_limit_is_kept_in_redis(database_url, world):
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    app = create_app(
        "testing", DATABASE_URL=database_url, RATELIMIT_STORAGE_URI=REDIS_URL, LOGIN_RATE_LIMIT="2 per minute"
    )
    try:
        with app.app_context():
            limiter.reset()
        first, second = app.test_client(), app.test_client()  # two "servers" would share the same store
        login(first, "dinkes.brebes", "salah-sekali-123")
        login(second, "dinkes.brebes", "salah-sekali-123")
        assert login(first, "dinkes.brebes").status_code == 429
        assert any(b"login" in key or b"LIMITER" in key.upper() for key in store.keys("*"))
    finally:
        store.flushdb()
        app.extensions["kc_db"]["engine"].dispose()
