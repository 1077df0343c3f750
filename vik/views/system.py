"""Operational endpoints: liveness, readiness and metrics. No personal data, no sign-in."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from vik.metrics import exposition
from vik.middleware import client_address


@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer: the database and the cache answer. No data, no auth."""
    checks = {"database": _database(), "cache": _cache()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


@login_not_required
@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: the database, Redis (cache and broker) and at least one Celery worker.

    Without a broker (the demo) tasks run in-process, so there is no worker to wait for:
    ``"worker": "in-process"``. A slow or missing worker answers 503 within
    ``VIK_READINESS_WORKER_TIMEOUT`` seconds.
    """
    checks = {
        "database": _database(),
        "cache": _cache(),
        "broker": _broker(),
        "worker": _worker(),
    }
    healthy = all(value in {"ok", "in-process"} for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not healthy", reported as such
        return "error"
    return "ok"


def _cache() -> str:
    try:
        cache.set("vik:health", "ok", 10)
        return "ok" if cache.get("vik:health") == "ok" else "error"
    except Exception:  # noqa: BLE001
        return "error"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    from vik.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001
        return "error"
    return "ok"


def _worker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    from vik.celery import app

    try:
        replies = app.control.ping(timeout=settings.VIK_READINESS_WORKER_TIMEOUT)
    except Exception:  # noqa: BLE001
        return "error"
    return "ok" if replies else "no worker answered"


def _metrics_allowed(request: HttpRequest) -> bool:
    token = settings.VIK_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(header.encode(), f"Bearer {token}".encode()):
        return True
    address = client_address(request)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(
        ip in ipaddress.ip_network(network, strict=False)
        for network in settings.VIK_METRICS_ALLOWED_NETWORKS
    )


@login_not_required
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for the bearer of ``VIK_METRICS_TOKEN`` or an allowed address.

    Anyone else gets 404: the endpoint does not exist for them.
    """
    if not _metrics_allowed(request):
        raise Http404
    return HttpResponse(exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")


@login_not_required
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """The icon for whatever asks ``/favicon.ico`` (pages link theirs): no 404 in the logs."""
    del request
    return HttpResponsePermanentRedirect(static("vik/favicon.svg"))
