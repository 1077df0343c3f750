"""The team chief's conversations in one place: after a signal, and after a case back to the
line — one list (a union of both visible-to selectors), one form to plan and invite, one to
record; the invitation refused while a matter about the employee is with VIK.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus, Channel, LineReferral, TriageDecision
from monitoring.models import FollowUp, Signal
from monitoring.selectors.conversations import (
    Conversation,
    Source,
    State,
    conversation_visible_to,
    conversations_visible_to,
)
from monitoring.services import escalate_to_team_chief
from monitoring.services.conversations import (
    draft_invitation,
    plan_conversation,
    record_any_conversation,
)
from tests.cases.builders import no_criteria
from tests.conftest import World
from tests.factories import EmployeeFactory, UserFactory
from tests.monitoring.review_factories import make_signal
from vik.models import AccessLogEntry, Notification
from vik.roles import Role

pytestmark = pytest.mark.django_db

INVITATION = "Beste collega, graag spreek ik u binnenkort. Zie hieronder wanneer en waar."


def _soon() -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)


def with_account(employee: Any) -> Any:
    """Give the employee a login account, so a message can reach them."""
    employee.user = UserFactory(username=f"emp-{employee.pk}")
    employee.save()
    return employee.user


def signal_conversation(world: World, employee: Any = None) -> FollowUp:
    return escalate_to_team_chief(
        signal=make_signal(employee or world.subject),
        summary="Drie raadplegingen buiten het rooster in de nacht.",
        acting_user=world.user(Role.ANALYST),
    )


def line_conversation(world: World, employee: Any = None) -> LineReferral:
    from cases.services import register_report, triage_report

    head = world.user(Role.VIK_HEAD)
    case = register_report(
        channel=Channel.INTERNAL,
        summary="Raadpleegde uit nieuwsgierigheid een registratie uit het nieuws.",
        concerned_employees=[employee or world.subject],
        acting_user=head,
    )
    triage_report(
        case=case,
        decision=TriageDecision.LINE,
        reasons="Geen concrete aanwijzingen voor plichtsverzuim; een gesprek volstaat.",
        line_instruction="Bespreek de regels voor het raadplegen van registraties.",
        criteria=no_criteria(),
        acting_user=head,
    )
    return case.line_referrals.get()


def as_conversation(obj: FollowUp | LineReferral) -> Conversation:
    return Conversation(Source.SIGNAL if isinstance(obj, FollowUp) else Source.LINE, obj)


def another_open_case(world: World) -> None:
    from cases.services import register_report

    register_report(
        channel=Channel.INTERNAL,
        summary="Vermoeden van lekken van informatie.",
        concerned_employees=[world.subject],
        acting_user=world.user(Role.VIK_HEAD),
    )


KINDS = ["signal", "line"]


def make(world: World, kind: str, employee: Any = None) -> FollowUp | LineReferral:
    return (signal_conversation if kind == "signal" else line_conversation)(world, employee)


# --- the services -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_planning_stores_the_moment_and_invites_the_employee(world: World, kind: str) -> None:
    employee_user = with_account(world.subject)
    obj = make(world, kind)
    Notification.objects.all().delete()
    chief = world.user(Role.TEAM_CHIEF)
    moment = _soon()
    plan_conversation(
        conversation=as_conversation(obj),
        planned_at=moment,
        place="Spreekkamer 2",
        invitation=INVITATION,
        acting_user=chief,
    )
    obj.refresh_from_db()
    assert obj.planned_at == moment
    assert obj.planned_place == "Spreekkamer 2"
    assert obj.planned_by == chief
    assert obj.invited_at is not None
    message = Notification.objects.get(recipient=employee_user)
    assert message.subject == "Uitnodiging voor een gesprek met uw teamchef"
    assert INVITATION in message.body
    assert "Spreekkamer 2" in message.body
    assert f"{timezone.localtime(moment):%H:%M}" in message.body
    assert obj.history.latest().history_user == chief


@pytest.mark.parametrize("kind", KINDS)
def test_the_invitation_is_refused_while_a_matter_is_with_vik(world: World, kind: str) -> None:
    employee_user = with_account(world.subject)
    obj = make(world, kind)
    another_open_case(world)  # e.g. a covert investigation about the same employee
    Notification.objects.all().delete()
    with pytest.raises(ValidationError) as refused:
        plan_conversation(
            conversation=as_conversation(obj),
            planned_at=_soon(),
            invitation=INVITATION,
            acting_user=world.user(Role.TEAM_CHIEF),
        )
    assert refused.value.code == "matter_with_vik"
    # The chief is told to contact VIK, never why.
    assert "zaak" not in " ".join(refused.value.messages).lower()
    obj.refresh_from_db()
    assert obj.planned_at is None
    assert not Notification.objects.filter(recipient=employee_user).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_deferred_disclosure_refuses_the_invitation_too(world: World, kind: str) -> None:
    from vik.transparency.models import DisclosureDeferral

    obj = make(world, kind)
    DisclosureDeferral.objects.create(
        employee=world.subject,
        category="monitoring.signals",
        reason="Heimelijk onderzoek.",
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError) as refused:
        plan_conversation(
            conversation=as_conversation(obj),
            planned_at=_soon(),
            invitation=INVITATION,
            acting_user=world.user(Role.TEAM_CHIEF),
        )
    assert refused.value.code == "matter_with_vik"


def test_the_case_sent_back_to_the_line_is_no_matter_that_blocks_its_own_conversation(
    world: World,
) -> None:
    referral = line_conversation(world)
    referral.case.refresh_from_db()
    assert referral.case.status == CaseStatus.WITH_LINE  # an open case, about this employee
    plan_conversation(
        conversation=as_conversation(referral),
        planned_at=_soon(),
        invitation=INVITATION,
        acting_user=world.user(Role.TEAM_CHIEF),
    )
    referral.refresh_from_db()
    assert referral.planned_at is not None


def test_planning_refuses_the_past_a_short_text_and_a_held_conversation(world: World) -> None:
    followup = signal_conversation(world)
    chief = world.user(Role.TEAM_CHIEF)
    conversation = as_conversation(followup)
    with pytest.raises(ValidationError) as past:
        plan_conversation(
            conversation=conversation,
            planned_at=timezone.now() - datetime.timedelta(hours=1),
            invitation=INVITATION,
            acting_user=chief,
        )
    assert past.value.code == "past"
    with pytest.raises(ValidationError) as short:
        plan_conversation(
            conversation=conversation, planned_at=_soon(), invitation="Kom.", acting_user=chief
        )
    assert short.value.code == "invitation"
    record_any_conversation(
        conversation=conversation,
        held_on=timezone.localdate(),
        present="Medewerker en teamchef",
        account="Dienst geruild, niet in het rooster verwerkt.",
        outcome=FollowUp.Outcome.EXPLAINED,
        acting_user=chief,
    )
    with pytest.raises(ValidationError) as held:
        plan_conversation(
            conversation=conversation, planned_at=_soon(), invitation=INVITATION, acting_user=chief
        )
    assert held.value.code == "recorded"


def test_an_employee_without_an_account_is_invited_in_person(world: World) -> None:
    followup = signal_conversation(world)
    plan_conversation(
        conversation=as_conversation(followup),
        planned_at=_soon(),
        invitation=INVITATION,
        acting_user=world.user(Role.TEAM_CHIEF),
    )
    followup.refresh_from_db()
    assert followup.planned_at is not None
    assert followup.invited_at is None


def test_another_team_chief_may_not_plan(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    followup = signal_conversation(world)
    with pytest.raises(PermissionDenied):
        plan_conversation(
            conversation=as_conversation(followup),
            planned_at=_soon(),
            invitation=INVITATION,
            acting_user=world.user(Role.ANALYST),
        )


def test_recording_goes_through_each_kinds_own_service(world: World) -> None:
    chief = world.user(Role.TEAM_CHIEF)
    followup = signal_conversation(world)
    referral = line_conversation(world)
    record_any_conversation(
        conversation=as_conversation(followup),
        held_on=timezone.localdate(),
        present="Medewerker en teamchef",
        account="Dienst geruild, niet in het rooster verwerkt.",
        outcome=FollowUp.Outcome.EXPLAINED,
        acting_user=chief,
    )
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.RECORDED
    assert followup.signal.status == Signal.Status.CLOSED
    record_any_conversation(
        conversation=as_conversation(referral),
        held_on=timezone.localdate(),
        account="De regels besproken.",
        agreements="Alleen raadplegen voor het werk.",
        acting_user=chief,
    )
    referral.refresh_from_db()
    assert referral.conversation_held_on == timezone.localdate()
    assert referral.case.status == CaseStatus.CLOSED


def test_the_draft_invitation_is_neutral(world: World) -> None:
    followup = signal_conversation(world)
    text = draft_invitation(as_conversation(followup), chief=world.user(Role.TEAM_CHIEF))
    assert text.startswith(f"Beste {world.subject.first_name},")
    for word in ("signaal", "systemen", "raadpleg", "onderzoek"):
        assert word not in text.lower()


# --- the selector ---------------------------------------------------------------------------


def test_one_list_holds_both_kinds_and_only_the_chiefs_teams(world: World) -> None:
    chief = world.user(Role.TEAM_CHIEF)
    followup = signal_conversation(world)
    referral = line_conversation(world)
    line_conversation(world, world.colleague)  # another team: not this chief's
    rows = list(conversations_visible_to(user=chief))
    assert {(r["source"], r["id"]) for r in rows} == {
        ("signal", followup.pk),
        ("line", referral.pk),
    }
    assert {r["state"] for r in rows} == {State.TO_PLAN}
    assert all(r["full_name"] == world.subject.full_name for r in rows)
    # Anyone else sees none of them.
    for role in (Role.ANALYST, Role.VIK_HEAD, Role.INVESTIGATOR, Role.EMPLOYEE):
        assert list(conversations_visible_to(user=world.user(role))) == []


def test_nobody_sees_a_conversation_about_themself(world: World) -> None:
    chief = world.user(Role.TEAM_CHIEF)
    chief_employee = world.employee_of(Role.TEAM_CHIEF)
    about_chief = FollowUp.objects.create(
        signal=make_signal(chief_employee),
        employee=chief_employee,
        team=world.units["AM-D1-T1"],
        requested_by=world.user(Role.ANALYST),
        summary="Over de teamchef zelf.",
        due_on=timezone.localdate(),
    )
    referral = LineReferral.objects.create(
        case=line_conversation(world).case, employee=chief_employee, instruction="Bespreek het."
    )
    ids = {(r["source"], r["id"]) for r in conversations_visible_to(user=chief)}
    assert ("signal", about_chief.pk) not in ids
    assert ("line", referral.pk) not in ids
    with pytest.raises(FollowUp.DoesNotExist):
        conversation_visible_to(user=chief, source="signal", pk=about_chief.pk)
    with pytest.raises(LineReferral.DoesNotExist):
        conversation_visible_to(user=chief, source="line", pk=referral.pk)


def test_the_list_is_searched_filtered_and_sorted(world: World) -> None:
    chief = world.user(Role.TEAM_CHIEF)
    other = EmployeeFactory(unit=world.units["AM"], team=world.units["AM-D1-T1"], last_name="Zwart")
    followup = signal_conversation(world)
    referral = line_conversation(world, other)
    plan_conversation(
        conversation=as_conversation(referral),
        planned_at=_soon(),
        invitation=INVITATION,
        acting_user=chief,
    )

    def ids(**kwargs: Any) -> list[tuple[str, int]]:
        return [(r["source"], r["id"]) for r in conversations_visible_to(user=chief, **kwargs)]

    assert ids(search="zwart") == [("line", referral.pk)]
    assert ids(search=other.personnel_number) == [("line", referral.pk)]
    assert ids(state=State.PLANNED) == [("line", referral.pk)]
    assert ids(state=State.TO_PLAN) == [("signal", followup.pk)]
    assert ids(source="signal") == [("signal", followup.pk)]
    # The work to do first: to plan, then planned.
    assert ids() == [("signal", followup.pk), ("line", referral.pk)]
    assert ids(sort="-status") == [("line", referral.pk), ("signal", followup.pk)]
    assert ids(sort="employee") == [("signal", followup.pk), ("line", referral.pk)]
    assert ids(sort="-employee") == [("line", referral.pk), ("signal", followup.pk)]
    for key in ("source", "planned", "-due", "since", "nonsense"):
        assert len(ids(sort=key)) == 2


# --- the pages ------------------------------------------------------------------------------


def test_the_list_page_shows_both_kinds_and_logs_each(world: World, client_for) -> None:
    followup = signal_conversation(world)
    referral = line_conversation(world)
    client = client_for(Role.TEAM_CHIEF)
    response = client.get(reverse("monitoring:conversation_list"))
    page = response.content.decode()
    assert reverse("monitoring:followup_detail", args=[followup.pk]) in page
    assert reverse("monitoring:referral_detail", args=[referral.pk]) in page
    assert "Na een signaal" in page
    assert "Zaak terug naar de lijn" in page
    logged = set(
        AccessLogEntry.objects.filter(action="search").values_list("object_type", flat=True)
    )
    assert logged >= {"monitoring.followup", "cases.linereferral"}
    sorted_page = client.get(
        reverse("monitoring:conversation_list"), {"q": "Subject", "sort": "employee"}
    ).content.decode()
    assert 'aria-sort="ascending"' in sorted_page
    assert 'href="?q=Subject&amp;sort=-employee"' in sorted_page


@pytest.mark.parametrize("kind", KINDS)
def test_plan_then_record_through_the_one_page(world: World, client_for, kind: str) -> None:
    employee_user = with_account(world.subject)
    obj = make(world, kind)
    prefix = "followup" if kind == "signal" else "referral"
    client = client_for(Role.TEAM_CHIEF)
    detail = reverse(f"monitoring:{prefix}_detail", args=[obj.pk])
    page = client.get(detail).content.decode()
    assert f"Beste {world.subject.first_name}," in page  # the draft invitation
    moment = _soon()
    response = client.post(
        reverse(f"monitoring:{prefix}_plan", args=[obj.pk]),
        {
            "planned_at": timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M"),
            "place": "Spreekkamer 2",
            "invitation": INVITATION,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail
    obj.refresh_from_db()
    assert obj.planned_at == moment
    assert Notification.objects.filter(recipient=employee_user, body__contains=INVITATION).exists()
    page = client.get(detail).content.decode()
    assert "Spreekkamer 2" in page
    calendar = client.get(reverse(f"monitoring:{prefix}_calendar", args=[obj.pk]))
    assert calendar["Content-Type"].startswith("text/calendar")
    assert world.subject.last_name.encode() not in calendar.content
    data = {"held_on": timezone.localdate().isoformat(), "account": "Goed gesprek gevoerd."}
    if kind == "signal":
        data |= {"present": "Medewerker en teamchef", "outcome": "explained"}
    response = client.post(reverse(f"monitoring:{prefix}_record", args=[obj.pk]), data)
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "Uw verslag" in page
    assert "Goed gesprek gevoerd." in page


def test_the_page_shows_the_refusal_while_a_matter_is_with_vik(world: World, client_for) -> None:
    referral = line_conversation(world)
    another_open_case(world)
    client = client_for(Role.TEAM_CHIEF)
    response = client.post(
        reverse("monitoring:referral_plan", args=[referral.pk]),
        {
            "planned_at": timezone.localtime(_soon()).strftime("%Y-%m-%dT%H:%M"),
            "invitation": INVITATION,
        },
    )
    assert response.status_code == 200
    assert "neem eerst contact op met VIK" in response.content.decode()


def test_old_addresses_lead_to_the_one_place(world: World, client_for) -> None:
    followup = signal_conversation(world)
    referral = line_conversation(world)
    client = client_for(Role.TEAM_CHIEF)
    assert client.get(reverse("cases:referral_list"))["Location"].startswith(
        reverse("monitoring:conversation_list")
    )
    assert client.get(reverse("cases:referral_detail", args=[referral.pk]))["Location"] == reverse(
        "monitoring:referral_detail", args=[referral.pk]
    )
    assert client.get(reverse("monitoring:followup_old", args=[followup.pk]))[
        "Location"
    ] == reverse("monitoring:followup_detail", args=[followup.pk])


def test_the_menu_has_one_entry_for_both(world: World) -> None:
    from vik.navigation import entries_for

    urls = [entry.url_name for entry in entries_for(world.user(Role.TEAM_CHIEF))]
    assert "monitoring:conversation_list" in urls
    assert "cases:referral_list" not in urls


def _more(world: World, number: int) -> None:
    for _ in range(number):
        person = EmployeeFactory(unit=world.units["AM"], team=world.units["AM-D1-T1"])
        signal_conversation(world, person)
        line_conversation(world, person)


def test_the_list_costs_the_same_queries_for_few_or_many(
    world: World, client_for, django_assert_num_queries
) -> None:
    client = client_for(Role.TEAM_CHIEF)
    url = reverse("monitoring:conversation_list")
    query = {"q": "a", "sort": "-planned"}
    _more(world, 1)
    client.get(url, query)  # warm-up: per-process caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _more(world, 5)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["object_list"]) == 12
