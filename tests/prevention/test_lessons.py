"""Lessons from closed investigations: anonymised, approved first, never identifying.

The approved text of a lesson contains no personnel number, no case reference and no name
of anyone the case involves — checked by the service on submission and again on approval,
whoever wrote or changed the text.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from prevention import rules, services
from prevention.models import AfterDiscussion, Dilemma
from tests.conftest import World
from tests.prevention import helpers
from vik.roles import Role

pytestmark = pytest.mark.django_db


def _approved_text(lesson: Dilemma) -> str:
    return " ".join(
        [lesson.title, lesson.situation, lesson.questions, lesson.rules, lesson.decision]
    )


def test_an_anonymised_lesson_is_approved_and_carries_nothing_of_the_case(world: World) -> None:
    lesson = helpers.lesson(world)
    discussion = lesson.after_discussion
    case = discussion.case
    services.approve_lesson(lesson=lesson, acting_user=world.user(Role.VIK_HEAD))
    lesson.refresh_from_db()
    discussion.refresh_from_db()
    assert lesson.status == Dilemma.Status.PUBLISHED
    assert discussion.status == AfterDiscussion.Status.COMPLETED
    text = _approved_text(lesson).lower()
    assert case.reference.lower() not in text
    for party in case.parties.select_related("employee"):
        employee = party.employee
        assert employee.personnel_number not in text
        assert not re.search(rf"\b{re.escape(employee.first_name.lower())}\b", text)
        assert not re.search(rf"\b{re.escape(employee.last_name.lower())}\b", text)
    assert not re.search(r"\b\d{5,}\b", text)  # nothing shaped like a personnel number


@pytest.mark.parametrize(
    "leak",
    [
        lambda case: case.reference,
        lambda case: case.parties.first().employee.personnel_number,
        lambda case: case.parties.get(role="concerned").employee.last_name,
        lambda case: case.parties.get(role="concerned").employee.full_name,
        lambda case: case.parties.get(role="named").employee.first_name,
        lambda case: "op 12 maart",
        lambda case: "op 12-03-2026",
    ],
    ids=[
        "reference",
        "personnel number",
        "last name",
        "full name",
        "named party",
        "date",
        "numeric date",
    ],
)
def test_a_lesson_that_identifies_the_case_is_refused(world: World, leak) -> None:
    draft = helpers.lesson(world, submit=False)
    case = draft.after_discussion.case
    services.save_lesson(
        after_discussion=draft.after_discussion,
        kinds=[],
        acting_user=helpers.coordinator(world),
        **{
            **helpers.LESSON,
            "situation": f"{helpers.LESSON['situation']} Het ging om {leak(case)}.",
        },
    )
    with pytest.raises(ValidationError) as refused:
        services.submit_lesson(lesson=draft, acting_user=helpers.coordinator(world))
    assert leak(case).split()[-1] in " ".join(refused.value.messages)
    draft.refresh_from_db()
    assert draft.status == Dilemma.Status.DRAFT


def test_the_approval_checks_again(world: World) -> None:
    lesson = helpers.lesson(world)
    case = lesson.after_discussion.case
    # Changed behind the service's back (the admin, the shell): the approval still refuses.
    Dilemma.objects.filter(pk=lesson.pk).update(decision=f"Zaak {case.reference}.")
    with pytest.raises(ValidationError):
        services.approve_lesson(lesson=lesson, acting_user=world.user(Role.VIK_HEAD))
    lesson.refresh_from_db()
    assert lesson.status == Dilemma.Status.SUBMITTED


def test_only_the_commissioner_of_the_unit_approves(world: World) -> None:
    lesson = helpers.lesson(world)
    with pytest.raises(PermissionDenied):
        services.approve_lesson(lesson=lesson, acting_user=helpers.coordinator(world))
    draft = helpers.lesson(world, submit=False)
    with pytest.raises(PermissionDenied):
        services.approve_lesson(lesson=draft, acting_user=world.user(Role.VIK_HEAD))


def test_a_returned_lesson_is_rewritten_and_submitted_again(world: World) -> None:
    lesson = helpers.lesson(world)
    services.return_lesson(
        lesson=lesson,
        remarks="Het evenement is te herkenbaar.",
        acting_user=world.user(Role.VIK_HEAD),
    )
    lesson.refresh_from_db()
    assert lesson.status == Dilemma.Status.RETURNED
    assert lesson.review_note == "Het evenement is te herkenbaar."
    services.save_lesson(
        after_discussion=lesson.after_discussion,
        kinds=[helpers.kind()],
        acting_user=helpers.coordinator(world),
        **{
            **helpers.LESSON,
            "situation": "Een medewerker zocht zonder reden iets op over een bekende.",
        },
    )
    assert services.submit_lesson(lesson=lesson, acting_user=helpers.coordinator(world)).status == (
        Dilemma.Status.SUBMITTED
    )


def test_the_shapes_that_identify_whatever_the_case() -> None:
    found = rules.identifying_passages(
        ["Zie AM-2026-0012 en SES-2026-00003; personeelsnummer 123456; op 3-4-2025 of 12 maart."]
    )
    assert [(p.text, p.kind) for p in found] == [
        ("AM-2026-0012", "reference"),
        ("SES-2026-00003", "reference"),
        ("123456", "number"),
        ("3-4-2025", "date"),
        ("12 maart", "date"),
    ]
    # Rules and ordinary numbers pass: an article number is no date.
    assert rules.identifying_passages(["Artikel 272 Sr en paragraaf 3.2 van de beroepscode."]) == []


def test_names_match_whole_words_only() -> None:
    assert rules.identifying_passages(["De Bakkerij aan de gracht."], ["Bakker"]) == []
    assert [p.text for p in rules.identifying_passages(["Collega bakker zei"], ["Bakker"])] == [
        "bakker"
    ]
