"""Screening pages: capabilities, scope, the access log, query counts and the flows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from screening.models import EvaluationResponse, ScreeningDossier, SelfReport
from tests.conftest import World
from tests.factories import EmployeeFactory
from tests.screening.helpers import (
    EVALUATION_ANSWERS,
    days_ago,
    dossier_for,
    invitation_for,
    taken_dossier,
)
from vik.models import AccessAction, AccessLogEntry
from vik.roles import Role

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Role], Client]
WORKLIST = reverse("screening:worklist")


# user, roles, the counters, the page's count and rows, the access log (one bulk INSERT),
# the unread-messages badge, and the session save (in a savepoint: three statements).
WORKLIST_QUERIES = 10


def test_the_worklist_costs_the_same_queries_for_one_or_many_dossiers(
    world: World, client_for: ClientFor, django_assert_num_queries
) -> None:
    client = client_for(Role.SCREENING_OFFICER)
    dossier_for(world, world.subject)
    client.get(WORKLIST)  # warm-up: the first request also fills per-process caches
    with django_assert_num_queries(WORKLIST_QUERIES):
        client.get(WORKLIST)
    for _ in range(8):
        dossier_for(world, EmployeeFactory(unit=world.units["AM"], team=world.units["AM-D1-T2"]))
    with django_assert_num_queries(WORKLIST_QUERIES):
        response = client.get(WORKLIST)
    assert len(response.context["object_list"]) == 9


def test_the_worklist_logs_a_search_per_employee_shown(world: World, client_for: ClientFor) -> None:
    dossier_for(world, world.subject)
    dossier_for(world, world.outsider)
    client_for(Role.SCREENING_OFFICER).get(WORKLIST, {"q": world.subject.last_name})
    entries = AccessLogEntry.objects.filter(action=AccessAction.SEARCH)
    assert [e.employee_id for e in entries] == [world.subject.pk]
    assert entries[0].actor_role == Role.SCREENING_OFFICER


def test_the_worklist_filters_and_answers_htmx_with_the_fragment(
    world: World, client_for: ClientFor
) -> None:
    overdue = dossier_for(world, world.subject, opened_days_ago=90)  # due 30 days ago
    dossier_for(world, world.colleague, opened_days_ago=1)
    client = client_for(Role.SCREENING_OFFICER)
    response = client.get(WORKLIST, {"state": "overdue"}, headers={"HX-Request": "true"})
    assert list(response.context["object_list"]) == [overdue]
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "<html" not in body


def test_the_dossier_page_logs_the_view(world: World, client_for: ClientFor) -> None:
    dossier = dossier_for(world, world.subject)
    response = client_for(Role.SCREENING_OFFICER).get(
        reverse("screening:dossier_detail", args=[dossier.pk])
    )
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get(action=AccessAction.VIEW)
    assert (entry.employee_id, entry.object_id) == (world.subject.pk, str(dossier.pk))


def test_the_dossier_page_is_404_outside_the_scope(world: World, client_for: ClientFor) -> None:
    dossier = dossier_for(world, world.outsider)
    response = client_for(Role.SCREENING_OFFICER).get(
        reverse("screening:dossier_detail", args=[dossier.pk])
    )
    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_take_interview_and_close_through_the_pages(world: World, client_for: ClientFor) -> None:
    client = client_for(Role.SCREENING_OFFICER)
    dossier = dossier_for(world, world.subject)
    action = lambda name: reverse("screening:dossier_action", args=[dossier.pk, name])  # noqa: E731
    assert client.post(action("take")).status_code == 302
    response = client.post(
        action("close"), {"close-outcome": "no_concerns", "close-reason": "Prima."}
    )
    # Refused by the service (no interview yet): the page again, with the reason.
    assert response.status_code == 422
    assert "without the screening interview" in response.content.decode()
    assert (
        client.post(action("interview"), {"interview-held_on": days_ago(1).isoformat()}).status_code
        == 302
    )
    close = {"close-outcome": "no_concerns", "close-reason": "Prima."}
    # Closing cannot be undone: a page that says so first; nothing is closed yet.
    confirm = client.post(action("close"), close)
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == ScreeningDossier.Status.IN_PROGRESS
    assert client.post(action("close"), {**close, "confirmed": "yes"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == ScreeningDossier.Status.CLOSED


def test_an_unknown_action_is_404(world: World, client_for: ClientFor) -> None:
    dossier = dossier_for(world, world.subject)
    response = client_for(Role.SCREENING_OFFICER).post(
        reverse("screening:dossier_action", args=[dossier.pk, "delete"])
    )
    assert response.status_code == 404


def test_the_hit_form_does_not_reveal_who_works_elsewhere(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(Role.SCREENING_OFFICER)
    data = {
        "received_on": days_ago(1).isoformat(),
        "source_reference": "CS-77",
        "reported_by": "LE",
        "offence": "Verdenking",
    }
    outside = client.post(
        reverse("screening:hit_create"), {**data, "employee": world.outsider.personnel_number}
    )
    unknown = client.post(reverse("screening:hit_create"), {**data, "employee": "999999999"})
    assert outside.status_code == unknown.status_code == 200
    assert outside.context["form"].errors == unknown.context["form"].errors
    created = client.post(
        reverse("screening:hit_create"), {**data, "employee": world.subject.personnel_number}
    )
    dossier = ScreeningDossier.objects.get(kind=ScreeningDossier.Kind.CONTINUOUS_HIT)
    assert created["Location"] == reverse("screening:dossier_detail", args=[dossier.pk])


def test_the_employee_reports_and_sees_the_report(world: World, client_for: ClientFor) -> None:
    client = client_for(Role.EMPLOYEE)
    response = client.post(
        reverse("screening:self_report_create"),
        {
            "category": "side_activities",
            "occurred_on": days_ago(5).isoformat(),
            "description": "Bijbaan als barman in het weekend.",
        },
    )
    assert response.status_code == 302
    assert SelfReport.objects.count() == 1
    page = client.get(reverse("screening:my_screening")).content.decode()
    assert "New paid or unpaid side activities" in page
    # Looking at one's own screening is not written to the access log.
    assert not AccessLogEntry.objects.exists()


def test_the_employee_evaluates_once(world: World, client_for: ClientFor) -> None:
    invitation = invitation_for(world, world.employee_of(Role.EMPLOYEE))
    client = client_for(Role.EMPLOYEE)
    url = reverse("screening:evaluation_create", args=[invitation.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, EVALUATION_ANSWERS).status_code == 302
    assert EvaluationResponse.objects.count() == 1
    assert client.get(url).status_code == 404  # used


def test_evaluation_results_are_withheld_below_five_answers(
    world: World, client_for: ClientFor
) -> None:
    for _ in range(4):
        EvaluationResponse.objects.create(
            unit=world.units["AM"], year=2026, quarter=2, **EVALUATION_ANSWERS
        )
    client = client_for(Role.SCREENING_OFFICER)
    response = client.get(reverse("screening:evaluation_results"), {"year": 2026})
    assert response.context["summary"]["suppressed"]
    assert "De open sfeer." not in response.content.decode()
    EvaluationResponse.objects.create(
        unit=world.units["AM"], year=2026, quarter=2, **EVALUATION_ANSWERS
    )
    response = client.get(reverse("screening:evaluation_results"), {"year": 2026})
    assert response.context["summary"]["count"] == 5
    assert "De open sfeer." in response.content.decode()


def test_taken_dossier_shows_the_officer_s_actions(world: World, client_for: ClientFor) -> None:
    dossier = taken_dossier(world)
    response = client_for(Role.SCREENING_OFFICER).get(
        reverse("screening:dossier_detail", args=[dossier.pk])
    )
    assert set(response.context["forms"]) == {"interview", "close"}


def test_the_pages_are_dutch_by_default(world: World) -> None:
    client = Client()
    client.force_login(world.user(Role.SCREENING_OFFICER))
    page = client.get(WORKLIST).content.decode()
    assert "Werkvoorraad screening" in page
    assert "Melding continue screening registreren" in page


def test_the_dossier_history_reads_as_labels(world: World, client_for: ClientFor) -> None:
    dossier = taken_dossier(world)
    response = client_for(Role.SCREENING_OFFICER).get(
        reverse("screening:dossier_history", args=[dossier.pk])
    )
    changes = [change for _record, rows in response.context["records"] for change in rows]
    assert ("status", "New", "In progress") in changes
    assert not any("Deleted" in str(value) for change in changes for value in change)
    assert AccessLogEntry.objects.filter(purpose="history", employee=world.subject).exists()
