"""Rate limits per token: a fixed window of one minute, counted in the shared cache."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from api.models import ApiToken


class TokenRateThrottle(BaseThrottle):
    """At most ``rate_per_minute`` requests per token per clock minute (every web worker
    counts in Redis, so the limit holds for the whole deployment)."""

    def allow_request(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True  # refused by authentication or permission anyway
        limit = token.rate_per_minute or settings.VIK_API_RATE_PER_MINUTE
        minute = int(time.time() // 60)
        key = f"vik:api:rate:{token.pk}:{minute}"
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.set(key, 1, timeout=120)
            count = 1
        return count <= limit

    def wait(self) -> float:
        return 60 - time.time() % 60
