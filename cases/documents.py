"""The documents VIK signs and sends, rendered to PDF (WeasyPrint, in Dutch).

* the interview report of one version: case reference and version in the header, the
  version's content hash, "pagina X van Y" and an initials box (paraaf) for each party on
  every page, and signature blocks at the end;
* letters: the notification of the person concerned, interview invitations, notices and the
  outcome;
* the investigation report: title page, table of contents, the assignment, the account of how
  the information was gathered (generated from the methods register and the journal), every
  interview, the hearing, the findings and the conclusion; an initials box for each
  investigator on every page and their signature block at the end;
* the written assignment, signed by the commissioner;
* what the reporter was told (a letter to the reporter, for the commissioner only).

The reporter's identity appears in no document unless the reporter consented. Callers
fetch the objects through the visible-to selectors and log each PDF as a print in the access
log; these functions only render.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from cases.integrity import verify_version
from cases.models import (
    FINAL_STATES,
    Case,
    CaseParty,
    ConsentDecision,
    Interview,
    IntervieweeRole,
    InterviewReportVersion,
    InterviewStatus,
    Investigation,
    Letter,
    ReporterIdentity,
    ReporterNotice,
    ReportRender,
    VersionState,
)
from cases.protocol import checklist
from cases.selectors import active_investigators, commissioners_of
from vik.pdf import layout_html, render_pdf

CLASSIFICATION = "Politie — vertrouwelijk"


def _name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def interview_facts(version: InterviewReportVersion) -> dict[str, Any]:
    """What the report prints about the interview: from the version's snapshot once sent.

    A draft shows the interview as it is now; a sent version what was fixed when it was sent
    (and sealed), so a later edit of the interview cannot change a report on record.
    """
    interview = version.interview
    snapshot = version.snapshot if version.state != VersionState.DRAFT else {}
    if not snapshot:
        return {
            "reference": interview.investigation.case.reference,
            "interviewee_name": interview.interviewee_name,
            "role_label": interview.get_role_display(),
            "moment": interview.held_at or interview.scheduled_at,
            "location": interview.location,
            "investigators": [
                _name(interview.lead_investigator),
                _name(interview.second_investigator),
            ],
            "counsel_present": interview.counsel_present,
            "counsel_name": interview.counsel_name,
            "is_recorded": interview.is_recorded,
            "nature_and_purpose": interview.nature_and_purpose,
        }
    moment = snapshot.get("moment")
    return {
        "reference": snapshot["case_reference"],
        "interviewee_name": snapshot["interviewee_name"],
        "role_label": IntervieweeRole(snapshot["role"]).label,
        "moment": datetime.datetime.fromisoformat(moment) if moment else None,
        "location": snapshot["location"],
        "investigators": list(snapshot["investigators"]),
        "counsel_present": snapshot["counsel_present"],
        "counsel_name": snapshot["counsel_name"],
        "is_recorded": snapshot["is_recorded"],
        "nature_and_purpose": snapshot["nature_and_purpose"],
    }


def interview_report_context(version: InterviewReportVersion) -> dict[str, Any]:
    """What the interview report of one version shows.

    Raises :class:`cases.integrity.IntegrityBreachError` when a sent version no longer
    matches its content hash or seal: nothing is rendered from a row changed past VIK.
    """
    verify_version(version)
    interview = version.interview
    case = interview.investigation.case
    facts = interview_facts(version)
    investigators = facts["investigators"]
    return {
        "document_title": f"Gespreksverslag {facts['reference']} versie {version.number}",
        "document_reference": f"{facts['reference']} · verslag verhoor {facts['interviewee_name']} · versie {version.number}",
        "classification": CLASSIFICATION,
        "case": case,
        "interview": interview,
        "facts": facts,
        "version": version,
        "investigators": investigators,
        "parties": [
            (facts["interviewee_name"], "Geïnterviewde"),
            (investigators[0], "Onderzoeker"),
            (investigators[1], "Onderzoeker"),
        ],
        "is_draft": version.state == VersionState.DRAFT,
    }


def interview_report_pdf(version: InterviewReportVersion) -> bytes:
    """The interview report of one version, to be initialled on every page and signed."""
    with translation.override("nl"):
        return render_pdf(
            template_name="cases/pdf/interview_report.html",
            context=interview_report_context(version),
        )


def letter_context(letter: Letter) -> dict[str, Any]:
    """A letter with its letterhead, date and signer."""
    investigation = letter.investigation
    case = investigation.case
    signer = letter.sent_by or letter.drafted_by
    is_commissioner = signer is not None and commissioners_of(case).filter(pk=signer.pk).exists()
    return {
        "document_title": letter.subject,
        "document_reference": case.reference,
        "classification": CLASSIFICATION,
        "letter": letter,
        "case": case,
        "paragraphs": [p.strip() for p in letter.body.split("\n\n") if p.strip()],
        "signer_name": _name(signer),
        "signer_function": "Hoofd VIK, opdrachtgever" if is_commissioner else "Onderzoeker VIK",
        "letter_date": letter.sent_on or timezone.localdate(),
        "is_draft": letter.sent_on is None,
    }


def letter_pdf(letter: Letter) -> bytes:
    """A letter as PDF (Dutch, whatever the user's language)."""
    with translation.override("nl"):
        return render_pdf(template_name="cases/pdf/letter.html", context=letter_context(letter))


def _verified(version: InterviewReportVersion | None) -> InterviewReportVersion | None:
    """The version, once its content hash and seal still match (else the render stops)."""
    if version is not None:
        verify_version(version)
    return version


def _final_version(interview: Interview) -> InterviewReportVersion | None:
    versions = list(interview.versions.all())
    finals = [v for v in versions if v.state in FINAL_STATES]
    if finals:
        return finals[-1]
    return versions[-1] if versions else None


def investigation_report_context(
    case: Case, *, handover: ReportRender | None = None
) -> dict[str, Any]:
    """Everything the investigation report says, in the order it says it."""
    investigation: Investigation = case.investigation
    identity = ReporterIdentity.objects.filter(case=case).first()
    interviews = list(
        investigation.interviews.select_related(
            "lead_investigator", "second_investigator"
        ).prefetch_related("versions")
    )
    methods = list(
        investigation.methods.select_related("decided_by").prefetch_related("stage_decisions")
    )
    requests = list(investigation.document_requests.all())
    refusals = [
        (i.interviewee_name, i.get_role_display(), i.refusal_reason)
        for i in interviews
        if i.status == InterviewStatus.REFUSED
    ] + [
        (r.requested_from_name, "Verzoek om stukken", r.refusal_reason)
        for r in requests
        if r.refused_on
    ]
    # Every final version is verified before anything is rendered (a breach stops it all).
    finals = [(interview, _verified(_final_version(interview))) for interview in interviews]
    commissioner = investigation.assignment_issued_by or case.triaged_by
    investigators = [_name(user) for user in active_investigators(investigation)]
    return {
        "document_title": f"Onderzoeksrapport {case.reference}",
        "document_reference": f"Onderzoeksrapport {case.reference}",
        "classification": CLASSIFICATION,
        "case": case,
        "investigation": investigation,
        "concerned": [
            p.employee
            for p in case.parties.filter(role=CaseParty.Role.CONCERNED).select_related("employee")
        ],
        "reporter_name": identity.name if identity and identity.consent_to_disclose else None,
        "reporter_protected": identity is not None and not identity.consent_to_disclose,
        "commissioner": _name(commissioner),
        "investigators": investigators,
        "initials": [(name, "onderzoeker") for name in investigators],
        "extensions": list(investigation.extensions.select_related("decided_by")),
        "steps": checklist(investigation),
        "methods": methods,
        "consented": ConsentDecision.GRANTED,
        "interviews": finals,
        # Chapter 3 quotes each report as it was sent (and sealed): its snapshot, not the
        # interview as it stands now.
        "interview_reports": [
            (interview, version, interview_facts(version))
            for interview, version in finals
            if version is not None
        ],
        "requests": requests,
        "refusals": refusals,
        "journal": list(investigation.journal.select_related("author")),
        "hearing": getattr(investigation, "hearing", None),
        "evidence": list(investigation.evidence.all()),
        "disciplinary": getattr(investigation, "disciplinary", None),
        "generated_at": timezone.localtime(),
        "handed_over_at": investigation.report_submitted_at,
        "is_handover": handover is not None,
    }


def investigation_report_pdf(
    case: Case,
    *,
    progress: Callable[[int, str], None] | None = None,
    handover: ReportRender | None = None,
) -> tuple[bytes, int]:
    """The investigation report as PDF bytes and its number of pages.

    Renders in steps so a background task can report progress: gather, lay out, write.
    Uses the core's fetcher (only VIK's static files can be loaded) like ``render_pdf``;
    the layout step is separate so that the page count is known.
    """

    def step(percent: int, label: str) -> None:
        if progress is not None:
            progress(percent, label)

    with translation.override("nl"):
        step(5, "Gegevens verzamelen")
        context = investigation_report_context(case, handover=handover)
        step(20, "Tekst opmaken")
        html = render_to_string("cases/pdf/investigation_report.html", context)
        step(35, "Pagina's opmaken")
        document = layout_html(html)
        step(85, "PDF schrijven")
        pdf = document.write_pdf()
        assert pdf is not None  # noqa: S101 - write_pdf without a target returns bytes
        step(100, "Klaar")
        return pdf, len(document.pages)


def assignment_context(investigation: Investigation) -> dict[str, Any]:
    """The written assignment as the commissioner signs it."""
    case = investigation.case
    commissioner = investigation.assignment_issued_by or case.triaged_by
    return {
        "document_title": f"Schriftelijke opdracht {case.reference}",
        "document_reference": f"Opdracht tot onderzoek {case.reference}",
        "classification": CLASSIFICATION,
        "case": case,
        "investigation": investigation,
        "commissioner": _name(commissioner),
        "investigators": [_name(user) for user in active_investigators(investigation)],
        "concerned": [
            p.employee
            for p in case.parties.filter(role=CaseParty.Role.CONCERNED).select_related("employee")
        ],
        "extensions": list(investigation.extensions.select_related("decided_by")),
        "is_draft": not investigation.assignment_issued,
    }


def assignment_pdf(investigation: Investigation) -> bytes:
    """The written assignment (opdracht) with the commissioner's signature block."""
    with translation.override("nl"):
        return render_pdf(
            template_name="cases/pdf/assignment.html", context=assignment_context(investigation)
        )


def reporter_notice_context(notice: ReporterNotice) -> dict[str, Any]:
    """A notice to the reporter as a letter (only the commissioner prints it)."""
    case = notice.case
    identity = ReporterIdentity.objects.filter(case=case).first()
    return {
        "document_title": notice.get_kind_display(),
        "document_reference": case.reference,
        "classification": CLASSIFICATION,
        "case": case,
        "notice": notice,
        "reporter_name": identity.name if identity is not None else "De melder",
        "reporter_contact": identity.contact if identity is not None else "",
        "paragraphs": [p.strip() for p in notice.text.split("\n\n") if p.strip()],
        "signer_name": _name(notice.sent_by),
    }


def reporter_notice_pdf(notice: ReporterNotice) -> bytes:
    """What the reporter was told, as the letter that went to them."""
    with translation.override("nl"):
        return render_pdf(
            template_name="cases/pdf/reporter_notice.html",
            context=reporter_notice_context(notice),
        )
