"""The generator: an organisation at work for some days, its confounders and its misuse.

What it models (see docs/monitoring.md, "Synthetic data"):

* **organisation** — ten regional units (basic teams, detectives, intake, analysts, staff),
  the national unit (national detectives and analysts, national scope) and support units;
* **rosters** — three-shift patrol (early, late, night across midnight), community officers
  and office hours, intake in two shifts, detectives with on-call weeks; leave and sick
  days; for some employees a week missing from the roster, for a few no roster at all;
* **work** — patrol handles incidents it is assigned to per shift and stops cars and people
  (fresh subjects, some vehicles from other regions); detectives work their cases; intake
  and analysts look up people of their region all day (regional scope); staff mostly use
  systems without opening anyone;
* **confounders** — colleagues who are victims in incidents the responding officers are
  assigned to, common surnames near home, glances at incidents of a neighbouring region,
  busy days, overtime within the roster margin, the change to winter time;
* **grey behaviour** — unlabelled, legitimate-looking but unexplained: an unrostered
  evening of work, a glance at a far region's case (they *should* be flagged: they are
  counted as false alerts, like the pilot's signals "with a logical explanation");
* **misuse** — for every indicator, instances with ground truth.

Deterministic for a seed. Times are generated in Europe/Amsterdam and written with their
offset, so the night of 24–25 October 2026 has its repeated hour.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import json
import random
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from monitoring.generator.data import (
    COMMON_SURNAMES,
    FIRST_NAMES,
    POSTCODE_LETTERS,
    RARE_LINKS,
    RARE_PREFIXES,
    RARE_SUFFIXES,
    REGIONS,
    SYSTEMS_INCIDENT,
    SYSTEMS_NEUTRAL,
    SYSTEMS_SUBJECT,
)
from monitoring.periods import AMSTERDAM

DAY = datetime.timedelta(days=1)
ROSTER_LEAD = 7  # days of roster before and after the period, as a real delivery has

# Function code → profile. Unknown functions of an existing organisation become staff.
PROFILE_OF_FUNCTION = {
    "Agent": "patrol",
    "Hoofdagent": "patrol",
    "Brigadier": "patrol",
    "Wijkagent": "community",
    "Rechercheur": "detective",
    "Senior rechercheur": "detective",
    "Intake-medewerker": "intake",
    "Informatieanalist": "analyst",
    "Operationeel specialist": "analyst",
}
REGIONAL_SCOPE_FUNCTIONS = ("Intake-medewerker", "Informatieanalist", "Operationeel specialist")
# Accesses per work period at events_scale 1 (calibrated: 6,000 employees × 14 days ≈ 2M).
RATES = {
    "patrol": 29,
    "community": 21,
    "detective": 31,
    "intake": 86,
    "analyst": 77,
    "national": 47,
    "staff": 4,
}
SCENARIOS = (
    "off_duty",
    "after_employment",
    "celebrity_burst",
    "relative",
    "neighbour",
    "self_lookup",
    "colleague_lookup",
    "out_of_region_incident",
    "volume_spike",
    "repeated_unexplained",
)


@dataclass
class GeneratorConfig:
    """What to generate. ``misuse_per_scenario`` defaults to one per 300 employees (≥ 3)."""

    seed: int = 1
    employees: int = 600
    start: datetime.date = datetime.date(2026, 10, 19)
    days: int = 14
    events_scale: float = 1.0
    misuse_per_scenario: int | None = None
    grey_per_1000: float = 1.5
    use_existing: bool = False
    focus: tuple[str, ...] = ()  # personnel numbers that must misbehave (the demo's)
    exclude: tuple[str, ...] = ()  # personnel numbers never chosen for misuse or grey
    compress: bool = False
    event_prefix: str = ""
    adversarial: bool = False  # draw everything per seed (monitoring.generator.adversarial)

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=self.days - 1)


@dataclass
class GroundTruth:
    """What was injected, where. Written to ``ground_truth.json``."""

    config: dict[str, Any]
    employees: int
    events: int
    misuse: list[dict[str, Any]] = field(default_factory=list)
    confounders: dict[str, int] = field(default_factory=dict)
    grey: list[dict[str, Any]] = field(default_factory=list)

    def by_scenario(self) -> dict[str, list[dict[str, Any]]]:
        result: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for item in self.misuse:
            result[item["scenario"]].append(item)
        return result


@dataclass
class Emp:
    """An employee as the generator sees them."""

    number: str
    first: str
    last: str
    unit: str
    team: str
    function: str
    profile: str
    region: str
    home_pc: str
    home_nr: str
    start: str
    end: datetime.date | None = None
    national: bool = False
    work: list[tuple[float, float, str]] = field(default_factory=list)  # shift/oncall
    absent: list[tuple[float, float, str]] = field(default_factory=list)  # leave/sick
    roster_gap: tuple[float, float] | None = None  # a week missing from the roster
    no_roster: bool = False
    incidents: list[str] = field(default_factory=list)  # long-running cases
    used: bool = False  # already a misuser or a confounder's subject


def _epoch(day: datetime.date, hour: float) -> float:
    base = datetime.datetime.combine(day, datetime.time(), tzinfo=AMSTERDAM)
    # Wall-clock hours: 23:00 is 23:00 local on either side of a change of summer time.
    local = base + datetime.timedelta(hours=hour)
    return local.replace(tzinfo=None).replace(tzinfo=AMSTERDAM).timestamp()


def _iso(moment: float) -> str:
    return datetime.datetime.fromtimestamp(moment, AMSTERDAM).isoformat(timespec="seconds")


class Generator:
    """Builds the data in memory, then writes it out."""

    def __init__(self, config: GeneratorConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)  # noqa: S311 - synthetic data, not secrets
        self.first = _epoch(config.start, 0)
        self.last = _epoch(config.end + DAY, 0)
        self.prefix = config.event_prefix or f"E{config.seed}-"
        self.counter = 0
        self.subject_counter = 0
        self.events: list[tuple[float, str, str, str, str, str, str, str]] = []
        self.subjects: dict[str, list[Any]] = {}
        self.incidents: dict[str, list[Any]] = {}  # ref → [region, opened, closed, [subjects]]
        self.assignments: list[tuple[str, str, float, float | None]] = []
        self.scope_rules: list[list[str]] = []
        self.units: list[list[str]] = []
        self.emps: list[Emp] = []
        self.pools: dict[str, list[str]] = defaultdict(list)  # region → person/vehicle refs
        self.region_incidents: dict[str, list[str]] = defaultdict(list)
        self.truth = GroundTruth(config=_config_dict(config), employees=0, events=0)
        surnames = [name for name, _w in COMMON_SURNAMES]
        weights = [w / 1000 for _n, w in COMMON_SURNAMES]
        self.common = set(surnames)
        rare = [p + s for p in RARE_PREFIXES for s in RARE_SUFFIXES]
        self.rare = rare
        self._mid = set(rare)
        self._surnames = (surnames, weights, 1 - sum(weights))

    # --- small helpers ------------------------------------------------------------------

    def surname(self) -> str:
        names, weights, rare_share = self._surnames
        roll = self.rng.random()
        if roll < 0.26:
            return self.very_rare_surname()
        if roll < rare_share:
            return self.rng.choice(self.rare)
        return self.rng.choices(names, weights)[0]

    def very_rare_surname(self) -> str:
        return (
            self.rng.choice(RARE_PREFIXES)
            + self.rng.choice(RARE_LINKS)
            + self.rng.choice(RARE_SUFFIXES)
        )

    def is_very_rare(self, name: str) -> bool:
        return name not in self.common and name not in self._mid

    def postcode(self, region: str) -> str:
        ranges = REGIONS[region][1]
        low, high = self.rng.choice(ranges)
        return (
            f"{self.rng.randint(low, high)}"
            f"{self.rng.choice(POSTCODE_LETTERS)}{self.rng.choice(POSTCODE_LETTERS)}"
        )

    def event(
        self,
        emp: Emp,
        moment: float,
        *,
        subject: str = "",
        incident: str = "",
        action: str = "",
        system: str = "",
        workstation: str = "",
    ) -> str:
        self.counter += 1
        event_id = f"{self.prefix}{self.counter:09d}"
        if not system:
            system = self.rng.choice(
                SYSTEMS_INCIDENT
                if incident and not subject
                else SYSTEMS_SUBJECT
                if subject
                else SYSTEMS_NEUTRAL
            )
        if not action:
            action = "view" if (subject or incident) and self.rng.random() < 0.6 else "search"
        station = workstation or f"WS-{emp.team}-{int(emp.number) % 37:02d}"
        self.events.append(
            (moment, event_id, emp.number, system, action, subject, incident, station)
        )
        return event_id

    def new_subject(
        self,
        kind: str,
        region: str,
        *,
        last: str | None = None,
        postcode: str | None = None,
        number: str | None = None,
        employee: str = "",
        pool: bool = False,
    ) -> str:
        self.subject_counter += 1
        ref = f"{'P' if kind == 'person' else 'V' if kind == 'vehicle' else 'A'}{self.config.seed}-{self.subject_counter:07d}"
        self.subjects[ref] = [
            ref,
            kind,
            "" if kind == "address" else (last or self.surname()),
            postcode or self.postcode(region),
            number or str(self.rng.randint(1, 120)),
            region,
            set(),
            employee,
        ]
        if pool:
            self.pools[region].append(ref)
        return ref

    def new_incident(self, region: str, *, subjects: int = 0) -> str:
        ref = f"I{self.config.seed}-{len(self.incidents) + 1:07d}"
        opened = self.first - self.rng.uniform(0, 60) * 86400
        closed = None if self.rng.random() < 0.7 else self.last + self.rng.uniform(1, 30) * 86400
        linked: list[str] = []
        pool = self.pools.get(region) or []
        for _ in range(subjects):
            if pool:
                ref_subject = self.rng.choice(pool)
                linked.append(ref_subject)
                self.subjects[ref_subject][6].add(ref)
        self.incidents[ref] = [region, opened, closed, linked]
        self.region_incidents[region].append(ref)
        return ref

    def link(self, subject: str, incident: str) -> None:
        self.subjects[subject][6].add(incident)
        self.incidents[incident][3].append(subject)

    def assign(self, emp: Emp, incident: str, start: float, end: float | None) -> None:
        self.assignments.append((emp.number, incident, start, end))

    def on_duty_moment(self, emp: Emp, day_from: float = 0, day_to: float = 0) -> float | None:
        """A random moment inside one of the employee's work periods (within the period)."""
        low = max(self.first, day_from or self.first)
        high = min(self.last, day_to or self.last)
        periods = [(s, e) for s, e, kind in emp.work if kind == "shift" and e > low and s < high]
        if emp.end is not None:
            periods = [(s, e) for s, e in periods if s < _epoch(emp.end + DAY, 0)]
        if not periods:
            return None
        start, end = self.rng.choice(periods)
        return self.rng.uniform(max(start, low), min(end, high) - 60)

    # --- organisation -------------------------------------------------------------------

    def build_organisation(self) -> None:
        if self.config.use_existing:
            self._load_organisation()
        else:
            self._generate_organisation()
        for emp in self.emps:
            if not emp.home_pc:
                home_region = emp.region or self.rng.choice(list(REGIONS))
                if self.rng.random() < 0.3:
                    home_region = self.rng.choice(list(REGIONS))
                emp.home_pc = self.postcode(home_region)
                emp.home_nr = str(self.rng.randint(1, 120))
        self.truth.employees = len(self.emps)

    def _generate_organisation(self) -> None:
        n = self.config.employees
        rng = self.rng
        regional = int(n * 0.86)
        per_region = max(20, regional // len(REGIONS))
        number = 100000
        team_plan = [
            ("T", "patrol", 0.62),
            ("REC", "detective", 0.14),
            ("INT", "intake", 0.11),
            ("RIO", "analyst", 0.06),
            ("STAF", "staff", 0.07),
        ]
        for code, (name, _ranges) in REGIONS.items():
            self.units.append([code, f"Eenheid {name}", "", "regional", code])
            patrol_teams = max(1, round(per_region * 0.62 / 45))
            for district in range(1, max(1, patrol_teams // 3) + 2):
                self.units.append(
                    [f"{code}-D{district}", f"District {name} {district}", code, "district", code]
                )
            for kind, profile, share in team_plan:
                size = max(2, round(per_region * share))
                teams = patrol_teams if kind == "T" else 1
                for index in range(1, teams + 1):
                    if kind == "T":
                        district = (index - 1) // 3 + 1
                        team = f"{code}-D{district}-T{index}"
                        parent = f"{code}-D{district}"
                        title = f"Basisteam {name} {index}"
                    else:
                        team, parent, title = f"{code}-{kind}", code, f"{kind} {name}"
                    self.units.append([team, title, parent, "team", code])
                    for _ in range(size // teams):
                        number += rng.randint(1, 9)
                        function = self._function_for(profile)
                        self.emps.append(
                            self._person(str(number), code, team, function, profile, code)
                        )
        national = n - len(self.emps)
        self.units.append(["LE", "Landelijke Eenheid", "", "national", ""])
        self.units.append(["PDC", "Politiedienstencentrum", "", "support", ""])
        for team, title, profile, share in (
            ("LE-DLR", "Dienst Landelijke Recherche", "national", 0.45),
            ("LE-LIO", "Landelijke Informatieorganisatie", "analyst", 0.25),
            ("PDC-ICT", "IV-organisatie", "staff", 0.15),
            ("PDC-HRM", "HRM-dienstverlening", "staff", 0.15),
        ):
            unit = team.split("-")[0]
            self.units.append([team, title, unit, "team", ""])
            for _ in range(max(1, round(national * share))):
                number += rng.randint(1, 9)
                function = {
                    "national": "Rechercheur",
                    "analyst": "Informatieanalist",
                    "staff": rng.choice(["ICT-specialist", "HR-adviseur"]),
                }[profile]
                emp = self._person(str(number), unit, team, function, profile, "")
                emp.national = unit == "LE"
                self.emps.append(emp)

    def _function_for(self, profile: str) -> str:
        choices = {
            "patrol": [("Agent", 5), ("Hoofdagent", 4), ("Brigadier", 2), ("Wijkagent", 1)],
            "detective": [("Rechercheur", 3), ("Senior rechercheur", 1)],
            "intake": [("Intake-medewerker", 1)],
            "analyst": [("Informatieanalist", 3), ("Operationeel specialist", 1)],
            "staff": [("Beleidsmedewerker", 2), ("Teamchef", 1), ("Administratief medewerker", 2)],
        }[profile]
        return self.rng.choices([c for c, _w in choices], [w for _c, w in choices])[0]

    def _person(
        self, number: str, unit: str, team: str, function: str, profile: str, region: str
    ) -> Emp:
        if function == "Wijkagent":
            profile = "community"
        start = self.config.start - datetime.timedelta(days=self.rng.randint(200, 12000))
        return Emp(
            number=number,
            first=self.rng.choice(FIRST_NAMES),
            last=self.surname(),
            unit=unit,
            team=team,
            function=function,
            profile=profile,
            region=region,
            home_pc="",
            home_nr="",
            start=start.isoformat(),
        )

    def _load_organisation(self) -> None:
        from vik.models import Employee, Unit

        for code, name, parent, kind, region in Unit.objects.values_list(
            "code", "name", "parent__code", "kind", "region"
        ):
            self.units.append([code, name, parent or "", kind, region])
        rows = Employee.objects.values_list(
            "personnel_number",
            "first_name",
            "last_name",
            "unit__code",
            "team__code",
            "function__code",
            "team__region",
            "unit__region",
            "unit__kind",
            "employment_start",
            "employment_end",
        ).order_by("personnel_number")
        for (
            number,
            first,
            last,
            unit,
            team,
            function,
            team_region,
            unit_region,
            kind,
            start,
            end,
        ) in rows:
            profile = PROFILE_OF_FUNCTION.get(function or "", "staff")
            national = kind == "national"
            if national and profile == "detective":
                profile = "national"
            emp = Emp(
                number=number,
                first=first,
                last=last,
                unit=unit,
                team=team or "",
                function=function or "",
                profile=profile,
                region=team_region or unit_region or "",
                home_pc="",
                home_nr="",
                start=start.isoformat() if start else "",
                end=end,
                national=national,
            )
            self.emps.append(emp)

    # --- rosters ------------------------------------------------------------------------

    def build_rosters(self) -> None:
        rng = self.rng
        first_day = self.config.start - datetime.timedelta(days=ROSTER_LEAD)
        last_day = self.config.end + datetime.timedelta(days=ROSTER_LEAD)
        day_list = []
        day = first_day
        while day <= last_day:
            day_list.append(day)
            day += DAY
        for emp in self.emps:
            offset = rng.randrange(10)
            oncall_week = rng.randrange(len(day_list) - 7) if rng.random() < 0.3 else None
            late_week = rng.random() < 0.5
            for index, day in enumerate(day_list):
                weekday = day.weekday()
                hours: tuple[float, float] | None
                if emp.profile == "patrol":
                    slot = (index + offset) % 10
                    hours = {
                        0: (7, 15),
                        1: (7, 15),
                        2: (15, 23),
                        3: (15, 23),
                        4: (23, 31),
                        5: (23, 31),
                    }.get(slot)
                elif emp.profile == "intake":
                    slot = (index + offset) % 7
                    week = ((index + offset) // 7 + late_week) % 2
                    hours = None if slot >= 5 else ((7, 15) if week == 0 else (15, 23))
                elif emp.profile == "community":
                    hours = (
                        None
                        if weekday >= 5
                        else ((12, 20.5) if weekday == offset % 5 else (8, 16.5))
                    )
                else:
                    hours = None if weekday >= 5 else (8.5, 17)
                if hours is not None:
                    emp.work.append((_epoch(day, hours[0]), _epoch(day, hours[1]), "shift"))
                if (
                    emp.profile in ("detective", "national")
                    and oncall_week is not None
                    and oncall_week <= index < oncall_week + 7
                ):
                    if weekday >= 5:
                        emp.work.append((_epoch(day, 8.5), _epoch(day, 17), "oncall"))
                    emp.work.append((_epoch(day, 17), _epoch(day, 32.5), "oncall"))
            # Leave (10%) and sickness (3%) replace work.
            if rng.random() < 0.10:
                self._absence(emp, "leave", rng.randint(3, 7))
            elif rng.random() < 0.03:
                self._absence(emp, "sick", rng.randint(1, 3))
            if emp.end is not None:
                cut = _epoch(emp.end + DAY, 0)
                emp.work = [w for w in emp.work if w[0] < cut]
            roll = rng.random()
            if roll < 0.05:
                gap_start = self.first + rng.randint(0, max(0, self.config.days - 7)) * 86400
                emp.roster_gap = (gap_start, gap_start + 7 * 86400)
            elif roll < 0.08 and emp.profile in ("staff", "analyst"):
                emp.no_roster = True
        self.truth.confounders["missing_roster_week"] = sum(1 for e in self.emps if e.roster_gap)
        self.truth.confounders["no_roster"] = sum(1 for e in self.emps if e.no_roster)
        self.truth.confounders["oncall"] = sum(
            1 for e in self.emps if any(kind == "oncall" for *_x, kind in e.work)
        )

    def _absence(self, emp: Emp, kind: str, length: int) -> tuple[float, float]:
        first = self.config.start + datetime.timedelta(
            days=self.rng.randint(0, max(0, self.config.days - length))
        )
        start, end = _epoch(first, 0), _epoch(first + datetime.timedelta(days=length), 0)
        emp.work = [w for w in emp.work if w[1] <= start or w[0] >= end]
        emp.absent.append((start, end, kind))
        return start, end

    # --- the world: subjects, incidents, scope -----------------------------------------

    def build_world(self) -> None:
        per_region: dict[str, int] = defaultdict(int)
        for emp in self.emps:
            per_region[emp.region or "LE"] += 1
        for region in REGIONS:
            people = max(120, per_region.get(region, 0) * 6)
            for _ in range(people):
                self.new_subject("person", region, pool=True)
            for _ in range(people // 2):
                self.new_subject("vehicle", region, pool=True)
            for _ in range(max(60, per_region.get(region, 0))):
                self.new_incident(region, subjects=self.rng.randint(1, 4))
        # The national unit works for every region: its department says so in a scope rule
        # (need to know comes only from scope rules, never from a unit's kind).
        self.scope_rules.append(
            ["", "LE", "", "national", "", "", "", "Landelijke taak: informatie van alle regio's"]
        )
        for function in REGIONAL_SCOPE_FUNCTIONS:
            if any(emp.function == function for emp in self.emps):
                self.scope_rules.append(
                    [
                        function,
                        "",
                        "",
                        "regional",
                        "",
                        "",
                        "",
                        "Behoefte aan informatie van de eigen regio",
                    ]
                )
        # Detectives work their cases for the whole period.
        for emp in self.emps:
            if emp.profile == "detective" and emp.region:
                cases = self.region_incidents[emp.region]
                emp.incidents = self.rng.sample(cases, k=min(3, len(cases)))
            elif emp.profile == "national":
                emp.incidents = [
                    self.rng.choice(self.region_incidents[self.rng.choice(list(REGIONS))])
                    for _ in range(3)
                ]
            for incident in emp.incidents:
                self.assign(emp, incident, self.first - 30 * 86400, None)

    # --- normal work --------------------------------------------------------------------

    def build_work(self) -> None:
        rng = self.rng
        scale = self.config.events_scale
        busy = {e.number for e in self.emps if rng.random() < 0.05}
        self.truth.confounders["busy_day"] = len(busy)
        neighbour_glances = 0
        for emp in self.emps:
            rate = RATES[emp.profile] * scale
            busy_day = None
            if emp.number in busy and emp.work:
                busy_day = rng.choice(emp.work)[0]
            for start, end, kind in emp.work:
                if end <= self.first or start >= self.last:
                    continue
                if kind == "oncall":
                    if rng.random() < 0.3:
                        for _ in range(rng.randint(1, 4)):
                            moment = rng.uniform(start, end)
                            if self.first <= moment < self.last and emp.incidents:
                                self.event(emp, moment, incident=rng.choice(emp.incidents))
                    continue
                # Some start a little early or stay a little late: inside the margin.
                if rng.random() < 0.12:
                    end += rng.uniform(0, 50) * 60
                if rng.random() < 0.08:
                    start -= rng.uniform(0, 30) * 60
                count = max(
                    0, round(rate * rng.uniform(0.7, 1.3) * (1.8 if start == busy_day else 1))
                )
                neighbour_glances += self._work_period(emp, start, end, count)
        self.truth.confounders["neighbouring_region_glance"] = neighbour_glances

    def _work_period(self, emp: Emp, start: float, end: float, count: int) -> int:
        rng = self.rng
        low, high = max(start, self.first), min(end, self.last)
        if high <= low:
            return 0
        share = (high - low) / (end - start)
        count = round(count * share)
        glances = 0
        profile = emp.profile
        if profile in ("patrol", "community"):
            handled = rng.sample(
                self.region_incidents[emp.region],
                k=min(rng.randint(1, 3), len(self.region_incidents[emp.region])),
            )
            for incident in handled:
                self.assign(emp, incident, start - 1800, end + 7200)
            while count > 0:
                moment = rng.uniform(low, high)
                roll = rng.random()
                if roll < 0.40 and handled:
                    incident = rng.choice(handled)
                    linked = self.incidents[incident][3]
                    if linked and rng.random() < 0.6:
                        self.event(emp, moment, subject=rng.choice(linked), incident=incident)
                    else:
                        self.event(emp, moment, incident=incident)
                    count -= 1
                elif roll < 0.62:
                    count -= self._stop(emp, moment)
                elif roll < 0.622 and emp.region:
                    # A glance at a case of a neighbouring region (cross-border work).
                    neighbour = _neighbour_region(emp.region, rng)
                    if neighbour and self.region_incidents[neighbour]:
                        self.event(
                            emp, moment, incident=rng.choice(self.region_incidents[neighbour])
                        )
                        glances += 1
                        count -= 1
                else:
                    self.event(emp, moment)
                    count -= 1
        elif profile in ("detective", "national"):
            for _ in range(count):
                moment = rng.uniform(low, high)
                if emp.incidents and rng.random() < 0.7:
                    incident = rng.choice(emp.incidents)
                    linked = self.incidents[incident][3]
                    if linked and rng.random() < 0.6:
                        self.event(emp, moment, subject=rng.choice(linked), incident=incident)
                    else:
                        self.event(emp, moment, incident=incident)
                else:
                    self.event(emp, moment)
        elif profile in ("intake", "analyst"):
            regions = list(REGIONS) if emp.national or not emp.region else [emp.region]
            for _ in range(count):
                moment = rng.uniform(low, high)
                region = rng.choice(regions)
                roll = rng.random()
                if roll < 0.65:
                    self.event(emp, moment, subject=rng.choice(self.pools[region]))
                elif roll < 0.8:
                    self.event(emp, moment, incident=rng.choice(self.region_incidents[region]))
                else:
                    self.event(emp, moment)
        else:
            for _ in range(count):
                self.event(emp, rng.uniform(low, high))
        return glances

    def _stop(self, emp: Emp, moment: float) -> int:
        """A traffic or street check: a new person or vehicle, looked up once or a few times."""
        rng = self.rng
        if rng.random() < 0.45:
            region = emp.region
            if rng.random() < 0.15:  # a vehicle registered elsewhere in the country
                region = rng.choice([r for r in REGIONS if r != emp.region])
            ref = self.new_subject("vehicle", region)
            self.truth.confounders["vehicle_other_region"] = self.truth.confounders.get(
                "vehicle_other_region", 0
            ) + (region != emp.region)
        else:
            ref = self.new_subject("person", emp.region)
        looks = rng.randint(1, 3)
        for index in range(looks):
            self.event(emp, min(moment + index * 40, self.last - 1), subject=ref)
        return looks

    # --- confounders that need setting up ------------------------------------------------

    def build_confounders(self) -> None:
        rng = self.rng
        patrol_by_region: dict[str, list[Emp]] = defaultdict(list)
        for emp in self.emps:
            if emp.profile == "patrol" and emp.work:
                patrol_by_region[emp.region].append(emp)
        # Colleagues who are victims: the assigned responders look them up (explained).
        victims = 0
        for _ in range(max(1, len(self.emps) // 400)):
            region = rng.choice([r for r in patrol_by_region if len(patrol_by_region[r]) > 4])
            victim = rng.choice(self.emps)
            if victim.used:
                continue
            victim.used = True
            subject = self.new_subject(
                "person",
                region,
                last=victim.last,
                postcode=victim.home_pc,
                number=victim.home_nr,
                employee=victim.number,
            )
            incident = self.new_incident(region)
            self.link(subject, incident)
            for responder in rng.sample(
                patrol_by_region[region], k=min(3, len(patrol_by_region[region]))
            ):
                if responder is victim:
                    continue
                moment = self.on_duty_moment(responder)
                if moment is None:
                    continue
                self.assign(responder, incident, moment - 3600, moment + 2 * 86400)
                self.event(responder, moment, incident=incident)
                self.event(responder, moment + 120, subject=subject)
                self.event(responder, moment + 600, subject=subject, incident=incident)
                victims += 1
        self.truth.confounders["colleague_victim_lookups"] = victims
        # Common surnames near home: a stop of someone with the officer's (common) surname
        # in the officer's neighbourhood, but not their street.
        near = 0
        for emp in self.emps:
            if emp.profile == "patrol" and emp.last in self.common and rng.random() < 0.05:
                moment = self.on_duty_moment(emp)
                if moment is None:
                    continue
                postcode = emp.home_pc[:4] + _other_letters(emp.home_pc[4:], rng)
                ref = self.new_subject("person", emp.region, last=emp.last, postcode=postcode)
                self.event(emp, moment, subject=ref)
                near += 1
        self.truth.confounders["common_surname_near_home"] = near

    # --- grey behaviour -----------------------------------------------------------------

    def build_grey(self) -> None:
        rng = self.rng
        excluded = set(self.config.exclude) | set(self.config.focus)
        expected = self.config.grey_per_1000 * len(self.emps) / 1000 * self.config.days / 14
        count = int(expected) + (rng.random() < expected - int(expected))
        candidates = [
            e
            for e in self.emps
            if e.profile in ("patrol", "detective", "staff")
            and e.work
            and not e.no_roster
            and not e.roster_gap
            and e.region
            and e.number not in excluded
        ]
        for index in range(count):
            if not candidates:
                break
            emp = candidates.pop(rng.randrange(len(candidates)))
            if emp.used:
                continue
            emp.used = True
            if index % 3 == 2:
                far = _far_region(emp.region, rng)
                moment = self.on_duty_moment(emp)
                if moment is None or not far:
                    continue
                ids = [self.event(emp, moment, incident=rng.choice(self.region_incidents[far]))]
                kind = "far_incident_glance"
            else:
                shifts = [
                    w
                    for w in emp.work
                    if w[2] == "shift" and self.first < w[1] < self.last - 6 * 3600
                ]
                if not shifts:  # no shift in the period (on call only): no overtime
                    continue
                shift = rng.choice(shifts)
                moment = shift[1] + rng.uniform(2, 3) * 3600
                ids = [
                    self.event(
                        emp,
                        moment + n * 300,
                        subject=self.new_subject("person", emp.region),
                        workstation="VPN",
                    )
                    for n in range(rng.randint(3, 4))
                ]
                kind = "unrostered_overtime"
            self.truth.grey.append({"kind": kind, "employee_id": emp.number, "event_ids": ids})

    # --- misuse -------------------------------------------------------------------------

    def build_misuse(self) -> None:
        per = self.config.misuse_per_scenario or max(3, len(self.emps) // 300)
        for emp in self.emps:
            if emp.number in self.config.exclude:
                emp.used = True
        focus = [e for e in self.emps if e.number in set(self.config.focus)]
        for emp in focus:
            # The demo's own employees get misuse that reads well in a review: a neighbour
            # looked up from home, in the evening.
            emp.used = False
            self._inject("neighbour", emp)
            emp.used = False
            self._inject("off_duty", emp)
        for scenario in SCENARIOS:
            if scenario == "celebrity_burst":
                self._celebrity(max(per, 6))
                continue
            made = 0
            attempts = 0
            while made < per and attempts < per * 50:
                attempts += 1
                candidate = self._candidate(scenario)
                if candidate is None:
                    break
                if self._inject(scenario, candidate):
                    made += 1

    def _candidate(self, scenario: str) -> Emp | None:
        profiles = {
            "volume_spike": ("patrol", "intake", "detective"),
            "off_duty": ("patrol", "community", "staff", "detective"),
            "repeated_unexplained": ("patrol", "community", "staff", "detective"),
            "out_of_region_incident": ("patrol", "community", "staff", "detective"),
        }.get(scenario, ("patrol", "community", "staff", "detective", "intake", "analyst"))
        pool = [
            e
            for e in self.emps
            if not e.used
            and e.profile in profiles
            and e.work
            and e.end is None
            and not e.national
            and e.region
            and e.number not in self.config.focus
            and (scenario != "off_duty" or (not e.no_roster and not e.roster_gap))
        ]
        if scenario == "relative":
            pool = [e for e in pool if e.last not in self.common] or pool
        return self.rng.choice(pool) if pool else None

    def _record(self, scenario: str, emp: Emp, ids: list[str], variant: str = "") -> None:
        emp.used = True
        self.truth.misuse.append(
            {
                "scenario": scenario,
                "indicator": scenario,
                "employee_id": emp.number,
                "variant": variant,
                "event_ids": ids,
            }
        )

    def _inject(self, scenario: str, emp: Emp) -> bool:
        rng = self.rng
        handler = getattr(self, f"_misuse_{scenario}")
        if not emp.work:
            return False
        return bool(handler(emp, rng))

    def _misuse_off_duty(self, emp: Emp, rng: random.Random) -> bool:
        if rng.random() < 0.3 or emp.absent:
            if emp.absent:
                start, end = emp.absent[0][:2]
            else:
                start, end = self._absence(emp, "leave", 4)
                # Work was generated already: the days now on leave were not worked.
                self.events = [
                    e for e in self.events if not (e[2] == emp.number and start <= e[0] < end)
                ]
            moment = rng.uniform(max(start, self.first) + 10 * 3600, min(end, self.last) - 3600)
            ids = [
                self.event(
                    emp, moment + n * 240, subject=self._lookup_target(emp), workstation="VPN"
                )
                for n in range(rng.randint(1, 3))
            ]
            self._record("off_duty", emp, ids, "leave")
            return True
        # An evening off: between two roster entries at least a day apart, known to the
        # roster. On-call periods count as entries: a look-up while on call is not misuse.
        gaps = []
        entries = sorted(emp.work)
        covered_until = entries[0][1]
        for start, end, _kind in entries[1:]:
            if (
                start - covered_until > 20 * 3600
                and covered_until > self.first
                and start < self.last
            ):
                gaps.append((covered_until, start))
            covered_until = max(covered_until, end)
        if not gaps:
            return False
        gap_start, gap_end = rng.choice(gaps)
        moment = rng.uniform(gap_start + 4 * 3600, gap_end - 6 * 3600)
        ids = [
            self.event(emp, moment + n * 300, subject=self._lookup_target(emp), workstation="VPN")
            for n in range(rng.randint(3, 6))
        ]
        self._record("off_duty", emp, ids, "evening_off")
        return True

    def _lookup_target(self, emp: Emp) -> str:
        """Someone the employee has no business with: not in any of their incidents."""
        region = emp.region or self.rng.choice(list(REGIONS))
        return self.new_subject(self.rng.choice(["person", "person", "vehicle"]), region)

    def _misuse_after_employment(self, emp: Emp, rng: random.Random) -> bool:
        end_day = self.config.start + datetime.timedelta(
            days=rng.randint(3, max(3, self.config.days - 4))
        )
        emp.end = end_day
        cut = _epoch(end_day + DAY, 0)
        emp.work = [w for w in emp.work if w[0] < cut]
        # Their regular events after the end are removed from the log.
        self.events = [e for e in self.events if not (e[2] == emp.number and e[0] >= cut)]
        ids = []
        for n in range(rng.randint(2, 4)):
            moment = rng.uniform(cut + 86400, self.last - 3600)
            ids.append(self.event(emp, moment + n, subject=self._lookup_target(emp)))
        self._record("after_employment", emp, ids)
        return True

    def _celebrity(self, lookers: int) -> None:
        rng = self.rng
        bursts = max(1, lookers // 8)
        for _ in range(bursts):
            region = rng.choice(list(REGIONS))
            star = self.new_subject("person", region, last=self.very_rare_surname())
            case = self.new_incident(region)
            self.link(star, case)
            day = self.config.start + datetime.timedelta(days=rng.randint(1, self.config.days - 2))
            day_from, day_to = _epoch(day, 0), _epoch(day + DAY, 0)
            investigators = [
                e
                for e in self.emps
                if e.profile == "detective" and e.region == region and not e.used
            ][:3]
            for emp in investigators:
                self.assign(emp, case, self.first - 86400, None)
                for _ in range(3):
                    moment = self.on_duty_moment(emp, day_from - 3 * 86400, day_to + 3 * 86400)
                    if moment is not None:
                        self.event(emp, moment, subject=star, incident=case)
            for emp in [e for e in self.emps if e.profile == "intake" and e.region == region][:3]:
                moment = self.on_duty_moment(emp, day_from, day_to)
                if moment is not None:
                    self.event(emp, moment, subject=star)
            made = 0
            pool = [
                e
                for e in self.emps
                if not e.used
                and e.profile in ("patrol", "community", "staff")
                and e.work
                and e.region != region
            ]
            rng.shuffle(pool)
            for emp in pool:
                if made >= lookers // bursts:
                    break
                moment = self.on_duty_moment(emp, day_from, day_to)
                if moment is None:
                    continue
                ids = [
                    self.event(emp, moment + n * 90, subject=star) for n in range(rng.randint(1, 2))
                ]
                self._record("celebrity_burst", emp, ids, f"burst {star}")
                made += 1

    def _misuse_relative(self, emp: Emp, rng: random.Random) -> bool:
        moment = self.on_duty_moment(emp)
        if moment is None:
            return False
        variants = ["home", "street"]
        if emp.last not in self.common:
            variants.append("area")
        if self.is_very_rare(emp.last):
            variants += ["sister", "sister"]
        variant = rng.choice(variants)
        region = emp.region or rng.choice(list(REGIONS))
        if variant == "home":
            targets = [
                self.new_subject(
                    "person", region, last=emp.last, postcode=emp.home_pc, number=emp.home_nr
                )
            ]
        elif variant == "street":
            targets = [self.new_subject("person", region, last=emp.last, postcode=emp.home_pc)]
        elif variant == "area":
            postcode = emp.home_pc[:4] + _other_letters(emp.home_pc[4:], rng)
            targets = [self.new_subject("person", region, last=emp.last, postcode=postcode)]
        else:
            elsewhere = rng.choice(list(REGIONS))
            postcode, number = self.postcode(elsewhere), str(rng.randint(1, 120))
            sister = self.new_subject(
                "person", elsewhere, last=emp.last, postcode=postcode, number=number
            )
            partner = self.new_subject("person", elsewhere, postcode=postcode, number=number)
            targets = [partner] if rng.random() < 0.6 else [partner, sister]
        ids = [
            self.event(emp, moment + n * 120, subject=target) for n, target in enumerate(targets)
        ]
        self._record("relative", emp, ids, variant)
        return True

    def _misuse_neighbour(self, emp: Emp, rng: random.Random) -> bool:
        moment = self.on_duty_moment(emp)
        if moment is None:
            return False
        region = emp.region or rng.choice(list(REGIONS))
        surname = self.surname()
        while surname == emp.last:
            surname = self.surname()
        if rng.random() < 0.35:
            targets = [
                self.new_subject(
                    "person", region, last=surname, postcode=emp.home_pc, number=emp.home_nr
                )
            ]
            variant = "home"
        else:
            targets = [
                self.new_subject(
                    rng.choice(["person", "vehicle"]),
                    region,
                    last=self.surname(),
                    postcode=emp.home_pc,
                )
                for _ in range(rng.randint(2, 3))
            ]
            variant = "street"
        ids = [
            self.event(emp, moment + n * 150, subject=target) for n, target in enumerate(targets)
        ]
        self._record("neighbour", emp, ids, variant)
        return True

    def _misuse_self_lookup(self, emp: Emp, rng: random.Random) -> bool:
        moment = self.on_duty_moment(emp)
        if moment is None:
            return False
        kind = rng.choice(["person", "vehicle"])
        ref = self.new_subject(
            kind,
            emp.region or "AM",
            last=emp.last,
            postcode=emp.home_pc,
            number=emp.home_nr,
            employee=emp.number,
        )
        ids = [self.event(emp, moment + n * 60, subject=ref) for n in range(rng.randint(1, 2))]
        self._record("self_lookup", emp, ids, kind)
        return True

    def _misuse_colleague_lookup(self, emp: Emp, rng: random.Random) -> bool:
        moment = self.on_duty_moment(emp)
        colleagues = [e for e in self.emps if e.team == emp.team and e is not emp] or [
            e for e in self.emps if e is not emp
        ]
        if moment is None or not colleagues:
            return False
        colleague = rng.choice(colleagues)
        ref = self.new_subject(
            "person",
            colleague.region or "AM",
            last=colleague.last,
            postcode=colleague.home_pc,
            number=colleague.home_nr,
            employee=colleague.number,
        )
        ids = [self.event(emp, moment + n * 60, subject=ref) for n in range(rng.randint(1, 2))]
        self._record("colleague_lookup", emp, ids)
        return True

    def _misuse_out_of_region_incident(self, emp: Emp, rng: random.Random) -> bool:
        far = _far_region(emp.region, rng)
        moment = self.on_duty_moment(emp)
        if moment is None or not far:
            return False
        cases = rng.sample(self.region_incidents[far], k=rng.randint(1, 2))
        ids = [self.event(emp, moment + n * 200, incident=case) for n, case in enumerate(cases)]
        self._record("out_of_region_incident", emp, ids, far)
        return True

    def _misuse_volume_spike(self, emp: Emp, rng: random.Random) -> bool:
        shifts = [
            w for w in emp.work if w[2] == "shift" and self.first <= w[0] and w[1] <= self.last
        ]
        if len(shifts) < 4:
            return False
        start, end, _kind = rng.choice(shifts)
        extra = round(RATES[emp.profile] * self.config.events_scale * rng.uniform(5, 8))
        ids = []
        for _ in range(extra):
            moment = rng.uniform(start, end - 60)
            if emp.profile == "intake":
                ids.append(
                    self.event(
                        emp, moment, subject=rng.choice(self.pools[emp.region]), action="export"
                    )
                )
            else:
                ids.append(
                    self.event(
                        emp, moment, subject=self.new_subject("person", emp.region), action="export"
                    )
                )
        self._record("volume_spike", emp, ids)
        return True

    def _misuse_repeated_unexplained(self, emp: Emp, rng: random.Random) -> bool:
        region = rng.choice([emp.region, _far_region(emp.region, rng) or emp.region])
        network = self.new_incident(region)
        members = [self.new_subject("person", region) for _ in range(rng.randint(4, 6))]
        for member in members:
            self.link(member, network)
        shifts = [
            w for w in emp.work if w[2] == "shift" and self.first <= w[0] and w[1] <= self.last
        ]
        days_wanted = rng.randint(5, 7)
        if len(shifts) < days_wanted:
            return False
        ids = []
        for start, end, _kind in rng.sample(shifts, k=days_wanted):
            moment = rng.uniform(start, end - 600)
            for n, member in enumerate(rng.sample(members, k=rng.randint(1, 2))):
                ids.append(self.event(emp, moment + n * 90, subject=member))
        self._record("repeated_unexplained", emp, ids, f"{len(members)} people, {days_wanted} days")
        return True

    # --- output -------------------------------------------------------------------------

    def write(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if not self.config.use_existing:
            _write_csv(
                directory / "units.csv",
                ["code", "name", "parent_code", "kind", "region"],
                self.units,
            )
        _write_csv(
            directory / "employees.csv",
            [
                "employee_id",
                "first_name",
                "last_name",
                "unit_code",
                "team_code",
                "function",
                "home_postcode",
                "home_house_number",
                "start_date",
                "end_date",
            ],
            [
                [
                    e.number,
                    e.first,
                    e.last,
                    e.unit,
                    e.team,
                    e.function,
                    e.home_pc,
                    e.home_nr,
                    e.start,
                    e.end.isoformat() if e.end else "",
                ]
                for e in self.emps
            ],
        )
        rosters = []
        for emp in self.emps:
            if emp.no_roster:
                continue
            for start, end, kind in sorted(emp.work + emp.absent):
                if emp.roster_gap and emp.roster_gap[0] <= start < emp.roster_gap[1]:
                    continue
                rosters.append([emp.number, _iso(start), _iso(end), kind])
        _write_csv(directory / "rosters.csv", ["employee_id", "start", "end", "kind"], rosters)
        _write_csv(
            directory / "incidents.csv",
            ["incident_ref", "region", "opened_at", "closed_at"],
            [
                [ref, r, _iso(o), _iso(c) if c else ""]
                for ref, (r, o, c, _s) in self.incidents.items()
            ],
        )
        _write_csv(
            directory / "assignments.csv",
            ["employee_id", "incident_ref", "start", "end"],
            [[n, i, _iso(s), _iso(e) if e else ""] for n, i, s, e in self.assignments],
        )
        _write_csv(
            directory / "subjects.csv",
            [
                "subject_ref",
                "kind",
                "last_name",
                "postcode",
                "house_number",
                "region",
                "incident_refs",
                "employee_id",
            ],
            [
                [r, k, ln, pc, nr, rg, ";".join(sorted(inc)), emp]
                for r, k, ln, pc, nr, rg, inc, emp in self.subjects.values()
            ],
        )
        _write_csv(
            directory / "scope_rules.csv",
            [
                "function",
                "unit_code",
                "employee_id",
                "scope",
                "subject_ref",
                "valid_from",
                "valid_until",
                "reason",
            ],
            self.scope_rules,
        )
        self.events.sort()
        if self.config.compress:
            with gzip.open(
                directory / "events.csv.gz", "wt", encoding="utf-8", newline=""
            ) as zipped:
                _write_events(zipped, self.events)
        else:
            with (directory / "events.csv").open("w", encoding="utf-8", newline="") as plain:
                _write_events(plain, self.events)
        self.truth.events = len(self.events)
        (directory / "ground_truth.json").write_text(
            json.dumps(asdict(self.truth), indent=1, default=str), encoding="utf-8"
        )


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _write_events(
    stream: IO[str], events: list[tuple[float, str, str, str, str, str, str, str]]
) -> None:
    stream.write(
        "event_id,occurred_at,employee_id,system,action,subject_ref,incident_ref,workstation\n"
    )
    stamps: dict[int, str] = {}
    lines = []
    for moment, event_id, number, system, action, subject, incident, station in events:
        second = int(moment)
        text = stamps.get(second)
        if text is None:
            text = _iso(second)
            if len(stamps) > 100_000:
                stamps.clear()
            stamps[second] = text
        lines.append(
            f"{event_id},{text},{number},{system},{action},{subject},{incident},{station}\n"
        )
        if len(lines) >= 10_000:
            stream.write("".join(lines))
            lines.clear()
    stream.write("".join(lines))


_NEIGHBOURS = {
    "AM": ["DH", "MN", "NH"],
    "DH": ["AM", "MN", "NH", "RT"],
    "LB": ["OB", "ON"],
    "MN": ["AM", "DH", "NH", "NN", "ON", "RT"],
    "NH": ["AM", "DH", "MN", "NN"],
    "NN": ["MN", "NH", "ON"],
    "OB": ["LB", "ON", "ZB"],
    "ON": ["LB", "MN", "NN", "OB", "RT"],
    "RT": ["DH", "MN", "ON", "ZB"],
    "ZB": ["OB", "RT"],
}


def _neighbour_region(region: str, rng: random.Random) -> str:
    options = _NEIGHBOURS.get(region, [])
    return rng.choice(options) if options else ""


def _far_region(region: str, rng: random.Random) -> str:
    options = [r for r in REGIONS if r != region and r not in _NEIGHBOURS.get(region, [])]
    return rng.choice(options) if options else ""


def _other_letters(letters: str, rng: random.Random) -> str:
    while True:
        candidate = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
        if candidate != letters:
            return candidate


def _config_dict(config: GeneratorConfig) -> dict[str, Any]:
    values = asdict(config)
    values["start"] = config.start.isoformat()
    values["end"] = config.end.isoformat()
    values["focus"] = list(config.focus)
    return values


def generate(config: GeneratorConfig, directory: Path) -> GroundTruth:
    """Generate a full delivery into ``directory``; returns the ground truth."""
    if config.adversarial:
        from monitoring.generator.adversarial import generate_adversarial

        return generate_adversarial(config, directory)
    generator = Generator(config)
    generator.build_organisation()
    generator.build_rosters()
    generator.build_world()
    generator.build_work()
    generator.build_confounders()
    generator.build_grey()
    generator.build_misuse()
    generator.write(directory)
    return generator.truth
