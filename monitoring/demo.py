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
from typing import TextIO

from monitoring import services
from monitoring.generator import GeneratorConfig, generate
from monitoring.models import AccessEvent
from vik.demo import DEMO_LOGINS

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
