"""The rules of prevention and advice that are not workflow: terms and anonymisation.

* **Terms**: a first answer to a session request, an advice question or an after-discussion
  within a number of *working days* (Dutch statutory holidays, :mod:`vik.workdays`), with a
  reminder shortly before. The numbers are the department's working agreements, kept in
  :class:`~prevention.models.PreventionSettings` by the administrator.
* **Anonymisation**: a lesson from a closed investigation may carry no name, no date that
  identifies, and no case reference. :func:`identifying_passages` finds what would give the
  case away: the case's own references and the names and personnel numbers of everyone it
  involves (read through ``cases.selectors``), and anything shaped like a reference, a
  personnel number or a full date.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prevention.models import PreventionSettings
from vik.workdays import add_working_days

# --- Terms ------------------------------------------------------------------------------


def first_answer_due(start: datetime.date | None = None) -> datetime.date:
    """The last day of the first-answer term for something received on ``start``."""
    start = start or timezone.localdate()
    return add_working_days(start, PreventionSettings.load().first_answer_working_days)


def reminder_horizon(today: datetime.date) -> datetime.date:
    """Terms ending on or before this day get their reminder today."""
    return add_working_days(today, PreventionSettings.load().reminder_working_days_before)


def evaluation_closes_on(held_on: datetime.date) -> datetime.date:
    """The last day the participants of a session held on ``held_on`` can evaluate it."""
    return held_on + datetime.timedelta(days=PreventionSettings.load().evaluation_open_days)


# --- Anonymisation ----------------------------------------------------------------------

MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
    "|january|february|march|may|june|july|august|october"
)
# Shapes that identify whatever the case: VIK's references (AM-2026-0012, SES-2026-00003),
# personnel and registration numbers, and full dates (12-03-2026, 12 maart, 3/12).
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("reference", re.compile(r"\b[A-Z]{2,5}-\d{4}-\d{2,6}\b")),
    ("number", re.compile(r"\b\d{5,}\b")),
    ("date", re.compile(r"\b\d{1,2}[-/]\d{1,2}(?:[-/]\d{2,4})?\b")),
    ("date", re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")),
    ("date", re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS})\b", re.IGNORECASE)),
)
KIND_LABELS = {
    "reference": _("a reference"),
    "number": _("a number that may be a personnel or registration number"),
    "date": _("a date that may identify the case"),
    "case": _("a word that identifies the case or someone involved in it"),
}
# Single words shorter than this are not checked (initials, "de", "van").
MINIMUM_TERM_LENGTH = 3


@dataclass(frozen=True)
class Passage:
    """A piece of text that would identify the case, and why."""

    text: str
    kind: str

    @property
    def reason(self) -> str:
        return str(KIND_LABELS[self.kind])


def identifying_passages(texts: Iterable[str], case_terms: Iterable[str] = ()) -> list[Passage]:
    """What in ``texts`` identifies a case: its ``case_terms`` and identifying shapes.

    Case terms (names, personnel numbers, references of the case) are matched as whole
    words, case-insensitively, longest first; then the shapes, where no term matched. Each
    passage is reported once, in the order of the checks.
    """
    text = "\n".join(texts)
    covered: list[tuple[int, int]] = []
    found: dict[str, Passage] = {}

    def take(match: re.Match[str], kind: str) -> None:
        start, end = match.span()
        if any(start < other_end and other_start < end for other_start, other_end in covered):
            return
        covered.append((start, end))
        found.setdefault(match.group(0).lower(), Passage(match.group(0), kind))

    terms = sorted(
        {term.strip() for term in case_terms if len(term.strip()) >= MINIMUM_TERM_LENGTH},
        key=len,
        reverse=True,
    )
    for term in terms:
        for match in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE):
            take(match, "case")
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            take(match, kind)
    return list(found.values())
