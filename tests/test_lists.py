"""Lists people use all day: search and sort, with filter, sort and page in the URL.

The signal queue, the cases, the complaints and the screening dossiers. A search only
narrows what the list's "visible to" selector already gives, so it never finds what the user
may not see; a sort link keeps every other parameter and drops the page; an unknown sort
falls back to the default; and a page costs the same queries for few rows or many.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cases.sweep_routes import _case
from tests.complaints import helpers as complaint_helpers
from tests.conftest import World
from tests.factories import EmployeeFactory
from tests.monitoring.review_factories import make_signal
from tests.screening.helpers import dossier_for
from vik.roles import Role
from vik.sorting import sort_columns

pytestmark = pytest.mark.django_db


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# --- the sort links ------------------------------------------------------------------------


def test_a_sort_link_keeps_the_filter_drops_the_page_and_toggles() -> None:
    from django.http import QueryDict

    columns = {"score": ("score",), "date": ("window_start",)}
    query = QueryDict("q=PM-1&status=all&page=3&sort=-score")
    links = sort_columns(query, "-score", columns, "-score")
    assert _query(links["score"].url) == {"q": ["PM-1"], "status": ["all"], "sort": ["score"]}
    assert links["score"].state == "descending"
    assert _query(links["date"].url)["sort"] == ["date"]
    assert links["date"].state == ""
    # A sort nobody offered is the default: the URL cannot order by any field it likes.
    assert sort_columns(QueryDict(""), "password", columns, "date")["date"].state == "ascending"


# --- the signal queue ---------------------------------------------------------------------


def _signals(world: World, number: int = 3) -> list[Any]:
    people = [world.subject, world.colleague] + [
        EmployeeFactory(unit=world.units["AM"], team=world.units["AM-D1-T2"])
        for _ in range(number - 2)
    ]
    return [make_signal(person, score=10 + index) for index, person in enumerate(people)]


def test_the_queue_is_searched_by_pseudonym_and_sorted(world: World, client_for) -> None:
    signals = _signals(world, 3)
    client = client_for(Role.ANALYST)
    url = reverse("monitoring:signal_list")
    wanted = signals[1].pseudonym
    found = client.get(url, {"q": wanted[:7].lower()}).context["signals"]
    assert wanted in [s.pseudonym for s in found]
    assert [s.pseudonym for s in client.get(url, {"q": wanted}).context["signals"]] == [wanted]
    # A name is no search term for the queue: it is pseudonymised.
    assert client.get(url, {"q": world.subject.last_name}).context["signals"] == []
    by_score = [s.pk for s in client.get(url).context["signals"]]
    assert by_score == [s.pk for s in sorted(signals, key=lambda s: -s.score)]
    ascending = client.get(url, {"sort": "score"}).context["signals"]
    assert [s.pk for s in ascending] == by_score[::-1]
    by_pseudonym = client.get(url, {"sort": "pseudonym"}).context["signals"]
    assert [s.pseudonym for s in by_pseudonym] == sorted(s.pseudonym for s in signals)
    for key in ("unit", "indicator", "date", "-date"):
        assert client.get(url, {"sort": key}).status_code == 200
    page = client.get(url, {"q": "PM", "sort": "pseudonym"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert 'href="?q=PM&amp;sort=-pseudonym"' in page


# --- the cases -----------------------------------------------------------------------------


def test_cases_are_found_by_the_person_concerned_within_scope(world: World, client_for) -> None:
    mine = _case(world)
    other = _case(world, subject=world.colleague)
    far_away = _case(world, unit="DH", subject=world.subject)  # outside the head's scope
    client = client_for(Role.VIK_HEAD)
    url = reverse("cases:case_list")

    def found(term: str) -> set[int]:
        return {case.pk for case in client.get(url, {"q": term}).context["object_list"]}

    assert found(world.subject.last_name) == {mine.pk}
    assert far_away.pk not in found(world.subject.personnel_number)
    assert found(world.colleague.personnel_number) == {other.pk}
    assert found(mine.reference) == {mine.pk}
    assert found(f"{world.subject.first_name} {world.subject.last_name}") == {mine.pk}


def test_cases_sort_by_reference_status_and_deadline(world: World, client_for) -> None:
    cases = [_case(world), _case(world, subject=world.colleague)]
    client = client_for(Role.VIK_HEAD)
    url = reverse("cases:case_list")
    refs = [c.reference for c in client.get(url, {"sort": "reference"}).context["object_list"]]
    assert refs == sorted(c.reference for c in cases)
    refs_desc = [
        c.reference for c in client.get(url, {"sort": "-reference"}).context["object_list"]
    ]
    assert refs_desc == refs[::-1]
    for key in ("status", "-deadline", "deadline", "received"):
        assert client.get(url, {"sort": key}).status_code == 200


# --- complaints and screening ---------------------------------------------------------------


def test_complaints_sort_by_deadline_and_reference(world: World, client_for) -> None:
    first = complaint_helpers.register(world, received_on=complaint_helpers.days_ago(20))
    second = complaint_helpers.register(world, received_on=complaint_helpers.days_ago(5))
    client = client_for(Role.COMPLAINT_HANDLER)
    url = reverse("complaints:complaint_list")
    newest_first = [c.pk for c in client.get(url).context["object_list"]]
    assert newest_first == [second.pk, first.pk]
    assert [c.pk for c in client.get(url, {"sort": "deadline"}).context["object_list"]] == [
        first.pk,
        second.pk,
    ]
    for key in ("reference", "unit", "phase", "handler", "-received"):
        assert client.get(url, {"sort": key}).status_code == 200


def test_dossiers_sort_by_employee(world: World, client_for) -> None:
    dossiers = [dossier_for(world, world.subject), dossier_for(world, world.colleague)]
    client = client_for(Role.SCREENING_OFFICER)
    url = reverse("screening:worklist")
    names = [
        d.employee.last_name for d in client.get(url, {"sort": "employee"}).context["object_list"]
    ]
    assert names == sorted(d.employee.last_name for d in dossiers)
    for key in ("reference", "unit", "kind", "status", "-due"):
        assert client.get(url, {"sort": key}).status_code == 200


# --- the same queries for few rows or many -----------------------------------------------------


def _more(world: World, kind: str, number: int) -> None:
    for _ in range(number):
        person = EmployeeFactory(unit=world.units["AM"], team=world.units["AM-D1-T1"])
        if kind == "signals":
            make_signal(person, codes=("off_duty", "volume"))
        elif kind == "cases":
            _case(world, subject=person)
        elif kind == "complaints":
            complaint_helpers.register(world, employees=[person])
        else:
            dossier_for(world, person)


LISTS = {
    "signals": ("monitoring:signal_list", Role.ANALYST, {"q": "PM", "sort": "indicator"}),
    "cases": ("cases:case_list", Role.VIK_HEAD, {"sort": "-deadline"}),
    "complaints": ("complaints:complaint_list", Role.COMPLAINT_HANDLER, {"sort": "phase"}),
    "dossiers": ("screening:worklist", Role.SCREENING_OFFICER, {"sort": "employee"}),
}


@pytest.mark.parametrize("kind", list(LISTS))
def test_a_sorted_searched_page_costs_the_same_queries_for_few_or_many(
    world: World, client_for, django_assert_num_queries, kind: str
) -> None:
    name, role, query = LISTS[kind]
    client = client_for(role)
    _more(world, kind, 1)
    client.get(reverse(name), query)  # warm-up: per-process caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name), query).status_code == 200
    _more(world, kind, 6)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(reverse(name), query).status_code == 200
