"""Complaint pages: capabilities, scope, the access log, query counts and the steps."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.conftest import english_client
from tests.complaints.helpers import (
    assigned,
    complaint_in_den_haag,
    days_ago,
    decided,
    handler,
    register,
    theme,
)
from tests.conftest import World
from tests.factories import EmployeeFactory, UserFactory
from vik import services as core_services
from vik.models import AccessAction, AccessLogEntry
from vik.pdf import count_pages
from vik.roles import Role

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Role], Client]

# user, roles, the page's count and rows, the themes and the employees (two prefetches),
# the access log (one bulk INSERT), the unread-messages badge, the session save (three);
# the list also fills its theme filter's choices.
LIST_QUERIES = {"complaints:complaint_list": 12, "complaints:deadline_overview": 11}


@pytest.mark.parametrize("url_name", list(LIST_QUERIES))
def test_lists_cost_the_same_queries_for_one_or_many(
    world: World, client_for: ClientFor, django_assert_num_queries, url_name: str
) -> None:
    client = client_for(Role.COMPLAINT_HANDLER)
    url = reverse(url_name)
    register(world)
    client.get(url)  # warm-up: per-process caches
    with django_assert_num_queries(LIST_QUERIES[url_name]):
        client.get(url)
    for _ in range(6):
        register(
            world, employees=[EmployeeFactory(unit=world.units["AM"], team=world.units["AM-D1-T1"])]
        )
    with django_assert_num_queries(LIST_QUERIES[url_name]):
        response = client.get(url)
    assert len(response.context["object_list"]) == 7


def test_the_list_logs_each_employee_shown_once(world: World, client_for: ClientFor) -> None:
    register(world)
    register(world)
    register(world, employees=[])
    client_for(Role.COMPLAINT_HANDLER).get(reverse("complaints:complaint_list"))
    entries = AccessLogEntry.objects.filter(action=AccessAction.SEARCH)
    assert [e.employee_id for e in entries] == [world.subject.pk]


def test_the_list_filters_by_reference_and_answers_htmx_with_the_fragment(
    world: World, client_for: ClientFor
) -> None:
    wanted = register(world)
    register(world)
    response = client_for(Role.COMPLAINT_HANDLER).get(
        reverse("complaints:complaint_list"),
        {"q": wanted.reference},
        headers={"HX-Request": "true"},
    )
    assert list(response.context["object_list"]) == [wanted]
    assert response.content.decode().lstrip().startswith('<div id="results">')


def test_the_detail_logs_one_view_per_employee(world: World, client_for: ClientFor) -> None:
    other = EmployeeFactory(unit=world.units["AM"], team=world.units["AM-D1-T1"])
    complaint = register(world, employees=[world.subject, other])
    response = client_for(Role.COMPLAINT_HANDLER).get(
        reverse("complaints:complaint_detail", args=[complaint.pk])
    )
    assert response.status_code == 200
    logged = set(
        AccessLogEntry.objects.filter(action=AccessAction.VIEW).values_list(
            "employee_id", flat=True
        )
    )
    assert logged == {world.subject.pk, other.pk}


def test_a_complaint_outside_the_scope_is_404(world: World, client_for: ClientFor) -> None:
    complaint = complaint_in_den_haag(world)
    response = client_for(Role.COMPLAINT_HANDLER).get(
        reverse("complaints:complaint_detail", args=[complaint.pk])
    )
    assert response.status_code == 404


def test_the_contact_is_revealed_to_the_handler_and_logged(
    world: World, client_for: ClientFor
) -> None:
    complaint = assigned(world)
    client = client_for(Role.COMPLAINT_HANDLER)
    detail = client.get(
        reverse("complaints:complaint_detail", args=[complaint.pk])
    ).content.decode()
    assert "Jan Klager" not in detail  # shown only on request
    response = client.get(
        reverse("complaints:complaint_contact", args=[complaint.pk]), headers={"HX-Request": "true"}
    )
    assert "Jan Klager" in response.content.decode()
    assert "<html" not in response.content.decode()
    entry = AccessLogEntry.objects.get(action=AccessAction.REVEAL)
    assert entry.object_type == "complaints.complainantcontact"


def test_another_handler_may_see_the_complaint_but_not_the_contact(world: World) -> None:
    second = UserFactory(username="klachten2")
    core_services.assign_role(
        user=second,
        role=Role.COMPLAINT_HANDLER,
        unit=world.units["AM"],
        acting_user=None,
        reason="t",
    )
    complaint = decided(world)
    client = english_client(second)
    assert (
        client.get(reverse("complaints:complaint_detail", args=[complaint.pk])).status_code == 200
    )
    assert (
        client.get(reverse("complaints:complaint_contact", args=[complaint.pk])).status_code == 403
    )
    assert (
        client.get(reverse("complaints:complaint_letter", args=[complaint.pk])).status_code == 403
    )


def test_the_decision_letter_is_a_logged_pdf(world: World, client_for: ClientFor) -> None:
    complaint = decided(world)
    response = client_for(Role.COMPLAINT_HANDLER).get(
        reverse("complaints:complaint_letter", args=[complaint.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    entry = AccessLogEntry.objects.get(action=AccessAction.PRINT)
    assert entry.employee_id == world.subject.pk


def test_the_decision_letter_names_the_ombudsman_and_the_term(world: World) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    from complaints import rules

    complaint = decided(world)
    context = {
        "complaint": complaint,
        "contact": complaint.contact,
        "decision": complaint.decision,
        "handler": handler(world),
        "rules": rules,
        "eenheid": world.units["AM"],
        "ombudsman_deadline": rules.ombudsman_deadline(complaint.decision.decided_on),
    }
    with translation.override("nl"):
        html = render_to_string("complaints/pdf/decision_letter.html", context)
        pages = count_pages(template_name="complaints/pdf/decision_letter.html", context=context)
    assert "Nationale ombudsman" in html
    assert "binnen een jaar" in html
    assert "gedeeltelijk gegrond" in html
    assert world.subject.last_name not in html  # the complainant is not told the officer's name
    assert 1 <= pages <= 3


def test_no_letter_before_the_decision(world: World, client_for: ClientFor) -> None:
    complaint = assigned(world)
    response = client_for(Role.COMPLAINT_HANDLER).get(
        reverse("complaints:complaint_letter", args=[complaint.pk])
    )
    assert response.status_code == 404


def test_the_not_taken_up_letter(world: World, client_for: ClientFor) -> None:
    from complaints import services

    complaint = assigned(world, received_on=days_ago(5), conduct_on=days_ago(500))
    services.not_taken_up(complaint=complaint, reason="Te oud.", acting_user=handler(world))
    response = client_for(Role.COMPLAINT_HANDLER).get(
        reverse("complaints:complaint_letter", args=[complaint.pk])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_registration_through_the_page(world: World, client_for: ClientFor) -> None:
    client = client_for(Role.COMPLAINT_HANDLER)
    data = {
        "unit": world.units["AM-D1-T1"].pk,
        "received_on": days_ago(2).isoformat(),
        "conduct_on": days_ago(4).isoformat(),
        "channel": "web_form",
        "summary": "Agent weigerde dienstnummer te geven.",
        "themes": [theme("identificatie").pk],
        "personnel_numbers": f"{world.subject.personnel_number}, 999999",
        "name": "Piet Klager",
    }
    response = client.post(reverse("complaints:complaint_create"), data)
    errors = response.context["form"].errors
    assert "999999" in str(errors["personnel_numbers"])
    assert "at least one way to reach" in str(errors["__all__"])
    response = client.post(
        reverse("complaints:complaint_create"),
        {**data, "personnel_numbers": world.subject.personnel_number, "email": "piet@voorbeeld.nl"},
    )
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("complaints:complaint_detail", args=[complaint.pk])
    assert list(complaint.complained_employees.values_list("employee_id", flat=True)) == [
        world.subject.pk
    ]


def test_the_unit_choices_are_the_handler_s_units(world: World, client_for: ClientFor) -> None:
    response = client_for(Role.COMPLAINT_HANDLER).get(reverse("complaints:complaint_create"))
    codes = {unit.code for unit in response.context["form"].fields["unit"].queryset}
    assert codes == {"AM", "AM-D1", "AM-D1-T1", "AM-D1-T2", "AM-VIK"}


def test_steps_through_the_pages_and_a_refusal_shows_the_reason(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(Role.COMPLAINT_HANDLER)
    complaint = register(world)
    step = lambda name: reverse("complaints:complaint_action", args=[complaint.pk, name])  # noqa: E731
    response = client.post(step("assign"), {"assign-handler": handler(world).pk})
    assert response.status_code == 422  # the confirmation is required
    response = client.post(
        step("assign"), {"assign-handler": handler(world).pk, "assign-not_involved": "on"}
    )
    assert response.status_code == 302
    assert client.post(step("start_formal"), {}).status_code == 302
    response = client.post(
        step("decide"), {"decide-outcome": "founded", "decide-reasoning": "x" * 40}
    )
    assert response.status_code == 422
    assert "offer a hearing to" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.phase == Complaint.Phase.FORMAL


def test_steps_are_offered_to_the_handler_only(world: World, client_for: ClientFor) -> None:
    second = UserFactory(username="klachten2")
    core_services.assign_role(
        user=second,
        role=Role.COMPLAINT_HANDLER,
        unit=world.units["AM"],
        acting_user=None,
        reason="t",
    )
    complaint = assigned(world)
    client = english_client(second)
    response = client.get(reverse("complaints:complaint_detail", args=[complaint.pk]))
    names = {s["name"] for s in response.context["primary_steps"] + response.context["other_steps"]}
    assert names == {"assign"}  # another handler may only reassign
    response = client.post(
        reverse("complaints:complaint_action", args=[complaint.pk, "start_formal"]), {}
    )
    assert response.status_code == 403


def test_the_pages_are_dutch_by_default(world: World) -> None:
    register(world)
    client = Client()
    client.force_login(handler(world))
    page = client.get(reverse("complaints:deadline_overview")).content.decode()
    assert "Termijnen klachten" in page
    assert "10 weken" in page


def test_the_history_reads_as_labels_and_names(world: World, client_for: ClientFor) -> None:
    from complaints import services

    complaint = assigned(world)
    services.start_formal(complaint=complaint, acting_user=handler(world))
    response = client_for(Role.COMPLAINT_HANDLER).get(
        reverse("complaints:complaint_history", args=[complaint.pk])
    )
    changes = [change for _record, rows in response.context["records"] for change in rows]
    assert ("phase", "Intake", "Formal handling") in changes
    assert ("themes", None, "Bejegening") in changes
    assert not any("Deleted" in str(value) for change in changes for value in change)
    # One access-log entry per employee the complaint is about, marked as a history look.
    assert AccessLogEntry.objects.filter(purpose="history", employee=world.subject).exists()
