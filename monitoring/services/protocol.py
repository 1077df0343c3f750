"""Writes of the monitoring protocol: publishing a version, confirming its receipt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import MonitoringProtocol, ProtocolReceipt
from monitoring.selectors.protocol import current_protocol
from vik.history import stamp
from vik.roles import Capability
from vik.selectors import employee_of, has_capability

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


@transaction.atomic
def publish_protocol(*, title: str, text: str, acting_user: AnyUser) -> MonitoringProtocol:
    """Publish a new version; from now on every employee is asked to confirm receiving it.

    Only who tunes detection (the administrator) publishes. A published version is never
    changed: a correction is a new version, which asks everyone again.
    """
    if not has_capability(acting_user, Capability.TUNE_DETECTION):
        raise PermissionDenied
    title, text = title.strip(), text.strip()
    if not title or len(text) < 50:
        raise ValidationError(_("Give the protocol a title and its full text."))
    # The lock makes two publications at once number themselves one after the other.
    list(MonitoringProtocol.objects.select_for_update().values_list("pk", flat=True))
    latest = MonitoringProtocol.objects.aggregate(latest=Max("version"))["latest"] or 0
    protocol = MonitoringProtocol(
        version=latest + 1,
        title=title,
        text=text,
        published_at=timezone.now(),
        published_by=acting_user if acting_user.is_authenticated else None,
    )
    stamp(protocol, acting_user=acting_user, reason="Protocol gepubliceerd").save()
    return protocol


def confirm_protocol_receipt(*, acting_user: AnyUser) -> ProtocolReceipt:
    """The signed-in employee confirms receiving the version in force (idempotent)."""
    employee = employee_of(acting_user)
    if employee is None:
        raise PermissionDenied
    protocol = current_protocol()
    if protocol is None:
        raise ValidationError(_("No monitoring protocol has been published yet."))
    existing = ProtocolReceipt.objects.filter(protocol=protocol, employee=employee).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return ProtocolReceipt.objects.create(protocol=protocol, employee=employee)
    except IntegrityError:  # confirmed twice at once (a double click)
        return ProtocolReceipt.objects.get(protocol=protocol, employee=employee)
