"""The detection parameters: what each one means, its range and its initial value.

The values themselves live in the database (:class:`monitoring.models.MonitoringParameter`
and :class:`monitoring.models.IndicatorSetting`), editable by an administrator with history.
This registry only describes them: the label and help text shown in the administration
screens, the range a value must stay in, and the value a fresh database starts with (written
by the data migration, and by :func:`monitoring.services.ensure_detection_settings` for a
parameter added later). Detection reads the database, never these defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from monitoring.indicators import IndicatorCode


@dataclass(frozen=True)
class ParameterSpec:
    """One tunable number."""

    key: str
    initial: Decimal
    label: str | Promise
    help_text: str | Promise
    minimum: Decimal
    maximum: Decimal
    integer: bool = True


def _p(
    key: str,
    initial: str,
    label: str | Promise,
    help_text: str | Promise,
    minimum: str,
    maximum: str,
    *,
    integer: bool = True,
) -> ParameterSpec:
    return ParameterSpec(
        key, Decimal(initial), label, help_text, Decimal(minimum), Decimal(maximum), integer
    )


PARAMETERS: tuple[ParameterSpec, ...] = (
    _p(
        "signal.window_days",
        "14",
        _("Signal window (days)"),
        _(
            "Signals are per employee per window of this many days, counted from Monday "
            "1 January 2024 so every run agrees on the windows."
        ),
        "1",
        "92",
    ),
    _p(
        "signal.min_score",
        "10",
        _("Minimum score for a signal"),
        _("An employee gets a signal when the weights of their indicators add up to this."),
        "0.1",
        "1000",
        integer=False,
    ),
    _p(
        "evidence.max_events_per_indicator",
        "200",
        _("Evidence events kept per indicator"),
        _("The first events (by time) cited as evidence for each indicator of a signal."),
        "1",
        "5000",
    ),
    _p(
        "explain.assignment_grace_days",
        "7",
        _("Assignment grace (days)"),
        _(
            "An assignment still explains accesses this many days before its start and after "
            "its end (preparing, finishing reports)."
        ),
        "0",
        "90",
    ),
    _p(
        "explain.incident_grace_days",
        "7",
        _("Incident within scope: grace (days)"),
        _(
            "A person who is a party in an incident of the employee's scope (their region for "
            "regional scope) is explained from this many days before the incident was opened "
            "until this many days after it was closed."
        ),
        "0",
        "90",
    ),
    _p(
        "off_duty.margin_minutes",
        "90",
        _("Roster margin (minutes)"),
        _("Accesses this long before a shift starts or after it ends count as on duty."),
        "0",
        "600",
    ),
    _p(
        "off_duty.max_roster_gap_hours",
        "120",
        _("Longest known gap in a roster (hours)"),
        _(
            "Between two roster entries further apart than this the roster is missing, and "
            "an access there is 'unknown', never off duty."
        ),
        "12",
        "720",
    ),
    _p(
        "off_duty.min_events",
        "3",
        _("Off-duty accesses needed"),
        _("Accesses outside the roster (not explained by an assignment) before it counts."),
        "1",
        "1000",
    ),
    _p(
        "off_duty.min_events_absent",
        "1",
        _("Accesses on leave or sick needed"),
        _("Accesses while on leave or reported sick before it counts."),
        "1",
        "1000",
    ),
    _p(
        "off_duty.unrostered_day_hours",
        "4",
        _("Unrostered working day: hours"),
        _(
            "Accesses outside the roster spread over at least this many hours of one day, "
            "and at least the share below of the employee's usual day, look like a working "
            "day missing from the roster rather than misuse, and are not counted."
        ),
        "1",
        "24",
        integer=False,
    ),
    _p(
        "off_duty.unrostered_day_share",
        "0.5",
        _("Unrostered working day: share of a usual day"),
        _("See above: the share of the employee's median day."),
        "0",
        "10",
        integer=False,
    ),
    _p(
        "celebrity.window_hours",
        "96",
        _("Burst: window (hours)"),
        _(
            "Look-ups of one subject are counted within a sliding window of this many hours: "
            "curiosity after an arrest spreads over days, across midnight."
        ),
        "1",
        "720",
    ),
    _p(
        "celebrity.min_employees",
        "5",
        _("Burst: employees"),
        _(
            "Distinct employees opening one subject without a work reason within the window, "
            "in regions where it is not busy as work."
        ),
        "2",
        "10000",
    ),
    _p(
        "celebrity.min_units",
        "3",
        _("Burst: regions"),
        _(
            "Those employees must come from at least this many regions besides the subject's "
            "own (parts of the organisation that do not share the work); in an organisation "
            "with fewer such regions, from as many parts as it has. Curious regions that all "
            "border the subject's own count together as one. Not needed when at least half of them are in "
            "regions that neither hold nor border anything of the subject. Regions bordering "
            "one where the subject is busy as work count only when their openers are not a "
            "small fraction of that work."
        ),
        "1",
        "1000",
    ),
    _p(
        "practice.lookback_days",
        "14",
        _("Other regions' files: lookback (days)"),
        _(
            "Days (the day judged and those before it) over which a function's routine work in "
            "other regions' incident files is learned from the access log."
        ),
        "1",
        "90",
    ),
    _p(
        "practice.min_files",
        "2",
        _("Other regions' files: different files per employee"),
        _(
            "Different incident files of regions not their own an employee must have opened in "
            "the lookback to count as working other regions' files (curiosity about one case "
            "is one file)."
        ),
        "1",
        "100",
    ),
    _p(
        "practice.min_share",
        "0.25",
        _("Other regions' files: share of the function's staff"),
        _(
            "Share of a function's staff with a region who work other regions' files before "
            "that is the function's routine: its regionally scoped staff then have a work "
            "reason for other regions' incident files and the persons opened in them."
        ),
        "0.01",
        "1",
        integer=False,
    ),
    _p(
        "practice.min_staff",
        "3",
        _("Other regions' files: employees needed"),
        _("Fewest employees of a function working other regions' files to make it a routine."),
        "1",
        "1000",
    ),
    _p(
        "celebrity.baseline_days",
        "7",
        _("Burst: baseline (days)"),
        _("Days before the window used for how often each region normally opens the subject."),
        "1",
        "90",
    ),
    _p(
        "celebrity.scoped_join",
        "1",
        _("Burst: scoped staff join"),
        _(
            "1: a person searched by name by staff whose function's scope alone explains it "
            "(no assignment, no scope rule for the subject, none of the person's incident files "
            "opened that day) counts in a burst of curiosity about that person that others made, "
            "unless the employee's region is at work on it; 0: the function's scope always "
            "explains it."
        ),
        "0",
        "1",
    ),
    _p(
        "celebrity.factor",
        "3",
        _("Burst: factor above baseline"),
        _(
            "Openers must exceed the usual number (plus one) times this; a region with this many "
            "times the openers of the others is busy with the subject (work, not curiosity)."
        ),
        "1",
        "100",
        integer=False,
    ),
    _p(
        "relative.common_surname_share",
        "0.0005",
        _("Common surname: share of subjects"),
        _(
            "A surname borne by at least this share of all subjects (and at least the minimum "
            "below) is common: alone, or merely nearby, it is no sign of family."
        ),
        "0",
        "1",
        integer=False,
    ),
    _p(
        "relative.common_surname_min",
        "10",
        _("Common surname: minimum bearers"),
        _("A surname is never common with fewer bearers than this among the subjects."),
        "1",
        "1000000",
    ),
    _p(
        "relative.common_surname_employees",
        "3",
        _("Common surname: employees bearing it"),
        _(
            "Where there are too few subjects to tell (share × subjects below the minimum), a "
            "surname borne by at least this many employees is common: the workforce is a "
            "sample of the population."
        ),
        "2",
        "100000",
    ),
    _p(
        "relative.family_surname_max",
        "5",
        _("Family address: at most this many bearers"),
        _(
            "Someone living with a bearer of the employee's surname counts as possible family "
            "only when that surname is this rare among person subjects: with more bearers, "
            "employees who look up many people would meet such households by chance."
        ),
        "1",
        "1000",
    ),
    _p(
        "neighbour.min_street_subjects",
        "2",
        _("Neighbours in the street needed"),
        _(
            "Distinct subjects in the employee's street (same postcode) before it counts; one "
            "at the employee's own address always counts. A single chance encounter on patrol "
            "is not a signal."
        ),
        "1",
        "100",
    ),
    _p(
        "volume.baseline_days",
        "28",
        _("Volume: own baseline (days)"),
        _("Days around the day itself used for the employee's usual daily volume."),
        "3",
        "180",
    ),
    _p(
        "volume.own_factor",
        "4",
        _("Volume: factor above own baseline"),
        _("A day counts when it exceeds the employee's median day times this..."),
        "1",
        "100",
        integer=False,
    ),
    _p(
        "volume.peer_factor",
        "4",
        _("Volume: factor above peer group"),
        _("...and the median day of colleagues in the same function times this..."),
        "1",
        "100",
        integer=False,
    ),
    _p(
        "volume.own_factor_alone",
        "5",
        _("Volume: factor above own baseline alone"),
        _(
            "...or, for a light user whose usual day is far below the colleagues', exceeds "
            "the employee's median day times this (and a colleague's median day) — "
            "whatever the peer factor says..."
        ),
        "1",
        "100",
        integer=False,
    ),
    _p(
        "volume.min_events",
        "100",
        _("Volume: minimum accesses on the day"),
        _("...and has at least this many accesses."),
        "1",
        "100000",
    ),
    _p(
        "repeated.lookback_days",
        "56",
        _("Repeated: look-back (days)"),
        _("Days back from the end of the window searched for repeated unexplained accesses."),
        "7",
        "366",
    ),
    _p(
        "repeated.min_days",
        "4",
        _("Repeated: distinct days"),
        _(
            "The same person, or people and incidents of one incident (a network), opened "
            "without a work reason on at least this many days."
        ),
        "2",
        "366",
    ),
)

# The review workflow (issue 5): kept with detection's settings so the administrator finds
# everything about monitoring in one screen, with the same range checks and history.
PARAMETERS += (
    _p(
        "review.four_eyes_reveal",
        "0",
        _("Four eyes for revealing an identity (1 = on)"),
        _(
            "When on, an analyst who asks to see the name behind a pseudonym needs a second "
            "analyst's approval before the name is shown. Escalation always reveals the name."
        ),
        "0",
        "1",
    ),
    _p(
        "review.followup_working_days",
        "10",
        _("Follow-up conversation: deadline (working days)"),
        _(
            "The team chief holds the conversation within this many working days of the "
            "escalation (Dutch public holidays and weekends do not count)."
        ),
        "1",
        "60",
    ),
    _p(
        "review.employee_notice_delay_days",
        "5",
        _("Telling the employee: delay (days)"),
        _(
            "A dismissed signal and a reveal of the employee's name are told to the employee "
            "this many days later (part of the protocol agreed with the works council)."
        ),
        "0",
        "30",
    ),
)

PARAMETER_SPECS: dict[str, ParameterSpec] = {spec.key: spec for spec in PARAMETERS}


def initial_agreed_range(
    value: Decimal, *, minimum: Decimal, maximum: Decimal, integer: bool
) -> tuple[Decimal, Decimal]:
    """The range the works council is taken to have agreed around a value it consented to.

    Half to twice the value, inside the technical range; a switch (a range of 0 to 1) and a
    value of zero agree to exactly that value, so turning it over is always a protocol change.
    Used once for the settings in force when consent was introduced, and for a parameter a
    later release adds (its initial value is part of the release's protocol text).
    """
    if value == 0 or (minimum == 0 and maximum == 1):
        return value, value
    low, high = max(minimum, value / 2), min(maximum, value * 2)
    if integer:
        low, high = (
            low.to_integral_value(rounding="ROUND_CEILING"),
            high.to_integral_value(rounding="ROUND_FLOOR"),
        )
    return low, high


@dataclass(frozen=True)
class IndicatorDefault:
    """An indicator's initial weight."""

    code: IndicatorCode
    weight: Decimal


INDICATOR_DEFAULTS: tuple[IndicatorDefault, ...] = (
    IndicatorDefault(IndicatorCode.OFF_DUTY, Decimal(10)),
    IndicatorDefault(IndicatorCode.AFTER_EMPLOYMENT, Decimal(15)),
    IndicatorDefault(IndicatorCode.CELEBRITY_BURST, Decimal(10)),
    IndicatorDefault(IndicatorCode.RELATIVE, Decimal(12)),
    IndicatorDefault(IndicatorCode.NEIGHBOUR, Decimal(10)),
    IndicatorDefault(IndicatorCode.SELF_LOOKUP, Decimal(12)),
    IndicatorDefault(IndicatorCode.COLLEAGUE_LOOKUP, Decimal(10)),
    IndicatorDefault(IndicatorCode.OUT_OF_REGION_INCIDENT, Decimal(10)),
    IndicatorDefault(IndicatorCode.VOLUME_SPIKE, Decimal(10)),
    IndicatorDefault(IndicatorCode.REPEATED_UNEXPLAINED, Decimal(15)),
)
