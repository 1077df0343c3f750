"""Sweep expectations for the monitoring URLs: every URL × every role → the expected status.

The objects are made straight in the database: a signal about the world's subject (team
AM-D1-T1, inside the analyst's unit AM and led by the world's team chief), one about the
outsider (Den Haag: nobody's scope here), a follow-up on the first, and reveal requests.

* the analyst's pages: only the analyst (403 for every other role);
* a signal or follow-up outside the viewer's scope answers 404;
* the feedback figures: the analyst and the administrator (figures only);
* "Gesprekken" (both kinds: after a signal, a case back to the line), a conversation's page,
  its plan and record actions and its calendar file: only the team chief, and only about
  their own teams (404 for another team's).

Actions answer with a redirect (302) to the page they belong to.
"""

from __future__ import annotations

from typing import Any

from tests.sweep import Route
from vik.roles import Role

R = Role
ANALYST = frozenset({R.ANALYST})
CHIEF = frozenset({R.TEAM_CHIEF})


def _signal(world: Any, who: str = "subject") -> Any:
    from tests.monitoring.review_factories import make_signal

    return make_signal(getattr(world, who))


def signal(world: Any, who: str = "subject") -> dict[str, int]:
    return {"pk": _signal(world, who).pk}


def followup(world: Any, who: str = "subject") -> dict[str, int]:
    from django.utils import timezone

    from monitoring.models import FollowUp, Signal

    target = _signal(world, who)
    target.status = Signal.Status.ESCALATED
    target.save()
    employee = getattr(world, who)
    item = FollowUp.objects.create(
        signal=target,
        employee=employee,
        team_id=employee.team_id,
        requested_by=world.user(R.ANALYST),
        summary="Drie raadplegingen buiten het rooster.",
        due_on=timezone.localdate(),
    )
    return {"pk": item.pk}


def reveal(world: Any, *, by_analyst: bool) -> dict[str, int]:
    from django.utils import timezone

    from monitoring.models import IdentityReveal
    from tests.factories import UserFactory
    from vik import services

    target = _signal(world)
    if by_analyst:
        requester = world.user(R.ANALYST)
        status = IdentityReveal.Status.APPROVED
    else:
        requester = UserFactory(username="second-analyst")
        services.assign_role(
            user=requester, role=R.ANALYST, unit=world.units["AM"], acting_user=None, reason="t"
        )
        status = IdentityReveal.Status.REQUESTED
    item = IdentityReveal.objects.create(
        signal=target,
        requested_by=requester,
        reason_category=IdentityReveal.ReasonCategory.WORK_REASON,
        reason="Nodig voor de beoordeling van de raadplegingen.",
        status=status,
        decided_at=timezone.now() if status == IdentityReveal.Status.APPROVED else None,
    )
    return {"pk": item.pk}


def referral(world: Any, who: str = "subject") -> dict[str, int]:
    from tests.cases.sweep_routes import referral as case_referral

    return case_referral(world, employee=who)


def planned(make: Any) -> Any:
    """The conversation, planned (its calendar file exists only then)."""

    def build(world: Any) -> dict[str, int]:
        import datetime

        from django.utils import timezone

        from cases.models import LineReferral
        from monitoring.models import FollowUp

        kwargs = make(world)
        model = FollowUp if make is followup else LineReferral
        model.objects.filter(pk=kwargs["pk"]).update(
            planned_at=timezone.now() + datetime.timedelta(days=2), planned_place="Kamer 1"
        )
        return kwargs

    return build


def chief_routes(prefix: str, make: Any) -> list[Route]:
    """The page of one conversation and its actions: the chief's own teams only (404 else).

    The actions post an empty form: the chief gets the page back with the errors (200).
    """
    other = lambda w: make(w, "colleague")  # noqa: E731 - another team: not this chief's
    return [
        Route(f"monitoring:{prefix}_detail", CHIEF, kwargs=make),
        Route(f"monitoring:{prefix}_detail", CHIEF, kwargs=other, overrides={R.TEAM_CHIEF: 404}),
        Route(f"monitoring:{prefix}_plan", CHIEF, kwargs=make, method="post"),
        Route(
            f"monitoring:{prefix}_plan",
            CHIEF,
            kwargs=other,
            method="post",
            overrides={R.TEAM_CHIEF: 404},
        ),
        Route(f"monitoring:{prefix}_record", CHIEF, kwargs=make, method="post"),
        Route(
            f"monitoring:{prefix}_record",
            CHIEF,
            kwargs=other,
            method="post",
            overrides={R.TEAM_CHIEF: 404},
        ),
        Route(f"monitoring:{prefix}_calendar", CHIEF, kwargs=planned(make)),
        # Not planned yet: no calendar file.
        Route(f"monitoring:{prefix}_calendar", CHIEF, kwargs=make, overrides={R.TEAM_CHIEF: 404}),
    ]


ADMIN = frozenset({R.ADMINISTRATOR})


def calibration_report(world: Any) -> dict[str, int]:
    from tests.monitoring.test_calibration import make_report

    return {"pk": make_report().pk}


def proposal(world: Any) -> dict[str, int]:
    from tests.monitoring.test_calibration import make_report

    return {"pk": make_report().proposals.get().pk}


ROUTES: list[Route] = [
    Route("monitoring:signal_list", ANALYST),
    Route("monitoring:signal_list", ANALYST, query="?status=all&indicator=off_duty&min_score=5"),
    Route("monitoring:burst_list", ANALYST),
    Route(
        "monitoring:burst_dismiss",
        ANALYST,
        method="post",
        data=lambda w: {"group_key": "burst:s:X:2026-10-20", "category": "other", "note": "x"},
        ok=302,
    ),
    Route("monitoring:signal_detail", ANALYST, kwargs=signal),
    # A signal in Den Haag: outside the analyst's units.
    Route(
        "monitoring:signal_detail",
        ANALYST,
        kwargs=lambda w: signal(w, "outsider"),
        overrides={R.ANALYST: 404},
    ),
    Route("monitoring:signal_claim", ANALYST, kwargs=signal, method="post", ok=302),
    Route("monitoring:signal_reveal", ANALYST, kwargs=signal),
    Route(
        "monitoring:signal_reveal",
        ANALYST,
        kwargs=lambda w: signal(w, "outsider"),
        overrides={R.ANALYST: 404},
    ),
    Route("monitoring:signal_dismiss", ANALYST, kwargs=signal),
    Route("monitoring:signal_escalate", ANALYST, kwargs=signal),
    Route("monitoring:signal_refer", ANALYST, kwargs=signal),
    Route("monitoring:signal_forward", ANALYST, kwargs=signal),
    Route("monitoring:reveal_list", ANALYST),
    Route(
        "monitoring:reveal_decide",
        ANALYST,
        kwargs=lambda w: reveal(w, by_analyst=False),
        method="post",
        ok=302,
    ),
    Route(
        "monitoring:reveal_show",
        ANALYST,
        kwargs=lambda w: reveal(w, by_analyst=True),
        method="post",
        ok=302,
    ),
    # The protocol, made known against receipt: every employee (self-service).
    Route("monitoring:protocol", frozenset({R.EMPLOYEE})),
    Route("monitoring:feedback", frozenset({R.ANALYST, R.ADMINISTRATOR})),
    # Calibration: the administrator, who tunes detection. Figures per function only.
    Route("monitoring:calibration", ADMIN),
    Route("monitoring:calibration_report", ADMIN, kwargs=calibration_report),
    Route(
        "monitoring:proposal_decide",
        ADMIN,
        kwargs=proposal,
        method="post",
        data=lambda w: {"decision": "reject", "reason": "Geen regionale taak."},
        ok=302,
    ),
    # The team chief's conversations, both kinds in one place.
    Route("monitoring:conversation_list", CHIEF),
    Route("monitoring:conversation_list", CHIEF, query="?q=a&state=0&source=line&sort=-planned"),
    Route("monitoring:followup_old", CHIEF, kwargs=followup, ok=302),
    *chief_routes("followup", followup),
    *chief_routes("referral", referral),
]
