"""Background work of the shared core: thin, idempotent, ids in."""

from __future__ import annotations

from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vik.models import Notification


@shared_task
def clear_expired_sessions() -> None:
    """Remove expired sessions (idempotent)."""
    call_command("clearsessions")


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_notification(notification_id: int) -> bool:
    """E-mail that a message waits in VIK. Sends at most once per message.

    The message is claimed with a conditional update, so a redelivered or duplicated task
    sends nothing; if sending fails the claim is released and the task retries.
    """
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    link = f"{settings.VIK_BASE_URL}{reverse('vik:notification_list')}"
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "There is a new message for you in VIK.\n\n"
            "Sign in to read it: %(link)s\n\n"
            "For your privacy this e-mail contains no details."
        ) % {"link": link}
        subject = _("New message in VIK")
    try:
        mail.send_mail(subject, body, None, [notification.recipient.email])
    except OSError:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def import_organisation_task(directory: str, acting_user_id: int | None = None) -> int:
    """Import an HR delivery from a directory (idempotent); returns the import's id."""
    from django.contrib.auth import get_user_model

    from vik.hr import import_hr_delivery

    user = get_user_model().objects.filter(pk=acting_user_id).first() if acting_user_id else None
    return import_hr_delivery(directory=Path(directory), acting_user=user).pk


@shared_task
def offboard_leavers_task() -> int:
    """Hourly: whoever has left loses roles, account and sessions (idempotent)."""
    from vik.account_services import offboard_leavers

    return len(
        offboard_leavers(today=timezone.localdate(), acting_user=None, source="uurlijkse controle")
    )


@shared_task
def verify_access_log_chain() -> bool:
    """Verify the access log's hash chain and record the result (nightly; idempotent: each
    run only adds a check). Returns whether the chain is intact."""
    from vik.integrity_chain import verify_chain

    return verify_chain().ok
