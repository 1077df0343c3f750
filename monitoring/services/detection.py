"""Starting detection runs, here or on the Celery workers (:mod:`monitoring.detection`)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from monitoring.detection import runner
from monitoring.models import DetectionRun
from monitoring.services._common import real_user
from monitoring.services.config import ensure_detection_settings
from monitoring.services.matching import verify_matching_key

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


def start_detection(
    *,
    start: datetime.date,
    end: datetime.date,
    acting_user: AnyUser | None,
    inline: bool,
    processes: int = 1,
) -> DetectionRun:
    """Plan a detection run over [start, end]; compute it here, or hand it to the workers.

    With ``inline=False`` the first phase's chunks are queued as Celery tasks once the
    plan is committed; each worker that finishes a phase's last chunk queues the next.
    Refused under a matching key other than the recorded one
    (:func:`~monitoring.services.matching.verify_matching_key`).
    """
    verify_matching_key(acting_user=acting_user, purpose="detectie")
    ensure_detection_settings(acting_user=acting_user)
    run = runner.plan_run(start=start, end=end, acting_user=real_user(acting_user))
    if inline:
        return runner.run_inline(run, processes=processes)
    from monitoring.tasks import detect_chunk

    ids = runner.chunk_ids(run, DetectionRun.Phase.ASSESS)
    transaction.on_commit(lambda: [detect_chunk.delay(chunk_id) for chunk_id in ids])
    return run
