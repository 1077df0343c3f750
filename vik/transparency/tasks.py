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


@shared_task(acks_late=True)
def render_logging_report(render_id: int) -> bool:
    """Render a queued logging report (claims the job first; a redelivery does nothing)."""
    return services.render_logging_report_job(render_id)


@shared_task
def requeue_waiting_logging_reports() -> list[int]:
    """Re-send renderings whose message never reached the broker (Redis was down)."""
    import datetime

    return services.requeue_waiting_logging_reports(older_than=datetime.timedelta(minutes=5))
