"""The review pages: who sees what, what is logged, and what a page costs in queries.

Personas from the ``world`` fixture: the analyst monitors AM; the team chief leads
AM-D1-T1 (the subject's team); the outsider works in Den Haag.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from monitoring import services
from monitoring.models import FollowUp, IdentityReveal, MonitoringParameter, Signal
from tests.conftest import World
from tests.factories import UserFactory
from tests.monitoring.review_factories import make_signal
from vik import services as core
from vik.models import AccessAction, AccessLogEntry
from vik.roles import Role

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Role], Client]


def ids_in(response) -> str:
    return response.content.decode()


# --- the queue --------------------------------------------------------------------------


def test_the_queue_shows_only_monitored_units_never_self_or_conflicts(
    world: World, client_for: ClientFor
) -> None:
    analyst = world.user(Role.ANALYST)
    shown = make_signal(world.subject, score=30)
    colleague = make_signal(world.colleague, score=25)
    outsider = make_signal(world.outsider, score=99)
    themself = make_signal(world.employee_of(Role.ANALYST), score=98)
    core.declare_conflict(
        user=analyst, employee=world.colleague, reason="buren", acting_user=analyst
    )
    page = ids_in(client_for(Role.ANALYST).get(reverse("monitoring:signal_list")))
    assert shown.pseudonym in page
    assert colleague.pseudonym not in page
    assert outsider.pseudonym not in page
    assert themself.pseudonym not in page
    # Pseudonymised: the name is not on the page.
    assert world.subject.last_name not in page


def test_the_queue_is_ordered_by_score_and_filters(world: World, client_for: ClientFor) -> None:
    low = make_signal(world.subject, score=12)
    high = make_signal(world.colleague, score=40, codes=("neighbour",))
    client = client_for(Role.ANALYST)
    page = ids_in(client.get(reverse("monitoring:signal_list")))
    assert page.index(high.pseudonym) < page.index(low.pseudonym)
    page = ids_in(client.get(reverse("monitoring:signal_list"), {"indicator": "neighbour"}))
    assert high.pseudonym in page
    assert low.pseudonym not in page
    page = ids_in(client.get(reverse("monitoring:signal_list"), {"min_score": "20"}))
    assert high.pseudonym in page
    assert low.pseudonym not in page
    page = ids_in(
        client.get(reverse("monitoring:signal_list"), {"unit": world.units["AM-D1-T1"].pk})
    )
    assert low.pseudonym in page
    assert high.pseudonym not in page
    # Decided signals leave the default queue, and come back with status=all.
    services.dismiss_signal(
        signal=low,
        category="other",
        note="Uitgezocht en verklaard.",
        acting_user=world.user(Role.ANALYST),
    )
    assert low.pseudonym not in ids_in(client.get(reverse("monitoring:signal_list")))
    assert low.pseudonym in ids_in(client.get(reverse("monitoring:signal_list"), {"status": "all"}))


def test_the_unit_filter_offers_only_monitored_units(world: World, client_for: ClientFor) -> None:
    response = client_for(Role.ANALYST).get(reverse("monitoring:signal_list"))
    choices = {unit.pk for unit in response.context["filter"].form.fields["unit"].queryset}
    assert world.units["AM-D1-T1"].pk in choices
    assert world.units["DH"].pk not in choices


def test_the_queue_logs_a_search_for_every_employee_shown(
    world: World, client_for: ClientFor
) -> None:
    make_signal(world.subject)
    make_signal(world.colleague)
    client_for(Role.ANALYST).get(reverse("monitoring:signal_list"))
    logged = set(
        AccessLogEntry.objects.filter(
            action=AccessAction.SEARCH, object_type="monitoring.signal"
        ).values_list("employee_id", flat=True)
    )
    assert logged == {world.subject.pk, world.colleague.pk}


def test_the_queue_costs_the_same_queries_whatever_its_size(
    world: World, client_for: ClientFor, django_assert_num_queries
) -> None:
    client = client_for(Role.ANALYST)
    url = reverse("monitoring:signal_list")
    make_signal(world.subject, codes=("off_duty", "neighbour"))
    client.get(url)  # warm the per-process caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(30):
        make_signal(
            world.colleague if index % 2 else world.subject,
            window_start=datetime.date(2026, 1, 5) + datetime.timedelta(days=14 * index),
            codes=("off_duty", "neighbour", "relative"),
            evidence=False,
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["signals"]) == 25


def test_the_bursts_page_costs_the_same_queries_whatever_the_bursts(
    world: World, client_for: ClientFor, django_assert_num_queries
) -> None:
    client = client_for(Role.ANALYST)
    url = reverse("monitoring:burst_list")
    make_signal(world.subject, codes=("celebrity_burst",), group_key="burst:s:A-1:2026-10-20")
    client.get(url)  # warm the per-process caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(24):
        make_signal(
            world.colleague if index % 2 else world.subject,
            window_start=datetime.date(2026, 1, 5) + datetime.timedelta(days=14 * index),
            codes=("celebrity_burst",),
            group_key=f"burst:s:B-{index % 12}:2026-10-21",
            evidence=False,
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["groups"]) == 10


def test_a_burst_links_to_all_its_signals_in_the_queue(world: World, client_for: ClientFor) -> None:
    key = "burst:s:C-1:2026-10-21"
    signals = [
        make_signal(
            world.subject,
            window_start=datetime.date(2026, 1, 5) + datetime.timedelta(days=14 * index),
            codes=("celebrity_burst",),
            group_key=key,
            evidence=False,
        )
        for index in range(12)
    ]
    other = make_signal(world.colleague, codes=("off_duty",))
    client = client_for(Role.ANALYST)
    page = client.get(reverse("monitoring:burst_list")).content.decode()
    assert "2 more signals of this burst" in page or "Nog 2 signalen van deze golf" in page
    queue = client.get(reverse("monitoring:signal_list"), {"status": "all", "burst": key})
    assert {s.pk for s in queue.context["signals"]} == {s.pk for s in signals}
    assert other.pk not in {s.pk for s in queue.context["signals"]}


def test_the_htmx_filter_returns_only_the_results(world: World, client_for: ClientFor) -> None:
    make_signal(world.subject)
    response = client_for(Role.ANALYST).get(
        reverse("monitoring:signal_list"), HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert 'id="results"' in content
    assert "<html" not in content


def test_the_queue_filter_lives_in_the_url(world: World, client_for: ClientFor) -> None:
    make_signal(world.subject, codes=("off_duty",))
    client = client_for(Role.ANALYST)
    url = reverse("monitoring:signal_list")
    query = {"status": "all", "indicator": "off_duty"}
    response = client.get(url, query)
    page = response.content.decode()
    # The browser must never take a cached fragment for the page (the back button).
    assert "HX-Request" in response["Vary"]
    # A GET form that works without htmx too, and pushes its query string to the address bar.
    assert f'action="{url}"' in page
    assert 'hx-push-url="true"' in page
    # Back: htmx asks the server for the page at that address (its history cache is off); it
    # must get the whole page with the filter filled in, not the results fragment alone.
    restored = client.get(
        url, query, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    ).content.decode()
    assert "<html" in restored
    assert '<option value="off_duty" selected>' in restored
    assert '<option value="all" selected>' in restored


# --- the signal page --------------------------------------------------------------------


def test_the_signal_page_is_pseudonymised_and_logged(world: World, client_for: ClientFor) -> None:
    signal = make_signal(world.subject, codes=("off_duty", "neighbour"))
    response = client_for(Role.ANALYST).get(reverse("monitoring:signal_detail", args=[signal.pk]))
    content = response.content.decode()
    assert signal.pseudonym in content
    assert world.subject.last_name not in content
    assert "<svg" in content  # timeline and volume chart
    entry = AccessLogEntry.objects.get(action=AccessAction.VIEW, object_type="monitoring.signal")
    assert entry.employee_id == world.subject.pk
    assert entry.object_id == str(signal.pk)


def test_revealing_through_the_page_shows_the_name_and_logs_it(
    world: World, client_for: ClientFor
) -> None:
    signal = make_signal(world.subject)
    client = client_for(Role.ANALYST)
    page = client.get(reverse("monitoring:signal_detail", args=[signal.pk])).content.decode()
    # The kinds of reason the analyst may choose, as radio buttons under a legend.
    assert "<legend" in page
    assert "Soort reden" in page
    assert 'value="work_reason"' in page
    assert "Werkreden nagaan bij de lijn (rooster of inzet onduidelijk)" in page
    assert 'value="escalation"' not in page  # recorded by the escalation, never chosen
    response = client.post(
        reverse("monitoring:signal_reveal", args=[signal.pk]),
        {
            "reason_category": "work_reason",
            "reason": "Nodig om het rooster na te vragen bij de teamchef.",
        },
    )
    assert response.status_code == 302
    content = client.get(reverse("monitoring:signal_detail", args=[signal.pk])).content.decode()
    assert world.subject.last_name in content
    [entry] = AccessLogEntry.objects.filter(
        action=AccessAction.REVEAL, employee_id=world.subject.pk
    )
    assert entry.purpose == (
        "Werkreden nagaan bij de lijn (rooster of inzet onduidelijk): "
        "Nodig om het rooster na te vragen bij de teamchef."
    )
    assert IdentityReveal.objects.get(signal=signal).reason_category == "work_reason"


@pytest.mark.parametrize("kind", ["", "escalation"])
def test_a_reveal_without_a_kind_of_reason_the_analyst_may_choose_is_refused(
    world: World, client_for: ClientFor, kind: str
) -> None:
    signal = make_signal(world.subject)
    response = client_for(Role.ANALYST).post(
        reverse("monitoring:signal_reveal", args=[signal.pk]),
        {"reason_category": kind, "reason": "Nodig om het rooster na te vragen bij de teamchef."},
    )
    assert response.status_code == 200  # the form again, with the error
    assert response.context["form"].errors["reason_category"]
    assert world.subject.last_name not in response.content.decode()
    assert not IdentityReveal.objects.exists()
    assert not AccessLogEntry.objects.filter(action=AccessAction.REVEAL).exists()


def test_the_second_analyst_sees_the_kind_of_reason(world: World, client_for: ClientFor) -> None:
    MonitoringParameter.objects.filter(key="review.four_eyes_reveal").update(value=1)
    requester = UserFactory(username="analyst2")
    core.assign_role(
        user=requester, role=Role.ANALYST, unit=world.units["AM"], acting_user=None, reason="t"
    )
    signal = make_signal(world.subject)
    services.request_reveal(
        signal=signal,
        reason_category=IdentityReveal.ReasonCategory.DATA_ERROR,
        reason="Mogelijk is het verkeerde account gekoppeld.",
        acting_user=requester,
    )
    page = client_for(Role.ANALYST).get(reverse("monitoring:reveal_list")).content.decode()
    assert "Vermoedelijke datafout controleren (verkeerde persoon of account)" in page
    assert "Mogelijk is het verkeerde account gekoppeld." in page


def test_signals_outside_scope_answer_404(world: World, client_for: ClientFor) -> None:
    outsider = make_signal(world.outsider)
    themself = make_signal(world.employee_of(Role.ANALYST))
    client = client_for(Role.ANALYST)
    for signal in (outsider, themself):
        for name in ("signal_detail", "signal_dismiss", "signal_escalate", "signal_refer"):
            assert client.get(reverse(f"monitoring:{name}", args=[signal.pk])).status_code == 404
        assert client.post(reverse("monitoring:signal_claim", args=[signal.pk])).status_code == 404


def test_dismissing_through_the_page_with_a_rule(world: World, client_for: ClientFor) -> None:
    signal = make_signal(world.subject)
    until = timezone.localdate() + datetime.timedelta(days=60)
    response = client_for(Role.ANALYST).post(
        reverse("monitoring:signal_dismiss", args=[signal.pk]),
        {
            "category": "work_reason",
            "note": "Werkte mee aan het incident, toewijzing ontbrak.",
            "rule": "assignment",
            "incident_ref": "INC-1",
            "valid_until": until.isoformat(),
        },
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == Signal.Status.DISMISSED


def test_a_rule_without_an_end_date_is_a_form_error(world: World, client_for: ClientFor) -> None:
    signal = make_signal(world.subject)
    response = client_for(Role.ANALYST).post(
        reverse("monitoring:signal_dismiss", args=[signal.pk]),
        {"category": "authorised", "note": "Geautoriseerd door de OvJ.", "rule": "subject"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    signal.refresh_from_db()
    assert signal.status == Signal.Status.NEW


def test_the_bursts_page_groups_and_bulk_dismisses(world: World, client_for: ClientFor) -> None:
    key = "burst:s:CELEB-9:2026-10-21"
    one = make_signal(world.subject, codes=("celebrity_burst",), group_key=key)
    two = make_signal(world.colleague, codes=("celebrity_burst",), group_key=key)
    hidden = make_signal(world.outsider, codes=("celebrity_burst",), group_key=key)
    client = client_for(Role.ANALYST)
    page = client.get(reverse("monitoring:burst_list")).content.decode()
    assert "CELEB-9" in page
    assert one.pseudonym in page
    assert two.pseudonym in page
    assert hidden.pseudonym not in page
    response = client.post(
        reverse("monitoring:burst_dismiss"),
        {"group_key": key, "category": "other", "note": "Nieuwsgierigheid, met team besproken."},
    )
    assert response.status_code == 302
    assert Signal.objects.filter(status=Signal.Status.DISMISSED).count() == 2
    hidden.refresh_from_db()
    assert hidden.status == Signal.Status.NEW


def test_feedback_shows_figures_only(world: World, client_for: ClientFor) -> None:
    signal = make_signal(world.subject)
    services.dismiss_signal(
        signal=signal,
        category="work_reason",
        note="Toewijzing ontbrak in de levering.",
        acting_user=world.user(Role.ANALYST),
    )
    for role in (Role.ANALYST, Role.ADMINISTRATOR):
        response = client_for(role).get(reverse("monitoring:feedback"))
        assert response.status_code == 200
        row = next(r for r in response.context["rows"] if r.code == "off_duty")
        assert row.dismissed["work_reason"] == 1
        assert signal.pseudonym not in response.content.decode()


# --- the team chief ---------------------------------------------------------------------


def escalate(world: World, employee) -> FollowUp:
    return services.escalate_to_team_chief(
        signal=make_signal(employee),
        summary="Drie raadplegingen buiten het rooster in de nacht.",
        acting_user=world.user(Role.ANALYST),
    )


def test_the_chief_sees_only_their_teams_followups(world: World, client_for: ClientFor) -> None:
    mine = escalate(world, world.subject)
    # A follow-up about someone in another team (made directly: no chief leads it).
    other_signal = make_signal(world.colleague)
    other = FollowUp.objects.create(
        signal=other_signal,
        employee=world.colleague,
        team=world.units["AM-D1-T2"],
        requested_by=world.user(Role.ANALYST),
        summary="Iets anders.",
        due_on=timezone.localdate(),
    )
    client = client_for(Role.TEAM_CHIEF)
    page = client.get(reverse("monitoring:conversation_list")).content.decode()
    assert world.subject.full_name in page
    assert world.colleague.full_name not in page
    assert client.get(reverse("monitoring:followup_detail", args=[other.pk])).status_code == 404
    response = client.get(reverse("monitoring:followup_detail", args=[mine.pk]))
    assert response.status_code == 200
    entry = AccessLogEntry.objects.filter(object_type="monitoring.followup").latest("id")
    assert entry.employee_id == world.subject.pk
    assert entry.action == AccessAction.VIEW


def test_the_chief_never_sees_a_followup_about_themself(
    world: World, client_for: ClientFor
) -> None:
    chief_employee = world.employee_of(Role.TEAM_CHIEF)
    signal = make_signal(chief_employee)
    about_chief = FollowUp.objects.create(
        signal=signal,
        employee=chief_employee,
        team=world.units["AM-D1-T1"],
        requested_by=world.user(Role.ANALYST),
        summary="Over de teamchef zelf.",
        due_on=timezone.localdate(),
    )
    client = client_for(Role.TEAM_CHIEF)
    assert (
        client.get(reverse("monitoring:followup_detail", args=[about_chief.pk])).status_code == 404
    )


def test_the_chief_records_the_conversation_through_the_page(
    world: World, client_for: ClientFor
) -> None:
    followup = escalate(world, world.subject)
    client = client_for(Role.TEAM_CHIEF)
    page = client.get(reverse("monitoring:followup_detail", args=[followup.pk])).content.decode()
    assert "Drie raadplegingen" in page
    # Not the analyst's workspace: no pseudonym, no evidence table.
    assert followup.signal.pseudonym not in page
    response = client.post(
        reverse("monitoring:followup_record", args=[followup.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "present": "Medewerker en teamchef",
            "account": "Nachtdienst was geruild, niet in het rooster verwerkt.",
            "outcome": "explained",
            "agreements": "",
        },
    )
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.RECORDED
    assert followup.signal.status == Signal.Status.CLOSED


def test_a_matter_with_vik_shows_a_neutral_marker_and_forwards_to_the_commissioner(
    world: World, client_for: ClientFor
) -> None:
    from cases.models import Channel, ForwardedSignal
    from cases.services import register_report

    case = register_report(
        channel=Channel.INTERNAL,
        summary="Vermoeden van lekken van informatie.",
        concerned_employees=[world.subject],
        acting_user=None,
    )
    signal = make_signal(world.subject)
    analyst = client_for(Role.ANALYST)
    page = analyst.get(reverse("monitoring:signal_detail", args=[signal.pk])).content.decode()
    assert "Er loopt bij VIK een zaak over deze medewerker" in page
    assert reverse("monitoring:signal_escalate", args=[signal.pk]) not in page
    assert reverse("monitoring:signal_forward", args=[signal.pk]) in page
    # Never a hint of which matter, or what kind.
    assert case.reference not in page
    assert "lekken" not in page
    response = analyst.post(
        reverse("monitoring:signal_forward", args=[signal.pk]),
        {
            "summary": "Raadplegingen buiten het rooster, drie dagen.",
            "cited": list(signal.evidence.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    forwarded = ForwardedSignal.objects.get(case=case)
    # The commissioner sees it on the case page and decides there.
    head = client_for(Role.VIK_HEAD)
    case_page = head.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Raadplegingen buiten het rooster" in case_page
    url = reverse("cases:forwarded_signal", args=[case.pk, forwarded.pk])
    decision_page = head.get(url).content.decode()
    assert f"Signaal {signal.pk}" in decision_page  # in words, not "monitoring.signal:12"
    assert "monitoring.signal:" not in decision_page
    assert head.post(url, {"decision": "attach", "note": ""}).status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.decision == ForwardedSignal.Decision.ATTACHED
    # The analyst cannot reach the commissioner's page.
    assert analyst.get(url).status_code in (403, 404)


def test_the_analyst_chooses_the_events_the_record_cites(world: World, client_for) -> None:
    """Issue 11: the evidence kept with a conversation record is what the analyst cites;
    the form preselects the events without a work reason, and refuses none."""
    signal = make_signal(world.subject)
    rows = list(signal.evidence.order_by("occurred_at", "event_id"))
    assert len(rows) >= 2
    analyst = client_for(Role.ANALYST)
    url = reverse("monitoring:signal_escalate", args=[signal.pk])
    page = analyst.get(url).content.decode()
    assert 'name="cited"' in page
    refused = analyst.post(url, {"summary": "Raadplegingen buiten het rooster, drie dagen."})
    assert refused.status_code == 200
    assert not signal.evidence.filter(cited_at__isnull=False).exists()
    response = analyst.post(
        url, {"summary": "Raadplegingen buiten het rooster, drie dagen.", "cited": [rows[0].pk]}
    )
    assert response.status_code == 302
    assert list(signal.evidence.filter(cited_at__isnull=False)) == [rows[0]]
