"""Sessions that survive a Redis outage: the cache in front, the database behind it.

Django's ``cached_db`` store reads the cache first and raises when the cache server is
down, so every page of every signed-in person fails while Redis is away. This store treats
the cache as what it is here — an accelerator: a cache error is logged and the session is read
from and written to the database alone. Nobody is signed out; pages keep working, a little
slower, and the cache fills again when Redis is back. (``save`` is cached_db's own, which
already logs a cache error and carries on.)
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.sessions.backends import cached_db

logger = logging.getLogger("vik.sessions")

# redis-py's errors (ConnectionError, TimeoutError, ...) derive from RedisError; a cache
# backend other than Redis raises OSError subclasses at most.
try:
    from redis.exceptions import RedisError

    CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)
except ImportError:  # pragma: no cover - redis is a requirement
    CACHE_ERRORS = (OSError,)


class SessionStore(cached_db.SessionStore):
    """``cached_db`` with the cache made optional (see the module docstring)."""

    def _cache_call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            # _cache: cached_db's handle on the session cache (not in django-stubs).
            return getattr(self._cache, method)(*args, **kwargs)  # type: ignore[attr-defined]
        except CACHE_ERRORS as error:
            logger.warning(
                "session cache unavailable (%s): using the database", type(error).__name__
            )
            return None

    def load(self) -> dict[str, Any]:
        data = self._cache_call("get", self.cache_key)
        if data is not None:
            return dict(data)
        session = self._get_session_from_db()  # type: ignore[attr-defined]
        if session is None:
            return {}
        data = self.decode(session.session_data)
        self._cache_call(
            "set", self.cache_key, data, self.get_expiry_age(expiry=session.expire_date)
        )
        return dict(data)

    def exists(self, session_key: str) -> bool:
        if session_key and self._cache_call("get", self.cache_key_prefix + session_key) is not None:
            return True
        return super(cached_db.SessionStore, self).exists(session_key)

    def delete(self, session_key: str | None = None) -> None:
        super(cached_db.SessionStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self._cache_call("delete", self.cache_key_prefix + session_key)
