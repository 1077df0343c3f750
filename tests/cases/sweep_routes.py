"""Sweep expectations for the cases URLs: every URL × every role → the expected status.

The objects are made straight in the database (the protocol has its own tests): an
investigation in Amsterdam about the world's subject, assigned to the world's investigator,
with one of each part. Who may open what:

* case pages: the commissioner (head of VIK over AM) and the assigned investigator;
* the commissioner's forms: only the head (403 for the investigator: not their feature);
* the investigators' forms: only the investigator (403 for the head);
* a case not assigned to the investigator: 404 for them; a case in Den Haag: 404 for both;
* the referrals' earlier addresses lead the team chief to their conversations (monitoring).

Files that must exist for a download are written once, under a fixed name, to the private
storage (runtime data, never in the repository).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.sweep import Route
from vik.roles import Role

R = Role
BOTH = frozenset({R.VIK_HEAD, R.INVESTIGATOR})
HEAD = frozenset({R.VIK_HEAD})
INVESTIGATOR = frozenset({R.INVESTIGATOR})


def _stored(name: str, content: bytes) -> str:
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    return name


def _case(world: Any, *, unit: str = "AM", subject: Any = None, assign: bool = True) -> Any:
    from cases.models import Case, CaseParty, CaseStatus, Investigation, TriageDecision
    from cases.permissions import grant_case
    from cases.services.intake import _next_reference

    head = world.user(R.VIK_HEAD)
    now = timezone.now()
    unit_obj = world.units[unit]
    case = Case.objects.create(
        reference=_next_reference(unit_obj, now.year),
        unit=unit_obj,
        channel="internal",
        summary="Sweep",
        status=CaseStatus.INVESTIGATING,
        triage_decision=TriageDecision.DISCIPLINARY,
        triaged_at=now,
        triaged_by=head,
    )
    CaseParty.objects.create(
        case=case, employee=subject or world.subject, role=CaseParty.Role.CONCERNED
    )
    Investigation.objects.create(
        case=case,
        kind="disciplinary",
        employer_powers_consent=True,
        assignment_issued_at=now,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    if assign:
        from cases.models import InvestigatorAssignment

        investigator = world.user(R.INVESTIGATOR)
        InvestigatorAssignment.objects.create(
            investigation_id=case.pk, user=investigator, assigned_by=head
        )
        grant_case(user=investigator, case=case)
    return case


def case(world: Any) -> dict[str, Any]:
    return {"pk": _case(world).pk}


def unassigned_case(world: Any) -> dict[str, Any]:
    return {"pk": _case(world, assign=False).pk}


def other_unit_case(world: Any) -> dict[str, Any]:
    return {"pk": _case(world, unit="DH", subject=world.outsider, assign=False).pk}


def registered_case(world: Any) -> dict[str, Any]:
    """A report awaiting triage, registered by the investigator (the registrar sees it)."""
    from cases import services

    report = services.register_report(
        channel="internal",
        summary="Sweep",
        concerned_employees=[world.subject],
        acting_user=world.user(R.INVESTIGATOR),
    )
    return {"pk": report.pk}


def _interview(world: Any, case_obj: Any) -> Any:
    from cases.models import Interview

    investigator = world.user(R.INVESTIGATOR)
    return Interview.objects.create(
        investigation_id=case_obj.pk,
        role="internal_witness",
        interviewee=world.colleague,
        interviewee_name=world.colleague.full_name,
        scheduled_at=timezone.now(),
        location="VIK",
        expected_duration_minutes=60,
        nature_and_purpose="Sweep",
        lead_investigator=investigator,
        second_investigator=world.user(R.VIK_HEAD),
        status="held",
        held_at=timezone.now(),
    )


def interview(world: Any) -> dict[str, Any]:
    case_obj = _case(world)
    return {"pk": case_obj.pk, "object_pk": _interview(world, case_obj).pk}


def version(world: Any) -> dict[str, Any]:
    from cases.models import InterviewReportVersion

    case_obj = _case(world)
    item = InterviewReportVersion.objects.create(
        interview=_interview(world, case_obj), number=1, content="Verslag"
    )
    return {"pk": case_obj.pk, "version_pk": item.pk}


def letter(world: Any) -> dict[str, Any]:
    from cases.models import Letter

    case_obj = _case(world)
    item = Letter.objects.create(
        investigation_id=case_obj.pk,
        kind="notification",
        recipient=world.subject,
        recipient_name=world.subject.full_name,
        subject="Kennisgeving",
        body="Geachte heer, mevrouw,\n\nTekst.",
    )
    return {"pk": case_obj.pk, "object_pk": item.pk}


def method(world: Any) -> dict[str, Any]:
    from cases.models import InvestigationMethod

    case_obj = _case(world)
    item = InvestigationMethod.objects.create(
        investigation_id=case_obj.pk,
        kind="telecom_messages",
        description="Sweep",
        proportionality="p",
        subsidiarity="s",
    )
    return {"pk": case_obj.pk, "object_pk": item.pk}


def document_request(world: Any) -> dict[str, Any]:
    from cases.models import DocumentRequest

    case_obj = _case(world)
    today = timezone.localdate()
    item = DocumentRequest.objects.create(
        investigation_id=case_obj.pk,
        requested_from_name="Beheer",
        description="Logs",
        requested_on=today,
        due_on=today,
    )
    return {"pk": case_obj.pk, "object_pk": item.pk}


def evidence(world: Any) -> dict[str, Any]:
    from cases.models import Evidence

    case_obj = _case(world)
    item = Evidence.objects.create(
        investigation_id=case_obj.pk,
        file=_stored("cases/sweep/evidence.txt", b"sweep\n"),
        original_name="bewijs.txt",
        content_type="text/plain",
        size=6,
        sha256="0" * 64,
        description="Sweep",
    )
    return {"pk": case_obj.pk, "object_pk": item.pk}


def assignment(world: Any) -> dict[str, Any]:
    case_obj = _case(world)
    return {
        "pk": case_obj.pk,
        "object_pk": case_obj.investigation.investigator_assignments.get().pk,
    }


def forwarded_signal(world: Any) -> dict[str, Any]:
    """A monitoring signal forwarded to the sweep case (made once, as monitoring would)."""
    from cases.models import ForwardedSignal

    case_obj = _case(world)
    forwarded, _created = ForwardedSignal.objects.get_or_create(
        case=case_obj,
        source_reference="monitoring.signal:999999",
        defaults={"summary": "Raadplegingen buiten het rooster."},
    )
    return {"pk": case_obj.pk, "object_pk": forwarded.pk}


def complaint(world: Any) -> dict[str, Any]:
    from cases.models import InvestigationComplaint

    case_obj = _case(world)
    item = InvestigationComplaint.objects.create(
        case=case_obj, received_on=timezone.localdate(), complainant="Raadsman", summary="Sweep"
    )
    return {"pk": case_obj.pk, "object_pk": item.pk}


def render(world: Any, *, done: bool = False) -> dict[str, Any]:
    from cases.models import ReportRender

    case_obj = _case(world)
    item = ReportRender.objects.create(
        case=case_obj,
        status=ReportRender.Status.DONE if done else ReportRender.Status.RUNNING,
        file=_stored("cases/sweep/report.pdf", b"%PDF-1.7\n%sweep\n") if done else "",
        pages=1 if done else None,
    )
    return {"pk": case_obj.pk, "object_pk": item.pk}


def referral(world: Any, *, employee: str = "subject") -> dict[str, Any]:
    from cases.models import LineReferral

    case_obj = _case(world, subject=getattr(world, employee))
    item = LineReferral.objects.create(
        case=case_obj, employee=getattr(world, employee), instruction="Bespreek het."
    )
    return {"pk": item.pk}


def scheduled_interview(world: Any) -> dict[str, Any]:
    from cases.models import Interview

    case_obj = _case(world)
    item = _interview(world, case_obj)
    Interview.objects.filter(pk=item.pk).update(status="scheduled", held_at=None)
    return {"pk": case_obj.pk, "object_pk": item.pk}


def planned_hearing(world: Any) -> dict[str, Any]:
    from cases.models import Hearing

    case_obj = _case(world)
    Hearing.objects.create(
        investigation_id=case_obj.pk,
        offered_on=timezone.localdate(),
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
        location="Bureau VIK, kamer 3",
    )
    return {"pk": case_obj.pk}


def reporter_notice(world: Any) -> dict[str, Any]:
    from cases.models import ReporterIdentity, ReporterNotice

    case_obj = _case(world)
    ReporterIdentity.objects.create(case=case_obj, name="Melder")
    item = ReporterNotice.objects.create(
        case=case_obj,
        kind="taken_up",
        text="Uw melding is in behandeling.",
        sent_on=timezone.localdate(),
    )
    return {"pk": case_obj.pk, "object_pk": item.pk}


def case_route(name: str, allowed: frozenset[Role] = BOTH, **kwargs: Any) -> Route:
    return Route(f"cases:{name}", allowed, kwargs=case, **kwargs)


ROUTES: list[Route] = [
    Route("cases:case_list", BOTH),
    Route("cases:report_create", BOTH),
    Route("cases:deadlines", BOTH),
    Route("cases:statistics", HEAD),
    # Earlier addresses of the referrals: to the team chief's conversations (monitoring),
    # which decide 404 for another team's.
    Route("cases:referral_list", frozenset({R.TEAM_CHIEF}), ok=302),
    Route("cases:referral_detail", frozenset({R.TEAM_CHIEF}), kwargs=referral, ok=302),
    # The case and its tabs: the commissioner and the assigned investigator.
    case_route("case_detail"),
    case_route("case_history"),
    case_route("journal"),
    case_route("methods"),
    case_route("interviews"),
    case_route("documents"),
    case_route("letters"),
    case_route("conclusion"),
    # Not assigned to the investigator: invisible to them.
    Route("cases:case_detail", HEAD, kwargs=unassigned_case, overrides={R.INVESTIGATOR: 404}),
    Route("cases:journal", HEAD, kwargs=unassigned_case, overrides={R.INVESTIGATOR: 404}),
    # Another unit's case: invisible to both.
    Route(
        "cases:case_detail",
        frozenset(),
        kwargs=other_unit_case,
        overrides={R.VIK_HEAD: 404, R.INVESTIGATOR: 404},
    ),
    # A report awaiting triage: the head and the registrar (here: the investigator).
    Route("cases:case_detail", BOTH, kwargs=registered_case),
    Route("cases:triage", HEAD, kwargs=registered_case),
    # Intake and triage: the commissioner's.
    case_route("reporter_reveal", HEAD),
    case_route("reporter_consent", HEAD),
    case_route("whistleblower_ack", HEAD),
    case_route("whistleblower_feedback", HEAD),
    case_route("triage", HEAD),
    # What the reporter is told: the commissioner's (like the reporter's identity).
    Route(
        "cases:reporter_notice",
        HEAD,
        kwargs=lambda w: {**case(w), "kind": "taken_up"},
    ),
    Route(
        "cases:reporter_notice",
        frozenset(),
        kwargs=lambda w: {**case(w), "kind": "nonsense"},
        overrides={R.VIK_HEAD: 404},
    ),
    Route("cases:reporter_notice_pdf", HEAD, kwargs=reporter_notice),
    case_route("party_add", HEAD),
    Route("cases:forwarded_signal", HEAD, kwargs=forwarded_signal),
    case_route("investigator_assign", HEAD),
    Route("cases:investigator_end", HEAD, kwargs=assignment),
    case_route("assignment", HEAD),
    case_route("assignment_pdf", BOTH),
    case_route("assignment_extend", HEAD),
    case_route("counsellor", BOTH),
    # Methods.
    case_route("method_propose", INVESTIGATOR),
    Route("cases:method_notices", BOTH, kwargs=method),
    Route("cases:method_decide", HEAD, kwargs=method),
    Route("cases:telecom_stage", HEAD, kwargs=method),
    Route("cases:method_progress", INVESTIGATOR, kwargs=method),
    # Letters.
    case_route("letter_draft", BOTH),
    Route("cases:letter_edit", BOTH, kwargs=letter),
    Route("cases:letter_sent", BOTH, kwargs=letter),
    Route("cases:letter_pdf", BOTH, kwargs=letter),
    # Documents.
    case_route("document_request", INVESTIGATOR),
    Route("cases:document_outcome", INVESTIGATOR, kwargs=document_request),
    Route("cases:document_refusal_reported", INVESTIGATOR, kwargs=document_request),
    case_route("evidence_upload", INVESTIGATOR),
    Route("cases:evidence_download", BOTH, kwargs=evidence),
    # Interviews and reports.
    case_route("interview_schedule", INVESTIGATOR),
    Route("cases:interview_detail", BOTH, kwargs=interview),
    Route("cases:interview_outcome", INVESTIGATOR, kwargs=interview),
    Route("cases:interview_refusal_reported", INVESTIGATOR, kwargs=interview),
    Route("cases:interview_calendar", BOTH, kwargs=scheduled_interview),
    # A held interview is no appointment any more.
    Route(
        "cases:interview_calendar",
        frozenset(),
        kwargs=interview,
        overrides={R.VIK_HEAD: 404, R.INVESTIGATOR: 404},
    ),
    Route("cases:recording_destroyed", INVESTIGATOR, kwargs=interview),
    Route("cases:version_create", INVESTIGATOR, kwargs=interview),
    Route("cases:version_edit", INVESTIGATOR, kwargs=version),
    Route("cases:version_send", INVESTIGATOR, kwargs=version),
    Route("cases:version_response", INVESTIGATOR, kwargs=version),
    Route("cases:version_comments", INVESTIGATOR, kwargs=version),
    Route("cases:version_pdf", BOTH, kwargs=version),
    # Findings, hearing, report, outcome.
    case_route("findings", INVESTIGATOR),
    case_route("hearing_offer", INVESTIGATOR),
    case_route("hearing_record", INVESTIGATOR),
    Route("cases:hearing_calendar", BOTH, kwargs=planned_hearing),
    case_route("hearing_calendar", frozenset(), overrides={R.VIK_HEAD: 404, R.INVESTIGATOR: 404}),
    case_route("report_submit", INVESTIGATOR),
    case_route("outcome", HEAD),
    case_route("disciplinary", HEAD),
    case_route("report_provided", HEAD),
    case_route("case_close", HEAD),
    case_route("report_render", BOTH, method="post", ok=302),
    Route("cases:report_status", BOTH, kwargs=render),
    Route("cases:report_download", BOTH, kwargs=lambda w: render(w, done=True)),
    # Complaints about the investigation: the commissioner's.
    case_route("complaint_create", HEAD),
    Route("cases:complaint_answer", HEAD, kwargs=complaint),
]
