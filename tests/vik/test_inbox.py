"""The inbox ("Berichten"): what needs action, grouping, marking read, and the menu count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World
from vik import inbox, services
from vik.models import Notification
from vik.roles import Role

pytestmark = pytest.mark.django_db


def _message(user, url: str = "", subject: str = "Bericht") -> Notification:
    return services.notify(
        recipient=user, subject=subject, url=url, acting_user=None, send_email=False
    )


def _inbox(world: World) -> dict[str, Notification]:
    head = world.user(Role.VIK_HEAD)
    return {
        "case": _message(head, "/cases/12/", "Een zaak wacht op triage"),
        "case_again": _message(head, "/cases/12/journal/", "Nieuw in het journaal"),
        "signal": _message(head, "/monitoring/signals/5/", "Een signaal"),
        "my_data": _message(head, reverse("transparency:my_data"), "Nieuw in Mijn gegevens"),
        "no_link": _message(head, "", "Ter informatie"),
    }


def test_a_link_to_work_needs_action_a_link_to_own_data_informs(world: World) -> None:
    sent = _inbox(world)
    assert {key for key, n in sent.items() if inbox.needs_action(n)} == {
        "case",
        "case_again",
        "signal",
    }
    assert inbox.read_link("/cases/12/journal/").about == "cases.case:12"
    assert inbox.read_link("/monitoring/signals/5/").about == "monitoring.signal:5"
    assert inbox.read_link("https://elders.example/x") is None
    counts = inbox.counts_for(world.user(Role.VIK_HEAD))
    assert (counts.needs_action, counts.unread, counts.information) == (3, 5, 2)


def test_the_menu_counts_what_needs_action(world: World, client_for) -> None:
    _inbox(world)
    page = client_for(Role.VIK_HEAD).get(reverse("vik:home")).content.decode()
    assert (
        '<span class="badge text-bg-warning">3<span class="visually-hidden"> vragen om actie'
        in page
    )
    assert '<span class="badge text-bg-light">2<span class="visually-hidden"> ongelezen ter' in page


def test_the_filter_and_the_grouping_live_in_the_url(world: World, client_for) -> None:
    _inbox(world)
    client = client_for(Role.VIK_HEAD)
    page = client.get(reverse("vik:notification_list"), {"show": "action", "group": "about"})
    html = page.content.decode()
    assert "Nieuw in Mijn gegevens" not in html
    assert "Ter informatie" not in html
    # Both messages about case 12 under one heading; the signal under its own.
    assert html.count("Zaak 12") == 1
    assert "Signaal 5" in html
    assert [g["about"] for g in page.context["groups"]] == ["monitoring.signal:5", "cases.case:12"]
    assert 'href="?show=action"' in html  # "Als één lijst tonen" keeps the filter


def test_mark_one_read_without_leaving_the_inbox(world: World, client_for) -> None:
    sent = _inbox(world)
    client = client_for(Role.VIK_HEAD)
    response = client.post(
        reverse("vik:notification_mark_read"), {"pk": sent["signal"].pk, "show": "action"}
    )
    assert response["Location"] == f"{reverse('vik:notification_list')}?show=action"
    sent["signal"].refresh_from_db()
    assert sent["signal"].read_at is not None
    assert Notification.objects.filter(read_at__isnull=True).count() == 4


def test_mark_all_shown_read_takes_exactly_the_filter(world: World, client_for) -> None:
    sent = _inbox(world)
    client = client_for(Role.VIK_HEAD)
    client.post(reverse("vik:notification_mark_read"), {"show": "action"})
    unread = set(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True))
    assert unread == {sent["my_data"].pk, sent["no_link"].pk}  # information stays unread
    history = Notification.history.filter(history_change_reason="read (all at once)")
    assert history.count() == 3
    assert {h.history_user_id for h in history} == {world.user(Role.VIK_HEAD).pk}
    client.post(reverse("vik:notification_mark_read"), {"show": "all"})
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_marks_another_users_messages(world: World, client_for) -> None:
    sent = _inbox(world)
    client = client_for(Role.INVESTIGATOR)
    client.post(reverse("vik:notification_mark_read"), {"pk": sent["case"].pk})
    client.post(reverse("vik:notification_mark_read"), {"show": "all"})
    assert Notification.objects.filter(read_at__isnull=True).count() == 5


@pytest.mark.parametrize("query", [{}, {"show": "action", "group": "about"}])
def test_the_inbox_costs_the_same_queries_for_few_or_many(
    world: World, client_for, django_assert_num_queries, query: dict[str, str]
) -> None:
    client = client_for(Role.VIK_HEAD)
    _inbox(world)
    url = reverse("vik:notification_list")
    client.get(url, query)  # warm-up: per-process caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, query).status_code == 200
    for number in range(20):
        _message(world.user(Role.VIK_HEAD), f"/cases/{number + 100}/", f"Zaak {number}")
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url, query).status_code == 200
