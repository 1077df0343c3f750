"""Generated screening demo data for the demo organisation. Nothing here is real.

* the re-screening policy: 5 years for functions with access to sensitive information;
* the screening history of every employee: a passed initial screening for recent hires and
  a passed re-screening for those employed longer than their interval, on dates that leave
  a realistic spread of due dates (a few already overdue);
* the daily task's work: re-screenings whose lead time has begun, opened through the same
  service the beat task runs;
* in Eenheid Amsterdam (the ``screener`` login's scope) work in every state, done through
  the services as that officer: continuous-screening notifications, self-reports (one by
  the ``medewerker`` login), interviews held and dossiers closed; ``medewerker`` also has an
  evaluation to fill in;
* anonymous evaluation answers for the last four quarters.

The past is written directly (with history rows), because services refuse to act for an
officer outside their scope and the other units have no demo officer; everything in
Amsterdam goes through the services, so the demo exercises the same rules as the app.
Idempotent: nothing happens when dossiers exist.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from screening import rules, services
from screening.models import (
    EvaluationResponse,
    ScreeningDossier,
    ScreeningPolicy,
    SelfReport,
)
from vik.models import Employee, Function, Unit
from vik.typology.kinds import demo_kinds
from vik.workdays import add_months

DEMO_REASON = "Demo-gegevens"

# Functions with access to sensitive information or criminal-intelligence work.
FIVE_YEAR_FUNCTIONS = {
    "Rechercheur": "Toegang tot opsporingsinformatie en heimelijke middelen.",
    "Senior rechercheur": "Toegang tot opsporingsinformatie en heimelijke middelen.",
    "Informatieanalist": "Werkt met criminele inlichtingen en bulkgegevens.",
    "Operationeel specialist": "Werkt met criminele inlichtingen en bulkgegevens.",
    "ICT-specialist": "Beheerrechten op politiesystemen.",
    "Hoofd VIK": "Vertrouwensfunctie binnen VIK.",
    "Screener": "Vertrouwensfunctie binnen VIK.",
    "Rechercheur VIK": "Vertrouwensfunctie binnen VIK.",
}

HITS = [
    ("Rotterdam", "Verdenking van witwassen (art. 420bis Sr)"),
    ("Midden-Nederland", "Verdenking van mishandeling (art. 300 Sr)"),
    ("Landelijke Eenheid", "Verdenking van schending van het ambtsgeheim (art. 272 Sr)"),
    ("Amsterdam", "Verdenking van rijden onder invloed (art. 8 WVW 1994)"),
]
SELF_REPORTS = [
    (
        SelfReport.Category.SIDE_ACTIVITIES,
        "Ik ben sinds kort in het weekend beveiliger bij evenementen van een particulier beveiligingsbedrijf.",
    ),
    (
        SelfReport.Category.FINANCES,
        "Door een scheiding heb ik een schuld bij de bank die ik in termijnen aflos; er loopt een regeling via de schuldhulpverlening.",
    ),
    (
        SelfReport.Category.CIVIL_STATUS,
        "Ik ben gaan samenwonen met mijn partner; haar broer is bekend bij de politie.",
    ),
    (
        SelfReport.Category.SOCIAL_MEDIA,
        "Ik ben een YouTube-kanaal over fitness begonnen waarop ik soms vertel dat ik bij de politie werk.",
    ),
    (
        SelfReport.Category.JUDICIAL,
        "Ik heb een bekeuring gekregen voor te hard rijden (42 km/u te hard) buiten diensttijd.",
    ),
    (
        SelfReport.Category.ADDICTION,
        "Ik ben in behandeling bij de verslavingszorg voor gokverslaving en wil dit zelf melden.",
    ),
]
OPEN_TEXTS = {
    "q5_unpleasant": [
        "De vragen over mijn financiën voelden opdringerig.",
        "Nee, het was prettig.",
        "Het gesprek over mijn familie vond ik lastig.",
    ],
    "q7_valuable": [
        "De uitleg over waarom de screening nodig is.",
        "Dat ik zelf dingen kon toelichten.",
        "De open houding van de onderzoeker.",
    ],
    "q8_superfluous": ["De vragen over mijn vakanties.", "Geen."],
    "q9_unclear": [
        "Waarom mijn sociale media werden besproken.",
        "De vragen over mijn huisgenoten.",
    ],
    "q10_missing": [
        "Meer uitleg over wat er met de uitkomst gebeurt.",
        "Hoe ik later iets kan melden.",
    ],
    "q11_tips": [
        "Stuur vooraf een overzicht van de onderwerpen.",
        "Plan het gesprek niet direct na een nachtdienst.",
        "Laat weten hoe lang het ongeveer duurt.",
    ],
}


def _policies(stdout: TextIO) -> None:
    for name, note in FIVE_YEAR_FUNCTIONS.items():
        function = Function.objects.filter(code=name).first()
        if function is None or ScreeningPolicy.objects.filter(function=function).exists():
            continue
        services.save_policy(
            policy=ScreeningPolicy(function=function, interval_years=5, note=note),
            acting_user=None,
            reason=DEMO_REASON,
        )
    stdout.write(f"screening policies: {ScreeningPolicy.objects.count()}\n")


def _history(rng: random.Random, today: datetime.date) -> int:
    """Passed screenings in the past, so due dates spread realistically."""
    per_function, default = rules.policies_by_function()
    dossiers: list[ScreeningDossier] = []
    for employee in Employee.objects.filter(employment_start__isnull=False).order_by("pk"):
        start = employee.employment_start
        assert start is not None  # noqa: S101 - filtered above
        terms = per_function.get(employee.function_id or 0, default)
        interval_days = terms.interval_years * 365
        if (today - start).days < 2 * 365:
            # A recent hire: the initial screening before appointment.
            opened = start - datetime.timedelta(days=rng.randint(40, 90))
            closed = start - datetime.timedelta(days=rng.randint(1, 20))
            dossiers.append(_closed(employee, ScreeningDossier.Kind.INITIAL, opened, closed, rng))
        elif (today - start).days > interval_days:
            # Re-screened once since the law of 2023; a few are late for the next one.
            late = rng.random() < 0.04
            ago = (
                interval_days + rng.randint(10, 150)
                if late
                else rng.randint(60, max(61, interval_days - 30))
            )
            closed = today - datetime.timedelta(days=ago)
            opened = closed - datetime.timedelta(days=rng.randint(30, 120))
            dossiers.append(_closed(employee, ScreeningDossier.Kind.PERIODIC, opened, closed, rng))
    bulk_create_with_history(dossiers, ScreeningDossier, default_change_reason=DEMO_REASON)
    return len(dossiers)


def _closed(
    employee: Employee,
    kind: ScreeningDossier.Kind,
    opened: datetime.date,
    closed: datetime.date,
    rng: random.Random,
) -> ScreeningDossier:
    agreements = rng.random() < 0.12
    return ScreeningDossier(
        employee=employee,
        kind=kind,
        status=ScreeningDossier.Status.CLOSED,
        opened_on=opened,
        due_on=closed + datetime.timedelta(days=rng.randint(0, 40)),
        interview_held_on=closed - datetime.timedelta(days=rng.randint(3, 20)),
        outcome=(
            ScreeningDossier.Outcome.AGREEMENTS
            if agreements
            else ScreeningDossier.Outcome.NO_CONCERNS
        ),
        outcome_reason=(
            "Afspraken gemaakt over het melden van nevenwerkzaamheden."
            if agreements
            else "Geen risico's gebleken uit het gesprek en de bevragingen."
        ),
        closed_on=closed,
    )


def _amsterdam(rng: random.Random, today: datetime.date, stdout: TextIO) -> None:
    """Work in every state for the screener's worklist, done through the services."""
    user_model = get_user_model()
    screener = user_model.objects.get(username="screener")
    employee_login = user_model.objects.get(username="medewerker")
    amsterdam = Unit.objects.get(code="AM")
    staff = list(
        Employee.objects.filter(unit=amsterdam, user__isnull=True)
        .exclude(team__code="AM-VIK")
        # Those with an open dossier already (opened by the daily task) are busy enough.
        .exclude(screening_dossiers__status__in=services.OPEN_STATUSES)
        .order_by("pk")
    )
    rng.shuffle(staff)

    for index, ((region, offence), employee) in enumerate(zip(HITS, staff[:4], strict=True)):
        received = today - datetime.timedelta(days=rng.randint(1, 20))
        dossier = services.register_hit(
            employee=employee,
            received_on=received,
            source_reference=f"CS-{received:%Y}-{rng.randint(10000, 99999)}",
            reported_by=f"Eenheid {region}" if region != "Landelijke Eenheid" else region,
            offence=offence,
            acting_user=screener,
        )
        if received < today - datetime.timedelta(days=10) or index == 0:
            services.take_dossier(dossier=dossier, acting_user=screener)
        if index == 0:
            # Referred for an integrity investigation: the report goes to VIK's intake with
            # only what the screener wrote for it.
            services.record_interview(
                dossier=dossier,
                held_on=today,
                notes=(
                    "Gesprek over de melding. Betrokkene erkent contact met de verdachte in de "
                    "zaak, maar noemt het toevallig. Geen overtuigende verklaring."
                ),
                acting_user=screener,
            )
            services.close_dossier(
                dossier=dossier,
                kinds=demo_kinds(f"{dossier.pk}", leaning="screening"),
                outcome=ScreeningDossier.Outcome.REFERRED,
                reason="Het contact met een verdachte raakt de betrouwbaarheid; nader onderzoek "
                "door VIK is nodig.",
                intake_summary=(
                    "Uit de continue screening en het screeningsgesprek blijkt mogelijk "
                    "ongewenst contact met een verdachte in een lopende zaak. Verzoek om "
                    "beoordeling door VIK."
                ),
                acting_user=screener,
            )

    for (category, text), employee in zip(SELF_REPORTS[1:], staff[4:9], strict=True):
        # These colleagues have no login in the demo: their reports are written directly.
        submitted = timezone.now() - datetime.timedelta(
            days=rng.randint(1, 30), hours=rng.randint(0, 8)
        )
        day = timezone.localdate(submitted)
        dossier = ScreeningDossier(
            employee=employee,
            kind=ScreeningDossier.Kind.SELF_REPORT,
            opened_on=day,
            due_on=rules.handling_term(ScreeningDossier.Kind.SELF_REPORT, day),
        )
        dossier._change_reason = DEMO_REASON  # type: ignore[attr-defined]
        dossier.save()
        report = SelfReport(
            employee=employee,
            dossier=dossier,
            category=category,
            occurred_on=day - datetime.timedelta(days=rng.randint(5, 60)),
            description=text,
            submitted_at=submitted,
        )
        report._change_reason = DEMO_REASON  # type: ignore[attr-defined]
        report.save()

    category, text = SELF_REPORTS[0]
    services.submit_self_report(
        category=category,
        occurred_on=today - datetime.timedelta(days=14),
        description=text,
        acting_user=employee_login,
    )

    # Some re-screenings brought forward, worked on and closed by the screener.
    for index, employee in enumerate(staff[9:15]):
        opened = today - datetime.timedelta(days=rng.randint(40, 90))
        dossier = services.open_dossier(
            employee=employee,
            kind=ScreeningDossier.Kind.INITIAL if index == 0 else ScreeningDossier.Kind.PERIODIC,
            opened_on=opened,
            due_on=add_months(opened, 3),
            reason="Benoeming in nieuwe functie" if index == 0 else "Herhalingsonderzoek vervroegd",
            acting_user=screener,
        )
        services.take_dossier(dossier=dossier, acting_user=screener)
        if index % 3 != 2:
            held = opened + datetime.timedelta(days=rng.randint(10, 30))
            services.record_interview(dossier=dossier, held_on=held, acting_user=screener)
            if index % 3 == 0:
                services.close_dossier(
                    dossier=dossier,
                    outcome=ScreeningDossier.Outcome.NO_CONCERNS,
                    reason="Geen risico's gebleken; gesprek verliep open.",
                    closed_on=held + datetime.timedelta(days=rng.randint(2, 8)),
                    acting_user=screener,
                )

    # The demo employee has just had a re-screening interview and may evaluate it.
    own = Employee.objects.get(user=employee_login)
    dossier = ScreeningDossier.objects.filter(
        employee=own, kind=ScreeningDossier.Kind.PERIODIC, status__in=services.OPEN_STATUSES
    ).first() or services.open_dossier(
        employee=own,
        kind=ScreeningDossier.Kind.PERIODIC,
        opened_on=today - datetime.timedelta(days=35),
        due_on=today + datetime.timedelta(days=55),
        reason="Herhalingsonderzoek vervroegd: nieuwe functie per 1 januari",
        acting_user=screener,
    )
    services.take_dossier(dossier=dossier, acting_user=screener)
    held = max(dossier.opened_on, today - datetime.timedelta(days=3))
    services.record_interview(dossier=dossier, held_on=held, acting_user=screener)
    stdout.write("screening: Amsterdam worklist filled through the services\n")


def _evaluations(rng: random.Random, today: datetime.date) -> int:
    units = list(Unit.objects.filter(parent__isnull=True, kind=Unit.Kind.REGIONAL))
    amsterdam = next(u for u in units if u.code == "AM")
    responses: list[EvaluationResponse] = []
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    for back in range(1, 5):
        day = add_months(quarter_start, -3 * back)
        for unit in units:
            count = rng.randint(6, 12) if unit == amsterdam else rng.randint(0, 7)
            for _ in range(count):
                responses.append(_response(rng, unit, day))
    EvaluationResponse.objects.bulk_create(responses)
    return len(responses)


def _response(rng: random.Random, unit: Unit, day: datetime.date) -> EvaluationResponse:
    def rating() -> int:
        return rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 5, 10, 7])[0]

    def text(name: str) -> str:
        return rng.choice(OPEN_TEXTS[name]) if rng.random() < 0.4 else ""

    return EvaluationResponse(
        unit=unit,
        year=day.year,
        quarter=(day.month - 1) // 3 + 1,
        q1_overall=rating(),
        q2_investigator=rating(),
        q3_time=rng.choices(["too_short", "right", "too_long"], weights=[2, 12, 3])[0],
        q4_picture=rng.choices(["yes", "partly", "no"], weights=[10, 5, 1])[0],
        q6_topics=rating(),
        **{name: text(name) for name in OPEN_TEXTS},
    )


@transaction.atomic
def seed(*, stdout: TextIO, rng: random.Random) -> None:
    """Create the screening demo data (idempotent)."""
    if ScreeningDossier.objects.exists():
        stdout.write("screening: demo data already present\n")
        return
    today = timezone.localdate()
    _policies(stdout)
    stdout.write(f"screening: {_history(rng, today)} past screenings\n")
    opened = services.open_due_rescreenings(today=today)
    stdout.write(f"screening: {len(opened)} re-screenings opened by the daily task\n")
    _amsterdam(rng, today, stdout)
    stdout.write(f"screening: {_evaluations(rng, today)} anonymous evaluations\n")
