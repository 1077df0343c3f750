"""Sweep expectations for the complaints URLs.

Every page is the complaint handler's (403 for every other role). A complaint about
another unit, or about the handler themself, is 404. The contact details and the letter
are the assigned handler's only: another handler who may see the complaint gets 403.
"""

from __future__ import annotations

from tests.sweep import Route
from vik.roles import Role

R = Role
HANDLER = frozenset({R.COMPLAINT_HANDLER})


def _complaint(kind):
    def make(world):
        from tests.complaints import helpers

        return {"pk": getattr(helpers, kind)(world).pk}

    return make


def _about_the_handler(world):
    from tests.complaints import helpers
    from tests.factories import UserFactory
    from vik import services

    colleague = UserFactory(username="klachten-collega")
    services.assign_role(
        user=colleague,
        role=R.COMPLAINT_HANDLER,
        unit=world.units["AM"],
        acting_user=None,
        reason="t",
    )
    complaint = helpers.register(
        world,
        unit=world.units["AM-VIK"],
        employees=[world.employee_of(R.COMPLAINT_HANDLER)],
        acting_user=colleague,
    )
    return {"pk": complaint.pk}


def _hearing(party="complainant"):
    def make(world):
        from tests.complaints import helpers

        hearing = helpers.planned(world, party=party)
        return {"pk": hearing.complaint_id, "hearing_pk": hearing.pk}

    return make


def _unplanned_hearing(world):
    from complaints.models import Hearing
    from tests.complaints import helpers

    complaint = helpers.heard(world)
    return {
        "pk": complaint.pk,
        "hearing_pk": complaint.hearings.filter(party=Hearing.Party.COMPLAINANT).get().pk,
    }


def _step(kind, name):
    def make(world):
        return {**_complaint(kind)(world), "action": name}

    return make


ROUTES = [
    Route("complaints:complaint_list", HANDLER),
    Route(
        "complaints:complaint_list",
        HANDLER,
        query="?state=all&phase=formal&mine=on&q=KL-2026-00001",
    ),
    Route("complaints:deadline_overview", HANDLER),
    Route("complaints:complaint_create", HANDLER),
    Route("complaints:complaint_detail", HANDLER, kwargs=_complaint("register")),
    Route("complaints:complaint_history", HANDLER, kwargs=_complaint("register")),
    Route(
        "complaints:complaint_detail",
        HANDLER,
        kwargs=_complaint("complaint_in_den_haag"),
        overrides={R.COMPLAINT_HANDLER: 404},
    ),
    Route(
        "complaints:complaint_history",
        HANDLER,
        kwargs=_complaint("complaint_in_den_haag"),
        overrides={R.COMPLAINT_HANDLER: 404},
    ),
    Route(
        "complaints:complaint_detail",
        HANDLER,
        kwargs=_about_the_handler,
        overrides={R.COMPLAINT_HANDLER: 404},
    ),
    Route("complaints:complaint_contact", HANDLER, kwargs=_complaint("assigned")),
    # Visible, but nobody's assigned it to this handler: not theirs to see.
    Route(
        "complaints:complaint_contact",
        HANDLER,
        kwargs=_complaint("register"),
        overrides={R.COMPLAINT_HANDLER: 403},
    ),
    Route("complaints:complaint_letter", HANDLER, kwargs=_complaint("decided")),
    Route(
        "complaints:complaint_letter",
        HANDLER,
        kwargs=_complaint("assigned"),
        overrides={R.COMPLAINT_HANDLER: 404},  # no letter before the decision
    ),
    Route(
        "complaints:complaint_action",
        HANDLER,
        kwargs=_step("register", "assign"),
        method="post",
        data=lambda w: {
            "assign-handler": w.user(R.COMPLAINT_HANDLER).pk,
            "assign-not_involved": "on",
        },
        ok=302,
    ),
    Route(
        "complaints:complaint_action",
        HANDLER,
        kwargs=_step("assigned", "start_formal"),
        method="post",
        ok=302,
    ),
    Route(
        "complaints:complaint_action",
        HANDLER,
        kwargs=_step("assigned", "burn"),
        method="post",
        overrides={R.COMPLAINT_HANDLER: 404},
    ),
    Route(
        "complaints:complaint_action",
        HANDLER,
        kwargs=_step("complaint_in_den_haag", "assign"),
        method="post",
        overrides={R.COMPLAINT_HANDLER: 404},
    ),
    # The invitation letter and the calendar file of a planned hearing: the handler's.
    Route("complaints:hearing_invitation", HANDLER, kwargs=_hearing()),
    Route("complaints:hearing_invitation", HANDLER, kwargs=_hearing("employee")),
    Route("complaints:hearing_calendar", HANDLER, kwargs=_hearing()),
    Route(
        "complaints:hearing_calendar",
        HANDLER,
        kwargs=_unplanned_hearing,
        overrides={R.COMPLAINT_HANDLER: 404},  # no date, time and place: no calendar entry
    ),
    Route(
        "complaints:hearing_invitation",
        HANDLER,
        kwargs=lambda w: {
            "pk": _complaint("complaint_in_den_haag")(w)["pk"],
            "hearing_pk": 999999,
        },
        overrides={R.COMPLAINT_HANDLER: 404},
    ),
]
