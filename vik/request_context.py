"""The request being served, for the access log and log lines (importable before apps load)."""

from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    """What the access log records about the request that caused an entry."""

    request_id: str
    client_address: str | None
    channel: str  # an AccessChannel value: "web", "admin" or "api"


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "vik_request_context", default=None
)


def current_request_context() -> RequestContext | None:
    """The context of the request being handled, or None in tasks and commands."""
    return _current.get()


def set_request_context(context: RequestContext) -> contextvars.Token[RequestContext | None]:
    return _current.set(context)


def reset_request_context(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)


class RequestIdLogFilter(logging.Filter):
    """Adds the current request id to every log record (``-`` outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get()
        record.request_id = context.request_id if context else "-"
        return True
