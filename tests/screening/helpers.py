"""Building blocks for the screening tests and the permission sweep (plain functions)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from screening import services
from screening.models import (
    EvaluationInvitation,
    ScreeningDossier,
    ScreeningPolicy,
)
from tests.conftest import World
from vik.models import Employee
from vik.roles import Role


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def officer(world: World) -> Any:
    return world.user(Role.SCREENING_OFFICER)


def dossier_for(
    world: World,
    employee: Employee,
    *,
    kind: ScreeningDossier.Kind = ScreeningDossier.Kind.INITIAL,
    opened_days_ago: int = 30,
) -> ScreeningDossier:
    """An open dossier, written directly: works for employees outside the officer's scope."""
    opened = days_ago(opened_days_ago)
    dossier = ScreeningDossier(
        employee=employee, kind=kind, opened_on=opened, due_on=opened + datetime.timedelta(days=60)
    )
    dossier.save()
    return dossier


def taken_dossier(world: World, employee: Employee | None = None) -> ScreeningDossier:
    """An initial screening of the subject, opened and taken on by the world's officer."""
    dossier = services.open_dossier(
        employee=employee or world.subject,
        kind=ScreeningDossier.Kind.INITIAL,
        opened_on=days_ago(30),
        reason="test",
        acting_user=officer(world),
    )
    return services.take_dossier(dossier=dossier, acting_user=officer(world))


def invitation_for(world: World, employee: Employee) -> EvaluationInvitation:
    """An evaluation invitation after an interview with ``employee`` (written directly)."""
    dossier = dossier_for(world, employee, kind=ScreeningDossier.Kind.PERIODIC)
    dossier.interview_held_on = days_ago(2)
    dossier.status = ScreeningDossier.Status.IN_PROGRESS
    dossier.save()
    return EvaluationInvitation.objects.create(dossier=dossier, created_on=days_ago(2))


def five_year_policy(function: Any) -> ScreeningPolicy:
    return services.save_policy(
        policy=ScreeningPolicy(function=function, interval_years=5, lead_time_months=6),
        acting_user=None,
        reason="test",
    )


EVALUATION_ANSWERS = {
    "q1_overall": 4,
    "q2_investigator": 5,
    "q3_time": "right",
    "q4_picture": "yes",
    "q5_unpleasant": "",
    "q6_topics": 4,
    "q7_valuable": "De open sfeer.",
    "q8_superfluous": "",
    "q9_unclear": "",
    "q10_missing": "",
    "q11_tips": "",
}
