"""Sweep expectations for the screening URLs.

Officers' pages: only the screening officer (403 for every other role); a dossier outside
the officer's units, or about the officer themself, is 404. The employee's pages: only
the employee role; another employee's evaluation invitation is 404.
"""

from __future__ import annotations

from tests.sweep import Route
from vik.roles import Role

R = Role
OFFICER = frozenset({R.SCREENING_OFFICER})
EMPLOYEE = frozenset({R.EMPLOYEE})


def _dossier(employee_of):
    def make(world):
        from tests.screening.helpers import dossier_for

        return {"pk": dossier_for(world, employee_of(world)).pk}

    return make


def _action(name):
    def make(world):
        from tests.screening.helpers import dossier_for

        return {"pk": dossier_for(world, world.subject).pk, "action": name}

    return make


def _invitation(employee_of):
    def make(world):
        from tests.screening.helpers import invitation_for

        return {"pk": invitation_for(world, employee_of(world)).pk}

    return make


ROUTES = [
    Route("screening:worklist", OFFICER),
    Route("screening:worklist", OFFICER, query="?state=overdue&kind=periodic&mine=on&q=x"),
    Route("screening:dossier_create", OFFICER),
    Route("screening:hit_create", OFFICER),
    Route("screening:evaluation_results", OFFICER),
    Route("screening:dossier_detail", OFFICER, kwargs=_dossier(lambda w: w.subject)),
    Route("screening:dossier_history", OFFICER, kwargs=_dossier(lambda w: w.subject)),
    # Outside the officer's units (Den Haag): as if it did not exist.
    Route(
        "screening:dossier_detail",
        OFFICER,
        kwargs=_dossier(lambda w: w.outsider),
        overrides={R.SCREENING_OFFICER: 404},
    ),
    Route(
        "screening:dossier_history",
        OFFICER,
        kwargs=_dossier(lambda w: w.outsider),
        overrides={R.SCREENING_OFFICER: 404},
    ),
    # About the officer themself: never visible to them.
    Route(
        "screening:dossier_detail",
        OFFICER,
        kwargs=_dossier(lambda w: w.employee_of(R.SCREENING_OFFICER)),
        overrides={R.SCREENING_OFFICER: 404},
    ),
    Route("screening:dossier_action", OFFICER, kwargs=_action("take"), method="post", ok=302),
    Route(
        "screening:dossier_action",
        OFFICER,
        kwargs=_action("interview"),
        method="post",
        data=lambda w: {"interview-held_on": "2020-01-01"},
        ok=422,  # refused: not taken on yet — the page comes back with the reason
    ),
    Route(
        "screening:dossier_action",
        OFFICER,
        kwargs=_action("shred"),
        method="post",
        overrides={R.SCREENING_OFFICER: 404},
    ),
    Route(
        "screening:dossier_action",
        OFFICER,
        kwargs=lambda w: {**_dossier(lambda x: x.outsider)(w), "action": "take"},
        method="post",
        overrides={R.SCREENING_OFFICER: 404},
    ),
    Route("screening:my_screening", EMPLOYEE),
    Route("screening:self_report_create", EMPLOYEE),
    Route(
        "screening:evaluation_create",
        EMPLOYEE,
        kwargs=_invitation(lambda w: w.employee_of(R.EMPLOYEE)),
    ),
    # Someone else's invitation: not found, even for an employee.
    Route(
        "screening:evaluation_create",
        EMPLOYEE,
        kwargs=_invitation(lambda w: w.subject),
        overrides={R.EMPLOYEE: 404},
    ),
]
