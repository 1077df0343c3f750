"""The prevention pages: what each person does in the browser, query counts, the access log."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prevention.models import AdviceRequest, Dilemma, SessionRequest
from tests.conftest import World
from tests.prevention import helpers
from tests.prevention.conftest import english_client
from vik.models import AccessAction, AccessLogEntry
from vik.roles import Role

pytestmark = pytest.mark.django_db
ClientFor = Callable[[Role], Client]


# --- Query counts: list pages cost the same for one object or many -----------------------

# Each count: session and user (2), the roles and capability lookups of the request, the
# page's own queries, the unread-messages badge and the session save (a savepoint: 3).
LIST_PAGES = {
    "worklist": ("prevention:worklist", Role.PREVENTION_COORDINATOR, 15),
    "session_list": ("prevention:session_list", Role.PREVENTION_COORDINATOR, 10),
    "advice_list": ("prevention:advice_list", Role.PREVENTION_COORDINATOR, 10),
    "dilemma_list": ("prevention:dilemma_list", Role.EMPLOYEE, 10),
    "team_sessions": ("prevention:team_sessions", Role.TEAM_CHIEF, 7),
    "my_requests": ("prevention:my_requests", Role.TEAM_CHIEF, 8),
    "after_discussion_list": ("prevention:after_discussion_list", Role.VIK_HEAD, 8),
    "presenter_list": ("prevention:presenter_list", Role.PREVENTION_COORDINATOR, 7),
    # Two queries per typology source that records kinds (classified, not yet classified).
    "trends": ("prevention:trends", Role.PREVENTION_COORDINATOR, 27),
}


def _more(world: World, number: int) -> None:
    for _ in range(number):
        helpers.planned_session(world)
        helpers.answered_advice(world)
        helpers.library_dilemma(world)
        helpers.presenter(world, name="Nog een presentator")
    helpers.trend_mark(world)


@pytest.mark.parametrize("page", list(LIST_PAGES))
def test_list_pages_cost_the_same_queries_for_one_or_many(
    world: World, client_for: ClientFor, django_assert_num_queries, page: str
) -> None:
    name, role, queries = LIST_PAGES[page]
    client = client_for(role)
    _more(world, 1)
    client.get(reverse(name))  # warm-up: the first request also fills per-process caches
    with django_assert_num_queries(queries):
        assert client.get(reverse(name)).status_code == 200
    _more(world, 4)
    with django_assert_num_queries(queries):
        assert client.get(reverse(name)).status_code == 200


# --- The access log ------------------------------------------------------------------------


def test_looking_at_a_question_is_logged_for_the_asker(world: World, client_for: ClientFor) -> None:
    question = helpers.advice(world)
    client_for(Role.PREVENTION_COORDINATOR).get(
        reverse("prevention:advice_detail", kwargs={"pk": question.pk})
    )
    entry = AccessLogEntry.objects.get(action=AccessAction.VIEW)
    assert entry.employee == world.employee_of(Role.EMPLOYEE)
    assert entry.actor_role == Role.PREVENTION_COORDINATOR
    assert entry.object_type == "prevention.advicerequest"


def test_the_asker_looking_at_their_own_question_is_not_logged(
    world: World, client_for: ClientFor
) -> None:
    question = helpers.advice(world)
    response = client_for(Role.EMPLOYEE).get(
        reverse("prevention:advice_detail", kwargs={"pk": question.pk})
    )
    assert response.status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_the_worklist_logs_a_search_per_person_shown(world: World, client_for: ClientFor) -> None:
    helpers.session_request(world)
    helpers.advice(world)
    client_for(Role.PREVENTION_COORDINATOR).get(reverse("prevention:worklist"))
    logged = set(
        AccessLogEntry.objects.filter(action=AccessAction.SEARCH).values_list(
            "employee_id", flat=True
        )
    )
    assert logged == {world.employee_of(Role.TEAM_CHIEF).pk, world.employee_of(Role.EMPLOYEE).pk}


def test_an_after_discussion_is_logged_for_the_persons_concerned(
    world: World, client_for: ClientFor
) -> None:
    discussion = helpers.after_discussion(world)
    client_for(Role.PREVENTION_COORDINATOR).get(
        reverse("prevention:after_discussion_detail", kwargs={"pk": discussion.pk})
    )
    entry = AccessLogEntry.objects.get(action=AccessAction.VIEW)
    assert entry.employee == world.subject
    assert entry.object_type == "prevention.afterdiscussion"


def test_the_library_holds_no_personal_data_and_is_not_logged(
    world: World, client_for: ClientFor
) -> None:
    dilemma = helpers.library_dilemma(world)
    client_for(Role.EMPLOYEE).get(reverse("prevention:dilemma_detail", kwargs={"pk": dilemma.pk}))
    assert not AccessLogEntry.objects.exists()


# --- The flows in the browser's requests ---------------------------------------------------


def test_a_team_chief_requests_a_session_through_the_form(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(Role.TEAM_CHIEF)
    page = client.get(reverse("prevention:session_request_create"))
    assert list(page.context["form"].fields["team"].queryset) == [world.units["AM-D1-T1"]]
    response = client.post(
        reverse("prevention:session_request_create"),
        {
            "kind": "dilemma_training",
            "team": world.units["AM-D1-T1"].pk,
            "learning_questions": "Hoe gaan we om met informatie in app-groepen?",
            "prompt_kind": helpers.kind().pk,
            "group_size": "15",
        },
    )
    request = SessionRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("prevention:session_detail", kwargs={"pk": request.pk})
    assert request.group_size == 15


def test_a_form_error_keeps_what_was_typed(world: World, client_for: ClientFor) -> None:
    response = client_for(Role.TEAM_CHIEF).post(
        reverse("prevention:session_request_create"),
        {
            "kind": "other",
            "team": world.units["AM-D1-T1"].pk,
            "learning_questions": "Een teamuitje plannen",
        },
    )
    assert response.status_code == 200
    assert "Say what kind of session" in response.content.decode()
    assert response.context["form"]["learning_questions"].value() == "Een teamuitje plannen"


def test_the_coordinator_plans_and_records_and_the_codes_are_printable(
    world: World, client_for: ClientFor
) -> None:
    request = helpers.session_request(world)
    presenter = helpers.presenter(world)
    client = client_for(Role.PREVENTION_COORDINATOR)
    start = timezone.localtime() - datetime.timedelta(days=1)
    response = client.post(
        reverse("prevention:session_action", kwargs={"pk": request.pk, "action": "plan"}),
        {
            "plan-planned_start": start.strftime("%Y-%m-%dT%H:%M"),
            "plan-place": "Teamruimte",
            "plan-presenters": [presenter.pk],
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("prevention:session_action", kwargs={"pk": request.pk, "action": "record"}),
        {
            "record-held_on": start.date().isoformat(),
            "record-what_was_done": "Dilemma's besproken in groepjes.",
            "record-attendance": "6",
            "record-follow_up": "",
        },
    )
    assert response.status_code == 302
    codes = client.get(reverse("prevention:session_codes", kwargs={"pk": request.pk}))
    assert len(codes.context["codes"]) == 6


def test_a_refused_action_shows_the_page_again_with_the_reason(
    world: World, client_for: ClientFor
) -> None:
    request = helpers.session_request(world)
    response = client_for(Role.PREVENTION_COORDINATOR).post(
        reverse("prevention:session_action", kwargs={"pk": request.pk, "action": "decline"}),
        {"decline-reason": "x"},
    )
    assert response.status_code == 422
    assert "Give the reason for declining." in response.content.decode()


def test_an_employee_evaluates_with_a_code(world: World, client_for: ClientFor) -> None:
    session = helpers.held_session(world, attendance=1)
    code = session.evaluation_codes.get().code
    client = client_for(Role.EMPLOYEE)
    answers = dict(helpers.ANSWERS)
    response = client.post(reverse("prevention:evaluation_create"), {"code": code, **answers})
    assert response.status_code == 302
    again = client.post(reverse("prevention:evaluation_create"), {"code": code, **answers})
    assert again.status_code == 200
    assert "unknown, has been used" in again.content.decode()


def test_the_team_chief_sees_totals_from_five_answers_without_the_texts(
    world: World, client_for: ClientFor
) -> None:
    session = helpers.held_session(world, attendance=8)
    helpers.evaluate(world, session, 4)
    url = reverse("prevention:team_session_detail", kwargs={"pk": session.pk})
    client = client_for(Role.TEAM_CHIEF)
    page = client.get(url).content.decode()
    assert "4 participants have answered so far" in page
    assert "Average" not in page
    helpers.evaluate(world, session, 1)
    page = client.get(url).content.decode()
    assert "5 participants answered" in page
    assert "Dat ik een collega mag aanspreken." not in page  # open answers: coordinators only
    coordinator_page = client_for(Role.PREVENTION_COORDINATOR).get(
        reverse("prevention:session_detail", kwargs={"pk": session.pk})
    )
    assert "Dat ik een collega mag aanspreken." in coordinator_page.content.decode()


def test_the_team_chiefs_record_does_not_say_who_asked_or_why(
    world: World, client_for: ClientFor
) -> None:
    session = helpers.session_request(
        world, by=Role.EMPLOYEE, team="AM-VIK", prompt="Onze teamchef deelt zelf foto's."
    )
    # Planned for the VIK team; make the team chief lead it for this test.
    from vik import services as core

    core.assign_role(
        user=world.user(Role.TEAM_CHIEF),
        role=Role.TEAM_CHIEF,
        unit=world.units["AM-VIK"],
        acting_user=None,
        reason="t",
    )
    from prevention import services

    services.plan_session(
        request=session,
        planned_start=timezone.now() + datetime.timedelta(days=2),
        place="Teamruimte",
        presenters=[helpers.presenter(world)],
        acting_user=helpers.coordinator(world),
    )
    page = (
        client_for(Role.TEAM_CHIEF)
        .get(reverse("prevention:team_session_detail", kwargs={"pk": session.pk}))
        .content.decode()
    )
    assert "Teamruimte" in page
    assert "Onze teamchef" not in page
    assert world.employee_of(Role.EMPLOYEE).full_name not in page


def test_the_asker_reads_the_answer_but_not_the_kinds(world: World, client_for: ClientFor) -> None:
    question = helpers.answered_advice(world)
    page = (
        client_for(Role.EMPLOYEE)
        .get(reverse("prevention:advice_detail", kwargs={"pk": question.pk}))
        .content.decode()
    )
    assert "verwijs de familie naar de advocaat" in page
    assert "Misbruik van informatie" not in page


def test_the_commissioner_asks_for_an_after_discussion_and_approves_the_lesson(
    world: World, client_for: ClientFor
) -> None:
    case = helpers.closed_case(world)
    head = client_for(Role.VIK_HEAD)
    listing = head.get(reverse("prevention:after_discussion_list"))
    assert [c.pk for c, _asked in listing.context["closed_cases"]] == [case.pk]
    form = head.get(reverse("prevention:after_discussion_create", kwargs={"case_id": case.pk}))
    assert form.context["form"]["team"].value() == world.units["AM-D1-T1"].pk
    response = head.post(
        reverse("prevention:after_discussion_create", kwargs={"case_id": case.pk}),
        {"team": world.units["AM-D1-T1"].pk, "brief": "Graag een nabespreking met het team."},
    )
    assert response.status_code == 302
    discussion_url = response["Location"]

    coordinator = client_for(Role.PREVENTION_COORDINATOR)
    pk = int(discussion_url.rstrip("/").rsplit("/", 1)[-1])

    def action(name: str) -> str:
        return reverse("prevention:after_discussion_action", kwargs={"pk": pk, "action": name})

    assert coordinator.post(action("accept")).status_code == 302
    page = coordinator.get(discussion_url).content.decode()
    assert case.reference not in page  # the coordinator never sees the reference
    lesson = {f"lesson-{k}": v for k, v in helpers.LESSON.items() if k != "rules_text"}
    lesson["lesson-rules"] = helpers.LESSON["rules_text"]
    lesson["lesson-situation"] += f" Het ging om {world.subject.last_name}."
    assert coordinator.post(action("lesson"), lesson).status_code == 302
    refused = coordinator.post(action("submit"))
    assert refused.status_code == 422
    assert world.subject.last_name in refused.content.decode()
    lesson["lesson-situation"] = helpers.LESSON["situation"]
    coordinator.post(action("lesson"), lesson)
    assert coordinator.post(action("submit")).status_code == 302

    approval = head.get(discussion_url).content.decode()
    assert case.reference in approval  # the commissioner does
    assert "Check passed" in approval
    assert head.post(action("approve")).status_code == 302
    published = Dilemma.objects.get(after_discussion_id=pk)
    assert published.is_published
    reader = client_for(Role.EMPLOYEE).get(
        reverse("prevention:dilemma_detail", kwargs={"pk": published.pk})
    )
    assert reader.status_code == 200


def test_the_library_searches_words_and_kinds(world: World, client_for: ClientFor) -> None:
    helpers.library_dilemma(world)
    client = client_for(Role.EMPLOYEE)
    found = client.get(reverse("prevention:dilemma_list"), {"q": "kenteken"})
    assert len(found.context["object_list"]) == 1
    none = client.get(reverse("prevention:dilemma_list"), {"kind": helpers.kind("geweld").pk})
    assert len(none.context["object_list"]) == 0
    fragment = client.get(
        reverse("prevention:dilemma_list"), {"q": "auto"}, headers={"HX-Request": "true"}
    )
    assert b"<html" not in fragment.content


def test_trends_show_kinds_per_quarter_for_the_coordinators_unit(
    world: World, client_for: ClientFor
) -> None:
    helpers.answered_advice(world)
    page = client_for(Role.PREVENTION_COORDINATOR).get(
        reverse("prevention:trends"), {"source": "prevention.advice"}
    )
    table = page.context["table"]
    assert page.context["unit"] == world.units["AM"]
    row = next(r for r in table.rows if r.kind.code == "misbruik-informatie")
    assert row.total == 1


def test_the_coordinator_marks_a_trend_which_joins_the_worklist(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(Role.PREVENTION_COORDINATOR)
    response = client.post(
        reverse("prevention:trend_mark_create"),
        {
            "unit": world.units["AM"].pk,
            "kind": helpers.kind().pk,
            "year": "2026",
            "quarter": "4",
            "note": "Steeds meer vragen over app-groepen.",
        },
    )
    assert response.status_code == 302
    worklist = client.get(reverse("prevention:worklist"))
    assert worklist.context["counters"]["trends"] == 1


def test_pages_render_in_dutch(world: World) -> None:
    client = Client()
    client.force_login(world.user(Role.PREVENTION_COORDINATOR))
    page = client.get(reverse("prevention:worklist")).content.decode()
    assert "Preventiewerklijst" in page
    assert (
        english_client(world.user(Role.EMPLOYEE))
        .get(reverse("prevention:dilemma_list"))
        .status_code
        == 200
    )
    assert AdviceRequest.objects.count() == 0
