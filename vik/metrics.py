"""Metrics in the Prometheus format, with prometheus_client directly.

Two kinds, so that any number of gunicorn workers and Celery hosts report one truth:

* **per process** — requests and their latencies, counted where they happen. Under
  gunicorn set ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory per start, see
  docs/operations.md): prometheus_client then keeps the counts in files that the scrape
  adds up over every worker.
* **at scrape time** — everything with a home elsewhere is read when Prometheus asks:
  Celery queue lengths from the broker, task failures from counters in the cache (Redis,
  shared by every worker host), and from the database the import rows per outcome,
  detection run durations, signals by status and overdue deadlines. Each app contributes
  its part through an optional ``<app>/metrics.py`` (``collect()`` yielding metric families,
  ``overdue_deadlines()`` returning counts per kind), found like ``<app>/demo.py``.
"""

from __future__ import annotations

import importlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

logger = logging.getLogger("vik.request")

REQUESTS = Counter(
    "vik_http_requests",
    "HTTP requests answered, by route and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "vik_http_request_duration_seconds",
    "Time to answer an HTTP request, by route.",
    ["method", "route"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TASK_FAILURE_KEY = "vik:metrics:task-failures:{name}"


def _route(request: HttpRequest) -> str:
    """A label with few values: the URL pattern's name, never the path (ids, terms)."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name:
        return match.view_name
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"
    return "unmatched"


class RequestMetricsMiddleware:
    """Counts and times every request, and writes one log line for it (``vik.request``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        route = _route(request)
        method = request.method if request.method in _METHODS else "OTHER"
        REQUESTS.labels(method, route, str(response.status_code)).inc()
        LATENCY.labels(method, route).observe(elapsed)
        if route != "static":
            fields = {
                "method": method,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
            }
            # The path without its query string: search terms can be names.
            logger.info(
                "%s %s %s %.1fms",
                method,
                request.path,
                response.status_code,
                elapsed * 1000,
                extra={"fields": {**fields, "path": request.path}},
            )
        return response


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


# --- Celery -----------------------------------------------------------------------------


def count_task_failure(task_name: str) -> None:
    """One more failure of ``task_name`` (in the shared cache: every worker host adds up)."""
    key = TASK_FAILURE_KEY.format(name=task_name)
    try:
        cache.add(key, 0, timeout=None)
        cache.incr(key)
    except Exception:  # noqa: BLE001 - a metric must never turn a failure into another one
        logger.warning("could not count the failure of %s", task_name)


def _celery_families() -> Iterator[Metric]:
    from vik.celery import app

    # Web processes never import the tasks modules by themselves; the names are needed here.
    app.autodiscover_tasks(force=True)
    names = sorted(name for name in app.tasks if not name.startswith("celery."))
    failures = GaugeMetricFamily(
        "vik_celery_task_failures_total",
        "Celery task failures since the cache was last emptied, by task (a counter).",
        labels=["task"],
    )
    stored = cache.get_many([TASK_FAILURE_KEY.format(name=name) for name in names])
    for name in names:
        failures.add_metric([name], stored.get(TASK_FAILURE_KEY.format(name=name), 0))
    # Exposed as a counter: Prometheus' rate() handles the reset when Redis restarts.
    failures.type = "counter"
    yield failures

    queued = GaugeMetricFamily(
        "vik_celery_queue_length", "Tasks waiting in a Celery queue.", labels=["queue"]
    )
    broker = settings.CELERY_BROKER_URL
    if broker.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(broker, socket_timeout=2)
        queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
        queued.add_metric([queue], client.llen(queue))
    yield queued


# --- Scrape-time collector --------------------------------------------------------------


def _app_modules() -> Iterator[Any]:
    for config in apps.get_app_configs():
        try:
            yield importlib.import_module(f"{config.name}.metrics")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.metrics":
                raise


class ScrapeTimeCollector(Collector):
    """Reads the figures that live in the database and the broker when Prometheus asks."""

    def collect(self) -> Iterable[Metric]:
        from django.utils import timezone

        today = timezone.localdate()
        overdue = GaugeMetricFamily(
            "vik_deadlines_overdue", "Open deadlines past their date, by kind.", labels=["kind"]
        )
        for module in _app_modules():
            if module.__name__ == __name__:
                continue
            if hasattr(module, "collect"):
                yield from module.collect()
            if hasattr(module, "overdue_deadlines"):
                for kind, count in sorted(module.overdue_deadlines(today=today).items()):
                    overdue.add_metric([kind], count)
        yield overdue
        try:
            yield from _celery_families()
        except Exception:  # noqa: BLE001 - a down broker must not hide the other figures
            logger.warning("Celery figures unavailable at this scrape")


class _DefaultRegistry(Collector):
    """This process's own counters (no multiprocess directory: runserver, tests, one worker)."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def exposition() -> bytes:
    """The text a scrape gets: per-process metrics (all workers) plus the scrape-time ones."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_DefaultRegistry())
    registry.register(ScrapeTimeCollector())
    return generate_latest(registry)
