"""Background work of the transparency app: thin, idempotent, each calling one service."""

from __future__ import annotations

from celery import shared_task

from vik.transparency import services


@shared_task
def publish_figures() -> int:
    """Publish the works council's figures for completed quarters (idempotent)."""
    return services.publish_due()


@shared_task
def purge_expired_data() -> int:
    """Purge expired data in every category (idempotent: what is gone stays gone)."""
    return len(services.run_retention())


@shared_task
def daily_deadlines() -> dict[str, int]:
    """End expired deferrals and send the reminders that are due (each at most once)."""
    return {
        "deferrals_ended": services.end_expired_deferrals(),
        "deferral_reminders": services.remind_deferrals_ending(),
        "access_request_reminders": services.remind_access_request_deadlines(),
    }
