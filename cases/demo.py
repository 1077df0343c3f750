"""Generated demo investigations in every stage (``manage.py seed_demo``). Nothing here is real.

Every case is built through the real services, so each one obeys the protocol: the demo
cannot show a state the software would refuse. Dates that people record (letters sent,
interviews held, documents requested) lie in the recent past so that terms run and some have
passed; moments the system stamps itself (triage, issuing the assignment, the journal) are
the time of seeding.

Interviews need two investigators, so a second demo investigator is added: ``onderzoeker2``
(same password as the other demo logins in a DEBUG demo).
"""

from __future__ import annotations

import datetime
import random
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from cases import services
from cases.criteria import ensure_criteria
from cases.models import (
    Case,
    CaseParty,
    Channel,
    CommissionerDeputy,
    DeliveryMethod,
    HearingForm,
    IntervieweeRole,
    InterviewReportVersion,
    LetterKind,
    MethodKind,
    OutcomeRoute,
    Punishment,
    ReporterNotice,
    SearchPresence,
    TriageDecision,
)
from cases.punishments import ensure_punishments
from vik import services as core
from vik.demo import DEMO_REASON
from vik.history import stamp
from vik.models import Employee, Function, Unit
from vik.roles import Role
from vik.typology.kinds import demo_kinds

MARKER = "demo:"
SECOND_INVESTIGATOR = "onderzoeker2"
DEPUTY = "hoofdvik2"

# What a report from each channel typically says ({name}: the person concerned).
SUMMARIES = {
    Channel.MONITORING_SIGNAL: [
        "Uit Protective Monitoring blijkt dat {name} buiten het rooster herhaaldelijk de "
        "registratie van een bekende Nederlander heeft geraadpleegd. De analist vond geen "
        "dienstelijke reden.",
        "Protective Monitoring: {name} raadpleegde in twee weken 140 keer registraties van "
        "personen in de eigen woonstraat.",
    ],
    Channel.INTERNAL: [
        "Een collega meldt dat {name} informatie uit de politiesystemen zou hebben gedeeld met "
        "een familielid dat in een lopend onderzoek voorkomt.",
        "Een collega meldt dat {name} een in beslag genomen auto voor privégebruik zou hebben "
        "gebruikt.",
        "{name} zou zonder melding betaalde nevenwerkzaamheden verrichten voor een "
        "beveiligingsbedrijf.",
    ],
    Channel.EXTERNAL: [
        "Een burger klaagt dat {name} tijdens een verkeerscontrole onnodig hardhandig optrad en "
        "zich discriminerend uitliet.",
    ],
    Channel.WHISTLEBLOWER: [
        "Een medewerker meldt een vermoeden van een misstand: {name} zou bij aanbestedingen van "
        "dienstvoertuigen steeds hetzelfde bedrijf bevoordelen.",
    ],
    Channel.SCREENING_HIT: [
        "Bij de continue screening kwam naar voren dat {name} als verdachte is geregistreerd in "
        "een zaak in een andere eenheid.",
    ],
    Channel.TEAM_CHIEF: [
        "De teamchef meldt dat {name} uit nieuwsgierigheid een registratie uit het nieuws "
        "raadpleegde.",
    ],
    Channel.ANONYMOUS: [
        "Anonieme melding: {name} zou tijdens diensttijd in een café zijn gezien, in uniform.",
    ],
}

INTERVIEW_TEXT = """Aanwezig: {name} (geïnterviewde), {lead} en {second} (onderzoekers VIK).

De onderzoekers lichten het doel van het gesprek toe en wijzen de geïnterviewde op het recht zich te laten bijstaan door een raadsman. De geïnterviewde geeft aan daarvan af te zien. Het gesprek wordt opgenomen; de geïnterviewde is daarvan vooraf op de hoogte gesteld.

Gevraagd naar de raadplegingen op de genoemde data verklaart de geïnterviewde: "Ik werkte die weken op de intake en raadpleegde veel registraties. Ik kan mij deze specifieke raadplegingen niet herinneren."

De onderzoekers tonen een overzicht van de raadplegingen, waaronder drie buiten het rooster. De geïnterviewde verklaart: "Ik keek soms thuis nog even of mijn dienst goed was afgesloten. Daarbij kan ik per ongeluk in die registratie terecht zijn gekomen."

Gevraagd of de geïnterviewde de betrokken persoon kent, antwoordt deze ontkennend. De geïnterviewde heeft geen aanvullingen. Het gesprek wordt om {end} uur beëindigd."""


def no_criteria(**applies: bool) -> dict[str, bool]:
    """Triage's answer to every Rijksrecherche criterion: no, unless given (by code)."""
    answers = {criterion.code: False for criterion in services.active_criteria()}
    answers.update(applies)
    return answers


def _user(username: str) -> User:
    return get_user_model().objects.get(username=username)


def ensure_second_investigator() -> User:
    """The demo's second investigator: interviews are conducted by two."""
    user, created = get_user_model().objects.get_or_create(
        username=SECOND_INVESTIGATOR,
        defaults={
            "first_name": "Otto",
            "last_name": "Onderzoeker",
            "email": "onderzoeker2@vik.example",
        },
    )
    if created:
        if settings.DEBUG:
            user.set_password(settings.VIK_DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
    employee = Employee.objects.filter(user=user).first()
    if employee is None:
        employee = Employee(
            personnel_number="900100",
            first_name="Otto",
            last_name="Onderzoeker",
            unit=Unit.objects.get(code="AM"),
            team=Unit.objects.get(code="AM-VIK"),
            function=Function.objects.filter(code="Rechercheur").first(),
            employment_start=datetime.date(2012, 3, 1),
        )
        stamp(employee, acting_user=None, reason=DEMO_REASON).save()
        core.link_account(employee=employee, user=user, acting_user=None, reason=DEMO_REASON)
    core.assign_role(
        user=user,
        role=Role.INVESTIGATOR,
        unit=Unit.objects.get(code="AM"),
        acting_user=None,
        reason=DEMO_REASON,
    )
    return user


def ensure_deputy() -> User:
    """The head of VIK of Den Haag, appointed deputy commissioner for Amsterdam.

    Takes over the Amsterdam cases that ``hoofdvik`` may not handle (named in them, or
    conflicted). Same password as the other demo logins in a DEBUG demo.
    """
    user, created = get_user_model().objects.get_or_create(
        username=DEPUTY,
        defaults={
            "first_name": "Dirk",
            "last_name": "Plaatsvervanger",
            "email": "hoofdvik2@vik.example",
        },
    )
    if created:
        if settings.DEBUG:
            user.set_password(settings.VIK_DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
    if not Employee.objects.filter(user=user).exists():
        employee = Employee(
            personnel_number="900200",
            first_name="Dirk",
            last_name="Plaatsvervanger",
            unit=Unit.objects.get(code="DH"),
            function=Function.objects.filter(code="Hoofd VIK").first(),
            employment_start=datetime.date(2009, 9, 1),
        )
        stamp(employee, acting_user=None, reason=DEMO_REASON).save()
        core.link_account(employee=employee, user=user, acting_user=None, reason=DEMO_REASON)
    core.assign_role(
        user=user,
        role=Role.VIK_HEAD,
        unit=Unit.objects.get(code="DH"),
        acting_user=None,
        reason=DEMO_REASON,
    )
    CommissionerDeputy.objects.get_or_create(
        unit=Unit.objects.get(code="AM"),
        user=user,
        defaults={
            "note": "Plaatsvervangend opdrachtgever voor zaken waarin het hoofd VIK Amsterdam betrokken is."
        },
    )
    return user


class Story:
    """Builds one demo case through the services, a step at a time."""

    def __init__(
        self, *, rng: random.Random, people: list[Employee], head: User, first: User, second: User
    ) -> None:
        self.rng = rng
        self.pool = tuple(people)
        self.people = list(people)
        self.head = head
        self.first = first
        self.second = second
        self.today = timezone.localdate()

    def ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    def at(self, days_ago: int, hour: int) -> datetime.datetime:
        day = self.ago(days_ago)
        return datetime.datetime.combine(
            day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
        )

    def person(self) -> Employee:
        # Everyone once before anyone twice; the demo unit is small.
        if not self.people:
            self.people = list(self.pool)
        return self.people.pop(self.rng.randrange(len(self.people)))

    def report(
        self,
        *,
        channel: Channel,
        days_ago: int,
        named: int = 1,
        reporter: Any = None,
        **kwargs: Any,
    ) -> Case:
        concerned = self.person()
        summary = self.rng.choice(SUMMARIES[channel]).format(name=concerned.full_name)
        return services.register_report(
            channel=channel,
            summary=summary,
            concerned_employees=[concerned],
            named_employees=[self.person() for _ in range(named)],
            reporter_identity=reporter,
            received_at=self.at(days_ago, 9),
            acting_user=self.first,
            **{"source_reference": f"{MARKER}{channel}", **kwargs},
        )

    def investigation(
        self, case: Case, *, issue: bool = True, kind: TriageDecision = TriageDecision.DISCIPLINARY
    ) -> Case:
        services.triage_report(
            case=case,
            decision=kind,
            reasons="Concrete aanwijzingen van een integriteitsschending; nader onderzoek is nodig.",
            criteria=no_criteria(),
            kinds=demo_kinds(f"{case.reference}:triage", leaning="cases"),
            acting_user=self.head,
        )
        for user in (self.first, self.second):
            services.assign_investigator(
                case=case, user=user, reason="Beschikbaar", acting_user=self.head
            )
        services.save_assignment(
            case=case,
            reason="Melding over mogelijk misbruik van politiesystemen of bevoegdheden.",
            objective="Vaststellen wat er is gebeurd en of sprake is van plichtsverzuim.",
            research_questions=(
                "Welke handelingen heeft betrokkene verricht?\n"
                "Was daarvoor een dienstelijke reden?\n"
                "Zijn gegevens met derden gedeeld?"
            ),
            employer_powers_consent=True,
            planned_methods="Verhoren van betrokkene en getuigen; opvragen van loggegevens.",
            reporting_arrangements="Mondeling tweewekelijks; schriftelijke tussenrapportage na zes weken.",
            expected_duration_days=40,
            prosecutor_consulted_on=self.ago(20) if kind == TriageDecision.CRIMINAL else None,
            acting_user=self.head,
        )
        if issue:
            services.issue_assignment(case=case, acting_user=self.head)
        return case

    def concerned(self, case: Case) -> Employee:
        return case.parties.get(role=CaseParty.Role.CONCERNED).employee

    def started(self, case: Case, *, notified_days_ago: int) -> Case:
        services.record_counsellor_informed(
            case=case, on=self.today, note="Telefonisch", acting_user=self.head
        )
        letter = services.draft_letter(
            case=case,
            kind=LetterKind.NOTIFICATION,
            recipient=self.concerned(case),
            acting_user=self.head,
        )
        services.mark_letter_sent(
            letter=letter,
            sent_on=self.ago(notified_days_ago),
            delivery=DeliveryMethod.BY_HAND,
            acting_user=self.head,
        )
        return case

    def interview(
        self,
        case: Case,
        *,
        days_ago: int,
        role: IntervieweeRole,
        held: bool = True,
        employee: Employee | None = None,
    ) -> Any:
        employee = employee or (
            self.concerned(case) if role == IntervieweeRole.PERSON_CONCERNED else self.person()
        )
        interview = services.schedule_interview(
            case=case,
            role=role,
            interviewee=employee,
            scheduled_at=self.at(days_ago, 10),
            location="Bureau VIK Amsterdam, spreekkamer 2",
            expected_duration_minutes=90,
            nature_and_purpose="Vaststellen van de feiten rond de gemelde raadplegingen.",
            lead_investigator=self.first,
            second_investigator=self.second,
            acting_user=self.first,
        )
        invitation = services.draft_letter(
            case=case, kind=LetterKind.INVITATION, interview=interview, acting_user=self.first
        )
        services.mark_letter_sent(
            letter=invitation,
            sent_on=min(self.today, self.ago(days_ago + 3)) if days_ago >= 0 else self.today,
            delivery=DeliveryMethod.INTERNAL_MAIL,
            acting_user=self.first,
        )
        if held:
            services.record_interview_held(
                interview=interview,
                held_at=self.at(days_ago, 10),
                counsel_present=role == IntervieweeRole.PERSON_CONCERNED,
                counsel_name="mr. A. de Raadsman"
                if role == IntervieweeRole.PERSON_CONCERNED
                else "",
                recording_retain_until=self.today + datetime.timedelta(days=365),
                acting_user=self.first,
            )
        return interview

    def version(self, interview: Any, *, sent_days_ago: int) -> InterviewReportVersion:
        version = services.create_report_version(
            interview=interview,
            content=INTERVIEW_TEXT.format(
                name=interview.interviewee_name,
                lead=self.first.get_full_name(),
                second=self.second.get_full_name(),
                end="11.20",
            ),
            acting_user=self.first,
        )
        return services.send_report_version(
            version=version, sent_on=self.ago(sent_days_ago), acting_user=self.first
        )

    def signed(self, interview: Any, *, sent_days_ago: int) -> InterviewReportVersion:
        version = self.version(interview, sent_days_ago=sent_days_ago)
        return services.record_version_signed(
            version=version,
            signed_on=self.ago(max(sent_days_ago - 2, 0)),
            every_page_initialled=True,
            acting_user=self.first,
        )

    def findings(self, case: Case) -> None:
        services.save_findings(
            case=case,
            findings=(
                "Uit de loggegevens blijkt dat betrokkene in de onderzochte periode 37 keer de registratie "
                "raadpleegde, waarvan 12 keer buiten het rooster. Voor geen van deze raadplegingen is een "
                "dienstelijke reden gevonden. Getuigen bevestigen dat betrokkene niet bij de zaak betrokken was."
            ),
            conclusion="Betrokkene heeft zonder dienstelijke noodzaak gegevens geraadpleegd. Dit is plichtsverzuim.",
            acting_user=self.first,
        )

    def heard(self, case: Case) -> None:
        services.offer_hearing(
            case=case,
            offered_on=self.ago(2),
            scheduled_at=self.at(1, 14),
            location="Bureau VIK Amsterdam, spreekkamer 1",
            acting_user=self.first,
        )
        services.record_hearing(
            case=case,
            held_on=self.ago(1),
            form=HearingForm.ORAL,
            counsel_present=True,
            findings_made_available=True,
            reaction="Betrokkene erkent de raadplegingen en betreurt ze. Hij wijst op de hoge werkdruk in die periode.",
            acting_user=self.first,
        )


@transaction.atomic
def seed(*, stdout: TextIO, rng: random.Random) -> None:
    """Investigations in every stage for the demo unit Amsterdam (idempotent)."""
    if Case.objects.filter(source_reference__startswith=MARKER).exists():
        stdout.write("cases: demo cases already present\n")
        return
    ensure_punishments()
    ensure_criteria()
    head, first = _user("hoofdvik"), _user("onderzoeker")
    second = ensure_second_investigator()
    people = list(
        Employee.objects.filter(unit__code="AM", user__isnull=True)
        .exclude(team__code="AM-VIK")
        .exclude(personnel_number__startswith="9000")
        .order_by("personnel_number")
    )
    story = Story(rng=rng, people=people, head=head, first=first, second=second)

    # 1. Awaiting triage: a whistleblower whose acknowledgement is overdue, and a signal.
    story.report(
        channel=Channel.WHISTLEBLOWER,
        days_ago=10,
        reporter=services.ReporterDetails(name="J. Klokkenluider", contact="06-12345678 (privé)"),
    )
    story.report(
        channel=Channel.MONITORING_SIGNAL,
        days_ago=2,
        named=0,
        source_reference=f"{MARKER}monitoring.signal:1042",
    )

    # 2. Triaged and closed: no action; referral to the Rijksrecherche (corruption).
    case = story.report(channel=Channel.EXTERNAL, days_ago=40, named=0)
    services.triage_report(
        case=case,
        decision=TriageDecision.NO_ACTION,
        reasons="De melding bevat geen concrete aanwijzingen.",
        criteria=no_criteria(),
        acting_user=head,
    )
    case = story.report(channel=Channel.INTERNAL, days_ago=25)
    services.triage_report(
        case=case,
        decision=TriageDecision.RIJKSRECHERCHE,
        reasons="Vermoeden van omkoping door een ondernemer.",
        criteria=no_criteria(corruptie=True),
        referral_reference="RR-2026-113",
        acting_user=head,
    )

    # 2b. A criterion met, but kept with a reasoned exception (the yearly figures count it);
    #     a reporter who hears that the report was taken up and how it ended.
    case = story.report(channel=Channel.EXTERNAL, days_ago=35, named=0)
    services.triage_report(
        case=case,
        decision=TriageDecision.NO_ACTION,
        reasons="Letsel door een val tijdens de aanhouding, niet door het optreden.",
        criteria=no_criteria(arrestant=True),
        rijksrecherche_exception=(
            "De officier van justitie heeft na overleg afgezien van onderzoek door de "
            "Rijksrecherche: het letsel is vastgesteld als gevolg van een val, niet van geweld."
        ),
        acting_user=head,
    )
    case = story.report(
        channel=Channel.INTERNAL,
        days_ago=30,
        named=0,
        reporter=services.ReporterDetails(name="P. de Melder", contact="Intern: team AM-D2-T1"),
    )
    services.triage_report(
        case=case,
        decision=TriageDecision.NO_ACTION,
        reasons="Gesproken met de melder; geen concrete aanwijzingen.",
        criteria=no_criteria(),
        acting_user=head,
    )
    services.record_reporter_notice(
        case=case, kind=ReporterNotice.Kind.OUTCOME, sent_on=story.today, acting_user=head
    )
    # A whistleblower acknowledged in time, with the LMM and the other options named.
    case = story.report(
        channel=Channel.WHISTLEBLOWER,
        days_ago=5,
        reporter=services.ReporterDetails(name="R. Klokkenluider", contact="Privé e-mailadres"),
    )
    services.acknowledge_whistleblower_report(case=case, on=story.ago(3), acting_user=head)

    # 3. Back to the line: the team chief of AM-D1-T1 holds the conversation.
    story.people.sort(key=lambda e: e.team.code != "AM-D1-T1" if e.team else True)
    line_person = story.people.pop(0)
    case = services.register_report(
        channel=Channel.TEAM_CHIEF,
        summary=f"{line_person.full_name} raadpleegde uit nieuwsgierigheid een registratie uit het nieuws.",
        concerned_employees=[line_person],
        named_employees=[],
        received_at=story.at(6, 14),
        source_reference=f"{MARKER}line",
        acting_user=first,
    )
    services.triage_report(
        case=case,
        decision=TriageDecision.LINE,
        reasons="Eenmalig, erkend; een gesprek in de lijn volstaat.",
        line_instruction="Bespreek de regels voor het raadplegen van registraties en leg afspraken vast.",
        criteria=no_criteria(),
        acting_user=head,
    )

    # 4. Commissioned: investigators assigned, the assignment still a draft.
    story.investigation(story.report(channel=Channel.INTERNAL, days_ago=4), issue=False)

    # 5. Just started: the notification letter is drafted but not yet sent.
    case = story.investigation(
        story.report(
            channel=Channel.MONITORING_SIGNAL,
            days_ago=8,
            source_reference=f"{MARKER}monitoring.signal:998",
        )
    )
    services.record_counsellor_informed(case=case, on=story.today, acting_user=head)
    services.draft_letter(
        case=case, kind=LetterKind.NOTIFICATION, recipient=story.concerned(case), acting_user=head
    )

    # 6. In full swing: methods, a telecom examination in stages, interviews, terms running.
    case = story.investigation(story.report(channel=Channel.INTERNAL, days_ago=30, named=2))
    story.started(case, notified_days_ago=14)
    logs = services.propose_method(
        case=case,
        kind=MethodKind.SYSTEM_LOGS,
        description="Opvragen van de auditlogs van BVH en BVI over de afgelopen twaalf maanden.",
        proportionality="De melding betreft raadplegingen; de logs zijn het directe bewijs.",
        subsidiarity="Er is geen minder ingrijpende bron die de raadplegingen vastlegt.",
        acting_user=first,
    )
    services.decide_method(method=logs, consent=True, acting_user=head)
    services.start_method(method=logs, on=story.ago(12), acting_user=first)
    mail = services.propose_method(
        case=case,
        kind=MethodKind.TELECOM_MESSAGES,
        description="Onderzoek naar het zakelijke e-mailverkeer met een externe partij.",
        proportionality="Er zijn aanwijzingen dat informatie per e-mail is gedeeld.",
        subsidiarity="Verhoren alleen kunnen het delen niet vaststellen.",
        suspected_telecom_misuse=(
            "Vermoeden dat politie-informatie via de zakelijke e-mail naar een extern adres is "
            "doorgestuurd."
        ),
        acting_user=first,
    )
    services.record_method_notices(
        method=mail,
        works_council_chair_informed_on=None,
        prior_notice_on=datetime.date(2019, 4, 1),
        prior_notice_how="Gedragscode e-mail en internet, bij indiensttreding ondertekend.",
        acting_user=first,
    )
    services.decide_method(method=mail, consent=True, acting_user=head)
    services.decide_telecom_stage(
        method=mail, stage=1, justification="Alleen volume: geringe inbreuk.", acting_user=head
    )
    services.start_method(method=mail, on=story.ago(10), acting_user=first)
    services.decide_telecom_stage(
        method=mail,
        stage=3,
        justification="Het volume naar één extern adres is opvallend hoog; onderwerpregels scannen.",
        acting_user=head,
    )
    services.propose_method(
        case=case,
        kind=MethodKind.OBSERVATION,
        description="Statische observatie van de werkplek gedurende twee weken.",
        proportionality="Alleen als de e-mail geen uitsluitsel geeft.",
        subsidiarity="Eerst het e-mailonderzoek afronden.",
        acting_user=first,
    )
    search = services.propose_method(
        case=case,
        kind=MethodKind.WORKPLACE_SEARCH,
        description="Doorzoeken van de bureaulade en het dienstkluisje van betrokkene.",
        proportionality="Er zijn aanwijzingen dat uitgeprinte registraties op de werkplek liggen.",
        subsidiarity="De prints zijn niet op een andere manier te vinden.",
        acting_user=first,
    )
    services.record_method_notices(
        method=search,
        works_council_chair_informed_on=story.ago(8),
        works_council_chair_name="M. de Voorzitter (OR Amsterdam)",
        acting_user=first,
    )
    services.decide_method(method=search, consent=True, acting_user=head)
    invitation = services.draft_letter(
        case=case,
        kind=LetterKind.SEARCH_INVITATION,
        recipient=story.concerned(case),
        method=search,
        acting_user=first,
    )
    services.mark_letter_sent(
        letter=invitation, sent_on=story.ago(6), delivery=DeliveryMethod.BY_HAND, acting_user=first
    )
    services.start_method(
        method=search,
        on=story.ago(4),
        presence=SearchPresence.PRESENT,
        presence_note="Met een raadsman.",
        acting_user=first,
    )
    services.end_method(method=search, on=story.ago(4), acting_user=first)
    refusing = story.interview(case, days_ago=-2, role=IntervieweeRole.INTERNAL_WITNESS, held=False)
    services.record_interview_refused(
        interview=refusing,
        reason="Wil geen verklaring afleggen over een collega.",
        acting_user=first,
    )
    witness = story.interview(case, days_ago=9, role=IntervieweeRole.INTERNAL_WITNESS)
    story.version(witness, sent_days_ago=7)  # comments term has passed
    story.interview(case, days_ago=6, role=IntervieweeRole.INTERNAL_WITNESS)  # report overdue
    story.interview(case, days_ago=-5, role=IntervieweeRole.PERSON_CONCERNED, held=False)
    services.request_documents(
        case=case,
        requested_from=None,
        requested_from_name="Functioneel beheer BVH",
        description="Auditlog van alle raadplegingen door betrokkene, januari tot en met juni.",
        requested_on=story.ago(9),
        acting_user=first,
    )

    # 7. Interview reports in every end state.
    case = story.investigation(story.report(channel=Channel.INTERNAL, days_ago=45))
    story.started(case, notified_days_ago=30)
    signed = story.interview(case, days_ago=20, role=IntervieweeRole.INTERNAL_WITNESS)
    story.signed(signed, sent_days_ago=18)
    disagreed = story.interview(case, days_ago=19, role=IntervieweeRole.INTERNAL_WITNESS)
    version = story.version(disagreed, sent_days_ago=17)
    services.record_version_comments(
        version=version,
        responded_on=story.ago(14),
        comments="Ik heb niet gezegd dat ik thuis inlogde; ik zei dat ik dat nooit doe.",
        acting_user=first,
    )
    services.record_version_not_agreed(
        version=version, note="De opname bevestigt de weergave in het verslag.", acting_user=first
    )
    refused = story.interview(case, days_ago=16, role=IntervieweeRole.INTERNAL_WITNESS)
    version = story.version(refused, sent_days_ago=14)
    services.record_version_refused_to_sign(
        version=version,
        responded_on=story.ago(12),
        reason="Tekent uit principe niets zonder advocaat.",
        acting_user=first,
    )
    amended = story.interview(case, days_ago=15, role=IntervieweeRole.PERSON_CONCERNED)
    version = story.version(amended, sent_days_ago=13)
    services.record_version_comments(
        version=version,
        responded_on=story.ago(10),
        comments="De tijd moet 10.15 uur zijn.",
        acting_user=first,
    )
    version = services.accept_version_comments(
        version=version,
        note="Terecht; aangepast.",
        new_content=version.content.replace("10.00", "10.15")
        + "\n\nAangepast na opmerkingen van de geïnterviewde.",
        acting_user=first,
    )
    services.send_report_version(version=version, sent_on=story.ago(8), acting_user=first)

    # 8. Hearing offered; 9. with the commissioner; 10. disciplinary route under way.
    for stage in ("hearing", "decision", "disciplinary", "closed"):
        case = story.investigation(story.report(channel=Channel.INTERNAL, days_ago=70))
        story.started(case, notified_days_ago=60)
        story.signed(
            story.interview(case, days_ago=50, role=IntervieweeRole.PERSON_CONCERNED),
            sent_days_ago=48,
        )
        story.findings(case)
        if stage == "hearing":
            services.offer_hearing(
                case=case,
                offered_on=story.ago(1),
                scheduled_at=story.at(-3, 10),
                location="Bureau VIK Amsterdam, spreekkamer 1",
                acting_user=first,
            )
            services.draft_letter(
                case=case,
                kind=LetterKind.HEARING_INVITATION,
                recipient=story.concerned(case),
                acting_user=first,
            )
            continue
        story.heard(case)
        services.submit_report(case=case, acting_user=first)
        if stage == "decision":
            continue
        route = OutcomeRoute.DISCIPLINARY if stage == "disciplinary" else OutcomeRoute.NONE
        services.decide_outcome(
            case=case,
            dereliction=stage == "disciplinary",
            route=route,
            rationale="Gelet op de bevindingen en de reactie in het wederhoor.",
            kinds=demo_kinds(f"{case.reference}:outcome", leaning="cases"),
            acting_user=head,
        )
        if stage == "disciplinary":
            services.intend_punishment(
                case=case,
                punishment=Punishment.objects.get(code="schriftelijke-berisping"),
                intended_on=story.today,
                reasons="Herhaalde raadplegingen zonder dienstelijke reden.",
                acting_user=head,
            )
            continue
        letter = services.draft_letter(
            case=case, kind=LetterKind.OUTCOME, recipient=story.concerned(case), acting_user=head
        )
        services.mark_letter_sent(
            letter=letter, sent_on=story.today, delivery=DeliveryMethod.BY_HAND, acting_user=head
        )
        services.record_report_provided(case=case, on=story.today, acting_user=head)
        services.close_case(case=case, acting_user=head)
        services.register_complaint(
            case=case,
            received_on=story.ago(1),
            complainant="Raadsman van betrokkene",
            summary="Het wederhoor zou te kort zijn aangekondigd.",
            acting_user=head,
        )
    # 11. A report naming the head of VIK Amsterdam: the deputy commissioner (hoofdvik2, head
    #     of VIK Den Haag) sees and triages it; hoofdvik does not see it at all.
    ensure_deputy()
    services.register_report(
        channel=Channel.INTERNAL,
        summary=(
            "Een medewerker meldt dat de teamleider en het hoofd VIK samen een gift van een "
            "leverancier zouden hebben aangenomen."
        ),
        concerned_employees=[story.person()],
        named_employees=[Employee.objects.get(user=head)],
        received_at=story.at(1, 11),
        source_reference=f"{MARKER}deputy",
        acting_user=first,
    )
    stdout.write(
        f"cases: {Case.objects.filter(source_reference__startswith=MARKER).count()} demo cases\n"
    )
