"""Sweep expectations for the prevention URLs.

* The coordinator's pages (worklist, trends, presenters, the lists): the prevention
  coordinator only; objects of another unit answer 404.
* A session request or an advice question: its coordinators and the one who asked; anyone
  else who has the feature gets 404.
* The team chief's record: team chiefs only (the coordinator works from the request).
* After-discussions: the commissioner and the coordinators; asking for one is the
  commissioner's. A lesson is seen by them until it is approved — by nobody else (404).
* The library: every reader (employees, team chiefs, coordinators, the commissioner); a
  draft only by the coordinators.
"""

from __future__ import annotations

from tests.sweep import Route
from vik.roles import Role

R = Role
COORD = frozenset({R.PREVENTION_COORDINATOR})
USE = frozenset({R.TEAM_CHIEF, R.EMPLOYEE, R.PREVENTION_COORDINATOR})
READERS = USE | {R.VIK_HEAD}
LESSONS = frozenset({R.VIK_HEAD, R.PREVENTION_COORDINATOR})


def _pk(builder, **options):
    def make(world):
        from tests.prevention import helpers

        return {"pk": getattr(helpers, builder)(world, **options).pk}

    return make


def _action(builder, action, **options):
    def make(world):
        return {**_pk(builder, **options)(world), "action": action}

    return make


def _case(world):
    from tests.prevention import helpers

    return {"case_id": helpers.closed_case(world).pk}


def _dh_presenter(world):
    from tests.prevention import helpers

    return {"pk": helpers.presenter(world, unit="DH").pk}


ROUTES = [
    # The coordinator's work
    Route("prevention:worklist", COORD),
    Route("prevention:trends", COORD),
    Route("prevention:trends", COORD, query="?year=2025&source=cases.outcome&unit=x"),
    Route("prevention:trend_mark_create", COORD),
    Route("prevention:trend_close", COORD, kwargs=_pk("trend_mark")),
    Route("prevention:presenter_list", COORD),
    Route("prevention:presenter_create", COORD),
    Route("prevention:presenter_edit", COORD, kwargs=_pk("presenter")),
    Route(
        "prevention:presenter_edit",
        COORD,
        kwargs=_dh_presenter,
        overrides={R.PREVENTION_COORDINATOR: 404},
    ),
    # Sessions
    Route("prevention:session_list", COORD),
    Route("prevention:session_list", COORD, query="?state=all&kind=film&q=SES-2026-00001"),
    Route("prevention:session_request_create", USE),
    # The team chief's request for their team: the chief and the coordinator.
    Route(
        "prevention:session_detail",
        COORD | {R.TEAM_CHIEF},
        kwargs=_pk("session_request"),
        overrides={R.EMPLOYEE: 404},
    ),
    Route(
        "prevention:session_history",
        COORD | {R.TEAM_CHIEF},
        kwargs=_pk("session_request"),
        overrides={R.EMPLOYEE: 404},
    ),
    # An employee's request for their own team: not the team chief of another team.
    Route(
        "prevention:session_detail",
        COORD | {R.EMPLOYEE},
        kwargs=_pk("session_request", by=R.EMPLOYEE, team="AM-VIK"),
        overrides={R.TEAM_CHIEF: 404},
    ),
    # Den Haag's request: nobody here.
    Route(
        "prevention:session_detail",
        frozenset(),
        kwargs=_pk("dh_session_request"),
        overrides=dict.fromkeys(USE, 404),
    ),
    Route("prevention:session_codes", COORD, kwargs=_pk("held_session")),
    Route(
        "prevention:session_action",
        COORD,
        kwargs=_action("session_request", "accept"),
        method="post",
        ok=302,
        # The requester may see the request but not answer it; others do not see it.
        overrides={R.TEAM_CHIEF: 404, R.EMPLOYEE: 404},
    ),
    Route("prevention:team_sessions", frozenset({R.TEAM_CHIEF})),
    Route(
        "prevention:team_session_detail",
        frozenset({R.TEAM_CHIEF}),
        kwargs=_pk("held_session"),
    ),
    Route("prevention:evaluation_create", USE),
    Route("prevention:my_requests", USE),
    # Advice
    Route("prevention:advice_list", COORD),
    Route("prevention:advice_list", COORD, query="?state=all&kind=policy"),
    Route("prevention:advice_create", USE),
    Route(
        "prevention:advice_detail",
        COORD | {R.EMPLOYEE},
        kwargs=_pk("advice"),
        overrides={R.TEAM_CHIEF: 404},
    ),
    Route("prevention:advice_history", COORD, kwargs=_pk("advice")),
    Route(
        "prevention:advice_action",
        COORD,
        kwargs=_action("advice", "take"),
        method="post",
        ok=302,
        overrides={R.EMPLOYEE: 404, R.TEAM_CHIEF: 404},
    ),
    # After-discussions and lessons
    Route("prevention:after_discussion_list", LESSONS),
    Route("prevention:after_discussion_create", frozenset({R.VIK_HEAD}), kwargs=_case),
    Route("prevention:after_discussion_detail", LESSONS, kwargs=_pk("after_discussion")),
    Route("prevention:after_discussion_history", LESSONS, kwargs=_pk("after_discussion")),
    Route(
        "prevention:after_discussion_action",
        COORD,
        kwargs=_action("after_discussion", "accept"),
        method="post",
        ok=302,
        overrides={R.VIK_HEAD: 404},
    ),
    # The library
    Route("prevention:dilemma_list", READERS),
    Route("prevention:dilemma_list", READERS, query="?q=auto&source=library&status=draft"),
    Route("prevention:dilemma_detail", READERS, kwargs=_pk("library_dilemma")),
    Route(
        "prevention:dilemma_detail",
        COORD,
        kwargs=_pk("library_dilemma", publish=False),
        overrides={R.TEAM_CHIEF: 404, R.EMPLOYEE: 404, R.VIK_HEAD: 404},
    ),
    # A lesson awaiting approval: the coordinator and the commissioner only.
    Route(
        "prevention:dilemma_detail",
        LESSONS,
        kwargs=_pk("lesson"),
        overrides={R.TEAM_CHIEF: 404, R.EMPLOYEE: 404},
    ),
    Route("prevention:dilemma_create", COORD),
    Route("prevention:dilemma_edit", COORD, kwargs=_pk("library_dilemma")),
    Route(
        "prevention:dilemma_withdraw",
        COORD,
        kwargs=_pk("library_dilemma"),
        method="post",
        data=lambda world: {"withdraw-reason": "Vervangen door een nieuwe casus."},
        ok=302,
    ),
]
