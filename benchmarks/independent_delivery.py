"""An independent delivery for Protective Monitoring, written without reading the engine.

A "blind" generator: everything here was designed from the domain (docs/monitoring.md's exchange
format, limits and indicator list, issue 10's description of the delivery that failed, and
../shared/docs/domain.md) and from the column lists the importers print — never from the
detection code, the project's own generators or their tests. It writes, per seed, a complete
delivery of a Dutch-police-like organisation and ``ground_truth.json``:

    python benchmarks/independent_delivery.py --seed 8101 --employees 600 --out /tmp/delivery

The organisation: a random subset of the ten regional units (with their real two-letter codes,
so that the department's region neighbours apply), each with districts of basic teams (patrol
and community officers on a three-shift roster), an intake service, a regional detective
service with on-call weeks, an information service (analysts and a real-time intelligence
room), staff offices and leadership; a national unit (detectives assigned across the country,
analysts with national need-to-know) and a support unit whose staff barely use the systems.
Function names are drawn per seed. The period is the fortnight 2026-10-19 – 2026-11-01,
across the change to winter time (Sunday 25 October).

Misuse is injected per scenario (celebrity curiosity spread over days and the organisation,
relatives, neighbours, colleagues, self, after employment, off duty, far-away files, repeated
look-ups, volume) and listed in ``ground_truth.json`` with the indicator a department would
expect to see; everything else is innocent, including work that looks odd at first sight.
Standard library only, deterministic per seed.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")
PERIOD_START = date(2026, 10, 19)
PERIOD_END = date(2026, 11, 1)  # inclusive; the time changes on Sunday 2026-10-25
ROSTER_START = date(2026, 10, 12)
ROSTER_END = date(2026, 11, 8)
DAYS = [PERIOD_START + timedelta(days=i) for i in range((PERIOD_END - PERIOD_START).days + 1)]

# The ten regions with the 4-digit postcode areas they roughly cover, and a hand-made map of
# which touch which (my own reading of the map of the Netherlands).
REGIONS: dict[str, tuple[str, range]] = {
    "NN": ("Noord-Nederland", range(7900, 9999)),
    "ON": ("Oost-Nederland", range(6500, 7899)),
    "MN": ("Midden-Nederland", range(3400, 4199)),
    "NH": ("Noord-Holland", range(1400, 1999)),
    "AM": ("Amsterdam", range(1000, 1399)),
    "DH": ("Den Haag", range(2200, 2799)),
    "RT": ("Rotterdam", range(2900, 3399)),
    "ZB": ("Zeeland-West-Brabant", range(4300, 4999)),
    "OB": ("Oost-Brabant", range(5000, 5799)),
    "LB": ("Limburg", range(5800, 6499)),
}
BORDERS = {
    frozenset(p)
    for p in [
        ("NN", "ON"),
        ("NN", "NH"),
        ("NN", "MN"),
        ("ON", "MN"),
        ("ON", "OB"),
        ("ON", "LB"),
        ("MN", "NH"),
        ("MN", "AM"),
        ("MN", "DH"),
        ("MN", "RT"),
        ("NH", "DH"),
        ("ON", "RT"),
        ("NH", "AM"),
        ("DH", "RT"),
        ("DH", "AM"),
        ("RT", "ZB"),
        ("ZB", "OB"),
        ("OB", "LB"),
    ]
}


def borders(a: str, b: str) -> bool:
    return frozenset((a, b)) in BORDERS


COMMON_SURNAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
]
SYL_A = [
    "Ber",
    "Dor",
    "Ha",
    "Kloo",
    "Lan",
    "Mee",
    "Oos",
    "Rui",
    "Schel",
    "Ter",
    "Vel",
    "Wes",
    "Zan",
    "Gro",
    "Pie",
    "Struy",
]
SYL_B = ["ge", "ker", "in", "ste", "la", "bo", "ver", "ding", "ne", "ho", "ri", "man"]
SYL_C = ["link", "kamp", "huis", "stra", "ma", "veld", "broek", "dijk", "mans", "ink", "ens", "es"]
PREFIX = ["", "", "", "", "van ", "van de ", "ter ", "de "]
FIRST = ["Anna", "Bram", "Chantal", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Ilse", "Jeroen"]
FIRST += ["Kees", "Lotte", "Mohamed", "Noor", "Orlando", "Priya", "Ruben", "Sanne", "Tim", "Yara"]

# Per kind of work, the names a department might use (one is drawn per seed), whether the
# department gives it a regional need-to-know, and the mean number of look-ups per shift.
FUNCTIONS: dict[str, tuple[list[str], str, float]] = {
    "patrol": (
        ["Generalist basisteam", "Allround politiemedewerker", "Hoofdagent noodhulp"],
        "",
        16,
    ),
    "community": (["Wijkagent", "Gebiedsgebonden politiefunctionaris"], "", 10),
    "intake": (
        ["Medewerker aangifte", "Medewerker Service Centrum", "Intaker frontoffice"],
        "regional",
        28,
    ),
    "detective": (["Rechercheur", "Medewerker opsporing", "Tactisch rechercheur"], "", 20),
    "analyst": (
        ["Informatie-analist", "Analist informatieorganisatie", "Medewerker intelligence"],
        "regional",
        30,
    ),
    "rtic": (
        ["Medewerker realtime intelligence", "Informatiecoördinator operationeel centrum"],
        "regional",
        34,
    ),
    "office": (["Administratief medewerker", "Medewerker bedrijfsvoering", "Secretaresse"], "", 2),
    "leader": (["Teamchef", "Operationeel expert", "Leidinggevende operatiën"], "", 5),
    "nat_detective": (["Landelijk rechercheur", "Rechercheur zware criminaliteit"], "", 18),
    "nat_analyst": (["Analist landelijke informatie", "Strategisch analist"], "national", 24),
    "support": (["ICT-medewerker", "HR-adviseur", "Docent politieonderwijs"], "", 0.3),
}
Shift = tuple[float, float] | None
PATROL_CYCLE: list[Shift] = [
    (7, 15),
    (7, 15),
    (15, 23),
    (15, 23),
    (23, 31),
    (23, 31),
    None,
    None,
    None,
    None,
]
INTAKE_CYCLE: list[Shift] = [(7, 15.5), (7, 15.5), (14, 22.5), (14, 22.5), (7, 15.5), None, None]
SYSTEM_NAMES = [["BVH", "BHS"], ["SUMMIT", "OPSIS"], ["KENT", "RDWQ"], ["PRS", "BRPQ"]]


def aware(d: date, hour: float) -> datetime:
    """The local wall-clock moment ``hour`` hours after midnight of ``d`` (may pass midnight)."""
    base = datetime(d.year, d.month, d.day, tzinfo=AMS)
    local = base + timedelta(hours=hour)  # wall-clock arithmetic in zoneinfo
    return local.replace(fold=0).astimezone(UTC)  # from here on, real time


PERIOD_STOP = aware(PERIOD_END + timedelta(days=1), 0) - timedelta(minutes=1)  # misuse stays inside


def ld(dt: datetime) -> date:
    """The local (Amsterdam) date of a moment."""
    return dt.astimezone(AMS).date()


def iso(dt: datetime) -> str:
    return dt.astimezone(AMS).isoformat(timespec="seconds")


@dataclass
class Person:
    ref: str
    kind: str  # person / vehicle / address
    last_name: str
    postcode: str
    house_number: int
    region: str
    incidents: list[str] = field(default_factory=list)
    employee_id: str = ""


@dataclass
class Employee:
    eid: str
    first: str
    last: str
    unit: str
    team: str
    work: str
    region: str  # the region the employee works in ("" for national and support)
    postcode: str
    house: int
    home_region: str
    start: date
    end: date | None = None
    rate: float = 1.0
    shifts: list[tuple[datetime, datetime]] = field(default_factory=list)
    roster_rows: list[tuple[datetime, datetime, str]] = field(default_factory=list)


@dataclass
class Incident:
    ref: str
    region: str
    opened: datetime
    closed: datetime | None
    persons: list[str] = field(default_factory=list)


class Delivery:
    def __init__(self, seed: int, n_employees: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.n = n_employees
        self.units: list[tuple[str, str, str, str, str]] = []
        self.employees: list[Employee] = []
        self.subjects: dict[str, Person] = {}
        self.incidents: dict[str, Incident] = {}
        self.assignments: list[tuple[str, str, datetime, datetime | None]] = []
        self.events: list[tuple[datetime, str, str, str, str, str, str]] = []
        self.relations: list[tuple[str, str, str, str, int]] = []
        self.truth: list[dict[str, object]] = []
        self.used: set[str] = set()
        self.counter = 0
        r = self.rng
        self.func_names = {k: r.choice(v[0]) for k, v in FUNCTIONS.items()}
        self.systems = [r.choice(s) for s in SYSTEM_NAMES]
        self.tail = self._surname_tail(9000)

    # ------------------------------------------------------------------ names and places
    def _surname_tail(self, n: int) -> list[str]:
        r = self.rng
        names: set[str] = set()
        while len(names) < n:
            names.add(r.choice(PREFIX) + r.choice(SYL_A) + r.choice(SYL_B) + r.choice(SYL_C))
        return sorted(names)

    def surname(self) -> str:
        r = self.rng
        if r.random() < 0.08:  # the 25 commonest names cover some 8 % of the Dutch
            w = [1 / (i + 1) ** 0.7 for i in range(len(COMMON_SURNAMES))]
            return r.choices(COMMON_SURNAMES, weights=w)[0]
        # a long tail, itself skewed: some tail names are borne by a few families
        return self.tail[int(len(self.tail) * r.random() ** 1.6)]

    def postcode(self, region: str) -> str:
        r = self.rng
        area = r.choice(self.areas[region])
        return f"{area} {chr(65 + r.randrange(20))}{chr(65 + r.randrange(20))}"

    def next_ref(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.seed % 1000:03d}{self.counter:07d}"

    def add_subject(
        self, kind: str, last: str, pc: str, house: int, region: str, eid: str = ""
    ) -> Person:
        p = Person(
            self.next_ref({"person": "P", "vehicle": "K", "address": "A"}[kind]),
            kind,
            last,
            pc,
            house,
            region,
            employee_id=eid,
        )
        self.subjects[p.ref] = p
        return p

    # ------------------------------------------------------------------ organisation
    def build_organisation(self) -> None:
        r = self.rng
        k = r.choice([3, 4, 4, 5, 6, 7])
        start = r.choice(sorted(REGIONS))
        chosen = [start]
        while len(chosen) < k:  # a connected patch of the map, mostly
            cand = [
                x
                for x in REGIONS
                if x not in chosen and (any(borders(x, c) for c in chosen) or r.random() < 0.1)
            ]
            chosen.append(r.choice(cand))
        self.org_regions = chosen
        self.areas = {code: sorted(r.sample(list(rng), 25)) for code, (_, rng) in REGIONS.items()}
        has_national = r.random() < 0.8
        has_support = r.random() < 0.7
        weights = {c: r.uniform(0.6, 1.6) for c in chosen}
        n_nat = int(self.n * r.uniform(0.06, 0.12)) if has_national else 0
        n_sup = int(self.n * r.uniform(0.03, 0.07)) if has_support else 0
        n_reg = self.n - n_nat - n_sup
        tot = sum(weights.values())
        for code in chosen:
            size = max(40, int(n_reg * weights[code] / tot))
            self._build_region(code, size)
        if has_national:
            self.units.append(("LE", "Landelijke eenheid", "", "national", ""))
            self._team(
                "LE",
                "LE-DLR",
                "Landelijke recherche",
                "nat_detective",
                int(n_nat * 0.6),
                "",
                "national",
            )
            self._team(
                "LE",
                "LE-DLI",
                "Landelijke informatie",
                "nat_analyst",
                n_nat - int(n_nat * 0.6),
                "",
                "national",
            )
        if has_support:
            self.units.append(("PDC", "Politiedienstencentrum", "", "support", ""))
            self._team("PDC", "PDC-ICT", "ICT en servicedesk", "support", n_sup, "", "support")
        while len(self.employees) < self.n:  # rounding: the rest join a basic team
            code = r.choice(chosen)
            self._team(
                f"E{code}-D1", f"E{code}-D1-BT1", "", "patrol", 1, code, "regional", existing=True
            )
        self.employees = self.employees[: self.n]

    def _build_region(self, code: str, size: int) -> None:
        r = self.rng
        unit = f"E{code}"
        self.units.append((unit, f"Eenheid {REGIONS[code][0]}", "", "regional", code))
        n_districts = r.randint(2, 4)
        patrol_share = r.uniform(0.45, 0.6)
        n_patrol = int(size * patrol_share)
        per_district = n_patrol // n_districts
        for d in range(n_districts):
            dcode = f"{unit}-D{d + 1}"
            self.units.append(
                (dcode, f"District {d + 1} {REGIONS[code][0]}", unit, "district", code)
            )
            n_teams = r.randint(2, 4)
            for t in range(n_teams):
                tcode = f"{dcode}-BT{t + 1}"
                m = per_district // n_teams
                self._team(
                    dcode,
                    tcode,
                    f"Basisteam {d + 1}.{t + 1}",
                    "patrol",
                    m - max(1, m // 7) - 1,
                    code,
                    "regional",
                )
                self._team(
                    dcode, tcode, "", "community", max(1, m // 7), code, "regional", existing=True
                )
                self._team(dcode, tcode, "", "leader", 1, code, "regional", existing=True)
        rest = size - n_patrol
        shares = {
            "intake": 0.22,
            "detective": 0.38,
            "analyst": 0.1,
            "rtic": 0.07,
            "office": 0.15,
            "leader": 0.08,
        }
        names = {
            "intake": "Service Centrum",
            "detective": "Dienst regionale recherche",
            "analyst": "Dienst regionale informatie",
            "rtic": "Realtime intelligence",
            "office": "Staf en bedrijfsvoering",
            "leader": "Leiding eenheid",
        }
        for i, (work, share) in enumerate(shares.items()):
            self._team(
                unit, f"{unit}-S{i + 1}", names[work], work, max(2, int(rest * share)), code, "team"
            )

    def _team(
        self,
        parent: str,
        tcode: str,
        name: str,
        work: str,
        size: int,
        region: str,
        kind: str,
        *,
        existing: bool = False,
    ) -> None:
        r = self.rng
        if not existing:
            self.units.append((tcode, name, parent, "team", region))
        unit = parent if kind in {"national", "support"} else (parent.split("-")[0])
        for _ in range(max(0, size)):
            eid = str(r.randrange(100000, 999999))
            while eid in self.used:
                eid = str(r.randrange(100000, 999999))
            self.used.add(eid)
            home_region = region or r.choice(self.org_regions)
            if region and r.random() < 0.2:
                nb = [x for x in REGIONS if borders(x, region)]
                home_region = r.choice(nb) if nb else region
            e = Employee(
                eid=eid,
                first=r.choice(FIRST),
                last=self.surname(),
                unit=unit,
                team=tcode,
                work=work,
                region=region,
                postcode=self.postcode(home_region),
                house=r.randint(1, 180),
                home_region=home_region,
                start=date(r.randint(1990, 2025), r.randint(1, 12), 1),
                rate=math.exp(r.gauss(0, 0.55)),
            )
            self.employees.append(e)

    # ------------------------------------------------------------------ population and incidents
    def build_population(self) -> None:
        r = self.rng
        self.population: dict[str, list[Person]] = {c: [] for c in REGIONS}
        self.vehicles: dict[str, list[Person]] = {c: [] for c in REGIONS}
        per_region = max(500, self.n * 2)
        for code in REGIONS:
            n = per_region * (3 if code in self.org_regions else 1)
            for _ in range(n):
                pc = self.postcode(code)
                p = self.add_subject("person", self.surname(), pc, r.randint(1, 180), code)
                self.population[code].append(p)
                if r.random() < 0.35:
                    self.vehicles[code].append(
                        self.add_subject("vehicle", p.last_name, pc, p.house_number, code)
                    )
        # employees' households: a partner at home (another surname, half the time), and
        # employees with a registered vehicle or a person record (most have one)
        self.home_people: dict[str, list[Person]] = {}
        self.emp_subject: dict[str, Person] = {}
        self.emp_vehicle: dict[str, Person] = {}
        for e in self.employees:
            people = []
            if r.random() < 0.6:
                last = e.last if r.random() < 0.5 else self.surname()
                people.append(self.add_subject("person", last, e.postcode, e.house, e.home_region))
            if r.random() < 0.4:
                self.emp_subject[e.eid] = self.add_subject(
                    "person", e.last, e.postcode, e.house, e.home_region, e.eid
                )
            if r.random() < 0.5:
                self.emp_vehicle[e.eid] = self.add_subject(
                    "vehicle", e.last, e.postcode, e.house, e.home_region, e.eid
                )
            # neighbours in the same street (postcode): people the employee may meet at work
            for _ in range(r.randint(1, 4)):
                street = self.add_subject(
                    "person", self.surname(), e.postcode, r.randint(1, 180), e.home_region
                )
                self.population[e.home_region].append(street)
            self.home_people[e.eid] = people

    def build_incidents(self) -> None:
        r = self.rng
        self.open_incidents: dict[tuple[str, date], list[Incident]] = {}
        self.recent: dict[
            tuple[str, date], list[Incident]
        ] = {}  # opened that day or the day before
        staff = {c: sum(1 for e in self.employees if e.region == c) for c in REGIONS}
        for code in REGIONS:
            per_day = max(4, int((staff[code] or 60) * 0.25))
            for d in [ROSTER_START + timedelta(days=i) for i in range(21)]:
                for _ in range(per_day):
                    opened = aware(d, r.uniform(0, 24))
                    closed = (
                        opened + timedelta(days=r.uniform(0.3, 30)) if r.random() < 0.55 else None
                    )
                    inc = Incident(self.next_ref("BVH"), code, opened, closed)
                    for _ in range(r.choice([1, 1, 2, 2, 3])):
                        p = r.choice(self.population[code])
                        inc.persons.append(p.ref)
                        p.incidents.append(inc.ref)
                    self.incidents[inc.ref] = inc
                    for k in range(2):
                        self.recent.setdefault((code, d + timedelta(days=k)), []).append(inc)
                    for k in range(14):
                        day = d + timedelta(days=k)
                        if closed is None or ld(closed) >= day:
                            self.open_incidents.setdefault((code, day), []).append(inc)
        # older cold files, opened sometimes
        for code in REGIONS:
            for _ in range(30):
                opened = aware(date(r.randint(2010, 2025), r.randint(1, 12), r.randint(1, 28)), 12)
                inc = Incident(
                    self.next_ref("BVH"), code, opened, opened + timedelta(days=r.randint(30, 400))
                )
                self.incidents[inc.ref] = inc

    # ------------------------------------------------------------------ rosters
    def build_rosters(self) -> None:
        r = self.rng
        team_offset: dict[str, int] = {}
        for e in self.employees:
            off = team_offset.setdefault(e.team, r.randrange(10))
            days = [
                ROSTER_START + timedelta(days=i)
                for i in range((ROSTER_END - ROSTER_START).days + 1)
            ]
            part_time = r.random() < 0.2
            oncall_week = r.randrange(4)
            for i, d in enumerate(days):
                wd = d.weekday()
                shift: tuple[float, float] | None = None
                if e.work == "patrol":
                    # a ten-day cycle: 2 early, 2 late, 2 nights, 4 off
                    c = (i + off) % 10
                    shift = PATROL_CYCLE[c]
                elif e.work == "community":
                    shift = (8, 17) if wd < 5 else ((14, 22) if (i + off) % 7 == 5 else None)
                elif e.work in {"intake", "rtic"}:
                    c = (i + off) % 7
                    shift = INTAKE_CYCLE[c]
                    if e.work == "rtic" and c == 4:
                        shift = (22, 31)
                elif e.work in {"detective", "nat_detective"}:
                    shift = (8.5, 17.5) if wd < 5 else None
                    if i // 7 == oncall_week and e.work == "detective":
                        start = aware(d, 17.5 if wd < 5 else 8)
                        e.roster_rows.append((start, aware(d + timedelta(days=1), 8), "oncall"))
                else:
                    shift = (8.5, 17) if wd < 5 else None
                    if e.work == "leader" and wd < 5 and r.random() < 0.15:
                        shift = (12, 21)
                if part_time and wd == 4:
                    shift = None
                if shift:
                    s, t = aware(d, shift[0]), aware(d, shift[1])
                    e.shifts.append((s, t))
                    e.roster_rows.append((s, t, "shift"))
            # leave and sickness replace shifts
            if r.random() < 0.12:
                a = r.choice(days[:20])
                b = a + timedelta(days=r.randint(2, 8))
                kind = "leave" if r.random() < 0.7 else "sick"
                e.shifts = [s for s in e.shifts if not (a <= ld(s[0]) <= b)]
                e.roster_rows = [x for x in e.roster_rows if not (a <= ld(x[0]) <= b)]
                e.roster_rows.append((aware(a, 0), aware(b, 24), kind))

    # ------------------------------------------------------------------ everyday work
    def ev(
        self,
        t: datetime,
        e: Employee,
        action: str,
        subject: str = "",
        incident: str = "",
        ws: str = "",
    ) -> None:
        system = (
            self.systems[3]
            if subject.startswith("P")
            else self.systems[2]
            if subject.startswith("K")
            else self.systems[0]
        )
        if incident and not subject:
            system = (
                self.systems[1]
                if e.work in {"detective", "nat_detective", "analyst"}
                else self.systems[0]
            )
        self.events.append(
            (t, e.eid, system, action, subject, incident, ws or f"WS-{e.team}-{int(e.eid) % 17}")
        )

    def everyday_work(self) -> None:
        r = self.rng
        self.hot: dict[str, list[tuple[Person, date, int]]] = {c: [] for c in self.org_regions}
        for code in self.org_regions:
            # a region's hot subjects: a wanted person, a car after a robbery, a local repeat offender
            for _ in range(r.randint(2, 4)):
                kind = r.choice(["person", "vehicle"])
                pool = self.population[code] if kind == "person" else self.vehicles[code]
                p = r.choice(pool)
                inc = r.choice(self.open_incidents.get((code, DAYS[0]), [None]) or [None])
                if inc and p.ref not in inc.persons:
                    inc.persons.append(p.ref)
                    p.incidents.append(inc.ref)
                self.hot[code].append((p, r.choice(DAYS[:-2]), r.randint(2, 4)))
        by_region_detectives: dict[str, list[Employee]] = {}
        for e in self.employees:
            if e.work == "detective":
                by_region_detectives.setdefault(e.region, []).append(e)
        # detectives' and national detectives' cases
        self.assigned: dict[str, list[Incident]] = {}
        for e in self.employees:
            if e.work not in {"detective", "nat_detective"}:
                continue
            regs = [e.region] if e.work == "detective" else list(REGIONS)
            mine = []
            for _ in range(r.randint(3, 8)):
                code = r.choice(regs)
                day = r.choice([ROSTER_START + timedelta(days=i) for i in range(14)])
                cands = self.open_incidents.get((code, day), [])
                if cands:
                    inc = r.choice(cands)
                    mine.append(inc)
                    self.assignments.append(
                        (e.eid, inc.ref, min(inc.opened, aware(PERIOD_START, 0)), None)
                    )
            self.assigned[e.eid] = mine
        # community officers: a long-running file on their area's repeat offenders, assigned
        for e in self.employees:
            if e.work != "community":
                continue
            inc = Incident(self.next_ref("PGA"), e.region, aware(date(2026, 3, 1), 9), None)
            for p in r.sample(self.population[e.region], 3):
                inc.persons.append(p.ref)
                p.incidents.append(inc.ref)
            self.incidents[inc.ref] = inc
            self.assignments.append((e.eid, inc.ref, inc.opened, None))
            self.assigned[e.eid] = [inc]
        for e in self.employees:
            mean = FUNCTIONS[e.work][2] * e.rate
            for s, t in e.shifts:
                if ld(s) < PERIOD_START or ld(s) > PERIOD_END:
                    continue
                self.shift_extras(e, s, t)
                n = self._poisson(mean * r.uniform(0.5, 1.5))
                # overtime: a few minutes to three quarters of an hour after the shift
                t2 = t + timedelta(minutes=r.choice([0, 0, 0, 10, 25, 45]))
                for _ in range(n):
                    at = s + timedelta(seconds=r.uniform(0, (t2 - s).total_seconds()))
                    self.work_event(e, at)

    def hot_on(self, region: str, day: date) -> list[Person]:
        return [
            p for p, d0, span in self.hot.get(region, []) if d0 <= day < d0 + timedelta(days=span)
        ]

    def shift_extras(self, e: Employee, s: datetime, t: datetime) -> None:
        """Once a shift at most: the region's wanted person or car from the briefing (a third of
        the operational staff on a hot day; a few next door), and for patrol the incident they
        handle themselves (recorded as their assignment)."""
        r = self.rng
        day = ld(s)
        at = s + (t - s) * r.random()
        if e.work in {"patrol", "community", "detective", "rtic", "analyst"} and e.region:
            hot = self.hot_on(e.region, day)
            if hot and r.random() < 0.35:
                self.ev(at, e, "view", r.choice(hot).ref)
            elif e.work == "patrol" and r.random() < 0.03:
                nb = [c for c in self.hot if c != e.region and borders(c, e.region)]
                hot = self.hot_on(r.choice(nb), day) if nb else []
                if hot:
                    self.ev(at, e, "view", r.choice(hot).ref)
        if e.work == "patrol" and r.random() < 0.5:
            recent = [
                i
                for i in self.recent.get((e.region, day), [])
                if s - timedelta(hours=2) <= i.opened <= t
            ]
            if recent:
                inc = r.choice(recent)
                self.assignments.append((e.eid, inc.ref, inc.opened, None))
                self.assigned.setdefault(e.eid, []).append(inc)

    def _poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        if lam > 30:
            return max(0, round(self.rng.gauss(lam, math.sqrt(lam))))
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def work_event(self, e: Employee, at: datetime) -> None:
        r = self.rng
        day = ld(at)
        region = e.region or r.choice(self.org_regions)
        open_here = self.open_incidents.get((region, day), [])
        w = e.work
        x = r.random()
        recent = [i for i in self.recent.get((region, day), []) if i.opened <= at]
        if w in {"patrol", "leader", "community"}:
            mine = self.assigned.get(e.eid) or []
            if mine and x < 0.2:
                inc = r.choice(mine)
                self.ev(
                    at,
                    e,
                    "view",
                    r.choice(inc.persons) if inc.persons and r.random() < 0.5 else "",
                    inc.ref if r.random() < 0.7 else "",
                )
            elif x < 0.45 and recent:
                inc = r.choice(recent)
                self.ev(at, e, "view", "", inc.ref)
                if inc.persons and r.random() < 0.4:
                    self.ev(at + timedelta(seconds=40), e, "view", r.choice(inc.persons), inc.ref)
            elif x < 0.8:
                self.ev(at, e, "search", r.choice(self.population[region]).ref)
            else:
                vr = region if r.random() < 0.7 else r.choice(list(REGIONS))
                self.ev(at, e, "view", r.choice(self.vehicles[vr]).ref)
        elif w in {"detective", "nat_detective"}:
            mine = self.assigned.get(e.eid) or []
            if mine and x < 0.8:
                inc = r.choice(mine)
                if inc.persons and r.random() < 0.55:
                    self.ev(
                        at, e, "view", r.choice(inc.persons), inc.ref if r.random() < 0.7 else ""
                    )
                else:
                    self.ev(at, e, r.choice(["view", "view", "print"]), "", inc.ref)
            else:
                self.ev(at, e, "search", r.choice(self.population[region]).ref)
        elif w == "intake":
            if open_here and x < 0.85:
                inc = r.choice(open_here[-40:])
                self.ev(at, e, "view", "", inc.ref)
                for p in inc.persons:
                    if r.random() < 0.6:
                        self.ev(
                            at + timedelta(seconds=r.randint(20, 400)),
                            e,
                            "search",
                            p,
                            "" if r.random() < 0.6 else inc.ref,
                        )
            else:
                self.ev(at, e, "search", r.choice(self.population[region]).ref)
        elif w in {"analyst", "rtic"}:
            if x < 0.55 and open_here:
                inc = r.choice(open_here)
                self.ev(at, e, r.choice(["view", "view", "export"]), "", inc.ref)
                if inc.persons:
                    self.ev(at + timedelta(seconds=30), e, "view", r.choice(inc.persons))
            elif x < 0.62:
                nb = [c for c in REGIONS if borders(c, region)]
                inc_nb = self.open_incidents.get((r.choice(nb), day), []) if nb else []
                if inc_nb:
                    self.ev(at, e, "view", "", r.choice(inc_nb).ref)
            else:
                pool = self.population[region] if r.random() < 0.7 else self.vehicles[region]
                self.ev(at, e, "search", r.choice(pool).ref)
        elif w == "nat_analyst":
            code = r.choice(list(REGIONS))
            cands = self.open_incidents.get((code, day), [])
            if cands and x < 0.6:
                self.ev(at, e, "view", "", r.choice(cands).ref)
            else:
                self.ev(at, e, "search", r.choice(self.population[code]).ref)
        elif w == "office":
            if open_here and x < 0.8:
                self.ev(at, e, "view", "", r.choice(open_here).ref)
        else:  # support: a test search now and then
            self.ev(at, e, "search", "")

    # ------------------------------------------------------------------ confounders
    def colleagues_in_incidents(self) -> None:
        """Colleagues as victims, witnesses and reporters: opened by intake (searching the
        person), by the assigned detective and by the responding patrol (assigned)."""
        r = self.rng
        regional = [e for e in self.employees if e.region]
        for e in r.sample(regional, max(3, len(regional) // 60)):
            subj = self.emp_subject.get(e.eid) or self.add_subject(
                "person", e.last, e.postcode, e.house, e.home_region, e.eid
            )
            self.emp_subject[e.eid] = subj
            region = e.home_region if e.home_region in self.org_regions else e.region
            day = r.choice(DAYS[:-3])
            inc = Incident(self.next_ref("BVH"), region, aware(day, r.uniform(6, 22)), None)
            inc.persons.append(subj.ref)
            subj.incidents.append(inc.ref)
            other = r.choice(self.population[region])
            inc.persons.append(other.ref)
            other.incidents.append(inc.ref)
            self.incidents[inc.ref] = inc
            for k in range(10):
                self.open_incidents.setdefault((region, day + timedelta(days=k)), []).append(inc)
            staff = [x for x in self.employees if x.region == region and x.eid != e.eid]
            for work, count, with_ref in (
                ("intake", r.randint(1, 3), 0.3),
                ("detective", 1, 0.7),
                ("patrol", r.randint(1, 2), 0.5),
            ):
                pool = [x for x in staff if x.work == work]
                for who in r.sample(pool, min(count, len(pool))):
                    if work != "intake":
                        self.assignments.append(
                            (who.eid, inc.ref, inc.opened, inc.opened + timedelta(days=20))
                        )
                    shifts = [
                        s
                        for s in who.shifts
                        if s[1] > inc.opened and ld(s[0]) <= PERIOD_END and ld(s[0]) >= PERIOD_START
                    ]
                    for s, t in shifts[: r.randint(1, 2)]:
                        at = s + (t - s) * r.random()
                        self.ev(at, who, "view", subj.ref, inc.ref if r.random() < with_ref else "")

    # ------------------------------------------------------------------ misuse
    def pick(self, works: set[str] | None = None, *, needs_shifts: bool = True) -> Employee:
        r = self.rng
        while True:
            e = r.choice(self.employees)
            if e.eid in self.misusers or e.work == "support":
                continue
            if works and e.work not in works:
                continue
            if (
                needs_shifts
                and len([s for s in e.shifts if PERIOD_START <= ld(s[0]) <= PERIOD_END]) < 4
            ):
                continue
            self.misusers.add(e.eid)
            return e

    def truth_add(
        self, scenario: str, e: Employee, variant: str, *, traceable: bool = True
    ) -> None:
        expected = {
            "celebrity": "celebrity_burst",
            "relative": "relative",
            "neighbour": "neighbour",
            "colleague": "colleague_lookup",
            "self": "self_lookup",
            "after_employment": "after_employment",
            "off_duty": "off_duty",
            "far_away": "out_of_region_incident",
            "repeated": "repeated_unexplained",
            "volume": "volume_spike",
        }[scenario]
        self.truth.append(
            {
                "employee_id": e.eid,
                "scenario": scenario,
                "variant": variant,
                "expected_indicator": expected,
                "traceable": traceable,
                "function": self.func_names[e.work],
            }
        )

    def in_shift(self, e: Employee, day_from: int = 0) -> datetime:
        r = self.rng
        shifts = [s for s in e.shifts if DAYS[day_from] <= ld(s[0]) <= PERIOD_END]
        s, t = r.choice(shifts)
        return s + (min(t, PERIOD_STOP) - s) * r.uniform(0.1, 0.9)

    def inject_misuse(self) -> None:
        r = self.rng
        self.misusers: set[str] = set()
        self.off_duty_day: dict[str, date] = {}
        scale = max(1, round(self.n / 300))
        # 1. celebrities: an arrest or an accident of someone famous; curiosity over 1-4 days
        for c in range(r.randint(1, 2) * (1 if self.n < 1500 else 2)):
            home = r.choice(list(REGIONS))
            celeb = self.add_subject(
                "person", r.choice(self.tail), self.postcode(home), r.randint(1, 99), home
            )
            inc = Incident(
                self.next_ref("BVH"), home, aware(r.choice(DAYS[2:6]), r.uniform(0, 24)), None
            )
            inc.persons.append(celeb.ref)
            celeb.incidents.append(inc.ref)
            self.incidents[inc.ref] = inc
            # the work: detectives of the home region (assigned) and its intake
            if home in self.org_regions:
                for who in [
                    x for x in self.employees if x.region == home and x.work == "detective"
                ][:3]:
                    self.assignments.append((who.eid, inc.ref, inc.opened, None))
                    for _ in range(3):
                        self.ev(
                            inc.opened + timedelta(hours=r.uniform(1, 60)),
                            who,
                            "view",
                            celeb.ref,
                            inc.ref,
                        )
            spread_days = r.randint(1, 4)
            n_curious = r.randint(6, 12) + 2 * (scale - 1)
            for _ in range(n_curious):
                e = self.pick()
                times = []
                for _ in range(r.choice([1, 1, 2])):
                    if r.random() < 0.75:
                        at = inc.opened + timedelta(hours=r.uniform(0.5, 24 * spread_days))
                    else:
                        at = self.in_shift(e)
                        if at < inc.opened:
                            at = inc.opened + timedelta(hours=r.uniform(1, 24 * spread_days))
                    self.ev(at, e, r.choice(["search", "view"]), celeb.ref)
                    times.append(at)
                late = min(times) > inc.opened + timedelta(days=spread_days + 1)
                self.truth_add(
                    "celebrity",
                    e,
                    f"celebrity {c + 1}, {spread_days} day(s), home {home}"
                    + (", late lone look (after the burst)" if late else ""),
                )
        # 2. relatives
        for i in range(2 * scale):
            e = self.pick()
            variant = [
                "sibling_partner_declared",
                "parent_rare_surname",
                "in_law_common_undeclared",
            ][i % 3]
            if variant == "sibling_partner_declared":
                sib_pc = self.postcode(e.home_region)
                house = r.randint(1, 150)
                self.add_subject("person", e.last, sib_pc, house, e.home_region)
                partner = self.add_subject("person", self.surname(), sib_pc, house, e.home_region)
                self.relations.append((e.eid, "sibling", e.last, sib_pc, house))
                targets = [partner]
            elif variant == "parent_rare_surname":
                if e.last in COMMON_SURNAMES:
                    e.last = r.choice(self.tail[-400:])
                    subj = self.emp_subject.get(e.eid)
                    if subj:
                        subj.last_name = e.last
                veh = self.emp_vehicle.get(e.eid)
                if veh:
                    veh.last_name = e.last
                # the parents: half in the employee's own neighbourhood (4-digit area), half elsewhere in the region
                near = r.random() < 0.5
                pc = (
                    f"{e.postcode[:4]} {chr(65 + r.randrange(20))}{chr(65 + r.randrange(20))}"
                    if near
                    else self.postcode(e.home_region)
                )
                targets = [self.add_subject("person", e.last, pc, r.randint(1, 150), e.home_region)]
                variant += ", same area" if near else ", elsewhere in the region"
            else:  # a brother-in-law: common surname, elsewhere, not declared - no trace at all
                far = r.choice(list(REGIONS))
                targets = [
                    self.add_subject(
                        "person",
                        r.choice(COMMON_SURNAMES),
                        self.postcode(far),
                        r.randint(1, 150),
                        far,
                    )
                ]
            for _ in range(r.randint(1, 3)):
                self.ev(self.in_shift(e), e, "search", targets[0].ref)
            self.truth_add("relative", e, variant, traceable=not variant.startswith("in_law"))
        # 3. neighbours: the car in front of the house, the new people down the street
        for _ in range(2 * scale):
            e = self.pick()
            for _ in range(r.randint(2, 4)):
                kind = r.choice(["person", "vehicle"])
                n = self.add_subject(
                    kind, self.surname(), e.postcode, r.randint(1, 180), e.home_region
                )
                self.ev(self.in_shift(e), e, "view" if kind == "vehicle" else "search", n.ref)
            self.truth_add("neighbour", e, "street")
        # 4. colleagues: an ex-partner, a rival for promotion; not in any incident
        for _ in range(2 * scale):
            e = self.pick()
            other = r.choice(
                [x for x in self.employees if x.eid != e.eid and x.eid not in self.misusers]
            )
            subj = self.emp_subject.get(other.eid)
            if not subj or subj.incidents:
                subj = self.add_subject(
                    "person", other.last, other.postcode, other.house, other.home_region, other.eid
                )
            for _ in range(r.randint(1, 3)):
                self.ev(self.in_shift(e), e, "search", subj.ref)
            self.truth_add("colleague", e, self.func_names[e.work])
        # 5. self: checking whether one's own fine or record is there
        for _ in range(2 * scale):
            e = self.pick()
            subj = self.emp_vehicle.get(e.eid) or self.emp_subject.get(e.eid)
            if not subj:
                subj = self.add_subject(
                    "vehicle", e.last, e.postcode, e.house, e.home_region, e.eid
                )
                self.emp_vehicle[e.eid] = subj
            self.ev(self.in_shift(e), e, "view", subj.ref)
            self.truth_add("self", e, subj.kind)
        # 6. after employment: the account was not blocked
        for _ in range(scale):
            e = self.pick()
            end = r.choice(DAYS[2:8])
            e.end = end
            for _ in range(r.randint(2, 5)):
                at = aware(end + timedelta(days=r.randint(1, 5)), r.uniform(9, 22))
                self.ev(
                    at,
                    e,
                    "search",
                    r.choice(self.population[e.region or self.org_regions[0]]).ref,
                    ws="VPN-laptop",
                )
            # the look-ups on the last days of work stay (in-shift work was generated already)
            self.events = [
                x
                for x in self.events
                if not (x[1] == e.eid and ld(x[0]) > end and x[6] != "VPN-laptop")
            ]
            e.roster_rows = [x for x in e.roster_rows if ld(x[0]) <= end]
            e.shifts = [x for x in e.shifts if ld(x[0]) <= end]
            self.truth_add("after_employment", e, f"ended {end}")
        # 7. off duty: an evening at home on a day off, or while sick
        for i in range(2 * scale):
            e = self.pick({"patrol", "detective", "intake", "office", "leader", "community"})
            shift_days = {ld(s[0]) for s in e.shifts} | {ld(s[1]) for s in e.shifts}
            free = [d for d in DAYS if d not in shift_days]
            if not free:
                free = [DAYS[-1]]
            d = r.choice(free)
            self.off_duty_day[e.eid] = d
            base = r.uniform(19, 22.5)
            for k in range(r.randint(4, 8)):
                self.ev(
                    aware(d, base + k * r.uniform(0.05, 0.2)),
                    e,
                    "search",
                    r.choice(self.population[e.home_region]).ref,
                    ws="VPN-laptop",
                )
            self.truth_add(
                "off_duty",
                e,
                "evening on a free day" if i % 2 == 0 else "evening on a free day (2)",
            )
        # 8. far-away files: a case on the other side of the country
        for _ in range(2 * scale):
            e = self.pick({"patrol", "detective", "office", "leader", "community"})
            far_regions = [c for c in REGIONS if c != e.region and not borders(c, e.region)]
            code = r.choice(far_regions)
            inc = r.choice(self.open_incidents[(code, DAYS[3])])
            for _ in range(r.randint(1, 3)):
                self.ev(self.in_shift(e), e, "view", "", inc.ref)
            self.truth_add("far_away", e, f"{e.region}->{code}")
        # 9. repeated: the mole, checking the same criminal (or the people of one file) for days
        for i in range(2 * scale):
            e = self.pick({"patrol", "detective", "office", "leader"})
            region = e.region or self.org_regions[0]
            if i % 2 == 0:
                target = [r.choice(self.population[region])]
                variant = "one subject"
            else:
                inc = r.choice(self.open_incidents[(region, DAYS[0])])
                target = [self.subjects[p] for p in inc.persons] or [
                    r.choice(self.population[region])
                ]
                variant = "one file's people"
            days = sorted({ld(s[0]) for s in e.shifts if PERIOD_START <= ld(s[0]) <= PERIOD_END})
            for d in r.sample(days, min(len(days), r.randint(5, 8))):
                shifts = [s for s in e.shifts if ld(s[0]) == d]
                s, t = shifts[0]
                self.ev(s + (min(t, PERIOD_STOP) - s) * r.random(), e, "view", r.choice(target).ref)
            self.truth_add("repeated", e, variant)
        # 10. volume: one day of harvesting
        for _ in range(scale):
            e = self.pick({"patrol", "detective", "intake", "analyst", "community"})
            s, t = r.choice([x for x in e.shifts if PERIOD_START <= ld(x[0]) <= PERIOD_END])
            mean = max(8, FUNCTIONS[e.work][2] * e.rate)
            for _ in range(int(mean * r.uniform(6, 10)) + 40):
                region = (
                    r.choice(list(REGIONS))
                    if r.random() < 0.3
                    else (e.region or self.org_regions[0])
                )
                self.ev(
                    s + (min(t, PERIOD_STOP) - s) * r.random(),
                    e,
                    "search",
                    r.choice(self.population[region]).ref,
                )
            self.truth_add("volume", e, f"{self.func_names[e.work]} one day")

    def _off_duty_traceability(
        self, e: Employee, no_roster: set[str], missing_week: set[str], skip_day: date | None
    ) -> None:
        """Off-duty misuse on a day whose roster the delivery does not show (no roster, the
        missing week) or while on call leaves no trace: mark it so; a missing shift next to it
        is noted (the gap may be read as a missing roster)."""
        d = self.off_duty_day.get(e.eid)
        if d is None:
            return
        item = next(t for t in self.truth if t["employee_id"] == e.eid)
        evening = aware(d, 21)
        if e.eid in no_roster:
            item.update(traceable=False, variant=f"{item['variant']}; no roster delivered")
        elif e.eid in missing_week and d >= PERIOD_START + timedelta(days=7):
            item.update(
                traceable=False, variant=f"{item['variant']}; in the week missing from the roster"
            )
        elif any(k == "oncall" and a <= evening <= b for a, b, k in e.roster_rows):
            item.update(traceable=False, variant=f"{item['variant']}; on call that evening")
        elif skip_day and abs((skip_day - d).days) <= 2:
            item.update(variant=f"{item['variant']}; a shift missing from the roster nearby")

    # ------------------------------------------------------------------ writing
    def write(self, out: Path) -> None:
        r = self.rng
        out.mkdir(parents=True, exist_ok=True)

        def w(name: str, header: list[str], rows: Sequence[Sequence[object]]) -> None:
            with (out / name).open("w", newline="", encoding="utf-8") as f:
                c = csv.writer(f)
                c.writerow(header)
                c.writerows(rows)

        w(
            "units.csv",
            ["code", "name", "parent_code", "kind", "region"],
            [list(u) for u in self.units],
        )
        w(
            "employees.csv",
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
                    e.eid,
                    e.first,
                    e.last,
                    e.unit,
                    e.team,
                    self.func_names[e.work],
                    e.postcode,
                    e.house,
                    e.start.isoformat(),
                    e.end.isoformat() if e.end else "",
                ]
                for e in self.employees
            ],
        )
        rows: list[list[object]] = []
        missing_week = {e.eid for e in self.employees if r.random() < 0.05}
        no_roster = {e.eid for e in self.employees if r.random() < 0.02}
        for e in self.employees:
            if e.eid in no_roster:
                self._off_duty_traceability(e, no_roster, missing_week, None)
                continue
            skip_day = (
                r.choice(DAYS) if r.random() < 0.08 else None
            )  # one shift missing from the roster
            for s, t, kind in e.roster_rows:
                if e.eid in missing_week and PERIOD_START + timedelta(days=7) <= ld(
                    s
                ) < PERIOD_START + timedelta(days=14):
                    continue
                if skip_day and s.astimezone(AMS).date() == skip_day and kind == "shift":
                    continue
                rows.append([e.eid, iso(s), iso(t), kind])
            self._off_duty_traceability(e, no_roster, missing_week, skip_day)
        r.shuffle(rows)
        w("rosters.csv", ["employee_id", "start", "end", "kind"], rows)
        w(
            "incidents.csv",
            ["incident_ref", "region", "opened_at", "closed_at"],
            [
                [i.ref, i.region, iso(i.opened), iso(i.closed) if i.closed else ""]
                for i in self.incidents.values()
            ],
        )
        w(
            "assignments.csv",
            ["employee_id", "incident_ref", "start", "end"],
            [[a[0], a[1], iso(a[2]), iso(a[3]) if a[3] else ""] for a in self.assignments],
        )
        w(
            "subjects.csv",
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
                [
                    p.ref,
                    p.kind,
                    p.last_name,
                    p.postcode,
                    p.house_number,
                    p.region,
                    ";".join(p.incidents),
                    p.employee_id,
                ]
                for p in self.subjects.values()
            ],
        )
        scope = []
        for work, (_, sc, _) in FUNCTIONS.items():
            if sc and any(e.work == work for e in self.employees):
                scope.append(
                    [self.func_names[work], "", "", sc, "", "", "", "need-to-know of the function"]
                )
        w(
            "scope_rules.csv",
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
            scope,
        )
        # HR knows some relations: partners and emergency contacts for about half the staff
        rel = [list(x) for x in self.relations]
        for e in self.employees:
            if r.random() < 0.5:
                for p in self.home_people.get(e.eid, []):
                    rel.append([e.eid, "partner", p.last_name, p.postcode, p.house_number])
                if r.random() < 0.5:
                    pc = self.postcode(e.home_region)
                    rel.append([e.eid, "emergency_contact", self.surname(), pc, r.randint(1, 150)])
        w(
            "relations.csv",
            ["employee_id", "relation", "last_name", "postcode", "house_number"],
            rel,
        )
        # the access log: in time order, with out-of-order blocks and duplicates, as a source sends it
        evs = sorted(self.events, key=lambda x: x[0])
        lines = []
        for i, (t, eid, system, action, subj, inc, ws) in enumerate(evs):
            lines.append([f"{self.seed}-{i:08d}", iso(t), eid, system, action, subj, inc, ws])
        block = 500
        blocks = [lines[i : i + block] for i in range(0, len(lines), block)]
        for i in range(len(blocks) - 1):
            if r.random() < 0.05:
                blocks[i], blocks[i + 1] = blocks[i + 1], blocks[i]
        final = []
        for b in blocks:
            for line in b:
                final.append(line)
                if r.random() < 0.01:
                    final.append(line)
        w(
            "events.csv",
            [
                "event_id",
                "occurred_at",
                "employee_id",
                "system",
                "action",
                "subject_ref",
                "incident_ref",
                "workstation",
            ],
            final,
        )
        scenarios: dict[str, list[dict[str, object]]] = {}
        for item in self.truth:
            scenarios.setdefault(str(item["scenario"]), []).append(item)
        meta = {
            "seed": self.seed,
            "employees": len(self.employees),
            "period": [PERIOD_START.isoformat(), PERIOD_END.isoformat()],
            "regions": self.org_regions,
            "functions": {
                k: self.func_names[k] for k in FUNCTIONS if any(e.work == k for e in self.employees)
            },
            "events": len(final),
            "scenarios": scenarios,
        }
        (out / "ground_truth.json").write_text(
            json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8"
        )


def generate(seed: int, employees: int, out: Path) -> dict[str, Any]:
    d = Delivery(seed, employees)
    d.build_organisation()
    d.build_population()
    d.build_incidents()
    d.build_rosters()
    d.everyday_work()
    d.colleagues_in_incidents()
    d.inject_misuse()
    d.write(out)
    return json.loads((out / "ground_truth.json").read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--employees", type=int, default=600)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    meta = generate(args.seed, args.employees, args.out)
    print(
        f"seed={args.seed} employees={meta['employees']} events={meta['events']} regions={','.join(meta['regions'])} -> {args.out}"
    )


if __name__ == "__main__":
    main()
