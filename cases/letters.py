"""The standard texts of the investigation's letters (Dutch), drafted from the case.

The texts are templates in ``cases/templates/cases/letters/``; the investigator may adjust
a drafted letter until it is sent. What each letter must say comes from the protocol: the
notification says an investigation has started and that the protocol applies; an invitation
names the nature and purpose, the expected duration, the right to bring counsel and that the
interview is recorded; the invitation to a search of the workplace asks the person to be
present (the time agreed with them); the invitation to the hearing gives the date, time and
place and its conditions (view, not copy; notes; counsel).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import translation

from cases.models import LetterKind

if TYPE_CHECKING:
    from cases.models import Interview, Investigation, InvestigationMethod

SUBJECTS = {
    LetterKind.NOTIFICATION: "Kennisgeving van een integriteitsonderzoek",
    LetterKind.INVITATION: "Uitnodiging voor een verhoor",
    LetterKind.TELECOM_NOTICE: "Mededeling over onderzoek naar uw telecommunicatie",
    LetterKind.RECORDING_DESTROYED: "Vernietiging van de geluidsopname van uw verhoor",
    LetterKind.SEARCH_INVITATION: "Uitnodiging om aanwezig te zijn bij het doorzoeken van uw werkomgeving",
    LetterKind.HEARING_INVITATION: "Uitnodiging voor het wederhoor",
    LetterKind.OUTCOME: "Uitkomst van het integriteitsonderzoek",
}


def draft(
    *,
    kind: LetterKind,
    investigation: Investigation,
    recipient_name: str,
    interview: Interview | None = None,
    method: InvestigationMethod | None = None,
) -> tuple[str, str]:
    """The subject and body of a new letter of ``kind``."""
    # Letters are Dutch documents, whatever language the investigator's screen is in.
    with translation.override("nl"):
        body = render_to_string(
            f"cases/letters/{kind.value}.txt",
            {
                "investigation": investigation,
                "case": investigation.case,
                "recipient_name": recipient_name,
                "interview": interview,
                "method": method,
                "hearing": getattr(investigation, "hearing", None),
            },
        )
    # Templates are laid out for readability; a letter's paragraphs are separated by one
    # blank line and have no stray indentation.
    paragraphs = [" ".join(part.split()) for part in body.strip().split("\n\n")]
    text = "\n\n".join(p for p in paragraphs if p)
    return f"{SUBJECTS[kind]} — {investigation.case.reference}", text
