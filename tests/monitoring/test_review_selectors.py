"""Reads of the review workflow: who holds a conversation, who sees it, what the employee may
see, and the burst groups."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from monitoring import selectors
from monitoring.models import FollowUp, Signal
from monitoring.selectors import followups_visible_to, reveals_visible_to
from tests.conftest import World
from tests.factories import UserFactory
from tests.monitoring.review_factories import make_signal
from vik import services as core
from vik.roles import Role

pytestmark = pytest.mark.django_db


def followup_for(world: World, employee) -> FollowUp:
    return FollowUp.objects.create(
        signal=make_signal(employee),
        employee=employee,
        team_id=employee.team_id,
        requested_by=world.user(Role.ANALYST),
        summary="Samenvatting.",
        due_on=timezone.localdate(),
    )


def test_followups_are_visible_to_the_chief_of_the_team_only(world: World) -> None:
    mine = followup_for(world, world.subject)
    other_team = followup_for(world, world.colleague)
    chief = world.user(Role.TEAM_CHIEF)
    assert set(followups_visible_to(user=chief)) == {mine}
    for role in Role:
        if role != Role.TEAM_CHIEF:
            assert not followups_visible_to(user=world.user(role)).exists()
    assert not followups_visible_to(user=AnonymousUser()).exists()
    # A conflict hides the employee from the chief.
    core.declare_conflict(user=chief, employee=world.subject, reason="familie", acting_user=chief)
    assert not followups_visible_to(user=chief).exists()
    assert other_team.pk  # never visible to this chief


def test_a_superuser_sees_no_followups_and_no_reveals(world: World) -> None:
    followup_for(world, world.subject)
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert not followups_visible_to(user=root).exists()
    assert not reveals_visible_to(user=root).exists()


def test_team_chiefs_for_the_employee(world: World) -> None:
    chief = world.user(Role.TEAM_CHIEF)
    assert list(selectors.team_chiefs_for(world.subject)) == [chief]
    assert list(selectors.team_chiefs_for(world.colleague)) == []
    # The chief is never asked about themself.
    assert list(selectors.team_chiefs_for(world.employee_of(Role.TEAM_CHIEF))) == []
    # A chief of the district above covers the team too.
    district_chief = UserFactory(username="district-chief")
    core.assign_role(
        user=district_chief,
        role=Role.TEAM_CHIEF,
        unit=world.units["AM-D1"],
        acting_user=None,
        reason="test",
    )
    assert set(selectors.team_chiefs_for(world.colleague)) == {district_chief}


def test_the_employee_overview_lists_decided_signals_but_not_referrals(world: World) -> None:
    decided = {
        status: make_signal(
            world.subject,
            status=status,
            window_start=datetime.date(2026, 1, 5) + datetime.timedelta(days=14 * index),
        )
        for index, status in enumerate(Signal.Status.values)
    }
    listed = set(selectors.signals_disclosable_to(world.subject))
    assert listed == {
        decided[Signal.Status.DISMISSED],
        decided[Signal.Status.ESCALATED],
        decided[Signal.Status.CLOSED],
    }


def test_burst_groups_count_only_visible_signals(world: World) -> None:
    key = "burst:s:CELEB-2:2026-10-22"
    make_signal(world.subject, codes=("celebrity_burst",), group_key=key)
    make_signal(world.outsider, codes=("celebrity_burst",), group_key=key)
    analyst = world.user(Role.ANALYST)
    groups = selectors.burst_groups(user=analyst)
    assert [(group.key, group.size) for group in groups] == [(key, 1)]
    [group] = selectors.burst_members(groups=groups)
    assert group.target == "s:CELEB-2"
    assert group.day == datetime.date(2026, 10, 22)
    assert [signal.employee_id for signal in group.signals] == [world.subject.pk]


def test_the_signal_page_data(world: World) -> None:
    signal = make_signal(world.subject, codes=("off_duty", "neighbour"))
    earlier = make_signal(world.subject, window_start=datetime.date(2026, 10, 5))
    page = selectors.signal_page(user=world.user(Role.ANALYST), signal=signal)
    assert len(page.indicators) == 2
    assert len(page.evidence) == 4
    assert all(not row.explained for row in page.evidence)
    assert len(page.timeline.marks) == 4
    assert page.timeline.segments  # "unknown" throughout: no roster delivered
    assert page.earlier == [earlier]
    assert not page.name_shown


def test_a_burst_card_lists_its_highest_scores_and_counts_the_rest(world: World) -> None:
    key = "burst:s:CELEB-3:2026-10-22"
    made = [
        make_signal(
            world.subject,
            codes=("celebrity_burst",),
            group_key=key,
            score=n,
            window_start=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(10, 10 + selectors.BURST_MEMBERS_SHOWN + 3)
    ]
    make_signal(world.colleague, codes=("off_duty",))  # no burst: not read at all
    analyst = world.user(Role.ANALYST)
    [group] = selectors.burst_members(groups=selectors.burst_groups(user=analyst))
    assert group.size == len(made)
    assert group.more == 3
    assert group.top_score == made[-1].score
    assert [s.pk for s in group.signals] == [s.pk for s in reversed(made)][: group.size - 3]


def test_decided_bursts_are_listed_only_on_request(world: World) -> None:
    key = "burst:s:CELEB-4:2026-10-22"
    make_signal(world.subject, codes=("celebrity_burst",), group_key=key, status="dismissed")
    analyst = world.user(Role.ANALYST)
    assert selectors.burst_groups(user=analyst) == []
    [group] = selectors.burst_groups(user=analyst, open_only=False)
    assert (group.size, group.open_count) == (1, 0)
