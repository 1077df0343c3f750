"""Periodic housekeeping of the shared core."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_sessions() -> None:
    """Remove expired sessions (idempotent)."""
    call_command("clearsessions")
