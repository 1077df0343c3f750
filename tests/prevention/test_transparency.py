"""The prevention provider: works-council figures, own data, closed matters, retention."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from prevention import services
from prevention.models import (
    AdviceRequest,
    AfterDiscussion,
    Dilemma,
    SessionEvaluationResponse,
    SessionRequest,
)
from prevention.transparency import PROVIDER
from tests.conftest import World
from tests.prevention import helpers
from vik.models.typology import UNCLASSIFIED_CODE
from vik.roles import Role
from vik.transparency.registry import (
    Audience,
    DeferralSet,
    ObjectRef,
    OwnDataRequest,
    PurgeRequest,
    Quarter,
    get_registry,
)

pytestmark = pytest.mark.django_db


def _measure(key: str):
    return next(m for m in PROVIDER.measures if m.key == key)


def _this_quarter() -> Quarter:
    return Quarter.containing(timezone.localdate())


def test_the_provider_is_registered_and_its_populations_are_its_own() -> None:
    registry = get_registry()
    assert registry.measure("prevention.violation_kinds").population == "typology.matters"
    assert registry.disclosure_category("prevention.requests")
    assert {c.key for c in registry.retention_categories()} >= {
        "prevention.session_requests",
        "prevention.advice_requests",
        "prevention.after_discussions",
    }


def test_the_works_council_counts_each_matter_once_under_its_main_kind(world: World) -> None:
    helpers.closed_case(world)  # an investigation at its outcome, not classified (yet)
    helpers.answered_advice(world)  # advice is not a violation: not in the figure
    counts = _measure("prevention.violation_kinds").count(_this_quarter())
    assert [(c.unit_id, c.category, c.value) for c in counts] == [
        (world.units["AM"].pk, UNCLASSIFIED_CODE, 1)
    ]
    categories = {c.key for c in _measure("prevention.violation_kinds").category_list()}
    assert UNCLASSIFIED_CODE in categories
    assert "misbruik-informatie" in categories


def test_sessions_advice_and_lessons_are_counted_by_unit_and_kind(world: World) -> None:
    helpers.held_session(world)
    helpers.advice(world)
    lesson = helpers.lesson(world)
    services.approve_lesson(lesson=lesson, acting_user=world.user(Role.VIK_HEAD))
    quarter = _this_quarter()
    requested = _measure("prevention.sessions_requested").count(quarter)
    # Two requests: the session, and the after-discussion's session with the team.
    assert sorted((c.category, c.value) for c in requested) == [
        ("after_discussion", 1),
        ("dilemma_training", 1),
    ]
    assert all(c.unit_id == world.units["AM-D1-T1"].pk for c in requested)
    assert [(c.category, c.value) for c in _measure("prevention.sessions_held").count(quarter)] == [
        ("dilemma_training", 1)
    ]
    assert [
        (c.category, c.value) for c in _measure("prevention.advice_requests").count(quarter)
    ] == [("case", 1)]
    assert [(c.unit_id, c.value) for c in _measure("prevention.lessons").count(quarter)] == [
        (world.units["AM"].pk, 1)
    ]


def _own(world: World, role: Role, audience: Audience = Audience.OVERVIEW, deferrals=None):
    request = OwnDataRequest(
        employee=world.employee_of(role), audience=audience, deferrals=deferrals or DeferralSet()
    )
    return {section.key: section for section in PROVIDER.own_data(request)}


def test_own_data_holds_the_employees_requests_and_the_export_adds_the_kinds(world: World) -> None:
    helpers.session_request(world, by=Role.EMPLOYEE, team="AM-VIK")
    question = helpers.answered_advice(world)
    overview = _own(world, Role.EMPLOYEE)
    assert len(overview["prevention.session_requests"].items) == 1
    fields = {f.key for f in overview["prevention.advice"].items[0].fields}
    assert "answer" not in fields
    export = _own(world, Role.EMPLOYEE, Audience.ACCESS_REQUEST)
    item = export["prevention.advice"].items[0]
    values = {f.key: f.value for f in item.fields}
    assert values["violation_kinds"] == "Misbruik van informatie (raadplegen, lekken)"
    assert values["question"] == question.question
    # Someone else's data is not in it.
    assert not _own(world, Role.TEAM_CHIEF)["prevention.advice"].items


def test_a_deferral_hides_the_requests(world: World) -> None:
    question = helpers.advice(world)
    deferred = DeferralSet(
        objects=frozenset(
            {("prevention.requests", ObjectRef("prevention.advicerequest", str(question.pk)))}
        )
    )
    assert not _own(world, Role.EMPLOYEE, deferrals=deferred)["prevention.advice"].items
    assert (
        _own(
            world,
            Role.EMPLOYEE,
            deferrals=DeferralSet(categories=frozenset({"prevention.requests"})),
        )
        == {}
    )


def test_closed_matters(world: World) -> None:
    open_question = helpers.advice(world)
    closed = helpers.answered_advice(world)
    services.close_advice_request(request=closed, acting_user=helpers.coordinator(world))
    refs = {
        ObjectRef("prevention.advicerequest", str(open_question.pk)),
        ObjectRef("prevention.advicerequest", str(closed.pk)),
    }
    assert PROVIDER.closed_matters(world.employee_of(Role.EMPLOYEE), refs) == {
        ObjectRef("prevention.advicerequest", str(closed.pk))
    }


def _cutoff_after_now() -> PurgeRequest:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return PurgeRequest(category="", cutoff=tomorrow)


def test_retention_removes_ended_requests_but_keeps_the_anonymous_answers(world: World) -> None:
    session = helpers.held_session(world)
    helpers.evaluate(world, session, 2)
    purge = next(c for c in PROVIDER.retention if c.key == "prevention.session_requests").purge
    held = PurgeRequest(
        category="",
        cutoff=_cutoff_after_now().cutoff,
        held_employee_ids=frozenset({session.requester_id}),
    )
    assert purge(held) == 0  # under a legal hold
    assert purge(_cutoff_after_now()) == 1
    assert not SessionRequest.objects.filter(pk=session.pk).exists()
    assert not SessionRequest.history.filter(id=session.pk).exists()
    assert SessionEvaluationResponse.objects.filter(session__isnull=True).count() == 2


def test_retention_of_advice_and_of_briefs(world: World) -> None:
    question = helpers.answered_advice(world)
    services.close_advice_request(request=question, acting_user=helpers.coordinator(world))
    purge_advice = next(
        c for c in PROVIDER.retention if c.key == "prevention.advice_requests"
    ).purge
    assert purge_advice(_cutoff_after_now()) == 1
    assert not AdviceRequest.objects.exists()

    lesson = helpers.lesson(world)
    services.approve_lesson(lesson=lesson, acting_user=world.user(Role.VIK_HEAD))
    purge_briefs = next(
        c for c in PROVIDER.retention if c.key == "prevention.after_discussions"
    ).purge
    hold = PurgeRequest(
        category="",
        cutoff=_cutoff_after_now().cutoff,
        held_employee_ids=frozenset({world.subject.pk}),
    )
    assert purge_briefs(hold) == 0  # the person concerned is under a legal hold
    assert purge_briefs(_cutoff_after_now()) == 1
    assert not AfterDiscussion.objects.exists()
    lesson.refresh_from_db()
    assert lesson.is_published  # the lesson stays, unlinked
    assert lesson.after_discussion is None
    assert Dilemma.objects.count() == 1
