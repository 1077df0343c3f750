"""Deployment checks of VIK's own settings (``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_proxy_trust(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Behind a TLS proxy, the proxy's ``X-Forwarded-For`` must be trusted.

    With ``VIK_BEHIND_TLS_PROXY`` on and ``VIK_TRUSTED_PROXY_COUNT`` 0, every request comes
    from the proxy's own address: the access log records no client, a lockout after failed
    sign-ins locks a user name for everyone, and ``/metrics`` — open to the loopback
    addresses by default — opens without its token when the proxy runs on the same machine.
    """
    behind_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
    if behind_proxy and settings.VIK_TRUSTED_PROXY_COUNT == 0:
        return [
            checks.Warning(
                "VIK_BEHIND_TLS_PROXY is on, but VIK_TRUSTED_PROXY_COUNT is 0: every client "
                "has the proxy's address (the access log, sign-in lockouts and the /metrics "
                "address check see only the proxy).",
                hint="Set VIK_TRUSTED_PROXY_COUNT to the number of proxies in front of VIK "
                "that append to X-Forwarded-For (1 for nginx in front of gunicorn).",
                id="vik.W001",
            )
        ]
    return []
