"""The screening app's menu entries and their "work waiting" counters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vik import navigation
from vik.roles import Capability

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def officer_pending(user: User) -> int:
    """Open dossiers that nobody has taken on yet, or that are overdue."""
    from screening.models import ScreeningDossier
    from screening.selectors import dossiers_visible_to

    return (
        dossiers_visible_to(user=user)
        .exclude(status=ScreeningDossier.Status.CLOSED)
        .filter(Q(assigned_to__isnull=True) | Q(due_on__lt=timezone.localdate()))
        .count()
    )


def employee_pending(user: User) -> int:
    """Evaluations the employee has been invited to and not yet answered."""
    from screening.selectors import evaluation_invitations_visible_to

    return evaluation_invitations_visible_to(user=user).filter(answered=False).count()


def register_navigation() -> None:
    navigation.register(
        navigation.NavEntry(
            section=_("Screening"),
            label=_("Screening worklist"),
            url_name="screening:worklist",
            capability=Capability.HANDLE_SCREENING,
            description=_("Re-screenings, continuous-screening notifications and self-reports."),
            pending=officer_pending,
            order=40,
        ),
        navigation.NavEntry(
            section=_("Screening"),
            label=_("Register a continuous-screening notification"),
            url_name="screening:hit_create",
            capability=Capability.HANDLE_SCREENING,
            description=_("An employee of your units is suspected of a crime."),
            order=41,
        ),
        navigation.NavEntry(
            section=_("Screening"),
            label=_("Evaluations of screening interviews"),
            url_name="screening:evaluation_results",
            capability=Capability.HANDLE_SCREENING,
            description=_("What employees think of their screening interview, anonymised."),
            order=42,
        ),
        navigation.NavEntry(
            section=_("My data"),
            label=_("My screening"),
            url_name="screening:my_screening",
            capability=Capability.USE_SELF_SERVICE,
            description=_("Your screening status and your reports under the duty to report."),
            pending=employee_pending,
            order=60,
        ),
        navigation.NavEntry(
            section=_("My data"),
            label=_("Report a change (duty to report)"),
            url_name="screening:self_report_create",
            capability=Capability.USE_SELF_SERVICE,
            description=_(
                "Civil status, judicial data, addiction, finances, side activities, social media."
            ),
            order=61,
        ),
    )
