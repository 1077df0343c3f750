"""Reminders about deadlines: a few working days ahead, and once when a term has passed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy

from cases.models import Deadline, InvestigatorAssignment
from cases.selectors import commissioners_of
from cases.services._base import tell
from vik.workdays import add_working_days

# How many working days before a term the people carrying it are reminded.
REMINDER_WORKING_DAYS = 2


@dataclass
class ReminderRun:
    reminders: int = 0
    overdue_notices: int = 0
    messages: int = 0


def _responsible(deadline: Deadline, *, overdue: bool) -> list:
    """Who carries a term: the commissioner for theirs, the investigators for theirs.

    When a term has passed, the commissioner hears of it too: they are kept informed.
    """
    users = []
    if not deadline.is_for_commissioner:
        users += list(
            get_user_model().objects.filter(
                id__in=InvestigatorAssignment.objects.filter(
                    investigation_id=deadline.case_id, ended_at__isnull=True
                ).values("user_id")
            )
        )
    if deadline.is_for_commissioner or overdue:
        users += list(commissioners_of(deadline.case))
    return list({user.pk: user for user in users}.values())


def send_deadline_reminders(*, today: datetime.date) -> ReminderRun:
    """Remind of terms due soon and report terms that passed, each at most once.

    Each deadline is claimed with a conditional update before its message is written, in
    its own transaction, so a rerun (or a second beat) sends nothing twice.
    """
    run = ReminderRun()
    horizon = add_working_days(today, REMINDER_WORKING_DAYS)
    upcoming = Deadline.objects.filter(
        met_on__isnull=True, reminded_on__isnull=True, due_on__gte=today, due_on__lte=horizon
    ).select_related("case")
    overdue = Deadline.objects.filter(
        met_on__isnull=True, overdue_notified_on__isnull=True, due_on__lt=today
    ).select_related("case")

    for kind, deadlines in (("upcoming", list(upcoming)), ("overdue", list(overdue))):
        for deadline in deadlines:
            with transaction.atomic():
                field = "overdue_notified_on" if kind == "overdue" else "reminded_on"
                claimed = Deadline.objects.filter(
                    pk=deadline.pk, met_on__isnull=True, **{f"{field}__isnull": True}
                ).update(**{field: today})
                if not claimed:
                    continue
                message = (
                    gettext_lazy("A term in %(reference)s has passed")
                    if kind == "overdue"
                    else gettext_lazy("A term in %(reference)s is due on %(date)s")
                )
                run.messages += tell(
                    _responsible(deadline, overdue=kind == "overdue"),
                    message,
                    url=reverse("cases:case_detail", args=[deadline.case_id]),
                    acting_user=None,
                    reference=deadline.case.reference,
                    date=deadline.due_on.strftime("%d-%m-%Y"),
                )
                if kind == "overdue":
                    run.overdue_notices += 1
                else:
                    run.reminders += 1
    return run
