"""Phase 3, per unit and signal window: indicators, score, signals and their evidence.

Per employee of the unit, each indicator either fires — with how often, how strongly, the
figures its explanation needs and the events that show it — or does not:

* per-event indicators (off duty, after employment, self, colleague, relative,
  neighbour, far-region incident) from phase 1's findings in the window, each against its
  threshold;
* ``celebrity_burst`` where the employee opened, without a work reason, a subject that
  phase 2 found in a burst that day;
* ``volume_spike`` on a day far above both the employee's own usual day and their
  function's — or, for a light user, very far above their own usual day alone;
* ``repeated_unexplained`` where the same person — or people and files of one incident, a
  network — were opened without a work reason on many days within the look-back.

The score is Σ weight × severity × (1 + ¼·log₂ occurrences); an employee with a score at
or above ``signal.min_score`` has a signal for the window. A signal nobody has picked up
yet (``new``) is brought up to date on every run — or withdrawn when later data explains
it; one in review or decided is never rewritten, only given the evidence found since.
"""

from __future__ import annotations

import bisect
import datetime
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from monitoring.detection.assess import PERSONAL, SCOPED_LOOK, Assessor
from monitoring.detection.bursts import at_work_on, employee_parts, home_of, still_a_burst
from monitoring.detection.config import DetectionConfig
from monitoring.detection.context import (
    EmployeeContext,
    load_employees,
    many,
    subjects_for,
)
from monitoring.detection.duty import LEAVE, OFF_DUTY, SICK
from monitoring.indicators import Explanation, IndicatorCode
from monitoring.matching import pseudonym_for
from monitoring.models import (
    AccessEvent,
    DailyActivity,
    DetectionRun,
    EventFinding,
    PeerBaseline,
    RosterEntry,
    Signal,
    SignalEvidence,
    SignalIndicator,
    SubjectBurst,
    SubjectIncident,
    UnexplainedAccess,
)
from monitoring.periods import AMSTERDAM, day_bounds, day_start
from vik.history import stamp
from vik.models import Employee

C = IndicatorCode
DETECTION_REASON = "Detectie {period}"
PEER_GROUP_MINIMUM = 5  # fewer active colleagues in a function make no peer group
OWN_DAYS_MINIMUM = 3  # fewer other active days make no baseline of one's own
# What a signal keeps of each event it cites (a busy day's, a night's first events).
EVIDENCE_FIELDS = (
    "occurred_at",
    "event_id",
    "system",
    "action",
    "subject_ref",
    "incident_ref",
    "workstation",
)


@dataclass
class Evidence:
    """An event cited by an indicator: a full copy, or a reference to fetch it by."""

    event_id: str
    occurred_at: datetime.datetime
    duty_status: str = ""
    explanation: str = Explanation.NONE.value
    system: str = ""
    action: str = ""
    subject_ref: str = ""
    incident_ref: str = ""
    workstation: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    complete: bool = False


@dataclass
class Fired:
    """An indicator that fired for an employee in a window."""

    code: str
    occurrences: int
    severity: Decimal
    details: dict[str, Any]
    evidence: list[Evidence]
    group_key: str = ""


def _score(weight: Decimal, severity: Decimal, occurrences: int) -> Decimal:
    bonus = 1 + 0.25 * math.log2(max(occurrences, 1))
    return (weight * severity * Decimal(str(round(bonus, 4)))).quantize(Decimal("0.01"))


class WindowDetector:
    """Phase 3 for one window and one unit, or several (a night's few re-judged employees
    of many units at once).

    Everything it judges is per employee: the units only say whose signals these are.
    """

    def __init__(
        self,
        *,
        units: Sequence[int] | None,
        window: tuple[datetime.date, datetime.date],
        config: DetectionConfig,
        run: DetectionRun | None,
        contexts: dict[int, EmployeeContext] | None = None,
        new_days: frozenset[datetime.date] = frozenset(),
    ) -> None:
        # ``None``: the whole organisation (only to work out what new days change).
        self.org_wide = units is None
        self.units: list[int] = [] if units is None else sorted(units)
        # Days this run adds to what earlier runs judged (``runner._only_new_days``): only
        # the employees whose inputs they change are judged again.
        self.new_days = new_days
        self.only: set[int] | None = None
        self._peer_days: dict[tuple[int, datetime.date], tuple[Any, int, Any]] | None = None
        # Per employee with off-duty findings: rowless days and the roster's shift hours.
        self._rosters: dict[int, tuple[set[datetime.date], set[tuple[int, int]]]] = {}
        self.contexts = contexts  # the unit's contexts, when this process has them already
        self.first, self.last = window
        self.config = config
        self.run = run
        self.max_evidence = config.integer("evidence.max_events_per_indicator")
        staff = (
            Employee.objects.all() if units is None else Employee.objects.filter(unit_id__in=units)
        ).order_by("id")  # not by name (the model's order): a sort of the staff's names for nothing
        self.employees = {
            row[0]: row
            for row in staff.values_list(
                "id", "personnel_number", "team_id", "unit_id", "function_id", "employment_end"
            )
        }

    @property
    def judged(self) -> list[int]:
        """The employees judged in this window: the unit's, or those the new days concern."""
        return list(self.employees) if self.only is None else sorted(self.only)

    # --- indicators ---------------------------------------------------------------------

    def detect(self) -> dict[int, list[Fired]]:
        fired: dict[int, list[Fired]] = defaultdict(list)
        if not self.employees:
            return fired
        if self.new_days:
            self.only = _changed_in_window(self) & set(self.employees)
            if not self.only:
                return fired
        for employee_id, items in self._per_event().items():
            fired[employee_id].extend(items)
        for employee_id, items in self._bursts_and_repeats().items():
            fired[employee_id].extend(items)
        for employee_id, item in self._volume().items():
            fired[employee_id].append(item)
        result = {k: [f for f in v if self.config.enabled(f.code)] for k, v in fired.items()}
        self._complete_evidence([item for items in result.values() for item in items])
        return result

    def _per_event(self) -> dict[int, list[Fired]]:
        rows = EventFinding.objects.filter(
            employee_id__in=self.judged, day__gte=self.first, day__lte=self.last
        ).order_by("occurred_at", "event_id")
        grouped: dict[tuple[int, str], list[EventFinding]] = defaultdict(list)
        for finding in rows:
            grouped[(finding.employee_id, finding.indicator)].append(finding)
        self._rosters = self._shift_hours(
            [employee_id for employee_id, code in grouped if code == C.OFF_DUTY]
        )
        result: dict[int, list[Fired]] = defaultdict(list)
        for (employee_id, code), findings in grouped.items():
            item = self._judge(code, employee_id, findings)
            if item is not None:
                result[employee_id].append(item)
        return result

    def _judge(self, code: str, employee_id: int, findings: list[EventFinding]) -> Fired | None:
        evidence = [_from_finding(f) for f in findings]
        subjects = {f.subject_ref for f in findings if f.subject_ref}
        one = Decimal(1)
        strong = Decimal("1.5")
        if code == C.OFF_DUTY:
            findings, unrostered = self._without_unrostered_days(employee_id, findings)
            evidence = [_from_finding(f) for f in findings]
            off = sum(1 for f in findings if f.duty_status == OFF_DUTY)
            leave = sum(1 for f in findings if f.duty_status == LEAVE)
            sick = sum(1 for f in findings if f.duty_status == SICK)
            if off < self.config.integer("off_duty.min_events") and (
                leave + sick < self.config.integer("off_duty.min_events_absent")
            ):
                return None
            details: dict[str, Any] = {
                "off_duty": off,
                "leave": leave,
                "sick": sick,
                "margin_minutes": self.config.integer("off_duty.margin_minutes"),
                "unrostered_days": unrostered,
            }
            return Fired(
                code, off + leave + sick, strong if leave + sick else one, details, evidence
            )
        if code == C.AFTER_EMPLOYMENT:
            end = self.employees[employee_id][5]
            details = {"count": len(findings), "employment_end": end.isoformat() if end else ""}
            return Fired(code, len(findings), strong, details, evidence)
        if code == C.SELF_LOOKUP:
            return Fired(code, len(findings), one, {"events": len(findings)}, evidence)
        if code == C.COLLEAGUE_LOOKUP:
            return Fired(code, len(subjects), one, {"count": len(subjects)}, evidence)
        if code == C.RELATIVE:
            matches = sorted({f.details.get("match", "") for f in findings})
            near = {"same_surname_home", "same_surname_street"} & set(matches)
            details = {"count": len(subjects), "matches": matches}
            return Fired(code, len(subjects), strong if near else one, details, evidence)
        if code == C.NEIGHBOUR:
            home = {f.subject_ref for f in findings if f.details.get("match") == "home"}
            street = subjects - home
            if not home and len(street) < self.config.integer("neighbour.min_street_subjects"):
                return None
            details = {"home": len(home), "street": len(street)}
            return Fired(code, len(subjects), strong if home else one, details, evidence)
        if code == C.OUT_OF_REGION_INCIDENT:
            incidents = {f.incident_ref for f in findings}
            regions = sorted({f.details.get("region", "") for f in findings})
            employee = Employee.objects.filter(pk=employee_id).values_list(
                "team__region", "unit__region"
            )[0]
            details = {
                "count": len(incidents),
                "region": employee[0] or employee[1] or "",
                "regions": regions,
            }
            return Fired(code, len(incidents), one, details, evidence)
        return None

    def _without_unrostered_days(
        self, employee_id: int, findings: list[EventFinding]
    ) -> tuple[list[EventFinding], int]:
        """Drop days that look like a whole working day missing from the roster.

        Misuse outside the roster is a handful of look-ups; a day of ordinary work spread
        over hours (at least ``off_duty.unrostered_day_hours``, and at least
        ``off_duty.unrostered_day_share`` of the employee's median day counted in all the
        day's accesses outside the roster) is far more likely a shift the roster does not
        show — and so are the look-ups of the next or previous day within those hours of it
        (a night shift across midnight). Returns the findings kept and the days dropped.
        """
        hours = self.config.number("off_duty.unrostered_day_hours") * 3600
        share = self.config.number("off_duty.unrostered_day_share")
        by_day: dict[datetime.date, list[EventFinding]] = defaultdict(list)
        for finding in findings:
            by_day[finding.day].append(finding)
        baseline = self.config.integer("volume.baseline_days")
        days = list(
            DailyActivity.objects.filter(
                employee_id=employee_id,
                day__gte=self.first - datetime.timedelta(days=baseline),
                day__lte=self.last,
                events__gt=0,
            ).values_list("day", "events", "off_duty", "absent", "off_first", "off_last")
        )
        usual = statistics.median(row[1] for row in days) if days else 0
        # All the day's accesses outside the roster, not only those with an indicator: a
        # working day mostly opens what the work explains, so its findings are a fraction.
        outside = {row[0]: row[2] + row[3] for row in days}
        # ... and so is their spread: three findings within an hour of a day of twelve
        # accesses from nine to six, none of them rostered, are that day's work (round 7;
        # 714: three working days missing from the roster after a leave, one of them kept
        # as misuse by the spread of its findings alone).
        spread = {
            row[0]: (row[4].timestamp(), row[5].timestamp()) for row in days if row[4] and row[5]
        }
        rowless, shifts = self._rosters.get(employee_id, (set(), set()))
        margin = self.config.number("off_duty.margin_minutes") * 60
        kept: list[EventFinding] = []
        missing: list[tuple[float, float]] = []
        for day, day_findings in by_day.items():
            moments = [f.occurred_at.timestamp() for f in day_findings]
            if day in spread:
                moments += spread[day]
            count = max(len(day_findings), outside.get(day, 0))
            first, last = min(moments), max(moments)
            if (last - first >= hours and count >= max(share * usual, 2)) or (
                # A day with no roster row at all between two working days, whose accesses
                # fill the hours of a shift the roster works (round 11: a rotating roster's
                # Sunday day shift, missing and in no cycle, of a light day's volume): a
                # working day the roster lacks. Half the share: the hours tell it apart.
                day in rowless
                and count >= max(share * usual / 2, 2)
                and _fills_a_shift(first, last, shifts, hours, margin)
            ):
                missing.append((first, last))
            else:
                kept.extend(day_findings)
        # A missing night shift runs across midnight: the look-ups of the day next to a
        # missing working day, within those hours of it, are the same shift's.
        kept = [
            f
            for f in kept
            if not any(
                first - hours <= f.occurred_at.timestamp() <= last + hours
                for first, last in missing
            )
        ]
        return kept, len(missing)

    def _shift_hours(
        self, employee_ids: list[int]
    ) -> dict[int, tuple[set[datetime.date], set[tuple[int, int]]]]:
        """Per employee: the window's days that no roster row touches (leave and sickness
        are rows too) between two days with a shift (a day off next to a day off, such as
        a weekend, is no such day), and the hours of the shifts their roster works around the window
        (local start in seconds after midnight, length in seconds). Read from the roster
        around the window only — never the days a run covers — so that the nightly run
        and a rerun judge alike; one query for all the employees with off-duty findings.
        """
        if not employee_ids:
            return {}
        reach = datetime.timedelta(days=SHIFT_HOURS_REACH_DAYS)
        low, _high = day_bounds(self.first - reach)
        _low, high = day_bounds(self.last + reach)
        touched: dict[int, set[datetime.date]] = defaultdict(set)
        worked: dict[int, set[datetime.date]] = defaultdict(set)
        shifts: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for employee_id, start, end, kind in RosterEntry.objects.filter(
            employee_id__in=many(employee_ids, "bigint"), start__lt=high, end__gt=low
        ).values_list("employee_id", "start", "end", "kind"):
            local = start.astimezone(AMSTERDAM)
            day = local.date()
            last = (end - datetime.timedelta(microseconds=1)).astimezone(AMSTERDAM).date()
            while day <= last:
                touched[employee_id].add(day)
                if kind == "shift":
                    worked[employee_id].add(day)
                day += datetime.timedelta(days=1)
            if kind == "shift":
                clock = local.hour * 3600 + local.minute * 60 + local.second
                shifts[employee_id].add((clock, int((end - start).total_seconds())))
        one = datetime.timedelta(days=1)
        days = [self.first + offset * one for offset in range((self.last - self.first).days + 1)]
        return {
            employee_id: (
                {
                    day
                    for day in days
                    if day not in touched[employee_id]
                    and day - one in worked[employee_id]
                    and day + one in worked[employee_id]
                },
                shifts[employee_id],
            )
            for employee_id in employee_ids
            if shifts[employee_id]
        }

    def _bursts_and_repeats(self) -> dict[int, list[Fired]]:
        lookback = self.config.integer("repeated.lookback_days")
        since = self.last - datetime.timedelta(days=lookback - 1)
        unexplained = UnexplainedAccess.objects.filter(
            employee__unit_id__in=self.units, day__gte=since, day__lte=self.last
        )
        if self.only is not None:
            unexplained = unexplained.filter(employee_id__in=self.judged)
        rows = list(
            unexplained.exclude(target__startswith=SCOPED_LOOK)
            # Ordered by content, not only by id: a run night by night inserts these rows in
            # another order than one run over the whole period, and the evidence and the
            # choices below must not depend on that.
            .order_by("day", "target", "id")
            .values_list("id", "employee_id", "day", "target")
        )
        bursts = self._bursts()
        parts = employee_parts()
        links = subjects_for(
            {target[2:] for *_x, target in rows if target.startswith(("s:", PERSONAL))}
        )
        chosen: dict[int, list[tuple[str, str, list[int]]]] = defaultdict(list)
        # celebrity: the employee's unexplained openings, in the window, counted in a burst
        for row_id, employee_id, day, target in rows:
            if day < self.first or target not in bursts:
                continue
            for burst in bursts[target]:
                if (
                    burst["first_day"] <= day <= burst["last_day"]
                    and employee_id in burst["members"]
                ) or (
                    # A later lone look of the burst's subject without a work reason, from
                    # a part not at work on it (round 11): the same curiosity, come late.
                    burst["last_day"] < day <= burst["late_until"]
                    and employee_id not in burst["members"]
                    and parts.get(employee_id, "") not in burst["at_work"]
                ):
                    chosen[employee_id].append(("burst", burst["key"], [row_id]))
                    break
        scoped_rows: set[int] = set()
        for row_id, employee_id, key in self._scoped_in_bursts(unexplained, bursts):
            scoped_rows.add(row_id)
            chosen[employee_id].append(("burst", key, [row_id]))
        # repeated: per thing opened and per incident network, the distinct days — but not
        # the days on which the thing was the work of the employee's own region (round 10).
        # Who can reach ``repeated.min_days`` at all is worked out once, for both
        # refinements and the reckoning below (round 18: it was worked out twice and the
        # reckoning keyed every opening of the lookback — 640,000 look-ups of the keys a
        # run on the classic delivery at 6,000 employees, most of the phase's Python time).
        candidates = self._repeat_candidates(rows, links)
        at_work = self._region_at_work(rows, candidates)
        within = self._opened_within(rows, links, candidates)
        days_of: dict[tuple[int, str], set[datetime.date]] = defaultdict(set)
        rows_of: dict[tuple[int, str], list[int]] = defaultdict(list)
        targets_of: dict[tuple[int, str], set[str]] = defaultdict(set)
        for row_id, employee_id, day, target in rows:
            # Leaving out openings (the region's work) and keys (files opened within) only
            # takes days away, so who is no candidate cannot reach ``repeated.min_days``.
            if employee_id not in candidates or row_id in at_work:
                continue
            keys = _repeat_keys(target, links, within.get(row_id))
            if target.startswith(PERSONAL):  # a personal link explained by scope alone
                target = "s:" + target[len(PERSONAL) :]
            for key in keys:
                days_of[(employee_id, key)].add(day)
                rows_of[(employee_id, key)].append(row_id)
                targets_of[(employee_id, key)].add(target)
        min_days = self.config.integer("repeated.min_days")
        # The thing opened on most days; on a tie, the one with most openings, then the key
        # that sorts first — a rule about the data, never about the order of a set or a query.
        best: dict[int, tuple[int, int, str]] = {}  # (-days, -openings, key): least wins
        for (employee_id, key), days in days_of.items():
            if len(days) >= min_days and max(days) >= self.first:
                candidate = (-len(days), -len(rows_of[(employee_id, key)]), key)
                current = best.get(employee_id)
                if current is None or candidate < current:
                    best[employee_id] = candidate
        for employee_id, (_n, _openings, key) in best.items():
            chosen[employee_id].append(("repeat", key, rows_of[(employee_id, key)]))

        needed = {row_id for items in chosen.values() for *_x, ids in items for row_id in ids}
        refs = dict(UnexplainedAccess.objects.filter(id__in=needed).values_list("id", "refs"))
        by_row = {row[0]: row for row in rows}
        by_key = {burst["key"]: burst for items in bursts.values() for burst in items}
        result: dict[int, list[Fired]] = defaultdict(list)
        for employee_id, items in chosen.items():
            burst_items = [item for item in items if item[0] == "burst"]
            if burst_items:
                evidence = [e for _k, _g, ids in burst_items for e in _refs(refs, ids)]
                burst = by_key[burst_items[0][1]]
                details = {
                    **burst["details"],
                    "target": burst["target"],
                    "employees": burst["employees"],
                    "units": burst["units"],
                    "baseline": str(burst["baseline"].normalize()),
                    "bursts": len({key for _k, key, _ids in burst_items}),
                }
                if all(i in scoped_rows for _k, _g, ids in burst_items for i in ids):
                    # Explained by the function's scope alone, not by a task (round 15).
                    details["scope_only"] = True
                result[employee_id].append(
                    Fired(
                        C.CELEBRITY_BURST.value,
                        len({key for _k, key, _ids in burst_items}),
                        Decimal(1),
                        details,
                        evidence,
                        group_key=burst["key"],
                    )
                )
            for kind, key, ids in items:
                if kind != "repeat":
                    continue
                ordered = sorted(days_of[(employee_id, key)])
                details = {
                    "days": len(ordered),
                    "since": ordered[0].isoformat(),
                    "network": len(targets_of[(employee_id, key)]) > 1,
                    "key": key,
                }
                evidence = _refs(refs, sorted(ids, key=lambda i: by_row[i][2]))
                result[employee_id].append(
                    Fired(C.REPEATED_UNEXPLAINED.value, len(ordered), Decimal(1), details, evidence)
                )
        return result

    def _scoped_in_bursts(
        self, unexplained: Any, bursts: dict[str, list[dict[str, Any]]]
    ) -> list[tuple[int, int, str]]:
        """(row id, employee, burst key) of the window's look-ups by name that only
        the function's scope explained (``SCOPED_LOOK``), made within a burst of curiosity
        about that subject by staff of a part not at work on it — round 15.

        A scope rule is need to know for the function's everyday work in its region (or the
        country); it does not make an analyst's look-up of a celebrity everybody else is
        gazing at work. Such a look-up joins the burst the curious of other parts made —
        it never makes one — unless the employee's own work touched the subject: an
        assignment or a subject's own scope rule (then it is explained otherwise), the
        person opened within an incident file, or one of the person's incident files opened
        the same day (:mod:`.scoped` keeps no such look-up); and not from a part busy with
        the subject, next door to one, or its own region while that is at work on it (the
        burst's ``at_work``). ``celebrity.scoped_join`` = 0 turns this off.
        """
        if not bursts or not self.config.integer("celebrity.scoped_join"):
            return []
        parts = employee_parts()
        wanted = [SCOPED_LOOK + target[2:] for target in bursts if target.startswith("s:")]
        found = []
        for row_id, employee_id, day, target in (
            unexplained.filter(target__in=sorted(wanted))
            .order_by("day", "target", "id")
            .values_list("id", "employee_id", "day", "target")
        ):
            if day < self.first:
                continue
            for burst in bursts["s:" + target[len(SCOPED_LOOK) :]]:
                if (
                    burst["first_day"] <= day <= burst["last_day"]
                    and employee_id not in burst["members"]
                    and parts.get(employee_id, "") not in burst["at_work"]
                ):
                    found.append((row_id, employee_id, burst["key"]))
                    break
        return found

    def _opened_within(
        self,
        rows: list[tuple[int, int, datetime.date, str]],
        links: dict[str, Any],
        candidates: set[int],
    ) -> dict[int, frozenset[str]]:
        """Per opening (row id) of a person in two or more incidents that could count
        towards a repeated network: the incidents whose files all that day's openings were
        made in (round 13).

        The log line that names an incident says which case the person was opened in: a
        patrol officer who opens the people of the incidents of their shift, from the files,
        meets one of them again in another incident, and the person's other incidents made
        a "network" of four days out of three cases (blind delivery at 600 employees,
        development seeds 8906–8908: three innocent officers). Such an opening counts for
        the person and for the incident it was made in, not for the person's other
        incidents. A person opened by name (no incident on the log line) counts for all of
        them, as before. ``candidates``: :meth:`_repeat_candidates`.
        """
        wanted = [
            row_id
            for row_id, employee_id, _day, target in rows
            if employee_id in candidates
            and target.startswith(("s:", PERSONAL))
            and (info := links.get(target[2:])) is not None
            and len(info.incidents) > 1
        ]
        result: dict[int, frozenset[str]] = {}
        for row_id, count, refs in UnexplainedAccess.objects.filter(
            id__in=many(wanted, "bigint")
        ).values_list("id", "events", "refs"):
            named = _opened_within(count, refs)
            if named is not None:
                result[row_id] = named
        return result

    def _repeat_candidates(
        self, rows: list[tuple[int, int, datetime.date, str]], links: dict[str, Any]
    ) -> set[int]:
        """Employees with a key (:func:`_repeat_keys`) opened on ``repeated.min_days`` days
        of ``rows``, the last of them in the window: the only ones the refinements of the
        repeated-access reckoning need to look at."""
        min_days = self.config.integer("repeated.min_days")
        days_of: dict[tuple[int, str], set[datetime.date]] = defaultdict(set)
        for _row_id, employee_id, day, target in rows:
            for key in _repeat_keys(target, links):
                days_of[(employee_id, key)].add(day)
        return {
            employee_id
            for (employee_id, _key), days in days_of.items()
            if len(days) >= min_days and max(days) >= self.first
        }

    def _region_at_work(
        self, rows: list[tuple[int, int, datetime.date, str]], candidates: set[int]
    ) -> set[int]:
        """The openings (row ids) that were the work of the employee's own region: on the
        day of the opening the bursts phase found the thing busy there (at least
        ``celebrity.min_employees`` of the region's staff opened it within a burst window
        reaching back from that day, as work — the row of that day, ``busy_parts``).

        A region's wanted person or sought car is opened at the briefing of every shift,
        for days, by dozens of its patrol and detectives — without an assignment, so
        without a work reason, one look a shift (round 10; the blind delivery: 146 openers
        of one car, six of them flagged for four days each). A thing that many of the own
        region open as the region's work is no personal interest of one of them. The days
        the employee opened it when the region was *not* at work on it still count — before
        the hunt, and after it once the window has passed — so a colleague who keeps
        coming back to the region's wanted person is found as before. The region's work is
        that of its other staff: where the row counts the region's openers, the employee's
        own look-up is taken off, and fewer than ``celebrity.min_employees`` left do not
        explain it; and it explains only a day on which another of the region opened the
        thing as well — not the days a burst window after the region's last look (round
        16). Only the employee's
        own region's work explains: spill-over next door is judged as the bursts phase
        judges it, not excused here. Only the day's own row is read (the region at work on
        it by then), so a new day changes the judgement of its own openings only: the
        nightly run's ``_repeats_touched`` already names their employees.
        ``candidates``: :meth:`_repeat_candidates`.
        """
        if not candidates:
            return set()
        targets = {
            _thing(target) for _r, employee_id, _d, target in rows if employee_id in candidates
        }
        # (target, day) -> the parts busy with it in the window of that day, with the
        # openers counted there when the row says (None: not recorded)
        busy: dict[tuple[str, datetime.date], dict[str, int | None]] = {}
        for day, target, details in SubjectBurst.objects.filter(
            day__gte=min(day for _r, _e, day, _t in rows),
            day__lte=self.last,
            target__in=many(sorted(targets), "text"),
        ).values_list("day", "target", "details"):
            if (details or {}).get("busy_parts"):
                counted = details.get("busy_openers") or details.get("busy") or {}
                busy[(target, day)] = {part: counted.get(part) for part in details["busy_parts"]}
        if not busy:
            return set()
        parts = employee_parts()
        min_employees = self.config.integer("celebrity.min_employees")
        result = set()
        for row_id, employee_id, day, target in rows:
            if employee_id not in candidates:
                continue
            part = parts.get(employee_id, "")
            parts_busy = busy.get((_thing(target), day), {})
            if part not in parts_busy:
                continue
            openers = parts_busy[part]
            # The employee's own look-up of the day is one of the region's openers counted
            # (a personal link explained by scope is not: the bursts phase leaves those
            # out). The region is at work on the thing only if its *other* staff are
            # enough for that; nobody's own look-ups make their region's work their alibi
            # (round 16; the blind delivery at 600, "one file's people": the mole's look
            # was the fifth opener of the day's reach, and two of five days went).
            if (
                openers is not None
                and not target.startswith(PERSONAL)
                and openers - 1 < min_employees
            ):
                continue
            result.add(row_id)
        if not result:
            return result
        # ... and only on a day on which someone else of the region opened the thing too.
        # The busy row looks back a whole burst window (96 hours): the region's briefing
        # subject of two days stays "at work" for four days after its last look, when
        # nobody of the region opens it any more (round 16; the blind delivery at 600,
        # "one subject": the mole's random person was the region's wanted person of two
        # days, and the mole's three looks in the four days after the briefings went).
        # Only the day's own rows are read: a new day changes no earlier day's judgement.
        by_row = {row[0]: row for row in rows}
        wanted_days = sorted({by_row[row_id][2] for row_id in result})
        wanted_things = sorted({_thing(by_row[row_id][3]) for row_id in result})
        openers_of: dict[tuple[str, datetime.date], set[int]] = defaultdict(set)
        for employee_id, day, target in UnexplainedAccess.objects.filter(
            day__in=wanted_days, target__in=many(wanted_things, "text")
        ).values_list("employee_id", "day", "target"):
            openers_of[(target, day)].add(employee_id)
        return {
            row_id
            for row_id in result
            if any(
                other != by_row[row_id][1]
                and parts.get(other, "") == parts.get(by_row[row_id][1], "")
                for other in openers_of[(_thing(by_row[row_id][3]), by_row[row_id][2])]
            )
        }

    def _bursts(self) -> dict[str, list[dict[str, Any]]]:
        """The bursts overlapping the window, merged per target into connected spans.

        Each day's rows hold the burst as found by then; consecutive days of one target
        are one burst (one group key, the figures of its largest day, its first and last
        look-up). A burst that began in the previous window keeps the key it has there.
        """
        reach = datetime.timedelta(days=31)  # to find where a long burst began
        per_target: dict[str, list[SubjectBurst]] = defaultdict(list)
        # Only bursts of targets these units opened in the window (a subquery): not the
        # organisation's every busy subject, once per unit.
        opened = UnexplainedAccess.objects.filter(
            employee__unit_id__in=self.units, day__gte=self.first, day__lte=self.last
        )
        if self.only is not None:
            # Only the judged employees' openings are matched with bursts (the rows of
            # ``_bursts_and_repeats``): a night need not merge every burst the unit met.
            opened = opened.filter(employee_id__in=self.judged)
        targets = Q(target__in=opened.values("target"))
        if self.config.integer("celebrity.scoped_join"):
            # (the subjects of look-ups by name explained by scope alone: round 15)
            targets |= Q(
                target__in=opened.filter(target__startswith=SCOPED_LOOK)
                .annotate(subject=Concat(Value("s:"), Substr("target", 3)))
                .values("subject")
            )
        for row in SubjectBurst.objects.filter(
            targets,
            first_day__lte=self.last,
            day__gte=self.first - reach,
        ).order_by("target", "first_day", "day"):
            per_target[row.target].append(row)
        merged: dict[str, list[dict[str, Any]]] = {}
        parts = employee_parts()
        for target, rows in per_target.items():
            spans: list[dict[str, Any]] = []
            for row in rows:
                first_day = row.first_day or row.day
                if spans and first_day <= spans[-1]["last_day"] + datetime.timedelta(days=1):
                    span = spans[-1]
                    span["last_day"] = max(span["last_day"], row.day)
                    span["members"] |= set(row.members)
                    span["rows"].append(row)
                else:
                    spans.append(
                        {
                            "first_day": first_day,
                            "last_day": row.day,
                            "members": set(row.members),
                            "rows": [row],
                        }
                    )
            kept = []
            late = datetime.timedelta(days=self.config.integer("signal.window_days"))
            for span in spans:
                # (A burst that ended before the window still takes the window's late lone
                # looks, up to a signal window after its last day — round 11.)
                if span["last_day"] + late < self.first:
                    continue
                # The own region's few openers that a day of the burst left out as its work
                # (the curious elsewhere made it by themselves, and the own region was far
                # more taken with it) were at work on it all along, also on the days before,
                # when they were needed to make it (round 9; 11017, development: four of
                # the arrest's region at work, counted on the first day, left out on the
                # next).
                judged = [row.details.get("judged") or {} for row in span["rows"]]
                span["members"] -= {e for j in judged for e in j.get("own_workers", [])}
                # A region that became busy with the subject later in the burst (the arrest
                # after the first curious look-ups) was at work on it all along.
                busy = {part for row in span["rows"] for part in row.details.get("busy_parts", [])}
                home_curious = any(j.get("home_curious") for j in judged)
                # Whether the own region's openers were as curious as the burst where no
                # work reaches: the latest day that judged it speaks, as its reach holds the
                # openers of the days before (round 15: on a burst's first day five of
                # a region's 189 beside five far curious looked no more taken with it; by
                # the next day nine of its staff had opened it, more than
                # ``celebrity.factor`` × the far parts' rate — its work; project
                # development seed 12093: the first day's five were false alerts).
                latest = max(
                    (row for row in span["rows"] if row.details.get("judged")),
                    key=lambda row: row.day,
                    default=None,
                )
                beside = bool(latest and latest.details["judged"].get("beside_a_burst"))
                if busy and beside:
                    # ... then its first days, busy by number only, were not work either
                    # (round 14, class 2a: the curious far away arrive over days — two far
                    # parts first, a third the next day — and the own region's curious,
                    # counted busy on the first days, stayed hidden for the whole burst).
                    # Not on the older signs of curiosity at home (few returns, a rate like
                    # elsewhere's): a region busy with the subject on other days stays at
                    # work on it there (round 14 development, 12080).
                    busy -= home_of(target)
                if busy:
                    span["members"] = {e for e in span["members"] if parts.get(e, "") not in busy}
                    if not still_a_burst(
                        target,
                        span["members"],
                        busy=busy,
                        rows=[row.details for row in span["rows"]],
                        config=self.config,
                        # ... judged with the evidence the days were judged with (round 9;
                        # 11012, development: six of a support unit whose work opens no
                        # subjects, a burst by the days' judgement, none without it).
                        idle={e for j in judged for e in j.get("idle_members", [])},
                        home_curious=home_curious,
                    ):
                        continue
                largest = max(span["rows"], key=lambda r: (r.employees, r.day))
                if not largest.employees:
                    continue  # only where it was busy: no burst
                details = dict(largest.details)
                details.pop("busy_parts", None)
                details.pop("judged", None)
                # (Rows of days where it was only busy have no start or end of their own.)
                details["start"] = min(
                    (r.details["start"] for r in span["rows"] if r.details.get("start")), default=""
                )
                details["end"] = max(r.details.get("end", "") for r in span["rows"])
                details["busy"] = {}
                for row in span["rows"]:
                    for part, count in (row.details.get("busy") or {}).items():
                        if part in busy:  # (not the own region taken back out: round 14)
                            details["busy"][part] = max(count, details["busy"].get(part, 0))
                kept.append(
                    {
                        **span,
                        "late_until": span["last_day"] + late,
                        "at_work": at_work_on(
                            target,
                            busy=busy,
                            members=span["members"],
                            home_curious=home_curious,
                            config=self.config,
                        ),
                        "target": target,
                        "key": f"burst:{target}:{span['first_day'].isoformat()}",
                        "employees": len(span["members"]),
                        "units": largest.units,
                        "baseline": largest.baseline,
                        "details": details,
                    }
                )
            if kept:
                merged[target] = kept
        return merged

    def _volume(self) -> dict[int, Fired]:
        judged = self._volume_judgements(self.judged)
        cited = self._cited_busy_days(judged) if self.new_days else {}
        rows = self._busy_day_rows(
            {
                (employee_id, day)
                for employee_id, (day, details) in judged.items()
                if employee_id not in cited and "shift" not in details
            }
        )
        for employee_id, (day, details) in judged.items():
            if employee_id not in cited and "shift" in details:
                rows[(employee_id, day)] = self._span_rows(employee_id, _span(details))
        return {
            employee_id: Fired(
                C.VOLUME_SPIKE.value,
                1,
                Decimal(1),
                details,
                cited[employee_id]
                if employee_id in cited
                else self._day_events(employee_id, day, rows[(employee_id, day)]),
            )
            for employee_id, (day, details) in judged.items()
        }

    def _cited_busy_days(
        self, judged: dict[int, tuple[datetime.date, dict[str, Any]]]
    ) -> dict[int, list[Evidence]]:
        """In a run that only adds days: the evidence the window's signals already cite for
        a spike on a day that is not new — the same day's first events.

        An assessed day's events do not change (late events make their day a rerun, and
        then no day is "new"), so an earlier run cited exactly the events a fresh read
        would; :meth:`save` keeps stored evidence as it is and adds or removes by event, so
        the events and their moments are all it needs. This spares a scan of every such
        day (the event store has no index by employee) and the employee's context for it.
        """
        old = {
            employee_id: day
            for employee_id, (day, _details) in judged.items()
            if day not in self.new_days
        }
        if not old:
            return {}
        signals = {
            signal_id: employee_id
            for signal_id, employee_id, details in SignalIndicator.objects.filter(
                signal__employee_id__in=list(old),
                signal__window_start=self.first,
                code=C.VOLUME_SPIKE,
            ).values_list("signal_id", "signal__employee_id", "details")
            if (details or {}).get("day") == old[employee_id].isoformat()
        }
        cited: dict[int, list[Evidence]] = defaultdict(list)
        for signal_id, event_id, moment in (
            SignalEvidence.objects.filter(signal_id__in=list(signals), indicator=C.VOLUME_SPIKE)
            .order_by("occurred_at", "event_id")
            .values_list("signal_id", "event_id", "occurred_at")
        ):
            employee_id = signals[signal_id]
            details = judged[employee_id][1]
            start, end = _span(details) if "shift" in details else day_bounds(old[employee_id])
            if start <= moment < end and len(cited[employee_id]) < self.max_evidence:
                cited[employee_id].append(
                    Evidence(event_id=event_id, occurred_at=moment, complete=True)
                )
        return dict(cited)

    def _busy_day_rows(
        self, wanted: set[tuple[int, datetime.date]]
    ) -> dict[tuple[int, datetime.date], list[tuple[Any, ...]]]:
        """The first events of each (employee, busy day), one read of a day for all of them:
        the event store has no index by employee, so each read scans the day."""
        by_day: dict[datetime.date, list[int]] = defaultdict(list)
        for employee_id, day in wanted:
            by_day[day].append(employee_id)
        rows: dict[tuple[int, datetime.date], list[tuple[Any, ...]]] = {key: [] for key in wanted}
        for day, employee_ids in by_day.items():
            start, end = day_bounds(day)
            for row in (
                AccessEvent.objects.filter(
                    employee_id__in=employee_ids, occurred_at__gte=start, occurred_at__lt=end
                )
                .order_by("employee_id", "occurred_at", "event_id")
                .values_list("employee_id", *EVIDENCE_FIELDS)
            ):
                kept = rows[(row[0], day)]
                if len(kept) < self.max_evidence:
                    kept.append(row[1:])
        return rows

    def _span_rows(
        self, employee_id: int, span: tuple[datetime.datetime, datetime.datetime]
    ) -> list[tuple[Any, ...]]:
        """The first events of a working period across midnight (the evidence of a night's
        spike): read by time, like a day."""
        return list(
            AccessEvent.objects.filter(
                employee_id=employee_id, occurred_at__gte=span[0], occurred_at__lt=span[1]
            )
            .order_by("occurred_at", "event_id")
            .values_list(*EVIDENCE_FIELDS)[: self.max_evidence]
        )

    def _volume_judgements(
        self,
        employee_ids: list[int],
        *,
        leave_out: frozenset[datetime.date] = frozenset(),
        data: VolumeData | None = None,
    ) -> dict[int, tuple[datetime.date, dict[str, Any]]]:
        """Per employee with a spike in the window: its day and figures (no evidence yet).

        ``leave_out``: days judged as if they were not there (what earlier runs saw, before
        the new days came). ``data``: the busy days, histories and nights, when already
        fetched.

        A rostered shift across midnight is judged as one working period too (round 13):
        a night officer's spike of 120 accesses from 23:00 to 07:00 is 60 on each calendar
        day, under ``volume.min_events`` on both (blind delivery: one of the two injected
        spikes of a run missed). Its count is the accesses within the shift and its margin;
        its usual day the employee's other days (both calendar days left out).
        """
        baseline_days = self.config.integer("volume.baseline_days")
        own_factor = self.config.number("volume.own_factor")
        peer_factor = self.config.number("volume.peer_factor")
        own_alone = self.config.number("volume.own_factor_alone")
        min_events = self.config.integer("volume.min_events")
        all_busy, all_history, all_nights = (
            data if data is not None else self._volume_data(employee_ids)
        )
        busy: list[tuple[int, datetime.date, int, Any]] = [
            (*row, None) for row in all_busy if row[1] not in leave_out
        ]
        for employee_id, day, per_day, span in all_nights:
            events = sum(n for d, n in per_day.items() if d not in leave_out)
            if events >= min_events and events > max(per_day.values()):
                busy.append((employee_id, day, events, span))
        if not busy:
            return {}
        history = (
            {
                employee_id: {d: n for d, n in days.items() if d not in leave_out}
                for employee_id, days in all_history.items()
            }
            if leave_out
            else all_history
        )
        peers = self._peers()
        result: dict[int, tuple[datetime.date, dict[str, Any]]] = {}
        # The busiest day first; between equally busy days the earliest, so that two runs
        # over the same data (one of them night by night) report the same day.
        for employee_id, day, events, span in sorted(
            busy, key=lambda b: (-b[2], b[1], b[0], b[3] is not None)
        ):
            if employee_id in result:
                continue
            spike = {day, day + datetime.timedelta(days=1)} if span is not None else {day}
            others = [
                n
                for d, n in history.get(employee_id, {}).items()
                if d not in spike and abs((d - day).days) <= baseline_days
            ]
            own = statistics.median(others) if len(others) >= OWN_DAYS_MINIMUM else None
            peer_median, peer_size, peer_p90 = peers.get(
                (self.employees[employee_id][4], day), (None, 0, None)
            )
            peer = peer_median if peer_size >= PEER_GROUP_MINIMUM else None
            if own is None and peer is None:
                continue  # nothing to compare with: no judgement
            if own is not None and events < own_factor * own:
                continue
            # A light user's day many times their own usual day is a spike even when it stays
            # under the peer factor (a light user's usual day is far below the function's),
            # as long as it is no less than a colleague's usual day.
            alone = own is not None and events >= own_alone * own and events >= (peer or 0)
            # Without a usual day of their own, a heavy user is compared with the busy end
            # of their peer group (its 90th percentile), not with its middle.
            if peer is not None and not alone:
                compared = peer if own is not None or peer_p90 is None else peer_p90
                if events < peer_factor * compared:
                    continue
            details = {
                "day": day.isoformat(),
                "events": events,
                "own_median": _fmt(own),
                "own_ratio": _fmt(events / own if own else None),
                "peer_median": _fmt(peer),
                "peer_ratio": _fmt(events / peer if peer else None),
            }
            if span is not None:
                details["shift"] = [
                    moment.astimezone(AMSTERDAM).isoformat(timespec="minutes") for moment in span
                ]
            result[employee_id] = (day, details)
        return result

    def _volume_data(self, employee_ids: list[int]) -> VolumeData:
        """The employees' busy days in the window, their days around it, and their busy
        nights: rostered shifts across midnight that begin in the window, with their
        accesses per calendar day (a day with half of ``volume.min_events`` or more is
        where such a night can be)."""
        baseline_days = self.config.integer("volume.baseline_days")
        min_events = self.config.integer("volume.min_events")
        rows = list(
            DailyActivity.objects.filter(
                employee_id__in=many(employee_ids, "bigint"),
                day__gte=self.first,
                day__lte=self.last + datetime.timedelta(days=1),
                events__gte=night_floor(min_events),
            ).values_list("employee_id", "day", "events")
        )
        busy = [row for row in rows if row[2] >= min_events and row[1] <= self.last]
        history: dict[int, dict[datetime.date, int]] = defaultdict(dict)
        if rows:
            for employee_id, day, events in DailyActivity.objects.filter(
                employee_id__in=many({b[0] for b in rows}, "bigint"),
                day__gte=self.first - datetime.timedelta(days=baseline_days),
                day__lte=self.last + datetime.timedelta(days=baseline_days),
                events__gt=0,
            ).values_list("employee_id", "day", "events"):
                history[employee_id][day] = events
        return busy, history, self._busy_nights(rows, history, min_events)

    def _busy_nights(
        self,
        rows: list[tuple[int, datetime.date, int]],
        history: dict[int, dict[datetime.date, int]],
        min_events: int,
    ) -> list[tuple[int, datetime.date, dict[datetime.date, int], Any]]:
        """(employee, the day it began, accesses per calendar day, (start, end) with the
        margin) of each shift across midnight beginning in the window whose two days hold
        ``volume.min_events`` or more — counted within the shift and its margin."""
        if not rows:
            return []
        margin = datetime.timedelta(minutes=self.config.integer("off_duty.margin_minutes"))
        one = datetime.timedelta(days=1)
        low, _high = day_bounds(self.first)
        _low, high = day_bounds(self.last)
        candidates: list[
            tuple[int, datetime.date, tuple[datetime.datetime, datetime.datetime]]
        ] = []
        # Only employees with two days in a row, the first in the window, that hold
        # ``min_events`` together can have such a night (the test below, per shift): their
        # shifts alone are read (a night's re-judging asked for the shifts of thousands).
        possible: dict[int, set[datetime.date]] = {}
        for employee_id in {row[0] for row in rows}:
            if reaching := _two_days_reach(
                history.get(employee_id, {}), self.first, self.last, min_events
            ):
                possible[employee_id] = reaching
        if not possible:
            return []
        # ... and of their shifts only those across a midnight after such a first day
        # (most shifts end the day they begin): a superset of what the test below keeps.
        across = Q()
        for first_day in sorted(set().union(*possible.values())):
            midnight = day_start(first_day + one)
            across |= Q(start__lt=midnight, end__gt=midnight)
        for employee_id, start, end in RosterEntry.objects.filter(
            across,
            employee_id__in=many(possible, "bigint"),
            kind="shift",
            start__gte=low,
            start__lt=high,
        ).values_list("employee_id", "start", "end"):
            day = start.astimezone(AMSTERDAM).date()
            if (end - datetime.timedelta(microseconds=1)).astimezone(AMSTERDAM).date() != day + one:
                continue
            days = history.get(employee_id, {})
            if days.get(day, 0) + days.get(day + one, 0) < min_events:
                continue
            candidates.append((employee_id, day, (start - margin, end + margin)))
        moments = self._moments_within(candidates)
        nights = []
        for employee_id, day, span in candidates:
            own = moments.get(employee_id, [])
            per_day: dict[datetime.date, int] = defaultdict(int)
            for moment in own[bisect.bisect_left(own, span[0]) : bisect.bisect_left(own, span[1])]:
                per_day[moment.astimezone(AMSTERDAM).date()] += 1
            if len(per_day) == 2 and sum(per_day.values()) >= min_events:
                nights.append((employee_id, day, dict(per_day), span))
        return sorted(nights, key=lambda n: (n[0], n[1]))

    @staticmethod
    def _moments_within(
        candidates: list[tuple[int, datetime.date, tuple[datetime.datetime, datetime.datetime]]],
    ) -> dict[int, list[datetime.datetime]]:
        """Per employee, in time order, the moments of their events within the spans of
        their candidate nights: one query for all of them.

        The event store has no index by employee, so a query per night scanned its one or
        two day partitions again (round 14); the spans, merged where they overlap, are one
        condition the planner prunes the partitions by, each scanned once.
        """
        if not candidates:
            return {}
        merged: list[list[datetime.datetime]] = []
        for low, high in sorted(span for _e, _d, span in candidates):
            if merged and low <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        within = Q()
        for low, high in merged:
            within |= Q(occurred_at__gte=low, occurred_at__lt=high)
        spans: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = defaultdict(list)
        for employee_id, _day, span in candidates:
            spans[employee_id].append(span)
        moments: dict[int, list[datetime.datetime]] = defaultdict(list)
        for employee_id, moment in AccessEvent.objects.filter(
            within, employee_id__any=list(spans)
        ).values_list("employee_id", "occurred_at"):
            if any(low <= moment < high for low, high in spans[employee_id]):
                moments[employee_id].append(moment)
        for own in moments.values():
            own.sort()
        return dict(moments)

    def _peers(self) -> dict[tuple[int, datetime.date], tuple[Any, int, Any]]:
        """The function peer groups' days in the window (median, size, 90th percentile)."""
        if self._peer_days is None:
            self._peer_days = {
                (function_id, day): (median, employees, p90)
                for function_id, day, median, employees, p90 in PeerBaseline.objects.filter(
                    day__gte=self.first, day__lte=self.last
                ).values_list("function_id", "day", "median", "employees", "p90")
            }
        return self._peer_days

    # --- what new days change ----------------------------------------------------------

    def changed_by_new_days(self) -> set[int]:
        """The unit's employees whose judgement in this window the new days can change.

        Everything an indicator reads about a day is written when that day is assessed, so
        an employee's judgement changes only through what the new days add:

        * per-event findings on a new day in the window;
        * ``off_duty``'s usual day (a median over the window and the days before it), for
          employees with an off-duty finding in the window and activity on a new day there;
        * a burst found on a new day: everyone of the unit who opened its subject without a
          work reason in the window (a burst's span, members and figures can change back
          to its first day);
        * ``repeated_unexplained``: an employee whose openings of a new day touch a thing
          or incident network opened on at least ``repeated.min_days`` days — any other
          key stays below the threshold, and the best key stays the best;
        * ``volume_spike``: judged with and without the new days (a busy day is compared
          with the employee's days on either side); only a different outcome counts.
        """
        # Asked once per window for the whole organisation (``_changed_in_window``): no
        # list of employees to filter on, one set of queries instead of one per unit.
        who = Q() if self.org_wide else Q(employee_id__in=list(self.employees))
        new = sorted(self.new_days)
        changed: set[int] = set()
        inside = [day for day in new if self.first <= day <= self.last]
        if inside:
            changed |= set(
                EventFinding.objects.filter(who, day__in=inside)
                .values_list("employee_id", flat=True)
                .distinct()
            )
        reach = datetime.timedelta(days=self.config.integer("volume.baseline_days"))
        near = [day for day in new if self.first - reach <= day <= self.last]
        active = (
            list(
                DailyActivity.objects.filter(who, day__in=near, events__gt=0).values_list(
                    "employee_id", flat=True
                )
            )
            if near
            else []
        )
        if active:
            changed |= set(
                EventFinding.objects.filter(
                    employee_id__in=many(active, "bigint"),
                    day__gte=self.first,
                    day__lte=self.last,
                    indicator=C.OFF_DUTY,
                )
                .values_list("employee_id", flat=True)
                .distinct()
            )
        changed |= set(
            UnexplainedAccess.objects.filter(
                who,
                day__gte=self.first,
                day__lte=self.last,
                target__in=SubjectBurst.objects.filter(day__in=new).values("target"),
            )
            .values_list("employee_id", flat=True)
            .distinct()
        )
        # ... and everyone whose look-up by name explained by scope alone may join it
        # (round 15, ``_scoped_in_bursts``; only with the switch on).
        if self.config.integer("celebrity.scoped_join"):
            changed |= set(
                UnexplainedAccess.objects.filter(
                    who,
                    day__gte=self.first,
                    day__lte=self.last,
                    target__in=SubjectBurst.objects.filter(day__in=new, target__startswith="s:")
                    .annotate(scoped=Concat(Value(SCOPED_LOOK), Substr("target", 3)))
                    .values("scoped"),
                )
                .values_list("employee_id", flat=True)
                .distinct()
            )
        # ... and a later lone look, on a new day, at the subject of a burst of the signal
        # window before it (round 11: it may join that burst).
        late = datetime.timedelta(days=self.config.integer("signal.window_days"))
        changed |= (
            set()
            if not new
            else set(
                UnexplainedAccess.objects.filter(
                    who,
                    day__in=new,
                    target__in=SubjectBurst.objects.filter(
                        day__gte=new[0] - late, day__lte=new[-1], employees__gt=0
                    ).values("target"),
                )
                .values_list("employee_id", flat=True)
                .distinct()
            )
        )
        changed |= self._repeats_touched(new)
        changed |= self._volume_changed(who, new)
        return changed

    def _repeats_touched(self, new: list[datetime.date]) -> set[int]:
        """Employees with a key of a new day's openings on ``repeated.min_days`` days."""
        lookback = self.config.integer("repeated.lookback_days")
        since = self.last - datetime.timedelta(days=lookback - 1)
        fresh = [day for day in new if since <= day <= self.last]
        if not fresh:
            return set()
        return self._repeats_reaching_min_days(fresh, since)

    def _repeats_reaching_min_days(
        self, fresh: list[datetime.date], since: datetime.date
    ) -> set[int]:
        """:meth:`_repeats_touched`: the keys of the new days' openings (:func:`_repeat_keys`:
        the thing opened, a personal link as its subject, a person's incidents), counted
        over the lookback in the openings that can count towards them.

        The keys are worked out here, from the subjects the night's assessment has just
        looked up (the process's subject cache), and PostgreSQL reads only the lookback's
        openings of those employees and things (:meth:`_lookback_openings`). Round 14: one
        statement that keyed every opening of the touched employees' lookback in SQL — a
        subject look-up per opening — cost 0.2–0.3 s of a night, growing with the lookback.
        """
        new_rows = self._openings_of(fresh)
        if not new_rows:
            return set()
        links = subjects_for(
            {target[2:] for _e, target in new_rows if target.startswith(("s:", PERSONAL))}
        )
        touched: dict[int, set[str]] = defaultdict(set)
        for employee_id, target in new_rows:
            touched[employee_id] |= _repeat_keys(target, links)
        # What can count towards those keys: the thing itself (opened as a subject, a
        # personal link or an incident), and for an incident network its people.
        keys = {key for employee_keys in touched.values() for key in employee_keys}
        subjects = {key[2:] for key in keys if key.startswith("s:")}
        incidents = {key[2:] for key in keys if key.startswith("i:")}
        ordered = sorted(incidents)
        for step in range(0, len(ordered), 5000):
            chunk = ordered[step : step + 5000]
            subjects.update(
                SubjectIncident.objects.filter(incident_ref__in=chunk).values_list(
                    "subject__ref", flat=True
                )
            )
        targets = {f"{prefix}{ref}" for ref in subjects for prefix in ("s:", PERSONAL)}
        targets |= {"i:" + ref for ref in incidents}
        links.update(subjects_for({ref for ref in subjects if ref not in links}))
        days_of: dict[tuple[int, str], set[datetime.date]] = defaultdict(set)
        for employee_id, day, target in self._lookback_openings(touched, targets, since):
            for key in _repeat_keys(target, links) & touched[employee_id]:
                days_of[(employee_id, key)].add(day)
        min_days = self.config.integer("repeated.min_days")
        return {
            employee_id for (employee_id, _k), found in days_of.items() if len(found) >= min_days
        }

    def _openings_of(self, fresh: list[datetime.date]) -> list[tuple[int, str]]:
        """(employee, target) of the unexplained openings of the days ``fresh``."""
        rows = UnexplainedAccess.objects.filter(day__in=fresh).exclude(
            target__startswith=SCOPED_LOOK
        )
        if not self.org_wide:
            rows = rows.filter(employee_id__in=many(self.employees, "bigint"))
        return list(rows.order_by().values_list("employee_id", "target"))

    def _lookback_openings(
        self, employees: Iterable[int], targets: set[str], since: datetime.date
    ) -> list[tuple[int, datetime.date, str]]:
        """(employee, day, target) of the employees' openings of ``targets`` from ``since``
        to the window's last day.

        On PostgreSQL both lists are array parameters compared with ``= ANY``, which the
        server hashes, over the index by employee and day that carries the target
        (``unexplained_employee_day_idx``, migration 0022): the table itself is not read.
        As ``IN (SELECT unnest(…))`` the planner joined the target list to the rows.
        """
        if connection.vendor != "postgresql":
            return list(
                UnexplainedAccess.objects.filter(
                    employee_id__in=list(employees),
                    day__gte=since,
                    day__lte=self.last,
                    target__in=list(targets),
                ).values_list("employee_id", "day", "target")
            )
        sql = f"""
            SELECT employee_id, day, target FROM {UnexplainedAccess._meta.db_table}
            WHERE employee_id = ANY(%s::bigint[]) AND day BETWEEN %s AND %s
            AND target = ANY(%s::text[])
        """  # noqa: S608 - our own table; values are parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(employees), since, self.last, list(targets)])
            return cursor.fetchall()

    def _volume_changed(self, who: Q, new: list[datetime.date]) -> set[int]:
        """Employees whose volume judgement in the window differs without the new days."""
        reach = datetime.timedelta(days=self.config.integer("volume.baseline_days"))
        near = [day for day in new if self.first - reach <= day <= self.last + reach]
        if not near:
            return set()
        candidates = sorted(
            set(
                DailyActivity.objects.filter(who, day__in=near, events__gt=0).values_list(
                    "employee_id", flat=True
                )
            )
            & set(
                DailyActivity.objects.filter(
                    who,
                    day__gte=self.first,
                    day__lte=self.last + datetime.timedelta(days=1),
                    events__gte=night_floor(self.config.integer("volume.min_events")),
                ).values_list("employee_id", flat=True)
            )
            & set(self.employees)  # not a former employee's rows (no constraint keeps them out)
        )
        if not candidates:
            return set()
        data = self._volume_data(candidates)
        now = self._volume_judgements(candidates, data=data)
        before = self._volume_judgements(candidates, leave_out=self.new_days, data=data)
        return {e for e in candidates if now.get(e) != before.get(e)}

    def _day_events(
        self, employee_id: int, day: datetime.date, rows: list[tuple[Any, ...]]
    ) -> list[Evidence]:
        """The first events of a busy day (``_busy_day_rows``), judged again for the evidence."""
        start, end = day_bounds(day)
        within_run = self.run is not None and self.run.period_start <= day <= self.run.period_end
        if within_run and self.contexts and employee_id in self.contexts:
            # The context the run judged this day with (loaded for the run's period).
            employees = {employee_id: self.contexts[employee_id]}
        else:
            employees = load_employees(
                employee_filter=Q(id=employee_id), start=start, end=end, config=self.config
            )
        events = [
            [employee_id, moment.timestamp(), event_id, subject_ref, incident_ref]
            for moment, event_id, _s, _a, subject_ref, incident_ref, _w in rows
        ]
        assessor = Assessor(employees=employees, events=events, config=self.config)
        employee = employees[employee_id]
        result = []
        for moment, event_id, system, action, subject_ref, incident_ref, workstation in rows:
            epoch = moment.timestamp()
            result.append(
                Evidence(
                    event_id=event_id,
                    occurred_at=moment,
                    duty_status=employee.timeline.status_at(epoch),
                    explanation=assessor.explain(employee, epoch, subject_ref, incident_ref)[0],
                    system=system,
                    action=action,
                    subject_ref=subject_ref,
                    incident_ref=incident_ref,
                    workstation=workstation,
                    complete=True,
                )
            )
        return result

    # --- signals ------------------------------------------------------------------------

    @transaction.atomic
    def save(self, fired: dict[int, list[Fired]]) -> dict[str, int]:
        """Create, update, withdraw or append to the window's signals (idempotent).

        Decided signal by signal, written together: what the signals hold is read in two
        queries, and the changes go out as one bulk statement per kind (with their history
        rows). A night re-judges some dozens of employees, and a save per signal,
        indicator and list of evidence was a third of its signals phase.
        """
        counts = dict.fromkeys(("created", "updated", "withdrawn", "appended", "unchanged"), 0)
        min_score = Decimal(str(self.config.number("signal.min_score")))
        existing = {
            signal.employee_id: signal
            for signal in Signal.objects.select_for_update().filter(
                employee_id__in=self.judged, window_start=self.first
            )
        }
        writes = _SignalWrites.reading(existing.values())
        reason = DETECTION_REASON.format(period=f"{self.first}–{self.last}")
        for employee_id in sorted(set(fired) | set(existing)):
            items = [item for item in fired.get(employee_id, []) if item.evidence]
            for item in items:
                item.evidence = sorted(item.evidence, key=lambda e: (e.occurred_at, e.event_id))[
                    : self.max_evidence
                ]
            scored = [
                (item, _score(self.config.weights[item.code], item.severity, item.occurrences))
                for item in items
            ]
            total = sum((score for _item, score in scored), Decimal(0))
            signal = existing.get(employee_id)
            if not scored or total < min_score:
                if signal is not None and signal.status == Signal.Status.NEW:
                    signal.status = Signal.Status.WITHDRAWN
                    signal.updated_at = timezone.now()
                    signal.detection_run = self.run
                    writes.updated.append(signal)
                    counts["withdrawn"] += 1
                continue
            if signal is None:
                signal = self._new_signal(employee_id, total)
                writes.created.append(signal)
                self._plan_indicators(writes, signal, scored, replace=True)
                counts["created"] += 1
            elif signal.status in (Signal.Status.NEW, Signal.Status.WITHDRAWN):
                changed = self._plan_indicators(writes, signal, scored, replace=True)
                if changed or signal.score != total or signal.status != Signal.Status.NEW:
                    signal.score = total
                    signal.status = Signal.Status.NEW
                    signal.updated_at = timezone.now()
                    signal.detection_run = self.run
                    writes.updated.append(signal)
                    counts["updated"] += 1
                else:
                    counts["unchanged"] += 1
            elif self._plan_indicators(writes, signal, scored, replace=False):
                signal.has_new_evidence = True
                signal.updated_at = timezone.now()
                writes.updated.append(signal)
                counts["appended"] += 1
            else:
                counts["unchanged"] += 1
        writes.write(reason)
        return counts

    def _new_signal(self, employee_id: int, total: Decimal) -> Signal:
        _pk, number, team_id, unit_id, function_id, _end = self.employees[employee_id]
        return Signal(
            employee_id=employee_id,
            pseudonym=pseudonym_for(number),
            unit_id=team_id or unit_id,
            function_id=function_id,
            window_start=self.first,
            window_end=self.last,
            score=total,
            detection_run=self.run,
        )

    def _plan_indicators(
        self,
        writes: _SignalWrites,
        signal: Signal,
        scored: list[tuple[Fired, Decimal]],
        *,
        replace: bool,
    ) -> bool:
        """Plan bringing indicators and evidence in line; with ``replace=False`` only add.
        True if anything changes."""
        changed = False
        current = dict(writes.indicators.get(signal.pk, {})) if signal.pk else {}
        for item, score in scored:
            values = {
                "weight": self.config.weights[item.code],
                "severity": item.severity,
                "occurrences": item.occurrences,
                "score": score,
                "details": _jsonable(
                    {**item.details, "window": [self.first.isoformat(), self.last.isoformat()]}
                ),
                "group_key": item.group_key,
            }
            indicator = current.pop(item.code, None)
            if indicator is None:
                writes.new_indicators.append(
                    SignalIndicator(signal=signal, code=item.code, **values)
                )
                changed = True
            elif replace and any(getattr(indicator, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(indicator, name, value)
                writes.changed_indicators.append(indicator)
                changed = True
        if replace and current:
            writes.gone_indicators += current.values()
            changed = True
        stored = writes.evidence.get(signal.pk, {}) if signal.pk else {}
        wanted: dict[tuple[str, str], Evidence] = {}
        for item, _score_value in scored:
            for evidence in item.evidence:
                wanted.setdefault((item.code, evidence.event_id), evidence)
        for (code, event_id), evidence in wanted.items():
            if (code, event_id) in stored:
                continue
            writes.new_evidence.append(
                SignalEvidence(
                    signal=signal,
                    indicator=code,
                    event_id=evidence.event_id,
                    occurred_at=evidence.occurred_at,
                    system=evidence.system,
                    action=evidence.action,
                    subject_ref=evidence.subject_ref,
                    incident_ref=evidence.incident_ref,
                    workstation=evidence.workstation,
                    duty_status=evidence.duty_status,
                    explanation=evidence.explanation,
                    details=_jsonable(evidence.details),
                )
            )
            changed = True
        if replace:
            stale = [pk for key, pk in stored.items() if key not in wanted]
            if stale:
                writes.stale_evidence += stale
                changed = True
        return changed

    def _complete_evidence(self, items: list[Fired]) -> None:
        """Fetch the events that are cited by reference only (bursts, repeats)."""
        wanted: dict[datetime.date, set[str]] = defaultdict(set)
        moments: dict[datetime.date, set[datetime.datetime]] = defaultdict(set)
        for item in items:
            for evidence in item.evidence:
                if not evidence.complete:
                    day = evidence.occurred_at.astimezone(AMSTERDAM).date()
                    wanted[day].add(evidence.event_id)
                    moments[day].add(evidence.occurred_at)
        found: dict[str, tuple[str, str, str, str, str, str]] = {}
        for day, ids in wanted.items():
            start, end = day_bounds(day)
            # With the moments the primary key finds the rows (event ids alone: a scan of
            # the day's partition per day and window).
            for row in AccessEvent.objects.filter(
                occurred_at__gte=start,
                occurred_at__lt=end,
                occurred_at__in=sorted(moments[day]),
                event_id__in=sorted(ids),
            ).values_list(
                "event_id", "system", "action", "subject_ref", "incident_ref", "workstation"
            ):
                found[row[0]] = row
        for item in items:
            for evidence in item.evidence:
                copy = found.get(evidence.event_id)
                if not evidence.complete and copy is not None:
                    (
                        _id,
                        evidence.system,
                        evidence.action,
                        evidence.subject_ref,
                        evidence.incident_ref,
                        evidence.workstation,
                    ) = copy
                    evidence.complete = True


@dataclass
class _SignalWrites:
    """A window's signal changes, decided one by one and written together (see ``save``)."""

    indicators: dict[int, dict[str, SignalIndicator]] = field(default_factory=dict)
    evidence: dict[int, dict[tuple[str, str], int]] = field(default_factory=dict)
    created: list[Signal] = field(default_factory=list)
    updated: list[Signal] = field(default_factory=list)
    new_indicators: list[SignalIndicator] = field(default_factory=list)
    changed_indicators: list[SignalIndicator] = field(default_factory=list)
    gone_indicators: list[SignalIndicator] = field(default_factory=list)
    new_evidence: list[SignalEvidence] = field(default_factory=list)
    stale_evidence: list[int] = field(default_factory=list)

    @classmethod
    def reading(cls, signals: Iterable[Signal]) -> _SignalWrites:
        """What ``signals`` hold now: their indicators and cited events (two queries)."""
        writes = cls()
        ids = [signal.pk for signal in signals]
        if not ids:
            return writes
        for indicator in SignalIndicator.objects.filter(signal_id__in=ids):
            writes.indicators.setdefault(indicator.signal_id, {})[indicator.code] = indicator
        for pk, signal_id, code, event_id in SignalEvidence.objects.filter(
            signal_id__in=ids
        ).values_list("id", "signal_id", "indicator", "event_id"):
            writes.evidence.setdefault(signal_id, {})[(code, event_id)] = pk
        return writes

    def write(self, reason: str) -> None:
        """One statement per kind of change, each with its history rows (``reason``)."""
        # Stamped as a single save would be: no person (not the user of a request that
        # happens to run detection eagerly), the run's reason.
        for instance in (
            *self.created,
            *self.updated,
            *self.new_indicators,
            *self.changed_indicators,
        ):
            stamp(instance, acting_user=None, reason=reason)
        if self.created:
            bulk_create_with_history(
                self.created, Signal, batch_size=500, default_change_reason=reason
            )
        if self.updated:
            bulk_update_with_history(
                self.updated,
                Signal,
                ["score", "status", "updated_at", "detection_run", "has_new_evidence"],
                batch_size=500,
                default_change_reason=reason,
            )
        if self.new_indicators:
            bulk_create_with_history(
                self.new_indicators, SignalIndicator, batch_size=500, default_change_reason=reason
            )
        if self.changed_indicators:
            bulk_update_with_history(
                self.changed_indicators,
                SignalIndicator,
                ["weight", "severity", "occurrences", "score", "details", "group_key"],
                batch_size=500,
                default_change_reason=reason,
            )
        for indicator in self.gone_indicators:  # rare: one at a time, with its history row
            stamp(indicator, acting_user=None, reason=reason).delete()
        if self.new_evidence:
            SignalEvidence.objects.bulk_create(self.new_evidence, batch_size=1000)
        if self.stale_evidence:
            SignalEvidence.objects.filter(pk__in=self.stale_evidence).delete()


# Employees whose judgement the new days change, per run and window, for the whole
# organisation: each unit's chunk of the window takes its own from it.
_CHANGED: dict[tuple[int, str, datetime.date], set[int]] = {}


SHIFT_HOURS_REACH_DAYS = 14  # the roster around a window whose shifts show its working hours


def _fills_a_shift(
    first: float, last: float, shifts: set[tuple[int, int]], hours: float, margin: float
) -> bool:
    """Whether accesses from ``first`` to ``last`` (epoch seconds, one day) lie within the
    hours of one of ``shifts`` (local start, length; with the margin) and fill at least
    half of them, and ``hours`` — a working day's pattern, not an evening's look-ups."""
    span = last - first
    if span < hours:
        return False
    local = datetime.datetime.fromtimestamp(first, AMSTERDAM)
    begin = local.hour * 3600 + local.minute * 60 + local.second
    return any(
        start - margin <= begin and begin + span <= start + length + margin and 2 * span >= length
        for start, length in shifts
    )


def _changed_in_window(detector: WindowDetector) -> set[int]:
    if detector.run is None:
        return detector.changed_by_new_days()
    return concerned_in_window(
        run=detector.run,
        window=(detector.first, detector.last),
        config=detector.config,
        new_days=detector.new_days,
    )


def concerned_in_window(
    *,
    run: DetectionRun,
    window: tuple[datetime.date, datetime.date],
    config: DetectionConfig,
    new_days: frozenset[datetime.date],
) -> set[int]:
    """The employees, organisation-wide, whose judgement in ``window`` the run's new days
    can change (:meth:`WindowDetector.changed_by_new_days`); worked out once per run and
    window in a process."""
    key = (run.pk, run.created_at.isoformat(), window[0])
    if key not in _CHANGED:
        if len(_CHANGED) > 64:
            _CHANGED.clear()
        everyone = WindowDetector(
            units=None, window=window, config=config, run=run, new_days=new_days
        )
        _CHANGED[key] = everyone.changed_by_new_days()
    return _CHANGED[key]


def reset_caches() -> None:
    """Forget what was worked out for a run (tests, benchmarks, a new run)."""
    _CHANGED.clear()


VolumeData = tuple[
    list[tuple[int, datetime.date, int]],
    dict[int, dict[datetime.date, int]],
    list[tuple[int, datetime.date, dict[datetime.date, int], Any]],
]


def _two_days_reach(
    days: dict[datetime.date, int], first: datetime.date, last: datetime.date, min_events: int
) -> set[datetime.date]:
    """The days from ``first`` to ``last`` that hold ``min_events`` accesses together with
    the day after (``days``: accesses per day, days without any left out)."""
    one = datetime.timedelta(days=1)
    found = set()
    day = first
    while day <= last:
        if days.get(day, 0) + days.get(day + one, 0) >= min_events:
            found.add(day)
        day += one
    return found


def night_floor(min_events: int) -> int:
    """The fewest accesses on a calendar day that may hold a busy night: a shift across
    midnight with ``min_events`` accesses has at least half of them on one of its days."""
    return (min_events + 1) // 2


def _span(details: dict[str, Any]) -> tuple[datetime.datetime, datetime.datetime]:
    start, end = details["shift"]
    return datetime.datetime.fromisoformat(start), datetime.datetime.fromisoformat(end)


def _thing(target: str) -> str:
    """The thing an opening is of: a personal link explained by scope alone as its subject."""
    if target.startswith(PERSONAL):
        return "s:" + target[len(PERSONAL) :]
    return target


def _repeat_keys(
    target: str, links: dict[str, Any], within: frozenset[str] | None = None
) -> set[str]:
    """What an opening counts towards for ``repeated_unexplained``: the thing opened (a
    personal link as the subject it is), and for a person the incidents they are part of —
    or, when every opening of the day was within the file of one of their incidents
    (``within``: those incidents, :func:`_opened_within`), only those (round 13)."""
    if target.startswith(PERSONAL):  # a personal link explained by scope alone
        target = "s:" + target[len(PERSONAL) :]
    keys = {target}
    if target.startswith("s:"):
        info = links.get(target[2:])
        if info is not None:
            keys.update("i:" + ref for ref in info.incidents if within is None or ref in within)
    return keys


def _opened_within(count: int, refs: list[list[Any]]) -> frozenset[str] | None:
    """The incidents whose files a day's openings of a person were all made in (the log
    line names an incident they are a party in); None when one was not, or when not every
    opening was kept."""
    if count > len(refs) or not refs:
        return None
    named = set()
    for ref in refs:
        if len(ref) < 4 or not ref[3]:
            return None
        named.add(ref[3])
    return frozenset(named)


def _refs(refs: dict[int, list[list[Any]]], ids: list[int]) -> list[Evidence]:
    result = []
    for row_id in ids:
        for event_id, moment, status, *_within in refs.get(row_id, []):
            result.append(
                Evidence(
                    event_id=event_id,
                    occurred_at=datetime.datetime.fromtimestamp(moment, datetime.UTC),
                    duty_status=status,
                )
            )
    return result


def _from_finding(finding: EventFinding) -> Evidence:
    return Evidence(
        event_id=finding.event_id,
        occurred_at=finding.occurred_at,
        duty_status=finding.duty_status,
        explanation=finding.explanation,
        system=finding.system,
        action=finding.action,
        subject_ref=finding.subject_ref,
        incident_ref=finding.incident_ref,
        workstation=finding.workstation,
        details=finding.details,
        complete=True,
    )


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def calibrate_window(
    *,
    unit_id: int,
    window: tuple[datetime.date, datetime.date],
    config: DetectionConfig,
    run: DetectionRun | None,
) -> dict[str, Any]:
    """A dry run's phase 3: what the window's signals would be, counted per function."""
    from monitoring.detection.calibration import summarise_window

    detector = WindowDetector(units=[unit_id], window=window, config=config, run=run)
    fired = detector.detect()
    regions = {
        pk: team_region or unit_region or ""
        for pk, team_region, unit_region in Employee.objects.filter(unit_id=unit_id).values_list(
            "id", "team__region", "unit__region"
        )
    }
    return summarise_window(
        fired=fired,
        employees=detector.employees,
        regions=regions,
        weights=config.weights,
        min_score=Decimal(str(config.number("signal.min_score"))),
        score=_score,
    )


def raise_signals(
    *,
    units: Sequence[int],
    window: tuple[datetime.date, datetime.date],
    config: DetectionConfig,
    run: DetectionRun | None,
    contexts: dict[int, EmployeeContext] | None = None,
    new_days: frozenset[datetime.date] = frozenset(),
) -> dict[str, int]:
    """Phase 3 for a window and its units (idempotent); with ``new_days``, only for the
    employees those days concern (:meth:`WindowDetector.changed_by_new_days`)."""
    detector = WindowDetector(
        units=units,
        window=window,
        config=config,
        run=run,
        contexts=contexts,
        new_days=new_days,
    )
    counts: dict[str, int] = detector.save(detector.detect())
    if detector.only is not None:
        counts["rejudged"] = len(detector.only)
    return counts
