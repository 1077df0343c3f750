"""Generated complaints for the demo organisation. Nothing here is real.

About 15 months of complaints about Eenheid Amsterdam (handled by the ``klachten`` login)
and two other units (handled by generated handler accounts without a password, so the
works-council figures have more than one unit). Every complaint goes through the services
with dates in the past, so the demo obeys the same rules as the application: terms,
hearings, the committee, extensions, "not taken up" for old conduct, informal resolution.
Older complaints are closed; recent ones are open in every phase, a few near or past their
deadline. Idempotent: nothing happens when complaints exist.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING, TextIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from complaints import rules, services
from complaints.models import Complaint, ComplaintTheme, Decision, Hearing
from vik import services as core_services
from vik.demo import FIRST_NAMES, LAST_NAMES
from vik.models import Employee, Unit
from vik.roles import Role
from vik.typology.kinds import demo_kinds

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DEMO_REASON = "Demo-gegevens"

# (theme code, weight, summaries)
THEMES = [
    (
        "bejegening",
        10,
        [
            "Klager vindt dat de agent tijdens een verkeerscontrole onbeschoft en neerbuigend tegen hem sprak.",
            "Klaagster werd bij de balie van het bureau uitgelachen toen zij aangifte wilde doen.",
            "De agenten spraken klager op luide toon aan voor de deur van zijn buren.",
        ],
    ),
    (
        "geweldgebruik",
        5,
        [
            "Klager stelt dat hij bij zijn aanhouding hardhandig tegen de grond is gewerkt terwijl hij geen verzet bood.",
            "Klaagster heeft blauwe plekken aan haar polsen overgehouden aan te strak aangebrachte handboeien.",
        ],
    ),
    (
        "etnisch-profileren",
        4,
        [
            "Klager werd naar eigen zeggen zonder aanleiding staande gehouden en gefouilleerd; hij vermoedt dat dit om zijn afkomst ging.",
            "Klager wordt in zijn auto vaker dan zijn collega's gecontroleerd en vraagt zich af waarom.",
        ],
    ),
    (
        "discriminatie",
        3,
        [
            "Klaagster stelt dat zij aan de balie anders werd behandeld vanwege haar hoofddoek.",
            "Een agent maakte volgens klager een opmerking over zijn seksuele geaardheid.",
        ],
    ),
    (
        "identificatie",
        3,
        [
            "De agent weigerde zijn naam of dienstnummer te geven toen klaagster daarom vroeg.",
            "Klager moest zich legitimeren zonder dat hem werd uitgelegd waarom.",
        ],
    ),
    (
        "raadplegen-systemen",
        2,
        [
            "Klager vermoedt dat een buurman die bij de politie werkt zijn gegevens heeft opgezocht.",
            "Klaagster denkt dat haar ex-partner, die bij de politie werkt, haar nieuwe adres in de systemen heeft gezien.",
        ],
    ),
    (
        "niet-optreden",
        5,
        [
            "Na een melding van geluidsoverlast kwam de politie pas na twee uur.",
            "De politie deed volgens klaagster niets met haar meldingen over bedreiging door een buurman.",
        ],
    ),
    (
        "aangifte",
        4,
        [
            "Klaagster mocht geen aangifte doen van oplichting via een verkoopsite.",
            "Klager heeft na zijn aangifte van inbraak nooit meer iets gehoord.",
        ],
    ),
    (
        "verkeersgedrag",
        2,
        [
            "Een politieauto reed zonder zwaailicht met hoge snelheid door een woonwijk.",
            "Een politievoertuig stond langdurig geparkeerd op het fietspad.",
        ],
    ),
    (
        "vrijheidsbeneming",
        2,
        [
            "Klager is volgens hem ten onrechte een nacht ingesloten na een ruzie in het uitgaansleven.",
        ],
    ),
    (
        "doorzoeking",
        1,
        ["Bij een doorzoeking van zijn woning is volgens klager onnodig schade aangericht."],
    ),
    (
        "informatie",
        1,
        [
            "Klaagster kreeg van de politie tegenstrijdige informatie over de afhandeling van haar zaak."
        ],
    ),
    ("dienstverlening", 2, ["Klager kon het politienummer dagenlang niet bereiken."]),
]
STREETS = [
    "Kerkstraat",
    "Dorpsweg",
    "Lindelaan",
    "Stationsplein",
    "Molenweg",
    "Havenkade",
    "Schoolstraat",
    "Beukenlaan",
]
CITIES = {"AM": "Amsterdam", "DH": "Den Haag", "RT": "Rotterdam"}
REASONING = {
    Decision.Outcome.FOUNDED: "Uit de gesprekken met u en met de betrokken medewerker blijkt dat de medewerker u niet heeft bejegend zoals wij van onze medewerkers verwachten. Wij bieden u hiervoor onze excuses aan.",
    Decision.Outcome.PARTLY_FOUNDED: "Wij begrijpen dat het optreden op u zo is overgekomen. Het optreden zelf was rechtmatig, maar de uitleg aan u had beter gekund.",
    Decision.Outcome.UNFOUNDED: "Uit de gesprekken en de vastgelegde informatie blijkt dat de medewerkers hebben gehandeld zoals de instructies voorschrijven. Wij zien geen aanleiding voor een ander oordeel.",
    Decision.Outcome.NO_JUDGEMENT: "De lezingen van u en van de medewerker lopen uiteen en er zijn geen andere gegevens die de ene of de andere lezing ondersteunen. Wij kunnen daarom geen oordeel geven.",
}


def _handler(unit: Unit, username: str, *, first_name: str, last_name: str) -> User:
    """The complaint handler of a unit: the demo login for Amsterdam, else a generated one."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create(
            username=username, first_name=first_name, last_name=last_name, email=""
        )
        user.set_unusable_password()  # generated colleague: cannot sign in
        user.save()
        core_services.assign_role(
            user=user, role=Role.COMPLAINT_HANDLER, unit=unit, acting_user=None, reason=DEMO_REASON
        )
    return user


def _date(start: datetime.date, low: int, high: int, rng: random.Random) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(low, high))


def _walk(complaint: Complaint, handler: User, rng: random.Random, today: datetime.date) -> None:
    """Take the complaint as far as its age allows, one service call per step."""
    received = complaint.received_on

    def due(day: datetime.date) -> bool:
        return day <= today

    assigned = _date(received, 1, 4, rng)
    if not due(assigned):
        return
    services.assign_handler(
        complaint=complaint,
        handler=handler,
        not_involved_confirmed=True,
        assigned_on=assigned,
        acting_user=handler,
    )
    if rules.conduct_is_too_old(conduct_on=complaint.conduct_on, received_on=received):
        letter = _date(received, 5, 20, rng)
        if due(letter):
            services.not_taken_up(
                complaint=complaint,
                reason="Het optreden waarover u klaagt vond ruim een jaar voor uw klacht plaats.",
                letter_on=letter,
                acting_user=handler,
            )
        return
    step = _date(assigned, 2, 7, rng)
    if not due(step):
        return
    informal = rng.random() < 0.6
    if informal:
        services.start_informal(complaint=complaint, started_on=step, acting_user=handler)
        end = _date(step, 7, 25, rng)
        if not due(end):
            return
        if rng.random() < 0.6:
            services.finish_informal(
                complaint=complaint,
                outcome=Complaint.InformalOutcome.RESOLVED,
                note="Telefonisch gesprek met klager en de teamchef; uitleg gegeven, klager is tevreden.",
                finished_on=end,
                acting_user=handler,
            )
            return
        services.finish_informal(
            complaint=complaint,
            outcome=Complaint.InformalOutcome.NOT_RESOLVED,
            note="Gesprek gevoerd; klager wil een formeel oordeel.",
            finished_on=end,
            acting_user=handler,
        )
        step = end
    else:
        services.start_formal(complaint=complaint, started_on=step, acting_user=handler)
    if rng.random() < 0.05:
        withdrawn = _date(step, 3, 10, rng)
        if due(withdrawn):
            services.withdraw(
                complaint=complaint,
                reason="Klager laat telefonisch weten de klacht in te trekken.",
                withdrawn_on=withdrawn,
                acting_user=handler,
            )
        return

    offered = _date(step, 1, 5, rng)
    if not due(offered):
        return
    held = _date(offered, 7, 20, rng)
    # A hearing still to come is planned: a time and place for the letter and the calendar.
    upcoming = not due(held)
    scheduled_at = (
        timezone.make_aware(datetime.datetime.combine(held, datetime.time(10, 0)))
        if upcoming
        else None
    )
    location = f"Politiebureau {complaint.unit}, spreekkamer 2" if upcoming else ""
    services.offer_hearing(
        complaint=complaint,
        party=Hearing.Party.COMPLAINANT,
        offered_on=offered,
        scheduled_at=scheduled_at,
        location=location,
        acting_user=handler,
    )
    for complained in complaint.complained_employees.select_related("employee"):
        services.offer_hearing(
            complaint=complaint,
            party=Hearing.Party.EMPLOYEE,
            employee=complained.employee,
            offered_on=offered,
            scheduled_at=scheduled_at,
            location=location,
            acting_user=handler,
        )
    if not due(held):
        return
    for hearing in complaint.hearings.all():
        if rng.random() < 0.85:
            services.record_hearing(
                hearing=hearing,
                status=Hearing.Status.HELD,
                held_on=held,
                report="Partij heeft de eigen lezing van de gebeurtenissen gegeven; verslag ter inzage aan beide partijen.",
                acting_user=handler,
            )
        else:
            services.record_hearing(
                hearing=hearing,
                status=Hearing.Status.DECLINED,
                note="Niet gereageerd op de uitnodiging.",
                acting_user=handler,
            )
    complaint.refresh_from_db()
    if rng.random() < 0.15:
        services.request_committee_advice(
            complaint=complaint, requested_on=_date(held, 1, 5, rng), acting_user=handler
        )
        advice_on = _date(held, 25, 50, rng)
        if not due(advice_on):
            return
        services.record_committee_advice(
            complaint=complaint,
            advice="De commissie adviseert de klacht deels gegrond te verklaren.",
            received_on=advice_on,
            acting_user=handler,
        )
        held = advice_on
    complaint.refresh_from_db()
    decided = _date(held, 5, 25, rng)
    if decided > complaint.deadline and rng.random() < 0.7:
        extension = min(complaint.deadline, _date(held, 1, 5, rng))
        if due(extension):
            services.extend_term(
                complaint=complaint,
                reason="Een betrokken medewerker was langdurig afwezig; het verslag van het horen volgt later.",
                extended_on=extension,
                acting_user=handler,
            )
    if not due(decided):
        return
    outcome = rng.choices(list(REASONING), weights=[20, 25, 45, 10])[0]
    services.decide(
        complaint=complaint,
        outcome=outcome,
        reasoning=REASONING[outcome],
        measures="De teamchef bespreekt het voorval met de medewerker."
        if outcome != Decision.Outcome.UNFOUNDED
        else "",
        decided_on=decided,
        acting_user=handler,
    )
    # The letter goes out the day of the decision; the last few days' are still to record.
    if due(decided + datetime.timedelta(days=2)):
        services.record_letter_sent(complaint=complaint, sent_on=decided, acting_user=handler)
    for complained in complaint.complained_employees.all():
        sent = _date(decided, 0, 3, rng)
        if due(sent):
            services.note_copy_sent(complained=complained, sent_on=sent, acting_user=handler)


@transaction.atomic
def seed(*, stdout: TextIO, rng: random.Random) -> None:
    """Create the complaints demo data (idempotent)."""
    if Complaint.objects.exists():
        stdout.write("complaints: demo data already present\n")
        return
    today = timezone.localdate()
    themes = {t.code: t for t in ComplaintTheme.objects.all()}
    handlers = {
        "AM": get_user_model().objects.get(username="klachten"),
        "DH": _handler(
            Unit.objects.get(code="DH"), "klachten-dh", first_name="Dirk", last_name="Haagsma"
        ),
        "RT": _handler(
            Unit.objects.get(code="RT"), "klachten-rt", first_name="Rianne", last_name="Tol"
        ),
    }
    counts = {"AM": 70, "DH": 25, "RT": 25}
    created = refused = 0
    for code, total in counts.items():
        eenheid = Unit.objects.get(code=code)
        teams = list(Unit.objects.filter(parent__parent=eenheid, kind=Unit.Kind.TEAM)) + list(
            Unit.objects.filter(parent=eenheid, kind=Unit.Kind.TEAM).exclude(code__endswith="-VIK")
        )
        handler = handlers[code]
        for _ in range(total):
            team = rng.choice(teams)
            received = today - datetime.timedelta(days=int(rng.triangular(0, 460, 60)))
            old = rng.random() < 0.04
            conduct = received - datetime.timedelta(
                days=rng.randint(380, 700) if old else rng.randint(0, 40)
            )
            code_weights = [(t, w) for t, w, _s in THEMES if t in themes]
            theme_codes = {
                rng.choices([t for t, _ in code_weights], weights=[w for _, w in code_weights])[0]
            }
            if rng.random() < 0.2:
                theme_codes.add(rng.choice([t for t, _ in code_weights]))
            summary = rng.choice(next(s for t, _w, s in THEMES if t == sorted(theme_codes)[0]))
            members = list(Employee.objects.filter(team=team, user__isnull=True))
            named = [rng.choice(members)] if members and rng.random() < 0.5 else []
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            try:
                complaint = services.register_complaint(
                    unit=team,
                    received_on=received,
                    conduct_on=conduct,
                    location=CITIES[code],
                    channel=rng.choices(list(Complaint.Channel), weights=[10, 3, 6, 3, 4, 1])[0],
                    summary=summary,
                    themes=[themes[t] for t in theme_codes],
                    kinds=demo_kinds(f"{team.code}:{received}:{summary}", leaning="complaints"),
                    employees=named,
                    contact=services.ContactDetails(
                        name=f"{first} {last}",
                        street_address=f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
                        postcode=f"{rng.randint(1000, 9999)} {rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}",
                        city=CITIES[code],
                        email=f"{first.lower()}.{last.lower().replace(' ', '')}@voorbeeld.nl"
                        if rng.random() < 0.7
                        else "",
                        phone=f"06-{rng.randint(10000000, 99999999)}" if rng.random() < 0.6 else "",
                    ),
                    acting_user=handler,
                )
                _walk(complaint, handler, rng, today)
            except ValidationError:
                # A generated combination the procedure refuses (e.g. a deadline passed
                # before a step): leave that complaint where the rules stopped it.
                refused += 1
            created += 1
    # Two fresh ones in Amsterdam, waiting for a handler on the intake desk.
    fresh_team = Unit.objects.get(code="AM-D1-T2")
    colleague = Employee.objects.filter(team=fresh_team, user__isnull=True).order_by("pk").first()
    for days_ago, theme, named in (
        (1, "etnisch-profileren", [colleague] if colleague else []),
        (0, "niet-optreden", []),
    ):
        summary = next(s for t, _w, s in THEMES if t == theme)[0]
        services.register_complaint(
            unit=fresh_team,
            received_on=today - datetime.timedelta(days=days_ago),
            conduct_on=today - datetime.timedelta(days=days_ago + rng.randint(2, 9)),
            location="Amsterdam",
            channel=Complaint.Channel.WEB_FORM,
            summary=summary,
            themes=[themes[theme]],
            employees=named,
            contact=services.ContactDetails(
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                email="klager@voorbeeld.nl",
            ),
            acting_user=handlers["AM"],
        )
        created += 1
    stdout.write(f"complaints: {created} complaints ({refused} stopped early by the rules)\n")
