"""The complaints app's menu entries and their "work waiting" counters."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vik import navigation
from vik.roles import Capability

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def pending(user: User) -> int:
    """My open complaints due within the reminder window, plus open ones nobody handles yet."""
    from complaints.models import Complaint
    from complaints.rules import REMINDER_DAYS_BEFORE
    from complaints.selectors import complaints_visible_to

    horizon = timezone.localdate() + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    return (
        complaints_visible_to(user=user)
        .filter(phase__in=Complaint.OPEN_PHASES)
        .filter(Q(handler__isnull=True) | Q(handler=user, deadline__lte=horizon))
        .count()
    )


def register_navigation() -> None:
    navigation.register(
        navigation.NavEntry(
            section=_("Complaints"),
            label=_("Complaints"),
            url_name="complaints:complaint_list",
            capability=Capability.HANDLE_COMPLAINTS,
            description=_("Citizens' complaints about the units you handle complaints for."),
            pending=pending,
            order=50,
        ),
        navigation.NavEntry(
            section=_("Complaints"),
            label=_("Complaint deadlines"),
            url_name="complaints:deadline_overview",
            capability=Capability.HANDLE_COMPLAINTS,
            description=_("Open complaints by decision deadline: 10 weeks, 14 with the committee."),
            order=51,
        ),
        navigation.NavEntry(
            section=_("Complaints"),
            label=_("Register a complaint"),
            url_name="complaints:complaint_create",
            capability=Capability.HANDLE_COMPLAINTS,
            description=_(
                "A complaint received by letter, e-mail, web form, telephone or at the desk."
            ),
            order=52,
        ),
    )
