"""Sweep expectations for the core's URLs."""

from __future__ import annotations

from tests.sweep import ALL_ROLES, Route
from vik.roles import Role

R = Role
LOOKUP = frozenset({R.TEAM_CHIEF, R.INVESTIGATOR, R.VIK_HEAD, R.SCREENING_OFFICER})
RECUSING = frozenset(
    {
        R.ANALYST,
        R.TEAM_CHIEF,
        R.INVESTIGATOR,
        R.VIK_HEAD,
        R.SCREENING_OFFICER,
        R.COMPLAINT_HANDLER,
        R.PRIVACY_OFFICER,
        R.PREVENTION_COORDINATOR,
    }
)


def _own_conflict(world):
    """A conflict declared by the investigator: keepers and the investigator see it."""
    from vik import services

    investigator = world.user(R.INVESTIGATOR)
    conflict = services.declare_conflict(
        user=investigator, employee=world.outsider, reason="buurman", acting_user=investigator
    )
    return {"pk": conflict.pk}


def _registered_conflict(world):
    """A conflict the privacy officer registered about the investigator: only keepers end it."""
    from vik import services

    conflict = services.declare_conflict(
        user=world.user(R.INVESTIGATOR),
        employee=world.outsider,
        reason="zwager",
        acting_user=world.user(R.PRIVACY_OFFICER),
    )
    return {"pk": conflict.pk}


def _role_request(unit_code):
    """A pending request, filed by the administrator, for a newcomer over ``unit_code``."""

    def make(world):
        from tests.factories import UserFactory
        from vik import services

        grant_request = services.request_role_grant(
            user=UserFactory(username="nieuwkomer"),
            role=R.ANALYST,
            unit=world.units[unit_code],
            reason="Nieuwe analist",
            acting_user=world.user(R.ADMINISTRATOR),
        )
        return {"pk": grant_request.pk}

    return make


ASKERS_AND_DECIDERS = frozenset({R.VIK_HEAD, R.PRIVACY_OFFICER, R.ADMINISTRATOR})
DECIDERS = frozenset({R.VIK_HEAD, R.PRIVACY_OFFICER})


def _message_for_employee(world):
    """A message for the employee: only its recipient may open it; others get 404."""
    from vik import services

    notification = services.notify(
        recipient=world.user(R.EMPLOYEE), subject="Test", acting_user=None, send_email=False
    )
    return {"pk": notification.pk}


ROUTES = [
    Route("vik:home", ALL_ROLES),
    Route("vik:login", ALL_ROLES, public=True, overrides=dict.fromkeys(Role, 302)),
    Route("vik:logout", ALL_ROLES, method="post", ok=302, public=True),
    # Single sign-on is off in the tests (its own tests run a real provider): 404 for all.
    Route("vik:oidc_authenticate", ALL_ROLES, ok=404, public=True),
    Route("vik:oidc_callback", ALL_ROLES, ok=404, public=True),
    # Operations: /metrics answers the test client's loopback address; readiness says 503
    # because no Celery worker runs beside the tests (tests/vik/test_operations.py).
    Route("vik:metrics", ALL_ROLES, public=True),
    Route("vik:ready", ALL_ROLES, ok=503, public=True),
    Route("vik:two_factor_setup", ALL_ROLES),
    Route("vik:two_factor_verify", ALL_ROLES, ok=302),  # no device yet: sent to set one up
    Route("vik:password_change", ALL_ROLES),
    Route("vik:password_change_done", ALL_ROLES),
    Route("vik:employee_list", LOOKUP),
    # The subject is in AM-D1-T1: in every lookup scope (the team chief leads that team).
    Route("vik:employee_detail", LOOKUP, kwargs=lambda w: {"pk": w.subject.pk}),
    Route("vik:employee_history", LOOKUP, kwargs=lambda w: {"pk": w.subject.pk}),
    # The colleague is in AM-D1-T2: outside the team chief's team, so hidden from them.
    Route(
        "vik:employee_detail",
        LOOKUP,
        kwargs=lambda w: {"pk": w.colleague.pk},
        overrides={R.TEAM_CHIEF: 404},
    ),
    Route("vik:access_log", frozenset({R.PRIVACY_OFFICER})),
    Route("vik:access_log_export", frozenset({R.PRIVACY_OFFICER})),
    Route("vik:conflict_list", RECUSING),
    Route("vik:conflict_create", RECUSING),
    Route(
        "vik:conflict_end",
        frozenset({R.INVESTIGATOR, R.VIK_HEAD, R.PRIVACY_OFFICER}),
        kwargs=_own_conflict,
        method="post",
        data=lambda w: {"reason": "klaar"},
        ok=302,
        overrides=dict.fromkeys(RECUSING - {R.INVESTIGATOR, R.VIK_HEAD, R.PRIVACY_OFFICER}, 404),
    ),
    Route(
        "vik:conflict_end",
        frozenset({R.VIK_HEAD, R.PRIVACY_OFFICER}),
        kwargs=_registered_conflict,
        method="post",
        data=lambda w: {"reason": "klaar"},
        ok=302,
        # The investigator sees the entry about themself but may not end it.
        overrides={
            R.INVESTIGATOR: 403,
            **dict.fromkeys(RECUSING - {R.INVESTIGATOR, R.VIK_HEAD, R.PRIVACY_OFFICER}, 404),
        },
    ),
    Route(
        "vik:conflict_history",
        frozenset({R.INVESTIGATOR, R.VIK_HEAD, R.PRIVACY_OFFICER}),
        kwargs=_own_conflict,
        overrides=dict.fromkeys(RECUSING - {R.INVESTIGATOR, R.VIK_HEAD, R.PRIVACY_OFFICER}, 404),
    ),
    Route("vik:role_request_list", ASKERS_AND_DECIDERS),
    Route("vik:role_request_create", frozenset({R.ADMINISTRATOR})),
    Route("vik:role_request_detail", ASKERS_AND_DECIDERS, kwargs=_role_request("AM")),
    # Over Den Haag: outside the units the head of VIK (over AM) heads, so hidden from them.
    Route(
        "vik:role_request_detail",
        ASKERS_AND_DECIDERS,
        kwargs=_role_request("DH"),
        overrides={R.VIK_HEAD: 404},
    ),
    Route(
        "vik:role_request_decide",
        DECIDERS,
        kwargs=_role_request("AM"),
        method="post",
        data=lambda w: {"decision": "approve", "reason": "akkoord"},
        ok=302,
    ),
    Route(
        "vik:role_request_decide",
        DECIDERS,
        kwargs=_role_request("DH"),
        method="post",
        data=lambda w: {"decision": "refuse", "reason": "niet nodig"},
        ok=302,
        overrides={R.VIK_HEAD: 404},
    ),
    Route(
        "vik:role_request_withdraw",
        frozenset({R.ADMINISTRATOR}),
        kwargs=_role_request("AM"),
        method="post",
        data=lambda w: {"reason": "vergissing"},
        ok=302,
    ),
    Route("vik:role_changes", frozenset({R.PRIVACY_OFFICER, R.ADMINISTRATOR})),
    Route("vik:notification_list", ALL_ROLES),
    Route("vik:notification_list", ALL_ROLES, query="?show=action&group=about"),
    # Marks only the user's own messages: every role may post it (all of theirs, or one).
    Route(
        "vik:notification_mark_read",
        ALL_ROLES,
        method="post",
        data=lambda w: {"show": "action"},
        ok=302,
    ),
    Route(
        "vik:notification_open",
        frozenset({R.EMPLOYEE}),
        kwargs=_message_for_employee,
        method="post",
        ok=302,
        denied=404,
    ),
    Route("vik:health", ALL_ROLES, public=True),
    # Pages link their icon; this answers what asks /favicon.ico anyway (admin, API docs).
    Route("vik:favicon", ALL_ROLES, public=True, ok=301),
    Route(
        "set_language",
        ALL_ROLES,
        method="post",
        data=lambda w: {"language": "en"},
        ok=302,
        public=True,
    ),
]
