"""Sweep expectations for the transparency URLs.

The works council member may open the aggregate pages and nothing else here: every other
URL answers 403 (no capability) — the sweep requests each one as each role.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.sweep import Route
from vik.roles import Role

R = Role
AGGREGATES = frozenset({R.VIK_HEAD, R.COR_MEMBER, R.PRIVACY_OFFICER})
OFFICER = frozenset({R.PRIVACY_OFFICER})
HEAD = frozenset({R.VIK_HEAD})
EMPLOYEE = frozenset({R.EMPLOYEE})
MEASURE = "vik.access_log_by_role"


def _in_use(world):
    """One access-log entry, so VIK has been in use this year (the report has a year)."""
    from vik import services
    from vik.models import AccessAction

    services.record_access(
        actor=world.user(R.INVESTIGATOR),
        action=AccessAction.VIEW,
        role=R.INVESTIGATOR,
        employee=world.subject,
        obj=world.subject,
    )
    return timezone.localdate().year


def _report(audience):
    return lambda world: {"year": _in_use(world), "audience": audience}


def _render(audience, *, done=False):
    """A rendering of the logging report, requested by the one role that may see it."""

    def build(world):
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        from vik.transparency.models import LoggingReportRender

        owner = R.COR_MEMBER if audience == "cor" else R.PRIVACY_OFFICER
        render = LoggingReportRender.objects.create(
            year=_in_use(world),
            audience=audience,
            requested_by=world.user(owner),
            status=LoggingReportRender.Status.DONE if done else LoggingReportRender.Status.RUNNING,
            file=default_storage.save("logging-reports/sweep.pdf", ContentFile(b"%PDF-1.7\n"))
            if done
            else "",
            pages=1 if done else None,
        )
        return {"pk": render.pk}

    return build


def _request(world, *, answered=False):
    """A request for access by the world's employee."""
    from vik.transparency import services

    request = services.submit_access_request(
        employee=world.employee_of(R.EMPLOYEE), acting_user=world.user(R.EMPLOYEE)
    )
    if answered:
        services.complete_access_request(request=request, acting_user=world.user(R.PRIVACY_OFFICER))
    return request


def _open_request(world):
    return {"pk": _request(world).pk}


def _answered(fmt):
    return lambda world: {"pk": _request(world, answered=True).pk, "fmt": fmt}


def _deferral(world):
    """A deferral about the subject (Amsterdam), registered by the commissioner."""
    from vik.transparency import services

    deferral = services.defer_disclosure(
        employee=world.subject,
        category="vik.access_log",
        reason="Heimelijk onderzoek",
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
        acting_user=world.user(R.VIK_HEAD),
    )
    return {"pk": deferral.pk}


def _deferral_elsewhere(world):
    """A deferral about the outsider (Den Haag): outside this commissioner's units."""
    from vik.transparency.models import DisclosureDeferral

    deferral = DisclosureDeferral.objects.create(
        employee=world.outsider,
        category="vik.access_log",
        reason="Heimelijk onderzoek elders",
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    return {"pk": deferral.pk}


def _hold(world):
    from vik.transparency import services

    hold = services.place_legal_hold(
        employee=world.subject, reason="Rechtszaak", acting_user=world.user(R.PRIVACY_OFFICER)
    )
    return {"pk": hold.pk}


def _reason(world):
    return {"reason": "Toets"}


def _extension(world):
    ends_on = timezone.localdate() + datetime.timedelta(days=60)
    return {"reason": "Onderzoek loopt door", "ends_on": ends_on.isoformat()}


ROUTES = [
    # The works council's pages: aggregate figures only.
    Route("transparency:dashboard", AGGREGATES),
    Route("transparency:measure", AGGREGATES, kwargs=lambda w: {"key": MEASURE}),
    Route("transparency:measure_csv", AGGREGATES, kwargs=lambda w: {"key": MEASURE}),
    Route("transparency:report_list", AGGREGATES),
    # Asking for the logging report (rendered in the background); each rendering is its
    # requester's: another holder of the capability gets "not found".
    Route("transparency:report_request", AGGREGATES, kwargs=_report("cor"), method="post", ok=302),
    Route("transparency:report_request", OFFICER, kwargs=_report("privacy"), method="post", ok=302),
    Route(
        "transparency:report_render",
        frozenset({R.COR_MEMBER}),
        kwargs=_render("cor"),
        overrides={R.VIK_HEAD: 404, R.PRIVACY_OFFICER: 404},
    ),
    Route(
        "transparency:report_download",
        frozenset({R.COR_MEMBER}),
        kwargs=_render("cor", done=True),
        overrides={R.VIK_HEAD: 404, R.PRIVACY_OFFICER: 404},
    ),
    Route(
        "transparency:report_render",
        OFFICER,
        kwargs=_render("privacy"),
        overrides={R.VIK_HEAD: 404, R.COR_MEMBER: 404},
    ),
    Route(
        "transparency:report_download",
        OFFICER,
        kwargs=_render("privacy", done=True),
        overrides={R.VIK_HEAD: 404, R.COR_MEMBER: 404},
    ),
    # The employee's own data.
    Route("transparency:my_data", EMPLOYEE),
    Route("transparency:access_request_create", EMPLOYEE),
    Route("transparency:my_export", EMPLOYEE, kwargs=_answered("json")),
    # Requests for access: the privacy officer.
    Route("transparency:access_request_list", OFFICER),
    Route("transparency:access_request_detail", OFFICER, kwargs=_open_request),
    Route("transparency:access_request_history", OFFICER, kwargs=_open_request),
    Route(
        "transparency:access_request_extend",
        OFFICER,
        kwargs=_open_request,
        method="post",
        data=_reason,
        ok=302,
    ),
    Route(
        "transparency:access_request_complete",
        OFFICER,
        kwargs=_open_request,
        method="post",
        ok=302,
    ),
    Route("transparency:access_request_export", OFFICER, kwargs=_answered("pdf")),
    Route("transparency:privacy_settings", OFFICER),
    Route("transparency:legal_hold_create", OFFICER),
    Route(
        "transparency:legal_hold_release",
        OFFICER,
        kwargs=_hold,
        method="post",
        data=_reason,
        ok=302,
    ),
    # Deferrals: the commissioner registers, the privacy officer audits.
    Route("transparency:deferral_list", HEAD | OFFICER),
    Route("transparency:deferral_create", HEAD),
    Route("transparency:deferral_history", HEAD | OFFICER, kwargs=_deferral),
    # Outside the commissioner's units: it might as well not exist.
    Route(
        "transparency:deferral_history",
        HEAD | OFFICER,
        kwargs=_deferral_elsewhere,
        overrides={R.VIK_HEAD: 404},
    ),
    Route(
        "transparency:deferral_extend",
        HEAD,
        kwargs=_deferral,
        method="post",
        data=_extension,
        ok=302,
    ),
    Route(
        "transparency:deferral_lift",
        HEAD,
        kwargs=_deferral,
        method="post",
        data=_reason,
        ok=302,
    ),
    Route(
        "transparency:deferral_lift",
        HEAD,
        kwargs=_deferral_elsewhere,
        method="post",
        data=_reason,
        ok=302,
        overrides={R.VIK_HEAD: 404},
    ),
    # Retention: the administrator sets periods; the privacy officer reads and keeps holds.
    Route("transparency:retention", frozenset({R.ADMINISTRATOR, R.PRIVACY_OFFICER})),
    Route(
        "transparency:retention_edit",
        frozenset({R.ADMINISTRATOR}),
        kwargs=lambda w: {"category": "vik.access_log"},
    ),
]
