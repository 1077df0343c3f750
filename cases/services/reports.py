"""The investigation report rendered in the background, with progress the page can show."""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.documents import investigation_report_pdf
from cases.integrity import IntegrityBreachError, raise_alarm
from cases.models import Case, ReportRender
from cases.selectors import report_renders_visible_to
from cases.services._base import Acting, actor, lock_case
from vik import render_jobs

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

logger = logging.getLogger(__name__)


@transaction.atomic
def request_report_render(*, case: Case, acting_user: AnyUser) -> ReportRender:
    """Queue a rendering of the investigation report; the task starts after commit.

    A rendering already queued or running for this user is reused, so a double click does
    not render twice.
    """
    case = lock_case(case, user=acting_user, acting=Acting.CASE_STAFF)
    if not hasattr(case, "investigation"):
        raise ValidationError(_("Only an investigation has a report."))
    running = ReportRender.objects.filter(
        case=case,
        requested_by=actor(acting_user),
        is_handover=False,
        status__in=[ReportRender.Status.QUEUED, ReportRender.Status.RUNNING],
    ).first()
    if running is not None:
        return running
    return queue_report_render(case, acting_user=acting_user)


def queue_report_render(
    case: Case, *, acting_user: AnyUser, is_handover: bool = False
) -> ReportRender:
    """Create a rendering job and start the task after commit (inside a caller's transaction)."""
    from cases.tasks import render_case_report  # the task module imports the services

    render = ReportRender.objects.create(
        case=case, requested_by=actor(acting_user), is_handover=is_handover
    )
    # robust: with Redis away the job is committed and stays "waiting" (the page says so)
    # instead of the request failing; requeue_waiting_renders sends it once Redis is back.
    transaction.on_commit(lambda: render_case_report.delay(render.pk), robust=True)
    return render


def requeue_waiting_renders(*, older_than: datetime.timedelta) -> list[int]:
    """Send the task again for renderings still waiting after ``older_than`` (idempotent).

    A job waits this long only when its message never reached the broker (Redis was down
    when it was requested) or was lost with it. A second message for a job that is in fact
    queued does no harm: ``render_report`` claims the job first.
    """
    from cases.tasks import render_case_report

    ids = list(
        ReportRender.objects.filter(
            status=ReportRender.Status.QUEUED, requested_at__lte=timezone.now() - older_than
        ).values_list("pk", flat=True)
    )
    for render_id in ids:
        render_case_report.delay(render_id)
    return ids


def render_report(render_id: int) -> bool:
    """Render a queued report once (the task's body). Idempotent: claims before it works.

    Returns whether this call did the rendering. A failure is recorded on the job and
    logged; it is not retried automatically, the user can ask again.
    """
    if not render_jobs.claim(ReportRender, render_id):
        return False
    render = ReportRender.objects.select_related("case").get(pk=render_id)
    try:
        pdf, pages = investigation_report_pdf(
            render.case,
            progress=render_jobs.progress_reporter(ReportRender, render_id),
            handover=render if render.is_handover else None,
        )
        render_jobs.store_pdf(
            render,
            name=f"reports/{render.case_id}/{render.pk}-{render.case.reference}.pdf",
            pdf=pdf,
        )
    except IntegrityBreachError as breach:
        # A sealed interview report changed past VIK: no report; the privacy officers know.
        raise_alarm(breach, acting_user=None)
        render_jobs.failed(ReportRender, render_id, breach)
        return False
    except Exception as error:
        logger.exception("rendering report %s failed", render_id)
        render_jobs.failed(ReportRender, render_id, error)
        return False
    render_jobs.done(render, pdf=pdf, pages=pages)
    return True


def finished_render_for_download(*, render: ReportRender, user: AnyUser) -> ReportRender:
    """The rendering, re-fetched through its selector, if it finished."""
    render = report_renders_visible_to(user=user).get(pk=render.pk)
    if render.status != ReportRender.Status.DONE or not render.file:
        raise PermissionDenied
    return render
