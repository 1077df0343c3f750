"""The adversarial generator: deliveries the detection thresholds were never fitted to.

The classic generator (:mod:`.core`) always builds the same shape of organisation with the
same function names and rhythms; thresholds developed on it fitted it. This one draws
everything per seed, so no rule can lean on a name, a size or a habit:

* **organisation** — a random subset of the regions (1 to 10), unit and team codes drawn
  per seed, teams of random number and size, functions under names drawn per seed (one to
  three per kind of work), optionally a national unit and support units;
* **need to know** — per kind of work a random choice between *scoped* (the department
  writes a ``regional`` rule in ``scope_rules.csv``, by function or by unit, as it would for
  its own functions) and *assigned* (each incident handled is an assignment in the
  delivery); the engine learns which is which only from those files;
* **rhythms** — shift patterns, lengths and starts per team, part-timers, on call; heavy and
  light users (a log-normal rate per employee); busy days;
* **deliveries** — a roster week missing for some, no roster for a few, the second week of
  some teams' rosters delivered *late* (``late/rosters.csv``, imported after a first
  detection), duplicate log lines and blocks of lines out of order;
* **the four classes of issue 10 as everyday work** — multi-day bursts of regional hot
  subjects (a wanted person, a car sought after a robbery) opened by dozens of the region's
  patrol and detectives from many teams, with spill-over into bordering regions and, for
  half of them, a look from one to three of the national or support units' staff; colleagues,
  relatives and neighbours who are parties in incidents that scoped staff handle (often by
  searching the person, so the log line does not name the incident; never by the party
  themselves, who hands it to a colleague); common and rare
  surnames; ``relations.csv`` with the relations HR knows (not all of them);
* **misuse** with ground truth for every indicator, in variants: curiosity bursts spread
  over one to four days across midnight and the change to winter time, the sister's new
  partner in a family called Jansen (found only if HR knows the sister), colleagues opened
  by scoped staff outside their scope or after the incident closed, moles in scoped and
  assigned functions, look-ups off duty in the night of the change of time.

Misuse that leaves no trace in the delivery at all (a relative HR does not know, with a
common surname, living elsewhere) is recorded with ``traceable: false``: no engine can
find it, so the benchmark reports it apart from recall.

Deterministic for a seed.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

from monitoring.generator.core import (
    _NEIGHBOURS,
    DAY,
    ROSTER_LEAD,
    SYSTEMS_SUBJECT,
    Emp,
    Generator,
    GeneratorConfig,
    GroundTruth,
    _epoch,
    _far_region,
    _iso,
    _neighbour_region,
    _other_letters,
    _write_csv,
    _write_events,
)
from monitoring.generator.data import FIRST_NAMES, REGIONS

_SYLLABLES_A = [
    "Bra", "Kor", "Mel", "Tis", "Vor", "Quen", "Dal", "Ros", "Fen", "Gul", "Hab", "Jor",
    "Lum", "Nes", "Pal", "Sem", "Tor", "Wil", "Zan", "Ard", "Bel", "Cor", "Dre", "Eik",
]  # fmt: skip
_SYLLABLES_B = ["dan", "iel", "ost", "ur", "ane", "ik", "or", "esk", "um", "ar", "ent", "is"]
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXZ"
# Kinds of work. Functions get random names; the kind decides behaviour only.
PROFILES = ("patrol", "community", "detective", "intake", "analyst", "ops", "staff")
SCOPABLE = ("intake", "analyst", "ops")
BASE_RATES = {  # accesses per work period at events_scale 1, before per-seed variation
    "patrol": 29,
    "community": 20,
    "detective": 30,
    "intake": 80,
    "analyst": 70,
    "ops": 60,
    "national": 45,
    "staff": 4,
}


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(_SYLLABLES_A) + rng.choice(_SYLLABLES_B)
        if rng.random() < 0.4:
            name += rng.choice(["-medewerker", " specialist", "-coördinator", " II", " B"])
        if name not in used:
            used.add(name)
            return name


def _code(rng: random.Random, used: set[str], length: int = 3) -> str:
    while True:
        code = "".join(rng.choice(_LETTERS) for _ in range(length)) + str(rng.randint(1, 99))
        if code not in used:
            used.add(code)
            return code


class AdversarialGenerator(Generator):
    """Everything drawn per seed; see the module docstring."""

    def __init__(self, config: GeneratorConfig) -> None:
        super().__init__(config)
        rng = self.rng
        self.codes: set[str] = set()
        self.scoped: dict[str, str] = {}  # profile -> "function" / "unit" / "" (assigned)
        self.functions: dict[str, list[str]] = {}
        self.rate_of: dict[str, float] = {}
        self.rate_employee: dict[str, float] = {}
        self.late_rosters: list[list[str]] = []
        self.relations: list[list[str]] = []
        self.hr_knows = rng.uniform(0.5, 0.9)  # share of relatives HR has on record
        self.duplicate_share = rng.uniform(0.0, 0.01)
        self.disorder_share = rng.uniform(0.0, 0.05)
        self.late_team_share = rng.uniform(0.0, 0.25)
        self.assign_patrol = rng.random() < 0.85  # some forces deliver no patrol assignments
        self.region_units: dict[str, str] = {}  # region -> regional unit code
        self.team_units: dict[str, list[str]] = defaultdict(list)  # unit code -> team codes
        self.parties: list[tuple[str, str, str]] = []  # (incident, subject, kind) personal
        self.subject_employee: dict[str, str] = {}  # a colleague's registration -> their number
        self.hot: list[dict[str, Any]] = []
        self.daily: dict[tuple[str, int], list[str]] = {}
        self.relatives: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.truth.confounders = defaultdict(int)
        # Draws added in round 6 come from a stream of their own, so that every other draw
        # (organisation, work, misuse) stays what it was for a seed.
        self.again = random.Random(f"{config.seed}:again")  # noqa: S311 - synthetic data
        # ... and those of round 7 from one of theirs.
        self.office = random.Random(f"{config.seed}:office")  # noqa: S311 - synthetic data
        # Round 8's stream: a national or support unit's staff whose work opens no subjects
        # look at hot subjects too (every other draw of a seed stays as it was).
        self.unit_office = random.Random(f"{config.seed}:unit-office")  # noqa: S311 - synthetic data

    # --- organisation -------------------------------------------------------------------

    def _generate_organisation(self) -> None:
        rng = self.rng
        n = self.config.employees
        # One- and two-region organisations too: the regional judgment of bursts must hold
        # when there are fewer regions than ``celebrity.min_units``.
        region_count = rng.choice([1, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10])
        regions = rng.sample(list(REGIONS), k=region_count)
        national = rng.random() < 0.7
        support = rng.random() < 0.6
        regional_share = rng.uniform(0.78, 0.92) if (national or support) else 1.0
        # Shares of the kinds of work, drawn per seed.
        shares = {
            "patrol": rng.uniform(0.45, 0.62),
            "community": rng.uniform(0.0, 0.06),
            "detective": rng.uniform(0.08, 0.16),
            "intake": rng.uniform(0.05, 0.12),
            "analyst": rng.uniform(0.02, 0.07),
            "ops": rng.uniform(0.0, 0.05),
            "staff": rng.uniform(0.04, 0.1),
        }
        total = sum(shares.values())
        used_names: set[str] = set()
        for profile in PROFILES:
            self.functions[profile] = [_name(rng, used_names) for _ in range(rng.randint(1, 3))]
            self.rate_of[profile] = BASE_RATES[profile] * rng.uniform(0.6, 1.5)
        self.functions["national"] = [_name(rng, used_names) for _ in range(rng.randint(1, 2))]
        self.rate_of["national"] = BASE_RATES["national"] * rng.uniform(0.6, 1.4)
        for profile in SCOPABLE:
            roll = rng.random()
            self.scoped[profile] = "function" if roll < 0.55 else "unit" if roll < 0.8 else ""
        # Region sizes vary: a few big regions, some small ones.
        weights = [rng.uniform(0.4, 2.0) for _ in regions]
        regional = int(n * regional_share)
        number = rng.randint(100000, 400000)
        for region, weight in zip(regions, weights, strict=True):
            size = max(25, round(regional * weight / sum(weights)))
            unit = _code(rng, self.codes, 2)
            self.region_units[region] = unit
            self.units.append([unit, f"Eenheid {unit}", "", "regional", region])
            districts = [
                _code(rng, self.codes)
                for _ in range(
                    max(1, round(size * shares["patrol"] / total / rng.uniform(60, 160)))
                )
            ]
            for district in districts:
                self.units.append([district, f"District {district}", unit, "district", region])
            for profile in PROFILES:
                count = round(size * shares[profile] / total)
                if count <= 0:
                    continue
                if profile in ("patrol", "community"):
                    team_size = rng.uniform(18, 70)
                    teams = max(1, round(count / team_size))
                    parents = districts
                else:
                    teams = max(1, round(count / rng.uniform(25, 90)))
                    parents = [unit]
                codes = []
                for index in range(teams):
                    code = _code(rng, self.codes)
                    codes.append(code)
                    parent = parents[index % len(parents)]
                    self.units.append([code, f"Team {code}", parent, "team", region])
                    self.team_units[unit].append(code)
                    if self.scoped.get(profile) == "unit":
                        self.scope_rules.append(
                            ["", code, "", "regional", "", "", "", "Informatiepositie regio"]
                        )
                for index in range(count):
                    number += rng.randint(1, 7)
                    function = rng.choice(self.functions[profile])
                    emp = self._person(
                        str(number), unit, codes[index % teams], function, profile, region
                    )
                    emp.profile = profile
                    self.emps.append(emp)
        rest = n - len(self.emps)
        if national and rest > 0:
            unit = _code(rng, self.codes, 2)
            self.units.append([unit, f"Landelijk {unit}", "", "national", ""])
            # Its department gives it national need to know in a scope rule (never implied
            # by the unit's kind).
            self.scope_rules.append(
                ["", unit, "", "national", "", "", "", "Landelijke taak: alle regio's"]
            )
            national_teams = [_code(rng, self.codes) for _ in range(rng.randint(1, 4))]
            for team in national_teams:
                self.units.append([team, f"Team {team}", unit, "team", ""])
            share = rng.uniform(0.5, 0.8) if support else 1.0
            for index in range(max(1, round(rest * share))):
                number += rng.randint(1, 7)
                profile = "national" if rng.random() < 0.7 else "analyst"
                function = rng.choice(self.functions[profile])
                emp = self._person(
                    str(number),
                    unit,
                    national_teams[index % len(national_teams)],
                    function,
                    profile,
                    "",
                )
                emp.profile = profile
                emp.national = True
                self.emps.append(emp)
        rest = n - len(self.emps)
        if support and rest > 0:
            unit = _code(rng, self.codes, 2)
            self.units.append([unit, f"Dienst {unit}", "", "support", ""])
            support_teams = [_code(rng, self.codes) for _ in range(rng.randint(1, 3))]
            for team in support_teams:
                self.units.append([team, f"Team {team}", unit, "team", ""])
            for index in range(rest):
                number += rng.randint(1, 7)
                emp = self._person(
                    str(number),
                    unit,
                    support_teams[index % len(support_teams)],
                    rng.choice(self.functions["staff"]),
                    "staff",
                    "",
                )
                emp.profile = "staff"
                self.emps.append(emp)
        for profile in SCOPABLE:
            if self.scoped[profile] == "function":
                for function in self.functions[profile]:
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
        for emp in self.emps:
            self.rate_employee[emp.number] = math.exp(rng.gauss(0, 0.55))
        self.truth.confounders["regions"] = len(regions)
        self.truth.confounders["scoped_kinds"] = sum(1 for v in self.scoped.values() if v)

    def _person(
        self, number: str, unit: str, team: str, function: str, profile: str, region: str
    ) -> Emp:
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

    def is_scoped(self, emp: Emp) -> bool:
        return emp.national or bool(self.scoped.get(emp.profile))

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
        patterns: dict[str, dict[str, Any]] = {}
        for emp in self.emps:
            pattern = patterns.get(emp.team)
            if pattern is None:
                length = rng.choice([8, 8, 8.5, 9, 9.5, 10])
                pattern = {
                    "length": length,
                    "early": rng.choice([6, 6.5, 7, 7.5, 8]),
                    "late": rng.choice([14, 14.5, 15, 15.5, 16]),
                    "night": rng.choice([22, 22.5, 23]),
                    "cycle": rng.randint(8, 12),
                    "office": rng.choice([7.5, 8, 8.5, 9, 9.5]),
                    "office_hours": rng.choice([8, 8.5, 9]),
                    "late_delivery": rng.random() < self.late_team_share,
                }
                patterns[emp.team] = pattern
            offset = rng.randrange(pattern["cycle"])
            part_time_day = rng.randrange(5) if rng.random() < 0.15 else None
            oncall_week = rng.randrange(len(day_list) - 7) if rng.random() < 0.35 else None
            for index, day in enumerate(day_list):
                weekday = day.weekday()
                hours: tuple[float, float] | None = None
                profile = emp.profile
                if profile in ("patrol", "ops"):
                    slot = (index + offset) % pattern["cycle"]
                    start = {
                        0: "early",
                        1: "early",
                        2: "late",
                        3: "late",
                        4: "night",
                        5: "night",
                    }.get(slot)
                    if start:
                        begin = pattern[start]
                        hours = (begin, begin + pattern["length"])
                elif profile == "intake":
                    slot = (index + offset) % 7
                    week = ((index + offset) // 7) % 2
                    begin = pattern["early"] if week == 0 else pattern["late"]
                    hours = None if slot >= 5 else (begin, begin + pattern["length"])
                else:
                    if weekday < 5 and weekday != part_time_day:
                        begin = pattern["office"] + rng.choice([0, 0, 0.25, -0.25])
                        hours = (begin, begin + pattern["office_hours"])
                if hours is not None:
                    emp.work.append((_epoch(day, hours[0]), _epoch(day, hours[1]), "shift"))
                if (
                    profile in ("detective", "national")
                    and oncall_week is not None
                    and oncall_week <= index < oncall_week + 7
                ):
                    if weekday >= 5:
                        emp.work.append((_epoch(day, 8.5), _epoch(day, 17), "oncall"))
                    emp.work.append((_epoch(day, 17), _epoch(day, 32.5), "oncall"))
            if rng.random() < 0.10:
                self._absence(emp, "leave", rng.randint(2, 8))
            elif rng.random() < 0.04:
                self._absence(emp, "sick", rng.randint(1, 4))
            roll = rng.random()
            if roll < 0.06:
                gap_start = self.first + rng.randint(0, max(0, self.config.days - 7)) * 86400
                emp.roster_gap = (gap_start, gap_start + 7 * 86400)
            elif roll < 0.09:
                emp.no_roster = True
            emp.late = pattern["late_delivery"]  # type: ignore[attr-defined]
        for key in ("missing_roster_week", "no_roster"):
            self.truth.confounders[key] = 0
        self.truth.confounders["missing_roster_week"] = sum(1 for e in self.emps if e.roster_gap)
        self.truth.confounders["no_roster"] = sum(1 for e in self.emps if e.no_roster)
        self.truth.confounders["late_roster_teams"] = sum(
            1 for p in patterns.values() if p["late_delivery"]
        )

    # --- the world ----------------------------------------------------------------------

    def build_world(self) -> None:
        rng = self.rng
        per_region: dict[str, int] = defaultdict(int)
        for emp in self.emps:
            if emp.region:
                per_region[emp.region] += 1
        self.regions = sorted(per_region)
        for region in self.regions:
            people = max(150, per_region[region] * rng.randint(4, 8))
            for _ in range(people):
                self.new_subject("person", region, pool=True)
            for _ in range(people // 2):
                self.new_subject("vehicle", region, pool=True)
            for _ in range(max(80, per_region[region] * rng.randint(1, 2))):
                self.new_incident(region, subjects=rng.randint(1, 4))
        for region in REGIONS:  # the rest of the country: files a far glance may open
            if region not in per_region:
                for _ in range(300):
                    self.new_incident(region)
        # Detectives work their cases; national detectives cases anywhere.
        for emp in self.emps:
            if emp.profile == "detective" and emp.region:
                cases = self.region_incidents[emp.region]
                emp.incidents = rng.sample(cases, k=min(rng.randint(2, 4), len(cases)))
            elif emp.profile == "national":
                emp.incidents = [
                    rng.choice(self.region_incidents[rng.choice(self.regions)]) for _ in range(3)
                ]
            for incident in emp.incidents:
                self.assign(emp, incident, self.first - 30 * 86400, None)
        self._people_in_incidents()
        self._relations()

    def _people_in_incidents(self) -> None:
        """Colleagues, and employees' relatives and neighbours, as parties in incidents."""
        rng = self.rng
        count = max(4, round(len(self.emps) * rng.uniform(0.01, 0.03)))
        for _ in range(count):
            emp = rng.choice(self.emps)
            region = emp.region if emp.region and rng.random() < 0.7 else rng.choice(self.regions)
            incident = self.new_incident(region)
            self.incidents[incident][1] = self.first + rng.uniform(0, self.config.days - 1) * 86400
            self.incidents[incident][2] = None
            kind = rng.choice(["victim", "witness", "reporter"])
            subject = self.new_subject(
                "person",
                emp.region or region,
                last=emp.last,
                postcode=emp.home_pc or None,
                number=emp.home_nr or None,
                employee=emp.number,
            )
            self.link(subject, incident)
            for other in rng.sample(self.region_incidents[region], k=2):
                if rng.random() < 0.3:
                    self.link(subject, other)
            self.parties.append((incident, subject, kind))
            self.subject_employee[subject] = emp.number
        self.truth.confounders["colleagues_in_incidents"] = count

    def _relations(self) -> None:
        """Relatives of employees (some in the subjects), and what HR knows of them."""
        rng = self.rng
        for emp in self.emps:
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                kind = rng.choice(["partner", "sibling", "sibling", "parent", "child"])
                same = kind in ("sibling", "parent", "child") and rng.random() < 0.8
                last = emp.last if same else self.surname()
                region = rng.choice(self.regions)
                if kind == "partner" and rng.random() < 0.6:
                    postcode, number = emp.home_pc, emp.home_nr
                else:
                    postcode, number = self.postcode(region), str(rng.randint(1, 150))
                known = rng.random() < self.hr_knows
                # Half of them are in the police systems already (a licence, a report).
                subject = (
                    self.new_subject("person", region, last=last, postcode=postcode, number=number)
                    if rng.random() < 0.5
                    else ""
                )
                relative = {
                    "subject": subject,
                    "kind": kind,
                    "last": last,
                    "postcode": postcode,
                    "number": number,
                    "region": region,
                    "known": known,
                }
                self.relatives[emp.number].append(relative)
                if known:
                    hr_kind = kind if rng.random() < 0.7 else "emergency_contact"
                    self.relations.append([emp.number, hr_kind, last, postcode, number])

    # --- normal work --------------------------------------------------------------------

    def build_work(self) -> None:
        rng = self.rng
        scale = self.config.events_scale
        busy = {e.number for e in self.emps if rng.random() < 0.05}
        for emp in self.emps:
            rate = self.rate_of[emp.profile] * scale * self.rate_employee[emp.number]
            busy_day = rng.choice(emp.work)[0] if emp.number in busy and emp.work else None
            for start, end, kind in emp.work:
                if end <= self.first or start >= self.last:
                    continue
                if kind == "oncall":
                    if emp.incidents and rng.random() < 0.3:
                        for _ in range(rng.randint(1, 4)):
                            moment = rng.uniform(start, end)
                            if self.first <= moment < self.last:
                                self.event(emp, moment, incident=rng.choice(emp.incidents))
                    continue
                if rng.random() < 0.12:
                    end += rng.uniform(0, 50) * 60
                if rng.random() < 0.08:
                    start -= rng.uniform(0, 30) * 60
                count = max(
                    0, round(rate * rng.uniform(0.6, 1.4) * (1.8 if start == busy_day else 1))
                )
                self._adversarial_period(emp, start, end, count)
        self._hot_subjects()
        self._scoped_parties()

    def _adversarial_period(self, emp: Emp, start: float, end: float, count: int) -> None:
        rng = self.rng
        low, high = max(start, self.first), min(end, self.last)
        if high <= low or count <= 0:
            return
        count = round(count * (high - low) / (end - start))
        profile = emp.profile
        region = emp.region
        if profile in ("patrol", "community"):
            handled = rng.sample(
                self.region_incidents[region],
                k=min(rng.randint(1, 3), len(self.region_incidents[region])),
            )
            if self.assign_patrol:
                for incident in handled:
                    self.assign(emp, incident, start - 1800, end + 7200)
            while count > 0:
                moment = rng.uniform(low, high)
                roll = rng.random()
                if roll < 0.35 and self.assign_patrol:
                    incident = rng.choice(handled)
                    linked = self.incidents[incident][3]
                    if linked and rng.random() < 0.6:
                        self.event(emp, moment, subject=rng.choice(linked), incident=incident)
                    else:
                        self.event(emp, moment, incident=incident)
                    count -= 1
                elif roll < 0.6:
                    count -= self._stop(emp, moment)
                elif roll < 0.603:
                    neighbour = _neighbour_region(region, rng)
                    if neighbour in self.region_incidents:
                        self.event(
                            emp, moment, incident=rng.choice(self.region_incidents[neighbour])
                        )
                        self.truth.confounders["neighbouring_region_glance"] += 1
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
        elif profile in ("intake", "ops") or (profile == "analyst" and not emp.national):
            regions = self.regions if emp.national or not region else [region]
            scoped = self.is_scoped(emp)
            for _ in range(count):
                moment = rng.uniform(low, high)
                area = rng.choice(regions)
                roll = rng.random()
                if profile == "analyst" and roll < 0.45 and scoped:
                    self.event(emp, moment, subject=rng.choice(self.pools[area]))
                    continue
                # The incidents coming in today (or the days before): handled, not browsed.
                incident = self.incident_of_day(area, moment)
                if not scoped:
                    # Assigned work: every incident handled is an assignment in the delivery.
                    self.assign(emp, incident, moment - 600, moment + 86400)
                linked = self.incidents[incident][3]
                if roll < 0.35 and linked:
                    # The person searched by name: the log line does not name the incident.
                    self.event(emp, moment, subject=rng.choice(linked), action="search")
                elif roll < 0.5 and linked:
                    self.event(emp, moment, subject=rng.choice(linked), incident=incident)
                elif roll < 0.8:
                    self.event(emp, moment, incident=incident)
                else:
                    self.event(emp, moment)
        elif profile == "analyst":  # national analysts: national scope, the whole country
            for _ in range(count):
                moment = rng.uniform(low, high)
                area = rng.choice(self.regions)
                if rng.random() < 0.6:
                    self.event(emp, moment, subject=rng.choice(self.pools[area]))
                else:
                    self.event(emp, moment, incident=rng.choice(self.region_incidents[area]))
        else:
            for _ in range(count):
                self.event(emp, rng.uniform(low, high))

    def incident_of_day(self, region: str, moment: float) -> str:
        """One of the incidents registered in ``region`` on the day of ``moment`` (or the
        two days before): what intake and the operations room handle."""
        rng = self.rng
        day = int((moment - self.first) // 86400) - (rng.random() < 0.3) * rng.randint(1, 2)
        key = (region, day)
        daily = self.daily.get(key)
        if daily is None:
            staff = sum(1 for e in self.emps if e.region == region)
            daily = []
            for _ in range(max(3, round(staff / rng.uniform(8, 20)))):
                ref = self.new_incident(region, subjects=rng.randint(1, 4))
                self.incidents[ref][1] = self.first + day * 86400 + rng.uniform(0, 86400)
                daily.append(ref)
            self.daily[key] = daily
        return rng.choice(daily)

    def _hot_subjects(self) -> None:
        """Each region's hot subjects: opened by dozens of its own patrol, from many teams."""
        rng = self.rng
        workers: dict[str, list[Emp]] = defaultdict(list)
        for emp in self.emps:
            if emp.profile in ("patrol", "detective", "community") and emp.region and emp.work:
                workers[emp.region].append(emp)
        unattached = [e for e in self.emps if not e.region and e.work]
        # The region's staff whose work opens no subjects (a team's secretary, the office):
        # one of them looks at a quarter of the hot subjects — the briefing being prepared,
        # the wanted poster printed (round 7: a look from staff whose work never reaches
        # subjects is no curiosity on its own).
        office: dict[str, list[Emp]] = defaultdict(list)
        for emp in self.emps:
            if emp.profile == "staff" and emp.region and emp.work:
                office[emp.region].append(emp)
        # ... and so do the national and support units' staff whose work opens no subjects
        # (the press office, the unit's secretary): one of them looks at a quarter of the
        # hot subjects (round 8: such a look anywhere is no curiosity on its own).
        unit_office = [e for e in self.emps if e.profile == "staff" and not e.region and e.work]
        for region in self.regions:
            staff = workers[region]
            if len(staff) < 10:
                continue
            expected = len(staff) / 200 * self.config.days / 14 * 6
            for _ in range(_poisson(rng, expected)):
                registered = region if rng.random() < 0.8 else rng.choice(self.regions)
                kind = rng.choice(["person", "person", "vehicle"])
                subject = self.new_subject(kind, registered)
                if rng.random() < 0.7:
                    self.link(subject, self.new_incident(region))
                first = self.first + rng.uniform(0, (self.config.days - 1) * 86400)
                length = rng.uniform(0.5, 4) * 86400
                openers = rng.sample(
                    staff, k=min(len(staff), rng.randint(8, max(9, len(staff) // 4)))
                )
                opened = 0
                for emp in openers:
                    moment = self.on_duty_moment(emp, first, first + length)
                    if moment is None:
                        continue
                    for n in range(rng.randint(1, 3)):
                        self.event(emp, moment + n * rng.uniform(60, 3600), subject=subject)
                    opened += 1
                # Spill-over into the regions next door (cross-border work).
                for _ in range(rng.choice([0, 0, 1, 2, 3])):
                    neighbour = _neighbour_region(region, rng)
                    if not workers.get(neighbour):
                        continue
                    emp = rng.choice(workers[neighbour])
                    moment = self.on_duty_moment(emp, first, first + length)
                    if moment is not None:
                        self.event(emp, moment, subject=subject)
                # National and support units look too, often: a wanted person is national
                # intelligence, a sought car a matter for the control room (round 5: half of
                # the hot subjects, one to three of their staff — what made false bursts of
                # spill-over plus a unit's looks in round 4's evaluation).
                if unattached and rng.random() < 0.5:
                    for emp in rng.sample(unattached, k=min(len(unattached), rng.randint(1, 3))):
                        moment = self.on_duty_moment(emp, first, first + length)
                        if moment is not None:
                            self.event(emp, moment, subject=subject)
                if office[region] and self.office.random() < 0.25:
                    self._office_look(self.office.choice(office[region]), subject, first, length)
                if unit_office and self.unit_office.random() < 0.25:
                    self._office_look(
                        self.unit_office.choice(unit_office),
                        subject,
                        first,
                        length,
                        stream=self.unit_office,
                    )
                self.hot.append({"subject": subject, "region": region, "openers": opened})
        self.truth.confounders["regional_hot_subjects"] = len(self.hot)

    def _office_look(
        self,
        emp: Emp,
        subject: str,
        first: float,
        length: float,
        *,
        stream: random.Random | None = None,
    ) -> None:
        """One look at a hot subject by ``emp`` while on duty, drawn from the round-7 stream
        (or the given one) only (the seed's other draws stay as they were)."""
        rng = stream or self.office
        low, high = max(self.first, first), min(self.last, first + length)
        periods = [(s, e) for s, e, kind in emp.work if kind == "shift" and e > low and s < high]
        if not periods:
            return
        start, end = rng.choice(periods)
        moment = rng.uniform(max(start, low), min(end, high) - 60)
        self.event(emp, moment, subject=subject, system=rng.choice(SYSTEMS_SUBJECT), action="view")
        self.truth.confounders["office_look_at_hot_subject"] += 1

    def _scoped_parties(self) -> None:
        """Intake, analysts and the operations room open the parties of their region's
        incidents — colleagues among them — often by searching the person."""
        rng = self.rng
        handlers: dict[str, list[Emp]] = defaultdict(list)
        for emp in self.emps:
            if emp.profile in SCOPABLE and emp.region and emp.work:
                handlers[emp.region].append(emp)
        for incident, subject, _kind in self.parties:
            region = self.incidents[incident][0]
            # Nobody handles an incident they are a party in (a colleague takes it): opening
            # one's own registration stays what the rules say it is, a self look-up.
            party = self.subject_employee.get(subject)
            staff = [e for e in handlers.get(region, []) if e.number != party]
            opened = self.incidents[incident][1]
            for emp in rng.sample(staff, k=min(len(staff), rng.randint(1, 4))):
                moment = self.on_duty_moment(emp, opened, opened + 3 * 86400)
                if moment is None:
                    continue
                if not self.is_scoped(emp):
                    self.assign(emp, incident, moment - 600, moment + 3 * 86400)
                for n in range(rng.randint(1, 3)):
                    self.event(
                        emp,
                        moment + n * 120,
                        subject=subject,
                        incident=incident if rng.random() < 0.3 else "",
                        action="search" if n == 0 else "view",
                    )
                self.truth.confounders["scoped_party_lookups"] += 1

    # --- confounders of the classic generator that still apply --------------------------

    def build_confounders(self) -> None:
        rng = self.rng
        near = 0
        for emp in self.emps:
            if emp.profile == "patrol" and emp.last in self.common and rng.random() < 0.05:
                moment = self.on_duty_moment(emp)
                if moment is None or not emp.home_pc:
                    continue
                postcode = emp.home_pc[:4] + _other_letters(emp.home_pc[4:], rng)
                ref = self.new_subject("person", emp.region, last=emp.last, postcode=postcode)
                self.event(emp, moment, subject=ref)
                near += 1
        self.truth.confounders["common_surname_near_home"] = near

    # --- misuse -------------------------------------------------------------------------

    def _candidate(self, scenario: str) -> Emp | None:
        pool = [
            e
            for e in self.emps
            if not e.used
            and e.work
            and e.end is None
            and not e.national
            and e.region
            and e.number not in self.config.focus
            and (scenario != "off_duty" or (not e.no_roster and not e.roster_gap))
            and (scenario != "volume_spike" or e.profile != "staff")
        ]
        return self.rng.choice(pool) if pool else None

    def _record(
        self,
        scenario: str,
        emp: Emp,
        ids: list[str],
        variant: str = "",
        *,
        indicator: str = "",
        traceable: bool = True,
    ) -> None:
        emp.used = True
        self.truth.misuse.append(
            {
                "scenario": scenario,
                "indicator": indicator or scenario,
                "employee_id": emp.number,
                "variant": variant,
                "event_ids": ids,
                "traceable": traceable,
                "profile": emp.profile,
                "scoped": self.is_scoped(emp),
            }
        )

    def _misuse_off_duty(self, emp: Emp, rng: random.Random) -> bool:
        if rng.random() < 0.25:
            # The night of the change to winter time, between 02:00 and 03:00 (twice).
            night = datetime.date(2026, 10, 25)
            if self.config.start <= night <= self.config.end:
                moment = _epoch(night, 0) + rng.uniform(1.5, 3.5) * 3600
                covered = any(s - 6 * 3600 <= moment <= e + 6 * 3600 for s, e, _k in emp.work)
                if not covered and not any(s <= moment < e for s, e, _k in emp.absent):
                    ids = [
                        self.event(emp, moment + n * 400, subject=self._lookup_target(emp))
                        for n in range(rng.randint(3, 5))
                    ]
                    self._record("off_duty", emp, ids, "change_of_time_night")
                    return True
        return super()._misuse_off_duty(emp, rng)

    def _celebrity(self, lookers: int) -> None:
        """Curiosity spread over one to four days, across midnight, from many regions."""
        rng = self.rng
        bursts = max(1, lookers // 8)
        outside = [r for r in REGIONS if r not in self.regions]
        for _ in range(bursts):
            # The arrest is anywhere in the country: often in a region of this organisation,
            # sometimes elsewhere (the national news).
            home = rng.choice(outside if outside and rng.random() < 0.35 else self.regions)
            star = self.new_subject("person", home, last=self.very_rare_surname())
            case = self.new_incident(home)
            self.link(star, case)
            spread = rng.uniform(6, 90) * 3600
            first = self.first + rng.uniform(0.5, self.config.days - 1 - spread / 86400) * 86400
            busy_home = rng.random() < 0.5
            if busy_home:
                # The investigation and the arrest: the region's own staff at work on it.
                workers = [
                    e
                    for e in self.emps
                    if e.region == home
                    and e.profile in ("patrol", "detective")
                    and e.work
                    and not e.used
                ]
                for emp in rng.sample(workers, k=min(len(workers), rng.randint(6, 20))):
                    moment = self.on_duty_moment(emp, first, first + spread)
                    if moment is not None:
                        self.event(emp, moment, subject=star)
            # The curious come from anywhere: regions, national and support units alike.
            pool = [
                e
                for e in self.emps
                if not e.used
                and e.work
                and e.end is None
                and (e.region != home or not busy_home)
                and not self.is_scoped(e)
            ]
            rng.shuffle(pool)
            made = 0
            for emp in pool:
                if made >= lookers // bursts:
                    break
                moment = self.on_duty_moment(emp, first, first + spread)
                if moment is None:
                    continue
                ids = [
                    self.event(emp, moment + n * 90, subject=star) for n in range(rng.randint(1, 2))
                ]
                # Some of the curious come back to it hours later, to see what is new (round
                # 6: a region's team at work returns to its subject; curiosity may too).
                if self.again.random() < 0.2:
                    ids.append(
                        self.event(
                            emp,
                            moment + self.again.uniform(900, 6 * 3600),
                            subject=star,
                            system=self.again.choice(SYSTEMS_SUBJECT),
                            action="view",
                        )
                    )
                # In an organisation of one region and nothing else, curiosity in the
                # subject's own region has no other part to stand out against: the delivery
                # cannot tell it from the region's work. Reported apart, not hidden.
                alone = (
                    len(self.regions) == 1
                    and emp.region == home
                    and not any(not e.region for e in self.emps)
                )
                self._record(
                    "celebrity_burst",
                    emp,
                    ids,
                    f"burst {star} over {spread / 3600:.0f} h{' busy home' if busy_home else ''}"
                    f"{' own region' if emp.region == home else ''}"
                    f"{', one-part organisation' if alone else ''}",
                    traceable=not alone,
                )
                made += 1

    def _misuse_relative(self, emp: Emp, rng: random.Random) -> bool:
        moment = self.on_duty_moment(emp)
        if moment is None or not emp.home_pc:
            return False
        relatives = [r for r in self.relatives.get(emp.number, []) if r["postcode"] != emp.home_pc]
        if relatives and rng.random() < 0.5:
            relative = rng.choice(relatives)
            who = rng.choice(["relative", "household"])
            last = relative["last"] if who == "relative" else self.surname()
            target = self.new_subject(
                "person",
                relative["region"],
                last=last,
                postcode=relative["postcode"],
                number=relative["number"],
            )
            ids = [self.event(emp, moment, subject=target)]
            # Without HR's record only a surname can tell: a very rare shared surname at the
            # relative's home, or the same uncommon surname near the employee's home.
            traceable = (
                relative["known"]
                or (
                    # a very rare shared surname at an address the systems know
                    who == "household"
                    and relative["subject"]
                    and relative["last"] == emp.last
                    and self.is_very_rare(emp.last)
                )
                or (
                    who == "relative"
                    and last == emp.last
                    and emp.last not in self.common
                    and relative["postcode"][:4] == emp.home_pc[:4]
                )
            )
            self._record(
                "relative",
                emp,
                ids,
                f"{relative['kind']} {who}{' known to HR' if relative['known'] else ''}",
                traceable=bool(traceable),
            )
            return True
        return super()._misuse_relative(emp, rng)

    def _misuse_colleague_lookup(self, emp: Emp, rng: random.Random) -> bool:
        if self.is_scoped(emp) and self.parties and rng.random() < 0.6:
            # Scoped staff: a colleague who is a party in an incident of another region, or
            # in one of their own region that was closed long ago.
            moment = self.on_duty_moment(emp)
            if moment is None:
                return False
            colleague = rng.choice([e for e in self.emps if e is not emp])
            other = [r for r in self.regions if r != emp.region]
            if other and rng.random() < 0.5:
                incident = self.new_incident(rng.choice(other))
                variant = "scoped, incident of another region"
            else:
                incident = self.new_incident(emp.region)
                self.incidents[incident][1] = self.first - 200 * 86400
                self.incidents[incident][2] = self.first - 90 * 86400
                variant = "scoped, incident closed long ago"
            ref = self.new_subject(
                "person",
                rng.choice(other) if other else emp.region,
                last=colleague.last,
                postcode=colleague.home_pc,
                number=colleague.home_nr,
                employee=colleague.number,
            )
            self.link(ref, incident)
            ids = [
                self.event(emp, moment + n * 60, subject=ref, action="search")
                for n in range(rng.randint(1, 2))
            ]
            self._record("colleague_lookup", emp, ids, variant)
            return True
        return super()._misuse_colleague_lookup(emp, rng)

    def _misuse_repeated_unexplained(self, emp: Emp, rng: random.Random) -> bool:
        if self.is_scoped(emp):
            if rng.random() < 0.5 and self.parties:
                # A colleague in an incident of the own region, opened on many days.
                incident, subject, _kind = rng.choice(self.parties)
                if self.incidents[incident][0] == emp.region:
                    shifts = [
                        w
                        for w in emp.work
                        if w[2] == "shift" and self.first <= w[0] and w[1] <= self.last
                    ]
                    if len(shifts) >= 5:
                        ids = []
                        for start, end, _k in rng.sample(
                            shifts, k=rng.randint(5, min(7, len(shifts)))
                        ):
                            ids.append(
                                self.event(emp, rng.uniform(start, end - 600), subject=subject)
                            )
                        self._record(
                            "repeated_unexplained", emp, ids, "scoped, colleague on many days"
                        )
                        return True
            # A network outside their scope (another region).
            other = [r for r in self.regions if r != emp.region]
            if not other:
                return False
            region = rng.choice(other)
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
            for start, end, _k in rng.sample(shifts, k=days_wanted):
                moment = rng.uniform(start, end - 600)
                for n, member in enumerate(rng.sample(members, k=rng.randint(1, 2))):
                    ids.append(self.event(emp, moment + n * 90, subject=member))
            self._record("repeated_unexplained", emp, ids, "scoped, network of another region")
            return True
        return super()._misuse_repeated_unexplained(emp, rng)

    def _misuse_out_of_region_incident(self, emp: Emp, rng: random.Random) -> bool:
        far = [
            r for r in self.regions if r != emp.region and r not in _NEIGHBOURS.get(emp.region, [])
        ]
        if not far:
            far_region = _far_region(emp.region, rng)
            if not far_region:
                return False
            cases = [self.new_incident(far_region) for _ in range(rng.randint(1, 2))]
        else:
            region = rng.choice(far)
            cases = rng.sample(self.region_incidents[region], k=rng.randint(1, 2))
        moment = self.on_duty_moment(emp)
        if moment is None:
            return False
        ids = [self.event(emp, moment + n * 200, incident=case) for n, case in enumerate(cases)]
        self._record("out_of_region_incident", emp, ids)
        return True

    def _misuse_volume_spike(self, emp: Emp, rng: random.Random) -> bool:
        shifts = [
            w for w in emp.work if w[2] == "shift" and self.first <= w[0] and w[1] <= self.last
        ]
        if len(shifts) < 4:
            return False
        start, end, _kind = rng.choice(shifts)
        usual = (
            self.rate_of[emp.profile] * self.config.events_scale * self.rate_employee[emp.number]
        )
        extra = round(max(usual * rng.uniform(5, 8), 130))
        ids = []
        pool = self.pools[emp.region]
        for _ in range(extra):
            ids.append(
                self.event(
                    emp, rng.uniform(start, end - 60), subject=rng.choice(pool), action="export"
                )
            )
        self._record("volume_spike", emp, ids)
        return True

    # --- output -------------------------------------------------------------------------

    def write(self, directory: Path) -> None:
        rng = self.rng
        # Late rosters: the second week of some teams' rosters arrives after a first detection.
        half = self.first + 7 * 86400
        for emp in self.emps:
            if getattr(emp, "late", False) and not emp.no_roster:
                late = [w for w in emp.work + emp.absent if w[0] >= half]
                if late:
                    emp.work = [w for w in emp.work if w[0] < half]
                    emp.absent = [w for w in emp.absent if w[0] < half]
                    for start, end, kind in sorted(late):
                        if emp.roster_gap and emp.roster_gap[0] <= start < emp.roster_gap[1]:
                            continue
                        self.late_rosters.append([emp.number, _iso(start), _iso(end), kind])
        super().write(directory)
        _write_csv(
            directory / "relations.csv",
            ["employee_id", "relation", "last_name", "postcode", "house_number"],
            self.relations,
        )
        if self.late_rosters:
            (directory / "late").mkdir(exist_ok=True)
            _write_csv(
                directory / "late" / "rosters.csv",
                ["employee_id", "start", "end", "kind"],
                self.late_rosters,
            )
        # Duplicate lines and blocks out of order, as a real log shipper delivers them.
        events = list(self.events)
        duplicates = [e for e in events if rng.random() < self.duplicate_share]
        events += duplicates
        events.sort()
        block = 500
        for index in range(0, len(events) - block, block):
            if rng.random() < self.disorder_share:
                other = rng.randrange(0, len(events) - block)
                if abs(other - index) < block:
                    # Overlapping blocks would copy lines over others: no swap.
                    continue
                events[index : index + block], events[other : other + block] = (
                    events[other : other + block],
                    events[index : index + block],
                )
        with (directory / "events.csv").open("w", encoding="utf-8", newline="") as plain:
            _write_events(plain, events)
        self.truth.confounders["duplicate_lines"] = len(duplicates)
        self.truth.deliveries = ["."] + (["late"] if self.late_rosters else [])  # type: ignore[attr-defined]
        import json
        from dataclasses import asdict

        data = asdict(self.truth)
        data["deliveries"] = self.truth.deliveries  # type: ignore[attr-defined]
        data["functions"] = self.functions
        data["scoped"] = self.scoped
        (directory / "ground_truth.json").write_text(
            json.dumps(data, indent=1, default=str), encoding="utf-8"
        )


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def generate_adversarial(config: GeneratorConfig, directory: Path) -> GroundTruth:
    """Generate an adversarial delivery into ``directory``; returns the ground truth."""
    generator = AdversarialGenerator(config)
    generator.build_organisation()
    generator.build_rosters()
    generator.build_world()
    generator.build_work()
    generator.build_confounders()
    generator.build_grey()
    generator.build_misuse()
    generator.write(directory)
    return generator.truth
