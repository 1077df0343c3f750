"""Onboarding calibration: dry runs and the decisions on the scope rules they propose.

Nothing a calibration finds is applied by itself: a proposed scope rule becomes a rule only
when a person with the capability to tune detection accepts it, with a reason; both the
proposal's decision and the new rule carry history.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from monitoring.detection import calibration, runner
from monitoring.models import (
    CalibrationReport,
    DetectionChunk,
    DetectionRun,
    ScopeProposal,
    ScopeRule,
)
from monitoring.services._common import real_user
from monitoring.services.config import ensure_detection_settings, save_scope_rule
from monitoring.services.matching import verify_matching_key
from vik.history import stamp
from vik.models import Employee

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


def calibrate_detection(
    *,
    start: datetime.date,
    end: datetime.date,
    acting_user: AnyUser | None,
    processes: int = 1,
) -> CalibrationReport:
    """Run detection over [start, end] without creating signals; store what it would flag.

    The report holds figures per function only, and the scope rules that would explain
    most of them as proposals for a person to accept or reject.
    """
    verify_matching_key(acting_user=acting_user, purpose="kalibratie")
    ensure_detection_settings(acting_user=acting_user)
    run = runner.plan_run(start=start, end=end, acting_user=real_user(acting_user), dry_run=True)
    run = runner.run_inline(run, processes=processes)
    summaries = [
        stats["calibration"]
        for stats in DetectionChunk.objects.filter(run=run, phase="signals").values_list(
            "stats", flat=True
        )
        if stats and "calibration" in stats
    ]
    figures = calibration.merge(summaries, windows_per_unit=_windows_per_unit(run))
    rules = ScopeRule.objects.filter(
        function__isnull=False, scope__in=[ScopeRule.Scope.REGIONAL, ScopeRule.Scope.NATIONAL]
    ).values_list("function_id", "scope")
    scoped = {str(f) for f, scope in rules if scope == ScopeRule.Scope.REGIONAL}
    national = {str(f) for f, scope in rules if scope == ScopeRule.Scope.NATIONAL}
    with transaction.atomic():
        report = CalibrationReport.objects.create(
            run=run,
            period_start=start,
            period_end=end,
            employees=Employee.objects.count(),
            figures=figures,
            created_by=real_user(acting_user),
        )
        for proposal in calibration.proposals(figures, scoped=scoped, national=national):
            item = ScopeProposal(
                report=report,
                function_id=int(proposal["function"]),
                scope=proposal["scope"],
                figures=proposal,
            )
            stamp(item, acting_user=acting_user, reason="Kalibratie").save()
    return report


def _windows_per_unit(run: DetectionRun) -> int:
    chunks = DetectionChunk.objects.filter(run=run, phase="signals")
    units = chunks.values("unit_id").distinct().count()
    return max(1, round(chunks.count() / max(units, 1)))


@transaction.atomic
def decide_scope_proposal(
    *, proposal: ScopeProposal, accept: bool, reason: str, acting_user: AnyUser
) -> ScopeProposal:
    """Accept (the rule is created, with history) or reject a proposed scope rule."""
    proposal = ScopeProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ScopeProposal.Status.PROPOSED:
        raise ValidationError("This proposal has been decided already.")
    if not reason.strip():
        raise ValidationError("Give the reason for the decision.")
    if accept:
        rule = ScopeRule(
            function_id=proposal.function_id,
            scope=proposal.scope,
            reason=reason.strip(),
            source=ScopeRule.Source.CALIBRATION,
        )
        proposal.rule = save_scope_rule(rule=rule, acting_user=acting_user, reason=reason.strip())
    proposal.status = ScopeProposal.Status.ACCEPTED if accept else ScopeProposal.Status.REJECTED
    proposal.decided_by = real_user(acting_user)
    proposal.decided_at = timezone.now()
    proposal.reason = reason.strip()
    stamp(proposal, acting_user=acting_user, reason=reason.strip()).save()
    return proposal
