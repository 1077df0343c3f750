"""The prevention app's menu entries and their "work waiting" counters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from vik import navigation
from vik.roles import Capability

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def coordinator_pending(user: User) -> int:
    """Requests awaiting a first answer, sessions to record, open questions and trends."""
    from prevention.selectors import worklist_counters

    return worklist_counters(user=user)["total"]


def commissioner_pending(user: User) -> int:
    """Lessons waiting for the commissioner's approval."""
    from prevention.selectors import lessons_awaiting_approval

    return lessons_awaiting_approval(user=user).count()


C = Capability


def register_navigation() -> None:
    """The coordinator's and team chief's pages under *Prevention*; what every employee may
    do (ask, request, evaluate, read the library) next to their other self-service pages."""
    navigation.register(
        navigation.NavEntry(
            section=_("Prevention"),
            label=_("Prevention worklist"),
            url_name="prevention:worklist",
            capability=C.COORDINATE_PREVENTION,
            description=_("Session requests, advice questions, after-discussions and trends."),
            pending=coordinator_pending,
            order=50,
        ),
        navigation.NavEntry(
            section=_("Prevention"),
            label=_("Trends in kinds of violation"),
            url_name="prevention:trends",
            capability=C.COORDINATE_PREVENTION,
            description=_("Kinds of violation per unit and quarter, sessions and lessons."),
            order=51,
        ),
        navigation.NavEntry(
            section=_("Prevention"),
            label=_("Presenters"),
            url_name="prevention:presenter_list",
            capability=C.COORDINATE_PREVENTION,
            description=_("The people who give sessions with you."),
            order=52,
        ),
        # The commissioner finds it with the investigations (their menu bar is full).
        navigation.NavEntry(
            section=_("Investigations"),
            label=_("After-discussions of investigations"),
            url_name="prevention:after_discussion_list",
            capability=C.APPROVE_LESSONS,
            description=_(
                "Ask for the after-discussion of a closed investigation; approve its lesson."
            ),
            pending=commissioner_pending,
            order=53,
        ),
        navigation.NavEntry(
            section=_("Prevention"),
            label=_("Our team's sessions"),
            url_name="prevention:team_sessions",
            capability=C.VIEW_TEAM_SESSIONS,
            description=_("The sessions given to the teams you lead, and how they were rated."),
            order=54,
        ),
        navigation.NavEntry(
            section=_("My data"),
            label=_("Dilemma library"),
            url_name="prevention:dilemma_list",
            capability=(C.USE_PREVENTION, C.COORDINATE_PREVENTION),
            description=_("Dilemmas and lessons from practice: what would you do?"),
            order=55,
        ),
        navigation.NavEntry(
            section=_("My data"),
            label=_("Request a session"),
            url_name="prevention:session_request_create",
            capability=C.USE_PREVENTION,
            description=_("An integrity session, dilemma training or film for your team."),
            order=56,
        ),
        navigation.NavEntry(
            section=_("My data"),
            label=_("Ask for advice"),
            url_name="prevention:advice_create",
            capability=C.USE_PREVENTION,
            description=_("A dilemma or a policy question, answered in writing."),
            order=57,
        ),
        navigation.NavEntry(
            section=_("My data"),
            label=_("My requests and questions"),
            url_name="prevention:my_requests",
            capability=C.USE_PREVENTION,
            description=_("Your session requests and advice questions, with the answers."),
            order=58,
        ),
        navigation.NavEntry(
            section=_("My data"),
            label=_("Evaluate a session"),
            url_name="prevention:evaluation_create",
            capability=C.USE_PREVENTION,
            description=_("With the code you were given after a session. Anonymous."),
            order=59,
        ),
    )
