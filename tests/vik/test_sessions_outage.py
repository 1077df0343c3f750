"""Sessions with the cache server gone: nobody is signed out, nothing raises (vik/sessions.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings

from vik.sessions import SessionStore

pytestmark = [pytest.mark.django_db]

# A port nothing listens on: every cache call fails to connect.
DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.2},
    }
}


@pytest.fixture
def dead_cache() -> Iterator[None]:
    # Django resets its cache handlers when CACHES changes (django.test.signals).
    with override_settings(CACHES=DEAD_REDIS, SESSION_ENGINE="vik.sessions"):
        yield


def test_a_session_lives_in_the_database_while_redis_is_down(dead_cache: None) -> None:
    store = SessionStore()
    store["_auth_user_id"] = "42"
    store.save()
    key = store.session_key
    assert Session.objects.filter(session_key=key).exists()

    again = SessionStore(session_key=key)
    assert again["_auth_user_id"] == "42"
    assert again.exists(key)
    again.delete()
    assert not Session.objects.filter(session_key=key).exists()
