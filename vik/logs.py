"""Structured logs: one JSON object per line (``VIK_LOG_FORMAT=json``)."""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message, request id, fields.

    Structured fields passed as ``extra={"security": {...}}`` or ``extra={"fields": {...}}``
    are merged in at the top level, so a collector can filter on ``event`` or ``status``
    without parsing the message.
    """

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for name in ("security", "fields"):
            structured = getattr(record, name, None)
            if isinstance(structured, dict):
                payload.update(
                    {key: value for key, value in structured.items() if key not in payload}
                )
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)
