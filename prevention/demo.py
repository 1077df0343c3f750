"""Demo data for prevention and advice: every state, through the services (idempotent).

Eenheid Amsterdam, with ``preventie`` as its coordinator: presenters; session requests
awaiting an answer (one overdue), accepted, planned, to be recorded, held (with and without
five evaluations), declined and withdrawn; advice questions in every state with their kinds
of violation; after-discussions of closed investigations from requested to an approved lesson
(one declined first), with one closed investigation left for ``hoofdvik`` to try; the
dilemma library (the demo's own dilemmas in the form of seed 002's pages); trends to act on.
Run after the cases demo, which provides the commissioner and the investigators.
"""

from __future__ import annotations

import datetime
import random
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from prevention import services
from prevention.models import (
    AdviceKind,
    AdviceRequest,
    AfterDiscussion,
    Dilemma,
    Presenter,
    SessionEvaluationCode,
    SessionKind,
    SessionRequest,
)
from vik import services as core
from vik.models import Employee, Unit, ViolationKind
from vik.roles import Role
from vik.typology.kinds import ensure_violation_kinds

DEMO_REASON = "Demo-gegevens"
QUESTIONS = (
    "Wat wil ik weten of doen, en waarom?\n"
    "Mag dit, volgens de regels en de beroepscode?\n"
    "In wiens belang doe ik dit?\n"
    "Zou ik het mijn teamchef vertellen?\n"
    "Hoe zou het in de krant staan?\n"
    "Bespreek ik het eerst met een collega?"
)

# (title, situation, rules, kinds) — the demo's own dilemmas, in the form of seed 002.
DILEMMAS: list[tuple[str, str, str, list[str]]] = [
    (
        "Een bekende Nederlander in het nieuws",
        "Een bekende zangeres is aangehouden; het nieuws staat er vol van en in de kantine "
        "heeft iedereen een mening. Met twee klikken zie je wat er bij de politie over haar "
        "is vastgelegd. Je kijkt even — je bent gewoon nieuwsgierig.",
        "Beroepscode: politie-informatie raadpleeg je alleen als je werk erom vraagt (need to "
        "know). Elke raadpleging wordt gelogd. Wetboek van Strafrecht art. 272: schending van "
        "geheimhouding.",
        ["misbruik-informatie"],
    ),
    (
        "De auto voor je deur",
        "Al een week staat er een onbekende auto voor je huis. Je hebt je MEOS-toestel bij je "
        "en kijkt op wiens naam het kenteken staat. Kan dat?",
        "Raadplegen voor privédoeleinden is niet toegestaan, ook niet als het je eigen "
        "veiligheid lijkt te raken. Maak een melding via de gewone weg.",
        ["misbruik-informatie"],
    ),
    (
        "De groepsapp van de ploeg",
        "In de app-groep van je ploeg worden foto's van registraties en kentekens gedeeld, "
        "'zodat iedereen op de hoogte is'. Het werkt snel en iedereen doet het.",
        "Politie-informatie deel je alleen via de systemen die daarvoor bedoeld zijn. "
        "Berichtendiensten op privételefoons horen daar niet bij.",
        ["misbruik-informatie"],
    ),
    (
        "Het afscheidscadeau uit de wijk",
        "Na jaren als wijkagent ga je naar de recherche. Bij je afscheid in de wijk krijg je "
        "cadeaus van bewoners en ondernemers: bloemen, een fles wijn, een cadeaubon.",
        "Geschenken meld je bij je leidinggevende; boven een kleine waarde neem je ze niet "
        "aan. Twijfel je, bespreek het.",
        ["geschenken-gastvrijheid"],
    ),
    (
        "Bijverdienen achter de bar",
        "In het weekend sta je achter de bar van een populaire club in de stad. Het verdient "
        "goed, en je bent er toch al vaak.",
        "Nevenwerkzaamheden die de belangen van de politie raken, meld je vooraf. De "
        "verantwoordelijkheid ligt bij jou.",
        ["nevenwerkzaamheden"],
    ),
    (
        "Een appje van je coach",
        "Je praktijkcoach stuurt 's avonds een berichtje: 'Lukt het met verhuizen, lekkerding? "
        "Is je slaapkamer al klaar? ;-)'",
        "Ongewenste omgangsvormen zijn plichtsverzuim, ook in privétijd. Je kunt terecht bij "
        "je leidinggevende of een vertrouwenspersoon.",
        ["seksueel-grensoverschrijdend"],
    ),
    (
        "Moppen op de werkvloer",
        "Een collega vertelt in de wachtruimte regelmatig op luide toon moppen die over de "
        "grens gaan. De anderen lachen mee. Jij niet.",
        "Iedereen is verantwoordelijk voor een veilig werkklimaat. Spreek aan, ga in gesprek; "
        "de vertrouwenspersoon denkt mee.",
        ["intimidatie-discriminatie"],
    ),
    (
        "Het welkomstfeest van je neef",
        "De neef met wie je opgroeide is veroordeeld voor fraude en komt binnenkort vrij. Zijn "
        "vrouw nodigt je uit voor zijn welkomstfeest.",
        "Ook buiten diensttijd ben je politieambtenaar. Bespreek contacten die je positie "
        "kunnen raken met je leidinggevende.",
        ["wangedrag-buiten-dienst"],
    ),
    (
        "Een klap bij de aanhouding",
        "Je ziet dat je collega een geboeide verdachte die blijft schreeuwen een knietje "
        "geeft. Niemand anders heeft het gezien.",
        "Geweld is alleen toegestaan als het noodzakelijk, proportioneel en subsidiair is. "
        "Geweldsaanwending meld je; wat je ziet ook.",
        ["geweld"],
    ),
    (
        "Het proces-verbaal klopt niet helemaal",
        "Je collega maakt het proces-verbaal op van een aanhouding waar jullie samen bij "
        "waren. Het leest goed, maar zo heb jij het niet beleefd.",
        "Een proces-verbaal is waarheidsgetrouw. Je tekent niet voor wat je niet zo hebt "
        "waargenomen.",
        ["liegen-vervalsen"],
    ),
    (
        "De oude uitrusting op Marktplaats",
        "Je hebt zelf een nieuw koppel gekocht. Het oude, dat je bij je aanstelling kreeg, "
        "ligt in de kast. Je zet het op Marktplaats.",
        "Dienstmiddelen blijven eigendom van de politie; je levert ze in, je verkoopt ze niet.",
        ["misbruik-middelen"],
    ),
    (
        "Je dienst op sociale media",
        "Je bent trots op een mooie aanhouding en deelt er een verhaal over op Facebook. "
        "Natuurlijk zonder namen of foto's.",
        "Het socialemediabeleid: wat je deelt over je werk, kan herleidbaar zijn. Denk aan "
        "slachtoffers, verdachten en collega's.",
        ["misbruik-informatie", "wangedrag-buiten-dienst"],
    ),
]

# (title, situation, questions, rules, decision, kinds) — anonymised lessons.
LESSONS: list[tuple[str, str, str, str, str, list[str]]] = [
    (
        "Nieuwsgierig naar de buurt",
        "Een medewerker keek in de politiesystemen na waarom er politie bij de buren was "
        "geweest, en later nog een paar keer naar andere bekenden uit de straat. Er was geen "
        "enkele dienstelijke reden. Een signaal van Protective Monitoring bracht het aan het "
        "licht.",
        "Wilde ik het weten voor mijn werk, of uit nieuwsgierigheid?\n"
        "Zou ik het mijn teamchef vertellen?\n"
        "Hoe voelt het als een collega dit over mij opzoekt?",
        "Raadplegen mag alleen als het werk erom vraagt (need to know). Elke raadpleging wordt "
        "vastgelegd en kan worden gecontroleerd.",
        "Plichtsverzuim; een schriftelijke berisping en een gesprek over de regels met de "
        "teamchef.",
        ["misbruik-informatie"],
    ),
    (
        "Foto's in de ploeg-app",
        "In een ploeg werden schermafbeeldingen van registraties in een app-groep gedeeld, "
        "om elkaar snel bij te praten. Een van de foto's kwam buiten de politie terecht.",
        "Via welk kanaal deel ik dit, en wie kan het nog meer zien?\n"
        "Zou ik dit ook zo delen als het over mijzelf ging?",
        "Politie-informatie deel je alleen via de daarvoor bedoelde systemen.",
        "Geen plichtsverzuim vastgesteld voor de afzonderlijke leden; de ploeg heeft "
        "afspraken gemaakt over het gebruik van de app.",
        ["misbruik-informatie"],
    ),
    (
        "Een cadeaubon van een ondernemer",
        "Een medewerker nam na een inbraakonderzoek een cadeaubon aan van de eigenaar van de "
        "winkel, als dank. Hij meldde het niet.",
        "Wat verwacht de gever ervoor terug?\nZou ik het melden bij mijn leidinggevende?",
        "Geschenken meld je; boven een kleine waarde neem je ze niet aan.",
        "De bon is teruggegeven; het bleef bij een gesprek in de lijn.",
        ["geschenken-gastvrijheid"],
    ),
    (
        "Een bijbaan die schuurt",
        "Een medewerker werkte naast de politie als beveiliger bij evenementen, in een stad "
        "waar hij ook dienst deed. Het werk was niet gemeld.",
        "Raakt dit werk de belangen van de politie?\nHeb ik het gemeld?",
        "Nevenwerkzaamheden die de politie raken, meld je vooraf.",
        "De nevenwerkzaamheden zijn alsnog gemeld en onder voorwaarden toegestaan.",
        ["nevenwerkzaamheden"],
    ),
]


def _now() -> datetime.datetime:
    return timezone.now()


def _at(days_ahead: int, hour: int) -> datetime.datetime:
    """A whole hour on a day relative to today, in the project's time zone."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _user(username: str) -> User:
    return get_user_model().objects.get(username=username)


def _team_chief(team: Unit) -> User:
    """A generated team chief for a team without a demo login (cannot sign in)."""
    username = f"teamchef-{team.code.lower()}"
    user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        return user
    employee = (
        Employee.objects.filter(team=team, function__code="Teamchef", user__isnull=True)
        .order_by("personnel_number")
        .first()
    )
    user = get_user_model().objects.create(
        username=username,
        first_name=employee.first_name if employee else "Teamchef",
        last_name=employee.last_name if employee else team.code,
        email="",
    )
    user.set_unusable_password()  # generated colleague: cannot sign in
    user.save()
    if employee is not None:
        core.link_account(employee=employee, user=user, acting_user=None, reason=DEMO_REASON)
    core.assign_role(
        user=user, role=Role.TEAM_CHIEF, unit=team, acting_user=None, reason=DEMO_REASON
    )
    return user


def _shift(model: Any, pk: int, **fields: Any) -> None:
    """Move a demo object back in time (the services stamp today)."""
    model.objects.filter(pk=pk).update(**fields)


@transaction.atomic
def seed(*, stdout: TextIO, rng: random.Random) -> None:
    """Prevention and advice in every state for Eenheid Amsterdam (idempotent)."""
    ensure_violation_kinds()  # a database emptied by a test run has lost the migration's rows
    if Presenter.objects.filter(unit__code="AM").exists():
        stdout.write("prevention: demo data already present\n")
        return
    am = Unit.objects.get(code="AM")
    coordinator = _user("preventie")
    kinds = {kind.code: kind for kind in ViolationKind.objects.all()}

    presenters = [
        services.save_presenter(
            presenter=None,
            name=name,
            organisation=organisation,
            email=email,
            unit=am,
            is_active=active,
            acting_user=coordinator,
        )
        for name, organisation, email, active in [
            ("Priya Preventie", "VIK Amsterdam", "preventie@vik.example", True),
            ("Vera Vertrouwen", "Vertrouwenspersonen", "", True),
            ("Daan Divers", "Politie voor iedereen", "", True),
            ("Guus Geestelijk", "Geestelijke verzorging", "", True),
            ("Ingrid Intel", "Intelacademie", "", False),
        ]
    ]
    _library(coordinator=coordinator, unit=am, kinds=kinds)
    _sessions(rng=rng, coordinator=coordinator, presenters=presenters[:4], kinds=kinds)
    _advice(coordinator=coordinator, kinds=kinds)
    _after_discussions(rng=rng, coordinator=coordinator, kinds=kinds)
    _trends(coordinator=coordinator, unit=am, kinds=kinds)
    stdout.write(
        f"prevention: {SessionRequest.objects.count()} session requests, "
        f"{AdviceRequest.objects.count()} advice questions, "
        f"{AfterDiscussion.objects.count()} after-discussions, "
        f"{Dilemma.objects.count()} dilemmas\n"
    )


def _library(*, coordinator: User, unit: Unit, kinds: dict[str, ViolationKind]) -> None:
    for title, situation, rules, codes in DILEMMAS:
        services.save_dilemma(
            dilemma=None,
            title=title,
            situation=situation,
            questions=QUESTIONS,
            rules_text=rules,
            kinds=[kinds[code] for code in codes],
            unit=unit,
            publish=True,
            acting_user=coordinator,
        )
    services.save_dilemma(
        dilemma=None,
        title="De kater op zondagochtend",
        situation="Na een feest op zaterdag begin je zondagochtend met een kater aan je dienst.",
        questions=QUESTIONS,
        rules_text="Je bent fit voor je dienst: geen alcohol of drugs in je bloed.",
        kinds=[kinds["wangedrag-buiten-dienst"]],
        unit=unit,
        publish=False,  # a draft, visible only to the coordinators
        acting_user=coordinator,
    )
    withdrawn = services.save_dilemma(
        dilemma=None,
        title="Het uniform op maat",
        situation="Een collega heeft het uniform zo strak laten maken dat jij het ongepast vindt.",
        questions=QUESTIONS,
        rules_text="Het kledingvoorschrift.",
        kinds=[],
        unit=unit,
        publish=True,
        acting_user=coordinator,
    )
    services.withdraw_dilemma(
        dilemma=withdrawn,
        reason="Vervangen door een nieuwe casus over representativiteit.",
        acting_user=coordinator,
    )


def _sessions(
    *,
    rng: random.Random,
    coordinator: User,
    presenters: list[Presenter],
    kinds: dict[str, ViolationKind],
) -> None:
    teams = {
        code: Unit.objects.get(code=code)
        for code in ("AM-D1-T1", "AM-D1-T2", "AM-D2-T1", "AM-D2-T2", "AM-REC", "AM-INT")
    }
    chief, employee = _user("teamchef"), _user("medewerker")
    chiefs = {code: _team_chief(team) for code, team in teams.items() if code != "AM-D1-T1"}
    chiefs["AM-D1-T1"] = chief
    now = _now()

    def request(
        team: str, kind: SessionKind, questions: str, *, by: User | None = None, **extra: Any
    ) -> SessionRequest:
        return services.request_session(
            kind=kind,
            team=teams[team],
            learning_questions=questions,
            acting_user=by or chiefs[team],
            **extra,
        )

    # Awaiting an answer: a new request from the team chief; an overdue one from an employee.
    request(
        "AM-D1-T1",
        SessionKind.DILEMMA_TRAINING,
        "Hoe gaan we om met informatie in app-groepen? Wanneer spreek je een collega aan?",
        by=chief,
        prompt="In de ploeg worden steeds vaker schermafbeeldingen gedeeld.",
        prompt_kind=kinds["misbruik-informatie"],
        preferred_note="Dinsdagochtend, tijdens het teamoverleg",
        group_size=18,
        location="Bureau, grote vergaderzaal",
        duration_minutes=90,
    )
    overdue = request(
        "AM-D1-T1",
        SessionKind.INTEGRITY,
        "Wat verwacht de politie van ons buiten diensttijd? Waar ligt de grens?",
        by=employee,
        group_size=12,
        duration_minutes=60,
    )
    _shift(
        SessionRequest,
        overdue.pk,
        submitted_at=now - datetime.timedelta(days=20),
        answer_due_on=timezone.localdate() - datetime.timedelta(days=4),
    )

    # Accepted, still to plan.
    accepted = request(
        "AM-D1-T2",
        SessionKind.CODE_OF_CONDUCT,
        "De beroepscode voor de nieuwe collega's in het team: wat staat erin en waarom?",
        group_size=10,
    )
    services.accept_session_request(request=accepted, acting_user=coordinator)

    # Planned ahead: the film with a conversation, for the demo team chief's team.
    film = request(
        "AM-D1-T1",
        SessionKind.FILM,
        "De film Rauw bekijken en met elkaar bespreken wat je herkent.",
        by=chief,
        duration_minutes=120,
    )
    services.plan_session(
        request=film,
        planned_start=_at(12, 9),
        place="Bureau, grote vergaderzaal",
        presenters=presenters[:2],
        acting_user=coordinator,
    )

    # Planned and past: to be recorded.
    past = request(
        "AM-D2-T1",
        SessionKind.INTEGRITY,
        "Wat is integriteit voor ons als team? Welke dilemma's komen we tegen?",
    )
    services.plan_session(
        request=past,
        planned_start=_at(-2, 13),
        place="Teamruimte",
        presenters=presenters[:1],
        acting_user=coordinator,
    )

    # Held, with nine evaluations (totals shown) and with three (too few to show).
    answered = _held(
        request(
            "AM-D1-T1",
            SessionKind.DILEMMA_TRAINING,
            "Dilemma's rond het raadplegen van systemen en het delen van informatie.",
            by=chief,
        ),
        coordinator=coordinator,
        presenters=presenters[:2],
        days_ago=9,
        attendance=14,
        what="Acht dilemma's uit de bibliotheek besproken in groepjes, daarna plenair.",
        follow_up="Over drie maanden een korte terugblik in het teamoverleg.",
    )
    _evaluate(answered, 9, rng)
    few = _held(
        request("AM-D2-T2", SessionKind.FILM, "De film Rauw en het gesprek erover."),
        coordinator=coordinator,
        presenters=presenters[2:4],
        days_ago=5,
        attendance=8,
        what="Film vertoond; gesprek over groepsdruk en aanspreken.",
        follow_up="",
    )
    _evaluate(few, 3, rng)
    # Held in earlier quarters, for the trends.
    for days_ago, team in ((120, "AM-REC"), (200, "AM-INT"), (300, "AM-D1-T2")):
        old = _held(
            request(team, SessionKind.INTEGRITY, "Een algemene integriteitssessie voor het team."),
            coordinator=coordinator,
            presenters=presenters[:1],
            days_ago=1,
            attendance=rng.randint(8, 20),
            what="Presentatie over de processen van VIK en de beroepscode; dilemma's.",
            follow_up="",
        )
        held_on = timezone.localdate() - datetime.timedelta(days=days_ago)
        _shift(
            SessionRequest,
            old.pk,
            submitted_at=now - datetime.timedelta(days=days_ago + 30),
            held_on=held_on,
            planned_start=now - datetime.timedelta(days=days_ago),
            closed_at=now - datetime.timedelta(days=days_ago),
        )
        SessionEvaluationCode.objects.filter(session=old).update(answered=True)

    # Declined, and withdrawn.
    declined = request(
        "AM-INT",
        SessionKind.OTHER,
        "Een teamuitje met een integriteitsquiz als afsluiting.",
        kind_other="Teamuitje",
    )
    services.decline_session_request(
        request=declined,
        reason="Een teamuitje organiseren wij niet; een dilemmatraining in het teamoverleg kan wel.",
        acting_user=coordinator,
    )
    withdrawn = request(
        "AM-REC", SessionKind.CODE_OF_CONDUCT, "Beroepscode voor de recherche: informatie delen."
    )
    services.withdraw_session_request(request=withdrawn, acting_user=chiefs["AM-REC"])


def _held(
    session: SessionRequest,
    *,
    coordinator: User,
    presenters: list[Presenter],
    days_ago: int,
    attendance: int,
    what: str,
    follow_up: str,
) -> SessionRequest:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    services.plan_session(
        request=session,
        planned_start=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30))),
        place="Bureau, grote vergaderzaal",
        presenters=presenters,
        acting_user=coordinator,
    )
    return services.record_session(
        request=session,
        held_on=day,
        what_was_done=what,
        attendance=attendance,
        follow_up=follow_up,
        acting_user=coordinator,
    )


TAKEAWAYS = [
    "Dat ik eerder een collega mag aanspreken.",
    "Hoe snel een foto in een app buiten de ploeg belandt.",
    "De vragen die je jezelf kunt stellen.",
    "",
    "Dat iedereen wel eens twijfelt.",
]


def _evaluate(session: SessionRequest, number: int, rng: random.Random) -> None:
    """Participants use their codes (as ``medewerker`` — a code says nothing about its user)."""
    participant = _user("medewerker")
    codes = list(
        SessionEvaluationCode.objects.filter(session=session).values_list("code", flat=True)
    )
    for code in codes[:number]:
        services.submit_session_evaluation(
            code=code,
            answers={
                "q1_overall": rng.choice([3, 4, 4, 5, 5]),
                "q2_presenters": rng.choice([4, 4, 5, 5]),
                "q3_useful": rng.choice([2, 3, 4, 4, 5]),
                "q4_speak_freely": rng.choice(["yes", "yes", "partly", "no"]),
                "q5_length": rng.choice(["right", "right", "too_short", "too_long"]),
                "q6_takeaway": rng.choice(TAKEAWAYS),
                "q7_missing": rng.choice(["", "", "Meer tijd voor de casussen."]),
                "q8_tips": rng.choice(["", "Graag vaker!", ""]),
            },
            acting_user=participant,
        )


def _advice(*, coordinator: User, kinds: dict[str, ViolationKind]) -> None:
    medewerker, chief, screener = _user("medewerker"), _user("teamchef"), _user("screener")
    services.ask_advice(
        kind=AdviceKind.CASE,
        subject="Mijn zwager is aangehouden",
        question=(
            "Mijn zwager is deze week aangehouden in een andere eenheid. Mijn schoonfamilie "
            "vraagt mij wat er aan de hand is. Wat mag ik wel en niet doen?"
        ),
        acting_user=medewerker,
    )
    taken = services.ask_advice(
        kind=AdviceKind.LEADERSHIP,
        subject="Moreel beraad in het team",
        question=(
            "Na een heftig incident wil ik met het team stilstaan bij de keuzes die we maakten. "
            "Hoe organiseer ik een moreel beraad, en wie kan het begeleiden?"
        ),
        acting_user=chief,
    )
    services.take_advice_request(request=taken, acting_user=coordinator)
    answered_at = _now()
    for subject, question, answer, codes, days_ago, close in [
        (
            "Cadeau van een ondernemer",
            "Een winkelier wil ons team na een inbraakonderzoek een taart en een cadeaubon geven. "
            "Mogen we dat aannemen?",
            "Een taart voor het team kan, meld het bij de teamchef. Een cadeaubon niet: die is "
            "persoonlijk en heeft een geldwaarde. Bedank de winkelier en leg uit waarom.",
            ["geschenken-gastvrijheid"],
            40,
            True,
        ),
        (
            "Beveiligingswerk in het weekend",
            "Ik wil in het weekend als beveiliger werken bij festivals. Moet ik dat melden, en "
            "mag het?",
            "Ja, meld het vooraf als nevenwerkzaamheid. Het mag als het de politie niet raakt; "
            "werk niet in het gebied waar je dienst doet en gebruik je politiekennis niet.",
            ["nevenwerkzaamheden"],
            130,
            True,
        ),
        (
            "Een collega deelt foto's in de app",
            "Een collega deelt foto's van registraties in onze ploeg-app. Moet ik daar iets van "
            "zeggen, en tegen wie?",
            "Spreek de collega zelf aan als dat kan, en bespreek het met de teamchef. Foto's van "
            "registraties horen niet in een app. Een vertrouwenspersoon denkt mee als je twijfelt.",
            ["misbruik-informatie"],
            10,
            False,
        ),
        (
            "Foto's van een aanhouding in de groepsapp",
            "In onze groepsapp staan foto's van een aanhouding van vannacht. Mag ik die bewaren "
            "om later te laten zien hoe het ging?",
            "Nee: verwijder ze en vraag de beheerder van de groep ze ook te verwijderen. Foto's "
            "van aanhoudingen zijn politie-informatie en horen niet op je telefoon.",
            ["misbruik-informatie"],
            3,
            False,
        ),
        (
            "Opzoeken van mijn eigen melding",
            "Ik heb aangifte gedaan van een inbraak bij mij thuis. Mag ik in BVH kijken hoe het "
            "ermee staat?",
            "Nee: je raadpleegt je eigen registraties niet. Vraag de behandelaar naar de stand "
            "van zaken, zoals iedere aangever dat doet.",
            ["misbruik-informatie"],
            70,
            True,
        ),
    ]:
        advice = services.ask_advice(
            kind=AdviceKind.CASE,
            subject=subject,
            question=question,
            acting_user=screener if days_ago > 100 else medewerker,
        )
        services.take_advice_request(request=advice, acting_user=coordinator)
        services.answer_advice_request(
            request=advice,
            answer=answer,
            kinds=[kinds[code] for code in codes],
            acting_user=coordinator,
        )
        if close:
            services.close_advice_request(request=advice, acting_user=coordinator)
        moment = answered_at - datetime.timedelta(days=days_ago)
        _shift(
            AdviceRequest,
            advice.pk,
            asked_at=moment - datetime.timedelta(days=3),
            answered_at=moment,
            closed_at=moment + datetime.timedelta(days=2) if close else None,
        )


def _after_discussions(
    *, rng: random.Random, coordinator: User, kinds: dict[str, ViolationKind]
) -> None:
    """After-discussions of closed investigations, from requested to an approved lesson."""
    head = _user("hoofdvik")
    cases = closed_investigations(rng, 5)
    brief = (
        "Het onderzoek is afgerond. De betrokken medewerker raadpleegde zonder dienstelijke reden "
        "registraties over bekenden. Het team weet dat er een onderzoek was, maar niet wat eruit "
        "kwam. Graag een nabespreking over raadplegen en aanspreken."
    )

    def ask(case: Any) -> AfterDiscussion:
        from cases.selectors import concerned_teams

        team = Unit.objects.get(pk=concerned_teams(case)[0])
        return services.request_after_discussion(
            case_id=case.pk, team=team, brief=brief, acting_user=head
        )

    def write(
        after_discussion: AfterDiscussion, lesson: tuple[str, str, str, str, str, list[str]]
    ) -> Dilemma:
        title, situation, questions, rules, decision, codes = lesson
        services.accept_after_discussion(after_discussion=after_discussion, acting_user=coordinator)
        return services.save_lesson(
            after_discussion=after_discussion,
            title=title,
            situation=situation,
            questions=questions,
            rules_text=rules,
            decision=decision,
            kinds=[kinds[code] for code in codes],
            acting_user=coordinator,
        )

    # 1. Requested: waiting for the coordinator.
    ask(cases[0])
    # 2. Accepted, the lesson a draft.
    write(ask(cases[1]), LESSONS[1])
    # 3. The lesson with the commissioner.
    services.submit_lesson(lesson=write(ask(cases[2]), LESSONS[2]), acting_user=coordinator)
    # 4. Returned with remarks.
    lesson = write(ask(cases[3]), LESSONS[3])
    services.submit_lesson(lesson=lesson, acting_user=coordinator)
    services.return_lesson(
        lesson=lesson,
        remarks="Het soort evenement maakt het herkenbaar in de eenheid; maak het algemener.",
        acting_user=head,
    )
    # 5. Declined once (a reorganisation), asked again, and the lesson approved.
    first = ask(cases[4])
    services.decline_after_discussion(
        after_discussion=first,
        reason="Het team wordt deze maand opgeheven en samengevoegd; vraag het na de samenvoeging opnieuw.",
        acting_user=coordinator,
    )
    second = ask(cases[4])
    lesson = write(second, LESSONS[0])
    session = second.sessions.get()
    _held(
        session,
        coordinator=coordinator,
        presenters=list(Presenter.objects.filter(unit__code="AM", is_active=True)[:2]),
        days_ago=3,
        attendance=11,
        what="Nabespreking met het team: wat er gebeurde, welke regels gelden, hoe je elkaar aanspreekt.",
        follow_up="De les gaat naar de dilemmabibliotheek.",
    )
    services.submit_lesson(lesson=lesson, acting_user=coordinator)
    services.approve_lesson(lesson=lesson, acting_user=head)


def closed_investigations(rng: random.Random, number: int) -> list[Any]:
    """Closed investigations in Amsterdam, driven through the cases services like its demo."""
    from cases import services as case_services
    from cases.demo import Story, ensure_second_investigator
    from cases.models import Channel, DeliveryMethod, IntervieweeRole, LetterKind, OutcomeRoute

    head, first = _user("hoofdvik"), _user("onderzoeker")
    people = list(
        Employee.objects.filter(unit__code="AM", user__isnull=True, team__code__startswith="AM-D")
        .exclude(personnel_number__startswith="9000")
        .order_by("personnel_number")
    )
    story = Story(
        rng=rng, people=people, head=head, first=first, second=ensure_second_investigator()
    )
    closed = []
    for index in range(number):
        days_ago = 120 + 25 * index
        case = story.investigation(story.report(channel=Channel.INTERNAL, days_ago=days_ago))
        story.started(case, notified_days_ago=days_ago - 10)
        story.signed(
            story.interview(case, days_ago=days_ago - 20, role=IntervieweeRole.PERSON_CONCERNED),
            sent_days_ago=days_ago - 22,
        )
        story.findings(case)
        story.heard(case)
        case_services.submit_report(case=case, acting_user=first)
        case_services.decide_outcome(
            case=case,
            dereliction=False,
            route=OutcomeRoute.NONE,
            rationale="Gelet op de bevindingen en de reactie in het wederhoor.",
            acting_user=head,
        )
        letter = case_services.draft_letter(
            case=case, kind=LetterKind.OUTCOME, recipient=story.concerned(case), acting_user=head
        )
        case_services.mark_letter_sent(
            letter=letter, sent_on=story.today, delivery=DeliveryMethod.BY_HAND, acting_user=head
        )
        case_services.record_report_provided(case=case, on=story.today, acting_user=head)
        closed.append(case_services.close_case(case=case, acting_user=head))
    return closed


def _trends(*, coordinator: User, unit: Unit, kinds: dict[str, ViolationKind]) -> None:
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    services.mark_trend(
        unit=unit,
        kind=kinds["misbruik-informatie"],
        year=today.year,
        quarter=quarter,
        note=(
            "Steeds meer vragen en meldingen over het delen van politie-informatie in app-groepen. "
            "Plan: dilemmatraining voor alle basisteams en een bericht op intranet."
        ),
        acting_user=coordinator,
    )
    closed = services.mark_trend(
        unit=unit,
        kind=kinds["geschenken-gastvrijheid"],
        year=today.year - 1,
        quarter=4,
        note="Rond de feestdagen vragen over kerstpakketten van ondernemers in de wijk.",
        acting_user=coordinator,
    )
    services.close_trend(
        mark=closed,
        action_taken="Intranetbericht over geschenken geplaatst; teamchefs geïnformeerd.",
        acting_user=coordinator,
    )
