"""Generated demo organisation and one login per role. Nothing here is real personal data.

``manage.py seed_demo`` calls :func:`seed` first, then the ``seed`` function of every other
app's ``demo`` module, in ``INSTALLED_APPS`` order. The organisation is written as exchange
CSV files and loaded through the real importer, so seeding twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from vik import services
from vik.imports import EMPLOYEE_COLUMNS, UNIT_COLUMNS, import_organisation
from vik.models import Employee, RoleGrantRequest, Unit
from vik.roles import Role

DEMO_REASON = "Demo-gegevens"

REGIONAL_UNITS = [
    ("NN", "Noord-Nederland"),
    ("ON", "Oost-Nederland"),
    ("MN", "Midden-Nederland"),
    ("NH", "Noord-Holland"),
    ("AM", "Amsterdam"),
    ("DH", "Den Haag"),
    ("RT", "Rotterdam"),
    ("ZB", "Zeeland-West-Brabant"),
    ("OB", "Oost-Brabant"),
    ("LB", "Limburg"),
]
NATIONAL_AND_SUPPORT = [
    (
        "LE",
        "Landelijke Eenheid",
        "national",
        [("DLR", "Dienst Landelijke Recherche"), ("LIO", "Landelijke Informatieorganisatie")],
    ),
    (
        "PDC",
        "Politiedienstencentrum",
        "support",
        [("ICT", "IV-organisatie"), ("HRM", "HRM-dienstverlening")],
    ),
    ("PA", "Politieacademie", "support", [("OPL", "Opleidingen")]),
]
FIRST_NAMES = [
    "Anna",
    "Bram",
    "Carmen",
    "Daan",
    "Eva",
    "Fatima",
    "Gijs",
    "Hanna",
    "Iris",
    "Jesse",
    "Kees",
    "Lotte",
    "Mohamed",
    "Noor",
    "Olaf",
    "Priya",
    "Quinten",
    "Roos",
    "Sem",
    "Tess",
    "Umut",
    "Vera",
    "Wouter",
    "Yara",
    "Zeynep",
    "Bas",
    "Femke",
    "Joris",
    "Lieke",
    "Ruben",
    "Sanne",
    "Thijs",
    "Maaike",
    "Niels",
    "Ilse",
    "Koen",
    "Esra",
    "Milan",
    "Floor",
    "Ahmed",
]
LAST_NAMES = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
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
    "Kok",
    "Jacobs",
    "Vermeulen",
    "van den Berg",
    "Yilmaz",
    "El Amrani",
    "Kaya",
    "Pinas",
    "Tahiri",
    "Verbeek",
    "Willems",
    "Hoekstra",
    "Koster",
    "Prins",
    "Huisman",
    "Kramer",
    "Scholten",
    "Postma",
    "Kuipers",
    "Veenstra",
]
# (function code, weight within an ordinary team)
TEAM_FUNCTIONS = [("Agent", 5), ("Hoofdagent", 4), ("Brigadier", 2), ("Wijkagent", 2)]


@dataclass(frozen=True)
class DemoLogin:
    """A demo account: one per role, documented in the README."""

    username: str
    role: Role
    unit_code: str | None
    first_name: str
    last_name: str
    function: str


DEMO_LOGINS = [
    DemoLogin("analist", Role.ANALYST, "AM", "Astrid", "Analist", "Analist"),
    DemoLogin("teamchef", Role.TEAM_CHIEF, "AM-D1-T1", "Tobias", "Teamchef", "Teamchef"),
    DemoLogin("onderzoeker", Role.INVESTIGATOR, "AM", "Olga", "Onderzoeker", "Rechercheur"),
    DemoLogin("hoofdvik", Role.VIK_HEAD, "AM", "Hendrik", "Hoofd", "Hoofd VIK"),
    DemoLogin("screener", Role.SCREENING_OFFICER, "AM", "Selma", "Screener", "Screener"),
    DemoLogin(
        "klachten", Role.COMPLAINT_HANDLER, "AM", "Karim", "Klachtbehandelaar", "Klachtbehandelaar"
    ),
    DemoLogin("cor", Role.COR_MEMBER, None, "Corrie", "Raadslid", "Beleidsmedewerker"),
    DemoLogin(
        "privacy",
        Role.PRIVACY_OFFICER,
        None,
        "Pieter",
        "Privacy",
        "Functionaris gegevensbescherming",
    ),
    DemoLogin("medewerker", Role.EMPLOYEE, None, "Mila", "Medewerker", "Agent"),
    DemoLogin("beheerder", Role.ADMINISTRATOR, None, "Bert", "Beheerder", "ICT-specialist"),
    DemoLogin(
        "preventie",
        Role.PREVENTION_COORDINATOR,
        "AM",
        "Priya",
        "Preventie",
        "Preventiecoördinator",
    ),
]
# Where the demo logins work as employees: VIK staff in the Amsterdam unit's support team,
# the team chief and the plain employee in the team the chief leads.
DEMO_HOME_TEAM = {"teamchef": "AM-D1-T1", "medewerker": "AM-D1-T1"}
DEMO_STAFF_TEAM = "AM-VIK"


def organisation_rows(rng: random.Random) -> tuple[list[list[str]], list[list[str]]]:
    """The generated units and ~300 employees, as exchange-format rows."""
    units: list[list[str]] = []
    employees: list[list[str]] = []
    teams: list[tuple[str, str]] = []  # (team code, unit code)
    for code, name in REGIONAL_UNITS:
        units.append([code, f"Eenheid {name}", "", "regional", code])
        for district in (1, 2):
            district_code = f"{code}-D{district}"
            units.append([district_code, f"District {name} {district}", code, "district", code])
            for team in (1, 2):
                team_code = f"{district_code}-T{team}"
                units.append(
                    [team_code, f"Basisteam {name} {district}.{team}", district_code, "team", code]
                )
                teams.append((team_code, code))
        units.append([f"{code}-REC", f"Districtsrecherche {name}", code, "team", code])
        units.append([f"{code}-INT", f"Intake en Service {name}", code, "team", code])
        units.append([f"{code}-VIK", f"VIK {name}", code, "team", code])
        teams += [(f"{code}-REC", code), (f"{code}-INT", code)]
    for code, name, kind, subteams in NATIONAL_AND_SUPPORT:
        units.append([code, name, "", kind, ""])
        for sub_code, sub_name in subteams:
            units.append([f"{code}-{sub_code}", sub_name, code, "team", ""])
            teams.append((f"{code}-{sub_code}", code))

    functions_by_team_kind = {
        "REC": [("Rechercheur", 5), ("Senior rechercheur", 2)],
        "INT": [("Intake-medewerker", 4), ("Informatieanalist", 2)],
        "DLR": [("Rechercheur", 4), ("Senior rechercheur", 2)],
        "LIO": [("Informatieanalist", 4), ("Operationeel specialist", 2)],
        "ICT": [("ICT-specialist", 3)],
        "HRM": [("HR-adviseur", 3)],
        "OPL": [("Docent", 3)],
    }
    number = 100000
    today = datetime.date(2026, 11, 1)
    for team_code, unit_code in teams:
        kind = team_code.rsplit("-", 1)[-1]
        weights = functions_by_team_kind.get(kind, TEAM_FUNCTIONS)
        size = 5 if kind.startswith("T") else 3
        members = [("Teamchef", 1)] if kind.startswith("T") else []
        for _index in range(size):
            function = rng.choices([f for f, _w in weights], weights=[w for _f, w in weights])[0]
            members.append((function, 1))
        for function, _weight in members:
            number += rng.randint(1, 37)
            start = today - datetime.timedelta(days=rng.randint(200, 12000))
            employees.append(
                [
                    str(number),
                    rng.choice(FIRST_NAMES),
                    rng.choice(LAST_NAMES),
                    unit_code,
                    team_code,
                    function,
                    f"{rng.randint(1000, 9999)}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}",
                    str(rng.randint(1, 250)),
                    start.isoformat(),
                    "",
                ]
            )
    for index, login in enumerate(DEMO_LOGINS):
        home_team = DEMO_HOME_TEAM.get(login.username)
        if home_team is None:
            home_team = (
                DEMO_STAFF_TEAM
                if login.unit_code == "AM"
                else ("PDC-ICT" if login.role == Role.ADMINISTRATOR else "LE-LIO")
            )
        home_unit = home_team.split("-")[0]
        employees.append(
            [
                f"9000{index:02d}",
                login.first_name,
                login.last_name,
                home_unit,
                home_team,
                login.function,
                "1011AB",
                str(index + 1),
                "2015-01-01",
                "",
            ]
        )
    return units, employees


def _write(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)


@transaction.atomic
def seed(*, stdout: TextIO, rng: random.Random) -> None:
    """Build the demo organisation and the demo logins (idempotent)."""
    units, employees = organisation_rows(rng)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        _write(directory / "units.csv", UNIT_COLUMNS, units)
        _write(directory / "employees.csv", EMPLOYEE_COLUMNS, employees)
        report = import_organisation(directory=directory, acting_user=None)
    stdout.write(f"organisation: {report.summary()}\n")

    user_model = get_user_model()
    for index, login in enumerate(DEMO_LOGINS):
        user, _created = user_model.objects.get_or_create(
            username=login.username,
            defaults={
                "first_name": login.first_name,
                "last_name": login.last_name,
                "email": f"{login.username}@vik.example",
            },
        )
        # A known password only in a DEBUG demo; otherwise the account cannot sign in
        # until an administrator sets a password.
        if settings.DEBUG:
            user.set_password(settings.VIK_DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
        employee = Employee.objects.get(personnel_number=f"9000{index:02d}")
        if employee.user_id != user.pk:
            services.link_account(
                employee=employee, user=user, acting_user=None, reason=DEMO_REASON
            )
        if login.role != Role.EMPLOYEE:
            unit = Unit.objects.get(code=login.unit_code) if login.unit_code else None
            services.assign_role(
                user=user, role=login.role, unit=unit, acting_user=None, reason=DEMO_REASON
            )
    # The analyst monitors a second unit too, so the queue mixes units.
    services.assign_role(
        user=user_model.objects.get(username="analist"),
        role=Role.ANALYST,
        unit=Unit.objects.get(code="DH"),
        acting_user=None,
        reason=DEMO_REASON,
    )
    stdout.write(f"demo logins: {', '.join(login.username for login in DEMO_LOGINS)}\n")
    _seed_role_requests(stdout=stdout)


def _seed_role_requests(*, stdout: TextIO) -> None:
    """Two role requests by the administrator: one waiting, one the head of VIK refused.

    The demo's role grants above are VIK's own (``acting_user=None``, the system path of a
    first installation); these show the everyday path: asked by one person, decided by a
    second (docs/permissions.md, "Role grants").
    """
    user_model = get_user_model()
    if RoleGrantRequest.objects.exists():
        return
    admin = user_model.objects.get(username="beheerder")
    newcomer, _created = user_model.objects.get_or_create(
        username="nieuw",
        defaults={"first_name": "Nadia", "last_name": "Nieuw", "email": "nieuw@vik.example"},
    )
    newcomer.set_unusable_password()
    newcomer.save()
    amsterdam = Unit.objects.get(code="AM")
    services.request_role_grant(
        user=newcomer,
        role=Role.ANALYST,
        unit=amsterdam,
        reason="Start per 1 maart als analist Protective Monitoring in Amsterdam.",
        acting_user=admin,
    )
    refused = services.request_role_grant(
        user=user_model.objects.get(username="klachten"),
        role=Role.INVESTIGATOR,
        unit=amsterdam,
        reason="Helpt tijdelijk mee met onderzoeken.",
        acting_user=admin,
    )
    services.decide_role_request(
        grant_request=refused,
        approve=False,
        reason="Klachtbehandeling en onderzoek blijven gescheiden; vraag een onderzoeker.",
        acting_user=user_model.objects.get(username="hoofdvik"),
    )
    stdout.write("role requests: 1 waiting, 1 refused\n")
