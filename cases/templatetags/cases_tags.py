"""Small presentation helpers for the cases templates."""

from __future__ import annotations

from django import template

from cases.models import CaseStatus, VersionState

register = template.Library()

_STATUS_CLASSES = {
    CaseStatus.REGISTERED: "text-bg-warning",
    CaseStatus.WITH_LINE: "text-bg-info",
    CaseStatus.COMMISSIONED: "text-bg-secondary",
    CaseStatus.INVESTIGATING: "text-bg-primary",
    CaseStatus.HEARING: "text-bg-primary",
    CaseStatus.DECISION: "text-bg-dark",
    CaseStatus.CLOSED: "text-bg-light border",
}
_VERSION_CLASSES = {
    VersionState.DRAFT: "text-bg-light border",
    VersionState.SENT: "text-bg-warning",
    VersionState.COMMENTED: "text-bg-info",
    VersionState.SUPERSEDED: "text-bg-light border",
    VersionState.SIGNED: "text-bg-success",
    VersionState.NOT_AGREED: "text-bg-danger",
    VersionState.REFUSED_TO_SIGN: "text-bg-secondary",
}


@register.filter
def status_class(status: str) -> str:
    """The badge colour of a case status."""
    return _STATUS_CLASSES.get(status, "text-bg-light border")  # type: ignore[call-overload]


@register.filter
def version_class(state: str) -> str:
    """The badge colour of an interview-report version's state."""
    return _VERSION_CLASSES.get(state, "text-bg-light border")  # type: ignore[call-overload]


@register.filter
def days_left_class(days: int) -> str:
    if days < 0:
        return "text-bg-danger"
    if days <= 2:
        return "text-bg-warning"
    return "text-bg-light border"


@register.filter
def fingerprint(digest: str) -> str:
    """A hex digest in groups of eight, as fingerprints are read aloud and compared: the line
    breaks between groups, never inside one (a bare digest broke anywhere)."""
    return " ".join(digest[i : i + 8] for i in range(0, len(digest), 8))
