"""Sweep expectations for the API: every path × every role a service account can hold.

``allowed`` roles get ``ok`` with a token carrying every scope; other roles get 403 (the
roles lack the capability the scope needs); no token is 401; a token without the path's
scope is 403 for every role. Objects of another service account answer 404.
"""

from __future__ import annotations

import datetime
from io import BytesIO
from typing import Any

from django.utils import timezone

from tests.sweep import ALL_ROLES, Route
from vik.roles import Role

R = Role
EVENTS = (
    "event_id,occurred_at,employee_id,system,action,subject_ref,incident_ref,workstation\n"
    "sweep-1,2026-10-20T10:00:00+02:00,1,BVH,view,S-1,,WS1\n"
)


def _other_accounts_delivery(kind: str):
    def make(world: Any) -> dict[str, int]:
        from api import services
        from api.models import Delivery, Scope

        account = services.create_service_account(
            name=f"other-{kind}", description="", acting_user=None
        )
        token = services.issue_token(
            account=account, name="t", scopes=[Scope.HR_IMPORT], acting_user=None
        ).token
        delivery = Delivery.objects.create(kind=kind, account=account, token=token)
        return {"pk": delivery.pk}

    return make


def _other_accounts_run(world: Any) -> dict[str, int]:
    from monitoring.models import DetectionRun

    run = DetectionRun.objects.create(
        period_start=datetime.date(2026, 10, 19), period_end=datetime.date(2026, 10, 19)
    )
    return {"pk": run.pk}


def _period() -> str:
    today = timezone.localdate()
    return f"?start={today - datetime.timedelta(days=7)}&end={today}"


def _incidents(world: Any) -> dict[str, Any]:
    upload = BytesIO(
        b"incident_ref,region,opened_at,closed_at\nI-1,AM,2026-10-01T08:00:00+02:00,\n"
    )
    upload.name = "incidents.csv"
    return {"incidents": upload}


def _functions(world: Any) -> dict[str, Any]:
    upload = BytesIO(b"code,name\nAgent,Agent\n")
    upload.name = "functions.csv"
    return {"functions": upload}


def _report(world: Any) -> dict[str, Any]:
    return {"channel": "anonymous", "summary": "Sweep", "unit": "AM"}


def _complaint(world: Any) -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    return {
        "unit": "AM",
        "received_on": today,
        "conduct_on": today,
        "channel": "web_form",
        "summary": "Sweep",
        "themes": ["bejegening"],
        "complainant": {"name": "K. Lager", "phone": "0612345678"},
    }


ROUTES = [
    Route(
        "api:monitoring_access_logs",
        frozenset({R.ADMINISTRATOR}),
        method="post",
        data=lambda w: {"body": EVENTS, "content_type": "text/csv"},
        ok=202,
        api=True,
    ),
    Route(
        "api:monitoring_access_log_file",
        frozenset({R.ADMINISTRATOR}),
        kwargs=lambda w: {"filename": "events.csv"},
        method="post",
        data=lambda w: {"body": EVENTS, "content_type": "application/octet-stream"},
        ok=202,
        api=True,
    ),
    Route(
        "api:monitoring_reference_deliveries",
        frozenset({R.ADMINISTRATOR}),
        method="post",
        data=_incidents,
        ok=202,
        api=True,
    ),
    Route(
        "api:monitoring_delivery",
        frozenset({R.ADMINISTRATOR}),
        kwargs=_other_accounts_delivery("access_log"),
        ok=404,  # another system's delivery: as if it did not exist
        api=True,
    ),
    Route(
        "api:monitoring_delivery_rejections",
        frozenset({R.ADMINISTRATOR}),
        kwargs=_other_accounts_delivery("reference"),
        ok=404,
        api=True,
    ),
    Route(
        "api:detection_runs",
        frozenset({R.ADMINISTRATOR}),
        method="post",
        data=lambda w: {
            "body": '{"start": "2026-10-19", "end": "2026-10-19"}',
            "content_type": "application/json",
        },
        ok=202,
        api=True,
    ),
    Route(
        "api:detection_run",
        frozenset({R.ADMINISTRATOR}),
        kwargs=_other_accounts_run,
        ok=404,  # started by someone else
        api=True,
    ),
    Route("api:signals", frozenset({R.ANALYST}), query=_period(), api=True),
    Route(
        "api:intake_reports",
        frozenset({R.INVESTIGATOR, R.VIK_HEAD}),
        method="post",
        data=lambda w: {"body": _report(w), "content_type": "application/json"},
        ok=201,
        api=True,
    ),
    Route(
        "api:intake_complaints",
        frozenset({R.COMPLAINT_HANDLER}),
        method="post",
        data=lambda w: {"body": _complaint(w), "content_type": "application/json"},
        ok=201,
        api=True,
    ),
    Route(
        "api:hr_deliveries",
        frozenset({R.ADMINISTRATOR}),
        method="post",
        data=_functions,
        ok=202,
        api=True,
    ),
    Route(
        "api:hr_delivery",
        frozenset({R.ADMINISTRATOR}),
        kwargs=_other_accounts_delivery("hr"),
        ok=404,
        api=True,
    ),
    Route(
        "api:hr_delivery_rejections",
        frozenset({R.ADMINISTRATOR}),
        kwargs=_other_accounts_delivery("hr"),
        ok=404,
        api=True,
    ),
    # The documentation: public, no data, no token needed.
    Route("api:schema", ALL_ROLES, public=True),
    Route("api:docs", ALL_ROLES, public=True),
    Route("api:redoc", ALL_ROLES, public=True),
]
