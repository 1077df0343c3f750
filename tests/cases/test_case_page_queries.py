"""The case page's queries do not grow with the people, notices and interviews on the case.

The case is built with the real services: a reporter, an investigation under way with an
interview held and its report sent, a request for documents, the reporter told that the
report was taken up; then four more witnesses and a second interview held. It is read by the
head of VIK, by an investigator, and by a deputy commissioner (when the head is excluded
from the case). The access log still gets one entry per person shown, exactly as before; a
user who may not see the case still gets 404.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.models import Case, CaseParty, InterviewStatus, ReporterNotice
from tests.cases.builders import Flow
from tests.factories import EmployeeFactory, UserFactory
from vik import services as core
from vik.models import AccessAction, AccessLogEntry
from vik.roles import Role

pytestmark = pytest.mark.django_db

# Per reader of the case page: session, user, roles, the case (with who triaged it, its
# investigation and hearing, and the reader's part in it — commissioner, deputy,
# investigator — in one query), the reporter, the notices, the parties (once, for the table,
# the checklist and the log), the protocol's checklist, one INSERT for the access log, the
# menu and the page's other sections. A change is deliberate or a regression.
CASE_PAGE_QUERIES = {"head": 27, "investigator": 25, "deputy": 27}
# The reader's part in the case, as the page's context tells it (``as_<role>``).
_ROLES = ("commissioner", "deputy", "investigator")


def _add_witnesses(flow: Flow, case: Case, count: int, *, by: User | None = None) -> None:
    for _ in range(count):
        services.add_party(
            case=case,
            employee=EmployeeFactory(
                unit=flow.world.units["AM"], team=flow.world.units["AM-D1-T2"]
            ),
            role=CaseParty.Role.WITNESS,
            acting_user=by or flow.head,
        )


def _hold_another_interview(flow: Flow, case: Case) -> None:
    """A second interview held (with the one named again) and its report sent."""
    flow.sent_version()
    assert case.investigation.interviews.filter(status=InterviewStatus.HELD).count() == 2


def _busy_case(flow: Flow) -> Case:
    flow.reported(reporter_identity=services.ReporterDetails(name="Melder", contact="06-1"))
    flow.sent_version()  # an investigation, the notification, an interview held and reported
    case = flow.case
    assert case is not None
    services.request_documents(
        case=case,
        requested_from=flow.world.colleague,
        description="Loggegevens van de raadplegingen.",
        requested_on=flow.today,
        acting_user=flow.investigator,
    )
    services.record_reporter_notice(
        case=case, kind=ReporterNotice.Kind.TAKEN_UP, sent_on=flow.today, acting_user=flow.head
    )
    return case


def _page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_case_page_has_a_fixed_number_of_queries(
    flow: Flow, django_assert_num_queries: Any
) -> None:
    case = _busy_case(flow)
    assert case.parties.count() == 2  # the person concerned and the one named
    readers = {"head": flow.head, "investigator": flow.investigator}
    url = reverse("cases:case_detail", args=[case.pk])
    clients = {}
    for name, user in readers.items():
        clients[name] = Client()
        clients[name].force_login(user)
        clients[name].get(url)  # warm the per-process caches (content types)
    few = {name: _page_queries(client, url) for name, client in clients.items()}

    _add_witnesses(flow, case, 4)  # and four witnesses
    _hold_another_interview(flow, case)
    for name, client in clients.items():
        with django_assert_num_queries(CASE_PAGE_QUERIES[name]):
            response = client.get(url)
        assert len(response.context["parties"]) == case.parties.count() == 6
        roles = {role: response.context[f"as_{role}"] for role in _ROLES}
        assert roles == {
            "commissioner": name == "head",
            "deputy": False,
            "investigator": name == "investigator",
        }
    assert few == {name: CASE_PAGE_QUERIES[name] for name in readers}


def test_the_deputys_case_page_has_a_fixed_number_of_queries(
    flow: Flow, deputy: User, django_assert_num_queries: Any
) -> None:
    """The head of VIK is conflicted with the person concerned: the deputy commissioner
    appointed for the unit takes the case over, and sees the same page as the head did."""
    case = _busy_case(flow)
    core.declare_conflict(
        user=flow.head, employee=flow.world.subject, reason="zwager", acting_user=flow.head
    )
    url = reverse("cases:case_detail", args=[case.pk])
    client = Client()
    client.force_login(deputy)
    client.get(url)  # warm the per-process caches (content types)
    few = _page_queries(client, url)

    _add_witnesses(flow, case, 4, by=deputy)
    _hold_another_interview(flow, case)
    with django_assert_num_queries(CASE_PAGE_QUERIES["deputy"]):
        response = client.get(url)
    assert len(response.context["parties"]) == case.parties.count() == 6
    assert {role: response.context[f"as_{role}"] for role in _ROLES} == {
        "commissioner": True,
        "deputy": True,
        "investigator": False,
    }
    assert "plaatsvervangend opdrachtgever" in response.content.decode().lower()
    assert few == CASE_PAGE_QUERIES["deputy"]


def test_the_case_page_logs_every_person_shown(flow: Flow) -> None:
    case = _busy_case(flow)
    _add_witnesses(flow, case, 2)
    client = Client()
    client.force_login(flow.head)
    before = AccessLogEntry.objects.count()
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    entries = list(AccessLogEntry.objects.order_by("chain_seq")[before:])
    assert [e.employee_id for e in entries] == list(
        case.parties.values_list("employee_id", flat=True)
    )
    assert {
        (e.actor_id, e.actor_role, e.action, e.object_type, e.object_id, e.purpose) for e in entries
    } == {(flow.head.pk, Role.VIK_HEAD, AccessAction.VIEW, "cases.case", str(case.pk), "overview")}


def test_the_case_page_answers_404_to_who_may_not_see_it(flow: Flow) -> None:
    case = flow.issued()
    outsider = UserFactory(username="investigator-dh")
    EmployeeFactory(unit=flow.world.units["DH"], team=flow.world.units["DH-T1"], user=outsider)
    core.assign_role(
        user=outsider,
        role=Role.INVESTIGATOR,
        unit=flow.world.units["DH"],
        acting_user=None,
        reason="test",
    )
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404


def test_a_report_not_yet_triaged_has_a_page_without_an_investigation(flow: Flow) -> None:
    case = flow.reported()
    client = Client()
    client.force_login(flow.head)
    response = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    assert response.context["investigation"] is None
    assert "checklist" not in response.context
