"""Demo data for Protective Monitoring: two weeks of generated logs for the demo organisation.

``manage.py seed_demo`` calls :func:`seed` after the core has built the organisation. The
generator uses that organisation as it is (``use_existing``), writes a delivery, and the
real importers and detection run on it — so a newcomer sees a realistic queue: signals for
every indicator, a burst, and confounders that did *not* become signals. The demo's plain
employee ("medewerker") is among those signalled, so the review journey has someone to
follow from analyst to team chief to employee. Nothing here is real.
"""

from __future__ import annotations

import datetime
import random
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from monitoring import services
from monitoring.generator import GeneratorConfig, generate
from monitoring.models import AccessEvent
from vik.demo import DEMO_LOGINS

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from monitoring.models import Signal
    from vik.models import Employee

DEMO_PREFIX = "DEMO-"
DEMO_START = datetime.date(2026, 10, 19)  # a signal window, with the change to winter time
DEMO_DAYS = 14
# The demo login "medewerker" (see vik/demo.py): the employee whose signal the demo follows.
DEMO_FOCUS = ("900008",)
# Units the demo analyst monitors besides Amsterdam, so the grouped view has a burst.
DEMO_EXTRA_MONITORED = ("DH", "RT")


def seed(*, stdout: TextIO, rng: random.Random) -> None:
    """Generate, import and detect (idempotent: a second run finds the events and stops)."""
    seed_protocol(stdout=stdout, rng=rng)
    date_protocol_receipts(stdout=stdout)
    if AccessEvent.objects.filter(event_id__startswith=DEMO_PREFIX).exists():
        stdout.write("monitoring: demo data already present\n")
        seed_protocol_changes(stdout=stdout)
        return
    logins = tuple(f"9000{index:02d}" for index in range(len(DEMO_LOGINS)))
    config = GeneratorConfig(
        seed=rng.randrange(1, 2**31),
        start=DEMO_START,
        days=DEMO_DAYS,
        events_scale=0.5,
        misuse_per_scenario=2,
        use_existing=True,
        focus=DEMO_FOCUS,
        exclude=tuple(number for number in logins if number not in DEMO_FOCUS),
        event_prefix=DEMO_PREFIX,
    )
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        truth = generate(config, directory)
        reference, _batch = services.import_reference_data(directory=directory, acting_user=None)
        events = services.import_access_logs(paths=[directory / "events.csv"], acting_user=None)
    run = services.start_detection(
        start=DEMO_START,
        end=DEMO_START + datetime.timedelta(days=DEMO_DAYS - 1),
        acting_user=None,
        inline=True,
    )
    stdout.write(
        f"monitoring: reference {reference.summary()}; events {events.summary()}; "
        f"{len(truth.misuse)} injected misuse; signals created={run.stats.get('created', 0)}\n"
    )
    seed_review(stdout=stdout)
    # After detection: the consented change is for the next run, not the demo's signals.
    seed_protocol_changes(stdout=stdout)


DEMO_PROTOCOL = """\
Waarom: de politie moet kunnen aantonen dat politiegegevens alleen worden geraadpleegd \
wanneer het werk daarom vraagt (Wet politiegegevens). Protective monitoring controleert \
daarom de logbestanden van de politiesystemen op patronen die op misbruik kunnen wijzen.

Wat: het gebruik van de systemen wordt vergeleken met rooster, inzet en toegewezen zaken. \
Een signaal wordt eerst onder een pseudoniem beoordeeld door een analist van VIK; de naam \
wordt alleen zichtbaar met een vastgelegde reden.

Uw rechten: u ziet in Mijn gegevens wie uw gegevens inzag en welke signalen over u zijn \
afgehandeld. Een gesprek met uw teamchef is bedoeld om uitleg te geven, niet om te straffen.

Bewaartermijnen: loggegevens ten hoogste zes maanden; afgewezen signalen zes maanden.
"""


def seed_protocol(*, stdout: TextIO, rng: random.Random) -> None:
    """Version 1 of the protocol, published; about seven in ten employees confirmed it
    (the demo logins not: they see the request in their menu)."""
    from monitoring.models import MonitoringProtocol, ProtocolReceipt
    from vik.models import Employee

    if MonitoringProtocol.objects.exists():
        return
    protocol = MonitoringProtocol.objects.create(
        version=1, title="Protocol protective monitoring", text=DEMO_PROTOCOL
    )
    employees = Employee.objects.filter(user__isnull=True).values_list("pk", flat=True)
    receipts = [
        ProtocolReceipt(protocol=protocol, employee_id=pk) for pk in employees if rng.random() < 0.7
    ]
    ProtocolReceipt.objects.bulk_create(receipts, batch_size=1000)
    stdout.write(f"monitoring: protocol version 1, {len(receipts)} receipts\n")


# When the demo's protocol version 1 was published: before the last completed quarter, so
# the works council's dashboard has confirmations to show (issue 11, point 5).
DEMO_PROTOCOL_PUBLISHED = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)


def date_protocol_receipts(*, stdout: TextIO) -> None:
    """Date version 1 and its receipts as a department that published it in June would have
    them: the receipts spread from then to now. Its own random stream (the demo's stays as
    it was); before the transparency demo publishes the quarters' figures. Idempotent."""
    from django.utils import timezone

    from monitoring.models import MonitoringProtocol, ProtocolReceipt

    protocol = MonitoringProtocol.objects.filter(version=1).first()
    if protocol is None or protocol.published_at <= DEMO_PROTOCOL_PUBLISHED:
        return
    MonitoringProtocol.objects.filter(pk=protocol.pk).update(published_at=DEMO_PROTOCOL_PUBLISHED)
    rng = random.Random("demo:protocol-receipts")
    span = (timezone.now() - DEMO_PROTOCOL_PUBLISHED).total_seconds()
    receipts = list(ProtocolReceipt.objects.filter(protocol=protocol).order_by("pk"))
    for receipt in receipts:
        # Most confirm in the first weeks; some much later.
        receipt.confirmed_at = DEMO_PROTOCOL_PUBLISHED + datetime.timedelta(
            seconds=span * rng.random() ** 2
        )
    ProtocolReceipt.objects.bulk_update(receipts, ["confirmed_at"], batch_size=1000)
    stdout.write(f"monitoring: protocol version 1 dated {DEMO_PROTOCOL_PUBLISHED:%Y-%m-%d}\n")


def seed_review(*, stdout: TextIO) -> None:
    """Some review work already done, so every page has something to show.

    The demo analyst ("analist", monitoring AM, and here also DH and RT) asks the demo team
    chief ("teamchef", leading AM-D1-T1) for a conversation about an employee of that team
    (which reveals the name, "automatic at escalation"), and dismisses one signal with a
    work reason after revealing the name to check the roster with the line. The signal of "medewerker" stays new: it is the one the review
    journey follows (docs/monitoring.md). Through the services, so history, access log and
    notifications are what they would be.
    """
    from django.contrib.auth import get_user_model

    from monitoring.filters import OPEN_STATUSES
    from monitoring.models import FollowUp, IdentityReveal
    from monitoring.selectors import signals_visible_to
    from vik.models import Unit
    from vik.roles import Role
    from vik.services import assign_role

    analyst = get_user_model().objects.filter(username="analist").first()
    if analyst is None:
        return
    # The demo analyst monitors Amsterdam (vik/demo.py); a regional VIK often monitors its
    # neighbours too. Den Haag and Rotterdam bring the demo's burst into view.
    for code in DEMO_EXTRA_MONITORED:
        unit = Unit.objects.filter(code=code).first()
        if unit is not None:
            assign_role(
                user=analyst,
                role=Role.ANALYST,
                unit=unit,
                acting_user=None,
                reason="Demo: monitort ook de buureenheden",
            )
    if FollowUp.objects.exists():
        return
    open_signals = (
        signals_visible_to(user=analyst)
        .filter(status__in=OPEN_STATUSES)
        .exclude(employee__personnel_number__in=DEMO_FOCUS)
        .select_related("employee__team")
        .order_by("-score")
    )
    done = []
    conversation = next(
        (s for s in open_signals if s.employee.team and s.employee.team.code == "AM-D1-T1"), None
    )
    if conversation is not None:
        services.escalate_to_team_chief(
            signal=conversation,
            summary=services.draft_summary(conversation),
            acting_user=analyst,
        )
        done.append("1 escalated to the team chief")
    remaining = open_signals.exclude(pk=conversation.pk) if conversation else open_signals
    dismissed = remaining.last()
    if dismissed is not None:
        services.request_reveal(
            signal=dismissed,
            reason_category=IdentityReveal.ReasonCategory.WORK_REASON,
            reason="Rooster van die week ontbreekt; navraag bij de teamchef of er dienst was.",
            acting_user=analyst,
        )
        services.dismiss_signal(
            signal=dismissed,
            category="work_reason",
            note="Werkte mee aan een lopende zaak; de toewijzing ontbrak in de levering.",
            acting_user=analyst,
        )
        done.append("1 dismissed")
    stdout.write(f"monitoring: review {', '.join(done) or 'nothing to do'}\n")


def seed_protocol_changes(*, stdout: TextIO) -> None:
    """Two protocol changes: one the works council consented to, one awaiting it.

    The administrator ("beheerder") proposed both; the head of VIK ("hoofdvik") recorded the
    council's consent to the first. No randomness: the demo's random stream is untouched.
    """
    from django.contrib.auth import get_user_model

    from monitoring.models import MonitoringParameter, ProtocolChange
    from monitoring.services import consent
    from vik.transparency.services import set_retention_policy

    if ProtocolChange.objects.exclude(proposed_by=None).exists():
        return
    users = get_user_model().objects
    admin, head = users.get(username="beheerder"), users.get(username="hoofdvik")
    parameter = MonitoringParameter.objects.get(key="celebrity.min_employees")
    consented = consent.propose_parameter(
        parameter=parameter,
        value=parameter.value * 2 + 2,
        rationale=(
            "Bij grote nieuwsberichten leverde een drempel van vijf collega's veel golven op "
            "die bij nader inzien werk waren. Een hogere drempel maakt de controle minder "
            "ingrijpend; dat valt buiten de afgesproken bandbreedte, dus vragen wij de COR "
            "om instemming."
        ),
        acting_user=admin,
    )
    ProtocolChange.objects.filter(pk=consented.pk).update(
        proposed_at=datetime.datetime(2026, 10, 1, 10, 0, tzinfo=datetime.UTC)
    )
    consented.refresh_from_db()
    consent.record_council_decision(
        change=consented,
        decided_on=datetime.date(2026, 11, 12),
        consented=True,
        letter_reference="COR/2026/047",
        acting_user=head,
    )
    set_retention_policy(
        category="monitoring.conversation_records",
        period_months=18,
        legal_hold=False,
        acting_user=admin,
        reason=(
            "Of een afspraak uit een gesprek standhoudt, blijkt soms pas na een jaar: wij "
            "stellen voor gespreksverslagen achttien maanden te bewaren. Dit vraagt "
            "instemming van de COR."
        ),
    )
    stdout.write("monitoring: protocol changes: 1 consented, 1 awaiting the works council\n")


def seed_privacy_examples(*, stdout: TextIO) -> None:
    """What issue 11's points look like in use, so each can be seen on the demo (and in the
    screenshots of docs/privacy.md, ``scripts/privacy_screenshots.py``).

    Runs after the other apps' demos (the transparency demo calls it last): it needs the
    cases demo's open investigations. Its own random stream (``random.Random``) leaves the
    demo's untouched, and it only adds:

    - two signals in the demo analyst's Amsterdam about employees who are a party to an open
      case of the demo: one waits in review with the neutral marker, the other was
      forwarded to the commissioner ("hoofdvik"), whose decision waits on the case page;
    - an earlier signal about "medewerker", her name shown to check a data error and then
      dismissed (no blame); both messages have reached her (the protocol's delay passed);
    - a legal hold on one employee and two days of old access events, purged: the purge
      record counts what went and what the hold store kept.

    The signals copy the indicators and evidence of the signal detection raised about
    "medewerker" (:func:`seed` runs detection itself); everything else goes through the
    services, so history, access log and messages are what they would be.
    """
    from django.contrib.auth import get_user_model

    from monitoring.models import Signal

    users = get_user_model().objects
    analyst = users.filter(username="analist").first()
    model = Signal.objects.filter(
        employee__personnel_number__in=DEMO_FOCUS, window_start=DEMO_START
    ).first()
    detected = AccessEvent.objects.filter(event_id__startswith=DEMO_PREFIX).exists()
    if analyst is None or model is None or not detected:
        stdout.write("monitoring: privacy examples need the demo's signals; nothing seeded\n")
        return
    rng = random.Random("demo:privacy-examples")
    done = [
        _seed_matter_with_vik(analyst=analyst, model=model, rng=rng),
        _seed_employee_messages(analyst=analyst, model=model),
        _seed_legal_hold(rng=rng),
    ]
    stdout.write(f"monitoring: privacy examples: {'; '.join(d for d in done if d) or 'present'}\n")


# Marks what this demo added (the copied evidence, the old events), so a rerun finds it.
EXAMPLE_PREFIX = "DEMO-PRIVACY-"


def _copy_signal(
    model: Signal, *, employee: Employee, window_start: datetime.date, tag: str
) -> Signal:
    """A signal about ``employee`` with ``model``'s indicators and evidence, in its window."""
    from monitoring.matching import pseudonym_for
    from monitoring.models import Signal, SignalEvidence, SignalIndicator

    shift = window_start - model.window_start
    signal = Signal.objects.create(
        employee=employee,
        pseudonym=pseudonym_for(employee.personnel_number),
        unit_id=employee.team_id or employee.unit_id,
        function_id=employee.function_id,
        window_start=window_start,
        window_end=window_start + (model.window_end - model.window_start),
        score=model.score,
        status=Signal.Status.NEW,
    )
    SignalIndicator.objects.bulk_create(
        SignalIndicator(
            signal=signal,
            code=row.code,
            weight=row.weight,
            severity=row.severity,
            occurrences=row.occurrences,
            score=row.score,
            details=row.details,
            group_key=row.group_key,
        )
        for row in model.indicators.all()
    )
    SignalEvidence.objects.bulk_create(
        SignalEvidence(
            signal=signal,
            indicator=row.indicator,
            event_id=f"{EXAMPLE_PREFIX}{tag}-{index}",
            occurred_at=row.occurred_at + shift,
            system=row.system,
            action=row.action,
            subject_ref=row.subject_ref,
            incident_ref=row.incident_ref,
            workstation=row.workstation,
            duty_status=row.duty_status,
            explanation=row.explanation,
            details=row.details,
        )
        for index, row in enumerate(model.evidence.order_by("occurred_at", "event_id"))
    )
    return signal


def _seed_matter_with_vik(*, analyst: User, model: Signal, rng: random.Random) -> str:
    """Point 1: signals about parties to open cases — one waiting, one forwarded."""
    from django.contrib.auth import get_user_model

    from cases.models import CaseParty, CaseStatus
    from cases.selectors import cases_as_commissioner, open_case_about
    from monitoring.models import Signal
    from vik.models import Employee

    if Signal.objects.filter(evidence__event_id__startswith=f"{EXAMPLE_PREFIX}matter").exists():
        return ""
    head = get_user_model().objects.filter(username="hoofdvik").first()
    if head is None:
        return "no head of VIK to forward to"
    commissioned = cases_as_commissioner(user=head)
    candidates = (
        CaseParty.objects.filter(
            case__in=commissioned,
            employee__user__isnull=True,
            employee__team__isnull=False,
            employee__monitoring_signals__isnull=True,
        )
        .exclude(case__status=CaseStatus.CLOSED)
        .order_by("employee__personnel_number")
        .values_list("employee_id", flat=True)
        .distinct()
    )
    # A signal goes to the matter the employee is most recently a party to: keep those whose
    # matter the demo's head of VIK commissions (not one they are excluded from), so the
    # forwarded signal waits on a page a demo login can open.
    parties = [
        employee_id
        for employee_id in candidates
        if (case := open_case_about(employee_id)) is not None
        and commissioned.filter(pk=case.pk).exists()
    ]
    if len(parties) < 2:
        return "no open case with two parties to signal"
    waiting_id, forwarded_id = rng.sample(parties, 2)
    employees = Employee.objects.in_bulk([waiting_id, forwarded_id])
    waiting = _copy_signal(
        model, employee=employees[waiting_id], window_start=DEMO_START, tag="matter-1"
    )
    # Taken into review, as by an analyst who opened it: detection then stops rewriting it.
    # Left new, it was withdrawn by the next run over the demo's days (``detect`` after
    # ``make run``), for detection never raised it.
    services.claim_signal(signal=waiting, acting_user=analyst)
    forwarded = _copy_signal(
        model, employee=employees[forwarded_id], window_start=DEMO_START, tag="matter-2"
    )
    services.forward_to_commissioner(
        signal=forwarded,
        summary=(
            "Raadplegingen buiten het rooster, op drie avonden, waaronder een adres in de "
            "straat van de medewerker. Doorgestuurd omdat er een zaak loopt."
        ),
        acting_user=analyst,
    )
    return "1 signal waiting with the marker, 1 forwarded to the commissioner"


def _seed_employee_messages(*, analyst: User, model: Signal) -> str:
    """Point 4: "medewerker" told of a reveal of her name and of a dismissal (no blame)."""
    from django.utils import timezone

    from monitoring.models import EmployeeNotice, IdentityReveal, Signal

    earlier_start = DEMO_START - datetime.timedelta(days=DEMO_DAYS)
    if Signal.objects.filter(employee=model.employee, window_start=earlier_start).exists():
        return ""
    signal = _copy_signal(model, employee=model.employee, window_start=earlier_start, tag="earlier")
    services.request_reveal(
        signal=signal,
        reason_category=IdentityReveal.ReasonCategory.DATA_ERROR,
        reason="Controle of de roosterlevering van die weken volledig was.",
        acting_user=analyst,
    )
    services.dismiss_signal(
        signal=signal,
        category="data_error",
        note="Het rooster van die twee weken ontbrak in de levering; zij had dienst.",
        acting_user=analyst,
    )
    # The protocol's delay has passed for these two (a demo cannot wait five days).
    now = timezone.now()
    EmployeeNotice.objects.filter(signal=signal).update(due_at=now)
    services.send_due_employee_notices(now=now)
    return "medewerker told of a reveal and a dismissal"


def _seed_legal_hold(*, rng: random.Random) -> str:
    """Point 2: a legal hold on one employee; two old days of events purged around it."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from monitoring.partitions import ensure_partitions
    from monitoring.periods import AMSTERDAM
    from monitoring.transparency import purge_access_events
    from vik.models import Employee
    from vik.transparency import services as transparency
    from vik.transparency.models import LegalHold
    from vik.transparency.registry import PurgeRequest

    category = "monitoring.access_events"
    if LegalHold.objects.filter(category=category).exists():
        return ""
    officer = get_user_model().objects.filter(username="privacy").first()
    staff = list(
        Employee.objects.filter(unit__code="AM", user__isnull=True)
        .exclude(team__code="AM-VIK")
        .order_by("personnel_number")[:40]
    )
    if officer is None or len(staff) < 10:
        return "no privacy officer or staff for the legal hold"
    held = rng.choice(staff)
    transparency.place_legal_hold(
        employee=held,
        category=category,
        reason=(
            "Civiele procedure over een aanrijding tijdens de dienst: de raadplegingen van "
            "deze medewerker moeten bewaard blijven tot de rechter uitspraak doet."
        ),
        acting_user=officer,
    )
    cutoff = transparency.latest_cutoff(category)
    days = [cutoff - datetime.timedelta(days=offset) for offset in (12, 11)]
    ensure_partitions(set(days))
    events = []
    for day in days:
        for number in range(rng.randint(60, 90)):
            employee = held if number % 9 == 0 else rng.choice(staff)
            moment = datetime.datetime.combine(
                day, datetime.time(rng.randint(7, 22), rng.randint(0, 59)), tzinfo=AMSTERDAM
            )
            events.append(
                AccessEvent(
                    occurred_at=moment,
                    event_id=f"{EXAMPLE_PREFIX}{day:%Y%m%d}-{number}",
                    employee_number=employee.personnel_number,
                    employee=employee,
                    system=rng.choice(("BVH", "BVI-IB", "RDW")),
                    action="view",
                )
            )
    AccessEvent.objects.bulk_create(events)
    with transaction.atomic():
        record = purge_access_events(PurgeRequest(category, cutoff, frozenset({held.pk})))
    if record is None:
        return "legal hold placed; nothing purged"
    return f"legal hold placed; {record.purged} events purged, {record.kept_for_hold} kept"
