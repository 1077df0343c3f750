"""Build prevention objects through the real services, for tests and the permission sweep."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from prevention import services
from prevention.models import (
    AdviceKind,
    AdviceRequest,
    AfterDiscussion,
    Dilemma,
    Presenter,
    SessionKind,
    SessionRequest,
    TrendMark,
)
from tests.conftest import World
from tests.factories import EmployeeFactory, UserFactory
from vik import services as core
from vik.models import ViolationKind
from vik.roles import Role

LESSON = {
    "title": "Nieuwsgierig naar de buurt",
    "situation": (
        "Een medewerker keek zonder dienstelijke reden in de systemen waarom er politie bij "
        "de buren was geweest."
    ),
    "questions": "Wilde ik het weten voor mijn werk?\nZou ik het mijn teamchef vertellen?",
    "rules_text": "Raadplegen mag alleen als het werk erom vraagt.",
    "decision": "Plichtsverzuim; een gesprek over de regels.",
}


def kind(code: str = "misbruik-informatie") -> ViolationKind:
    return ViolationKind.objects.get(code=code)


def coordinator(world: World) -> User:
    return world.user(Role.PREVENTION_COORDINATOR)  # type: ignore[return-value]


def dh_coordinator(world: World) -> User:
    """A prevention coordinator for Den Haag (another unit)."""
    user = UserFactory(username="preventie-dh")
    EmployeeFactory(unit=world.units["DH"], team=world.units["DH-T1"], user=user)
    core.assign_role(
        user=user,
        role=Role.PREVENTION_COORDINATOR,
        unit=world.units["DH"],
        acting_user=None,
        reason="test",
    )
    return user


def dh_team_chief(world: World) -> User:
    user = UserFactory(username="teamchef-dh")
    EmployeeFactory(unit=world.units["DH"], team=world.units["DH-T1"], user=user)
    core.assign_role(
        user=user, role=Role.TEAM_CHIEF, unit=world.units["DH-T1"], acting_user=None, reason="t"
    )
    return user


def presenter(world: World, *, unit: str = "AM", name: str = "Vera Vertrouwen") -> Presenter:
    acting = coordinator(world) if unit == "AM" else dh_coordinator(world)
    return services.save_presenter(
        presenter=None,
        name=name,
        organisation="Vertrouwenspersonen",
        email="",
        unit=world.units[unit],
        is_active=True,
        acting_user=acting,
    )


def session_request(
    world: World, *, by: Role = Role.TEAM_CHIEF, team: str = "AM-D1-T1", **extra: Any
) -> SessionRequest:
    """A request awaiting its first answer (by the team chief for their team by default)."""
    return services.request_session(
        kind=extra.pop("kind", SessionKind.DILEMMA_TRAINING),
        team=world.units[team],
        learning_questions="Hoe gaan we om met informatie in app-groepen?",
        acting_user=world.user(by),
        **extra,
    )


def dh_session_request(world: World) -> SessionRequest:
    return services.request_session(
        kind=SessionKind.INTEGRITY,
        team=world.units["DH-T1"],
        learning_questions="Een integriteitssessie voor het team.",
        acting_user=dh_team_chief(world),
    )


def planned_session(world: World, *, days_ahead: int = 7) -> SessionRequest:
    request = session_request(world)
    return services.plan_session(
        request=request,
        planned_start=timezone.now() + datetime.timedelta(days=days_ahead),
        place="Teamruimte",
        presenters=[presenter(world)],
        acting_user=coordinator(world),
    )


def held_session(world: World, *, attendance: int = 6) -> SessionRequest:
    request = planned_session(world, days_ahead=-1)
    return services.record_session(
        request=request,
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        what_was_done="Dilemma's besproken in groepjes, daarna plenair.",
        attendance=attendance,
        follow_up="",
        acting_user=coordinator(world),
    )


ANSWERS = {
    "q1_overall": 4,
    "q2_presenters": 5,
    "q3_useful": 3,
    "q4_speak_freely": "yes",
    "q5_length": "right",
    "q6_takeaway": "Dat ik een collega mag aanspreken.",
    "q7_missing": "",
    "q8_tips": "",
}


def evaluate(world: World, session: SessionRequest, number: int, **answers: Any) -> None:
    codes = list(session.evaluation_codes.filter(answered=False).values_list("code", flat=True))
    for code in codes[:number]:
        services.submit_session_evaluation(
            code=code, answers={**ANSWERS, **answers}, acting_user=world.user(Role.EMPLOYEE)
        )


def advice(world: World, *, by: Role = Role.EMPLOYEE) -> AdviceRequest:
    return services.ask_advice(
        kind=AdviceKind.CASE,
        subject="Mijn zwager is aangehouden",
        question="Mijn zwager is aangehouden. Wat mag ik wel en niet doen voor de familie?",
        acting_user=world.user(by),
    )


def answered_advice(world: World) -> AdviceRequest:
    request = advice(world)
    services.take_advice_request(request=request, acting_user=coordinator(world))
    return services.answer_advice_request(
        request=request,
        answer="Je raadpleegt niets en deelt niets; verwijs de familie naar de advocaat.",
        kinds=[kind()],
        acting_user=coordinator(world),
    )


def second_investigator(world: World) -> User:
    user = UserFactory(username="investigator2", first_name="Ivo", last_name="Tweede")
    if not hasattr(user, "employee"):
        EmployeeFactory(unit=world.units["AM"], team=world.units["AM-VIK"], user=user)
    core.assign_role(
        user=user, role=Role.INVESTIGATOR, unit=world.units["AM"], acting_user=None, reason="t"
    )
    return user


def closed_case(world: World) -> Any:
    """A closed investigation about the world's subject (AM-D1-T1), commissioned by the head."""
    from cases import services as case_services
    from cases.punishments import ensure_punishments
    from tests.cases.builders import Flow

    ensure_punishments()
    flow = Flow(world=world, second=second_investigator(world))
    case = flow.ready_to_close()
    return case_services.close_case(case=case, acting_user=flow.head)


def after_discussion(world: World, *, case: Any = None) -> AfterDiscussion:
    case = case or closed_case(world)
    return services.request_after_discussion(
        case_id=case.pk,
        team=world.units["AM-D1-T1"],
        brief="Het onderzoek is afgerond; graag een nabespreking over raadplegen en aanspreken.",
        acting_user=world.user(Role.VIK_HEAD),
    )


def lesson(world: World, *, submit: bool = True, **texts: str) -> Dilemma:
    discussion = after_discussion(world)
    services.accept_after_discussion(after_discussion=discussion, acting_user=coordinator(world))
    written = services.save_lesson(
        after_discussion=discussion,
        kinds=[kind()],
        acting_user=coordinator(world),
        **{**LESSON, **texts},
    )
    if submit:
        written = services.submit_lesson(lesson=written, acting_user=coordinator(world))
    return written


def library_dilemma(world: World, *, publish: bool = True) -> Dilemma:
    return services.save_dilemma(
        dilemma=None,
        title="De auto voor je deur",
        situation="Al een week staat er een onbekende auto voor je huis; je kijkt het kenteken na.",
        questions="Mag dit?\nIn wiens belang doe ik dit?",
        rules_text="Raadplegen voor privédoeleinden is niet toegestaan.",
        kinds=[kind()],
        unit=world.units["AM"],
        publish=publish,
        acting_user=coordinator(world),
    )


def trend_mark(world: World) -> TrendMark:
    today = timezone.localdate()
    return services.mark_trend(
        unit=world.units["AM"],
        kind=kind(),
        year=today.year,
        quarter=(today.month - 1) // 3 + 1,
        note="Steeds meer vragen over het delen van informatie in app-groepen.",
        acting_user=coordinator(world),
    )
