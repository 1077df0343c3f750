"""The indicators of Protective Monitoring: stable codes, names and the analyst's explanation.

The codes are a contract (exports, thresholds in the database, feedback figures per
indicator) and never change. The explanations are written for an analyst, in English msgids
translated to Dutch in ``monitoring/locale``; they are rendered from the ``details`` stored
with each indicator, so a signal reads in the language of whoever looks at it (Dutch by
default) and the wording can improve without touching stored signals.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


class IndicatorCode(models.TextChoices):
    """The indicators; the value is the stable code."""

    OFF_DUTY = "off_duty", gettext_lazy("Outside the roster")
    AFTER_EMPLOYMENT = "after_employment", gettext_lazy("After the end of employment")
    CELEBRITY_BURST = "celebrity_burst", gettext_lazy("Burst of curiosity about one subject")
    RELATIVE = "relative", gettext_lazy("Possible relative")
    NEIGHBOUR = "neighbour", gettext_lazy("Neighbour or housemate")
    SELF_LOOKUP = "self_lookup", gettext_lazy("Looked up themself")
    COLLEAGUE_LOOKUP = "colleague_lookup", gettext_lazy("Looked up a colleague")
    OUT_OF_REGION_INCIDENT = (
        "out_of_region_incident",
        gettext_lazy("Incident file of a far region"),
    )
    VOLUME_SPIKE = "volume_spike", gettext_lazy("Unusual volume")
    REPEATED_UNEXPLAINED = (
        "repeated_unexplained",
        gettext_lazy("Same people opened on many days without a work reason"),
    )


class DutyStatus(models.TextChoices):
    """What the roster says about the moment of an access."""

    ON_DUTY = "on_duty", gettext_lazy("On duty")
    ON_CALL = "on_call", gettext_lazy("On call")
    LEAVE = "leave", gettext_lazy("On leave")
    SICK = "sick", gettext_lazy("Reported sick")
    OFF_DUTY = "off_duty", gettext_lazy("Off duty")
    UNKNOWN = "unknown", gettext_lazy("Roster unknown")


class Explanation(models.TextChoices):
    """Why an access is (or is not) explained by work. Checked in this order."""

    ASSIGNMENT = "assignment", gettext_lazy("Assigned to the incident")
    LINKED_INCIDENT = "linked_incident", gettext_lazy("Subject linked to an assigned incident")
    SCOPE_RULE = "scope_rule", gettext_lazy("Permitted by a scope rule")
    FUNCTION_SCOPE = "function_scope", gettext_lazy("Within the need to know of the function")
    SCOPED_INCIDENT = (
        "scoped_incident",
        gettext_lazy("Linked to an incident within the need to know of the function"),
    )
    FUNCTION_ROUTINE = (
        "function_routine",
        gettext_lazy(
            "Another region's incident file: the function's staff routinely work other "
            "regions' files"
        ),
    )
    NEUTRAL = "neutral", gettext_lazy("No person or incident opened")
    NONE = "none", gettext_lazy("No work reason found")


def explain(code: str, details: Mapping[str, Any]) -> str:
    """The analyst's explanation of one indicator, in the active language."""
    renderer = _RENDERERS.get(code)
    if renderer is None:
        return str(details.get("text", code))
    text = renderer(details)
    if code in _PERSONAL_LINKS:
        text += " " + (_WHY_SELF() if code == IndicatorCode.SELF_LOOKUP else _WHY_PERSONAL())
    window = details.get("window")
    if window:
        text = _("Window %(start)s – %(end)s: ") % {"start": window[0], "end": window[1]} + text
    return text


def _WHY_PERSONAL() -> str:  # noqa: N802 - a text, read where it is used
    return _(
        "A function's general need to know does not explain a personal link; an assignment, "
        "an open incident within the function's scope that the person is a party in, or a "
        "scope rule for them would have."
    )


def _WHY_SELF() -> str:  # noqa: N802
    return _("Only an assignment to an incident in which the employee is a party explains this.")


def _off_duty(d: Mapping[str, Any]) -> str:
    parts = []
    if d.get("off_duty"):
        parts.append(
            ngettext(
                "%(count)d access outside the roster (margin %(margin)d minutes)",
                "%(count)d accesses outside the roster (margin %(margin)d minutes)",
                d["off_duty"],
            )
            % {"count": d["off_duty"], "margin": d.get("margin_minutes", 0)}
        )
    if d.get("leave"):
        parts.append(
            ngettext(
                "%(count)d access while on leave",
                "%(count)d accesses while on leave",
                d["leave"],
            )
            % {"count": d["leave"]}
        )
    if d.get("sick"):
        parts.append(
            ngettext(
                "%(count)d access while reported sick",
                "%(count)d accesses while reported sick",
                d["sick"],
            )
            % {"count": d["sick"]}
        )
    text = "; ".join(parts) + ". "
    if d.get("unrostered_days"):
        text += ngettext(
            "%(days)d day with a whole day's work outside the roster was taken as a shift "
            "missing from the roster and not counted. ",
            "%(days)d days with a whole day's work outside the roster were taken as shifts "
            "missing from the roster and not counted. ",
            d["unrostered_days"],
        ) % {"days": d["unrostered_days"]}
    return text + _(
        "Accesses explained by an assignment are not counted; a missing roster is unknown."
    )


def _after_employment(d: Mapping[str, Any]) -> str:
    return ngettext(
        "%(count)d access after the employment ended on %(end)s.",
        "%(count)d accesses after the employment ended on %(end)s.",
        d["count"],
    ) % {"count": d["count"], "end": d["employment_end"]}


def _celebrity(d: Mapping[str, Any]) -> str:
    values = {
        "others": max(d["employees"] - 1, 0),
        "units": d["units"],
        "baseline": d["baseline"],
    }
    if "start" not in d:  # signals from before bursts had a sliding window
        return _(
            "Opened without a work reason on %(day)s, together with %(others)d other employees "
            "from %(units)d units (usually %(baseline)s per day). Employees with an assignment or "
            "with the need to know of their function are not counted."
        ) % {**values, "day": d["day"]}
    text = _(
        "Opened without a work reason between %(start)s and %(end)s (found with a sliding "
        "window of %(hours)s hours), together with %(others)d other employees from %(units)d regions; usually "
        "%(baseline)s per window in those regions. Employees with an assignment or with the need "
        "to know of their function are not counted."
    ) % {
        **values,
        "start": _moment(d["start"]),
        "end": _moment(d["end"]),
        "hours": d.get("hours", ""),
    }
    if d.get("no_subject_work") and d.get("no_subject_work_home", True):
        text += " " + _(
            "%(count)d of them opened no other person, vehicle or incident in those days: no "
            "work on the subject reaches them, so the subject's own region counts too."
        ) % {"count": d["no_subject_work"]}
    elif d.get("no_subject_work"):
        # Round 8: such openers anywhere are where no work on the subject reaches.
        text += " " + _(
            "%(count)d of them opened no other person, vehicle or incident in those days: no "
            "work on the subject reaches them, wherever they work."
        ) % {"count": d["no_subject_work"]}
    if d.get("scope_only"):
        # Round 15: the employee's own look-up was explained by their function's scope.
        text += " " + _(
            "This employee's function gives need to know for the subject, but no work of theirs "
            "touched it: it was searched by name, with no assignment, no scope rule for the "
            "subject and none of its incident files opened that day, while many without a "
            "work reason looked at it."
        )
    busy = d.get("busy") or {}
    if busy:
        text += " " + _(
            "Not counted either, because the subject is busy there as work: %(busy)s."
        ) % {"busy": ", ".join(f"{region} ({count})" for region, count in sorted(busy.items()))}
    return text


def _moment(value: str) -> str:
    """An ISO moment with offset as the analyst reads it: 2026-10-24 23:40 (+02:00)."""
    if len(value) >= 16:
        return f"{value[:10]} {value[11:16]}" + (f" ({value[16:]})" if value[16:] else "")
    return value


def _relative(d: Mapping[str, Any]) -> str:
    reasons = {
        "same_surname_home": _("same surname, at the employee's home address"),
        "same_surname_street": _("same surname, in the employee's street"),
        "same_surname_area": _("same uncommon surname, near the employee's home"),
        "family_address": _("living with someone who bears the employee's rare surname"),
        "relation": _("a relation of the employee known to HR"),
        "relation_household": _("living at the address of a relation of the employee known to HR"),
    }
    found = "; ".join(reasons[m] for m in d.get("matches", []) if m in reasons)
    return ngettext(
        "%(count)d person opened without a work reason: %(how)s.",
        "%(count)d persons opened without a work reason: %(how)s.",
        d["count"],
    ) % {"count": d["count"], "how": found}


def _neighbour(d: Mapping[str, Any]) -> str:
    return (
        _(
            "Opened without a work reason: %(home)d at the employee's own address and "
            "%(street)d in their street (people, vehicles or addresses)."
        )
        % {"home": d.get("home", 0), "street": d.get("street", 0)}
        + " "
        # Round 13 of issue 10: a neighbour met at work is not counted in the street.
        + _(
            "Not counted in the street: people opened within the file of an open incident of "
            "the employee's region that they are a party in (met at work)."
        )
    )


def _self(d: Mapping[str, Any]) -> str:
    return ngettext(
        "The employee opened their own record %(count)d time without a work reason.",
        "The employee opened their own records %(count)d times without a work reason.",
        d["events"],
    ) % {"count": d["events"]}


def _colleague(d: Mapping[str, Any]) -> str:
    return ngettext(
        "%(count)d colleague (or their vehicle) opened without a work reason.",
        "%(count)d colleagues (or their vehicles) opened without a work reason.",
        d["count"],
    ) % {"count": d["count"]}


def _out_of_region(d: Mapping[str, Any]) -> str:
    return ngettext(
        "%(count)d incident file of a region far from %(region)s (%(regions)s) opened "
        "without an assignment or national scope.",
        "%(count)d incident files of regions far from %(region)s (%(regions)s) opened "
        "without an assignment or national scope.",
        d["count"],
    ) % {"count": d["count"], "region": d["region"], "regions": ", ".join(d["regions"])}


def _volume(d: Mapping[str, Any]) -> str:
    values = {
        "events": d["events"],
        "day": d["day"],
        "own": d["own_ratio"],
        "own_median": d["own_median"],
        "peer": d["peer_ratio"],
        "peer_median": d["peer_median"],
    }
    if d.get("shift"):
        # Round 13 of issue 10: a rostered shift across midnight, judged as one period.
        return _(
            "%(events)d accesses in the shift across midnight from %(start)s to %(end)s "
            "(with the roster margin): %(own)s times the employee's usual day (%(own_median)s) "
            "and %(peer)s times the usual day of their function (%(peer_median)s)."
        ) % {**values, "start": _moment(d["shift"][0]), "end": _moment(d["shift"][1])}
    return (
        _(
            "%(events)d accesses on %(day)s: %(own)s times the employee's usual day "
            "(%(own_median)s) and %(peer)s times the usual day of their function "
            "(%(peer_median)s)."
        )
        % values
    )


def _repeated(d: Mapping[str, Any]) -> str:
    values = {"days": d["days"], "since": d["since"]}
    if d.get("network"):
        return (
            _(
                "People and files of one incident (a network) opened without a work reason on "
                "%(days)d different days since %(since)s."
            )
            % values
        )
    return (
        _(
            "The same person or incident file opened without a work reason on %(days)d different "
            "days since %(since)s."
        )
        % values
    )


_PERSONAL_LINKS = {
    IndicatorCode.RELATIVE.value,
    IndicatorCode.NEIGHBOUR.value,
    IndicatorCode.SELF_LOOKUP.value,
    IndicatorCode.COLLEAGUE_LOOKUP.value,
}

_RENDERERS = {
    IndicatorCode.OFF_DUTY.value: _off_duty,
    IndicatorCode.AFTER_EMPLOYMENT.value: _after_employment,
    IndicatorCode.CELEBRITY_BURST.value: _celebrity,
    IndicatorCode.RELATIVE.value: _relative,
    IndicatorCode.NEIGHBOUR.value: _neighbour,
    IndicatorCode.SELF_LOOKUP.value: _self,
    IndicatorCode.COLLEAGUE_LOOKUP.value: _colleague,
    IndicatorCode.OUT_OF_REGION_INCIDENT.value: _out_of_region,
    IndicatorCode.VOLUME_SPIKE.value: _volume,
    IndicatorCode.REPEATED_UNEXPLAINED.value: _repeated,
}
