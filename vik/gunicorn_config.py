"""gunicorn settings for VIK: ``gunicorn vik.wsgi --config python:vik.gunicorn_config``.

With ``PROMETHEUS_MULTIPROC_DIR`` set, every worker writes its request counts to files in
that directory and /metrics adds them up (prometheus_client's multiprocess mode). A worker
that exits must be marked dead, or its live gauges would linger.
"""

from __future__ import annotations

import os
from typing import Any


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
