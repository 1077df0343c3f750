"""The works council's pages: published figures only, suppressed, also as a table and CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.conftest import World
from tests.transparency.conftest import TODAY, at
from vik.models import AccessAction
from vik.roles import Role
from vik.transparency import services
from vik.transparency.registry import Quarter

pytestmark = pytest.mark.django_db

MEASURE = "vik.access_log_by_role"


@pytest.fixture
def published(world: World, log_entry) -> None:
    """Q2 and Q3 2026: many looks by investigators, three by the team chief, one reveal."""
    for quarter in (Quarter(2026, 2), Quarter(2026, 3)):
        for _ in range(12):
            log_entry(role=Role.INVESTIGATOR, employee=world.subject, when=at(quarter.start))
        for _ in range(3):
            log_entry(role=Role.TEAM_CHIEF, employee=world.subject, when=at(quarter.start))
    log_entry(
        role=Role.ANALYST,
        employee=world.colleague,
        when=at(Quarter(2026, 3).start),
        action=AccessAction.REVEAL,
        object_type="monitoring.signal",
        object_id="77",
    )
    services.publish_due(today=TODAY)


def _personal(world: World) -> list[str]:
    """The names and personnel numbers of those looked at, the user names of those who
    looked, and an object's number: never on an aggregate page."""
    people = [world.subject, world.colleague, world.outsider]
    actors = [Role.INVESTIGATOR, Role.TEAM_CHIEF, Role.ANALYST]
    return [
        *(e.last_name for e in people),
        *(e.personnel_number for e in people),
        *(world.user(role).get_username() for role in actors),
        "#77",
    ]


def _main(body: str) -> str:
    """The page's own content (the menu names the signed-in user)."""
    return body.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_dashboard_shows_every_measure(published: None, client_for, world: World) -> None:
    response = client_for(Role.COR_MEMBER).get(reverse("transparency:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body
    assert "<script" not in _main(body)
    assert 'style="' not in body  # the CSP allows no inline styles
    for value in _personal(world):
        assert value not in _main(body)


def test_a_measure_page_has_charts_tables_and_no_small_count(
    published: None, client_for, world: World
) -> None:
    url = reverse("transparency:measure", args=[MEASURE])
    response = client_for(Role.COR_MEMBER).get(url, {"quarter": "2026-3"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.selected == Quarter(2026, 3)
    assert [row.label for row in page.trend] == [Quarter(2026, 2).label, Quarter(2026, 3).label]
    body = response.content.decode()
    assert body.count("<svg") == 3  # trend, by category, by unit
    assert "×" in body
    assert "&lt; 5" not in body
    for row in page.table.rows:
        for figure in (*row.figures, row.total):
            assert figure.value is None or figure.value == 0 or figure.value >= 5
    for value in _personal(world):
        assert value not in _main(body)


def test_the_quarter_switch_is_an_htmx_fragment(published: None, client_for) -> None:
    url = reverse("transparency:measure", args=[MEASURE])
    response = client_for(Role.VIK_HEAD).get(url, {"quarter": "2026-2"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="quarter"')
    assert "<html" not in body


def test_an_unknown_measure_is_not_found(client_for) -> None:
    response = client_for(Role.COR_MEMBER).get(reverse("transparency:measure", args=["nope"]))
    assert response.status_code == 404


def test_the_csv_has_the_printed_figures(published: None, client_for, world: World) -> None:
    response = client_for(Role.PRIVACY_OFFICER).get(
        reverse("transparency:measure_csv", args=[MEASURE])
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    figures = {row[4] for row in rows[1:]}
    assert "×" in figures
    assert "< 5" not in figures
    assert not {"1", "2", "3", "4"} & figures  # a small count is never written out
    assert all(row[0] == MEASURE for row in rows[1:])
    text = response.content.decode()
    for value in _personal(world):
        assert value not in text


def test_the_dashboard_query_count_is_bounded(
    published: None, client_for, django_assert_max_num_queries
) -> None:
    client = client_for(Role.COR_MEMBER)
    with django_assert_max_num_queries(8):
        client.get(reverse("transparency:dashboard"))
    with django_assert_max_num_queries(8):
        client.get(reverse("transparency:measure", args=[MEASURE]))
