"""Demo data for transparency: a realistic access log since the start of last year, published
figures, requests for access and a deferral. Generated, never real; idempotent.

The history is written as rows, because ``record_access`` stamps the current time and a
dashboard of completed quarters needs past ones; the rows are exactly what ``record_access``
would have written then (actor, role, action, object, employee, purpose, a request id marked
``demo-``). Today's looks go through ``record_access`` itself. Works on SQLite too.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TextIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vik.models import AccessAction, AccessChannel, AccessLogEntry, Employee
from vik.roles import Role
from vik.services import record_access
from vik.transparency import services
from vik.transparency.core import ACCESS_LOG_CATEGORY
from vik.transparency.models import AccessRequest, DisclosureDeferral
from vik.transparency.registry import Category, Provider, get_registry, use_providers
from vik.workdays import is_working_day

MARKER = "demo-transparency"
# The history's looks at monitoring signals and follow-ups stand for those of earlier
# windows, since removed by retention (dismissed signals go after six months): numbers far
# above those of the signals the monitoring demo creates, so that no look names another
# employee's signal.
PAST_MONITORING_IDS = 900_000
# The history's identity reveals, with the kind of reason the analyst recorded: the purpose
# is what the monitoring services write (the kind's Dutch label, then the reason), and the
# weights add up to the analyst's former 0.35 reveals per look.
PAST_REVEALS = (
    ("escalation", "Automatisch bij escalatie: Doorgezet naar de teamchef", 0.12),
    (
        "follow_up",
        "Gesprek met de teamchef voorbereiden: gesprek over raadplegingen buiten dienst",
        0.06,
    ),
    (
        "work_reason",
        "Werkreden nagaan bij de lijn (rooster of inzet onduidelijk): rooster van die week "
        "ontbrak in de levering",
        0.09,
    ),
    (
        "data_error",
        "Vermoedelijke datafout controleren (verkeerde persoon of account): mogelijk een "
        "gedeeld account op de meldkamer",
        0.03,
    ),
    (
        "serious_suspicion",
        "Ernstig vermoeden: doorverwijzen naar de intake: mogelijk lopend onderzoek, "
        "afstemming met VIK",
        0.05,
    ),
)
PAST_REVEAL_KINDS = {purpose: kind for kind, purpose, _weight in PAST_REVEALS}


@dataclass(frozen=True)
class Habit:
    """How one demo user looks at data on a working day."""

    username: str
    role: Role
    per_day: float
    units: tuple[str, ...]  # codes of the units whose employees they look at ("" = any)
    looks: tuple[tuple[AccessAction, str, str, float], ...]  # action, object type, purpose, weight
    channel: AccessChannel = AccessChannel.WEB


HABITS = (
    Habit(
        "analist",
        Role.ANALYST,
        7.0,
        ("AM", "DH"),
        (
            (AccessAction.VIEW, "monitoring.signal", "Beoordeling signaal", 6),
            (AccessAction.SEARCH, "monitoring.signal", "", 2),
            # The logged actions are checked on the signal's page: a look at the signal.
            (AccessAction.VIEW, "monitoring.signal", "Controle gelogde handelingen", 3),
            *(
                (AccessAction.REVEAL, "monitoring.signal", purpose, weight)
                for _kind, purpose, weight in PAST_REVEALS
            ),
        ),
    ),
    Habit(
        "teamchef",
        Role.TEAM_CHIEF,
        1.2,
        ("AM-D1-T1",),
        (
            (AccessAction.VIEW, "monitoring.followup", "Voorbereiding gesprek", 3),
            (AccessAction.VIEW, "vik.employee", "", 2),
        ),
    ),
    Habit(
        "onderzoeker",
        Role.INVESTIGATOR,
        5.0,
        ("AM",),
        (
            (AccessAction.VIEW, "cases.investigation", "Onderzoek", 8),
            (AccessAction.VIEW, "cases.interview", "Verhoorverslag", 2),
            (AccessAction.PRINT, "cases.investigation", "Rapportage", 0.4),
            (AccessAction.VIEW, "vik.employee", "", 1),
        ),
    ),
    Habit(
        "hoofdvik",
        Role.VIK_HEAD,
        1.6,
        ("AM",),
        (
            (AccessAction.VIEW, "cases.case", "Triage", 3),
            (AccessAction.VIEW, "cases.investigation", "Opdrachtgever", 2),
        ),
    ),
    Habit(
        "screener",
        Role.SCREENING_OFFICER,
        2.5,
        ("AM",),
        (
            (AccessAction.VIEW, "screening.screeningdossier", "Herhalingsonderzoek", 4),
            (AccessAction.VIEW, "screening.selfreport", "Meldplicht", 1),
        ),
    ),
    Habit(
        "klachten",
        Role.COMPLAINT_HANDLER,
        0.8,
        ("AM",),
        ((AccessAction.VIEW, "complaints.complaint", "Klachtbehandeling", 1),),
    ),
    Habit(
        "privacy",
        Role.PRIVACY_OFFICER,
        0.4,
        ("",),
        ((AccessAction.SEARCH, "vik.accesslogentry", "Controle toegangslog", 1),),
    ),
    Habit(
        "beheerder",
        Role.ADMINISTRATOR,
        0.3,
        ("",),
        ((AccessAction.VIEW, "vik.employee", "", 1),),
        AccessChannel.ADMIN,
    ),
)


def _pool(codes: tuple[str, ...]) -> list[int]:
    employees = Employee.objects.filter(user__isnull=True)
    if codes != ("",):
        employees = employees.filter(Q(team__code__in=codes) | Q(unit__code__in=codes))
    return list(employees.values_list("pk", flat=True).order_by("pk"))


def _object_id(object_type: str, rng: random.Random) -> str:
    number = rng.randint(1, 400)
    if object_type.startswith("monitoring."):
        number += PAST_MONITORING_IDS
    return str(number)


def generate_history(
    *, start: datetime.date, end: datetime.date, rng: random.Random
) -> list[AccessLogEntry]:
    """The access log of the demo logins' working days from ``start`` up to ``end``."""
    users = get_user_model().objects.in_bulk(
        [habit.username for habit in HABITS], field_name="username"
    )
    pools = {habit.username: _pool(habit.units) for habit in HABITS}
    entries: list[AccessLogEntry] = []
    sequence = 0
    day = start
    while day < end:
        if is_working_day(day):
            for habit in HABITS:
                user, pool = users.get(habit.username), pools[habit.username]
                if user is None or not pool:
                    continue
                count = int(habit.per_day) + (rng.random() < habit.per_day % 1)
                # A few employees get most of the attention (those under investigation).
                focus = pool[(day.toordinal() // 45) % len(pool) :: 17][:3] or pool
                for _n in range(count):
                    action, object_type, purpose, _w = rng.choices(
                        habit.looks, weights=[look[3] for look in habit.looks]
                    )[0]
                    employee_id: int | None = rng.choice(focus if rng.random() < 0.5 else pool)
                    if object_type == "vik.accesslogentry" and rng.random() < 0.5:
                        employee_id = None
                    sequence += 1
                    when = datetime.datetime.combine(
                        day, datetime.time(rng.randint(7, 18), rng.randint(0, 59))
                    )
                    entries.append(
                        AccessLogEntry(
                            occurred_at=timezone.make_aware(when),
                            actor=user,
                            actor_username=user.get_username(),
                            actor_role=habit.role.value,
                            action=action,
                            channel=habit.channel,
                            object_type=object_type,
                            object_id=_object_id(object_type, rng),
                            employee_id=employee_id,
                            purpose=purpose,
                            request_id=f"{MARKER}-{sequence}",
                        )
                    )
        day += datetime.timedelta(days=1)
    return entries


def _looks_at_the_demo_employee(
    *, today: datetime.date, rng: random.Random
) -> list[AccessLogEntry]:
    """Looks at "medewerker" (Mila), about objects that exist.

    Her team chief opened her record in the directory long ago (the name is shown: a look
    outside any matter counts as closed after 30 days) and lately (the role only). When
    Protective Monitoring holds a signal about her, the analyst reviewed it — and, if it
    went to a conversation, revealed her name and the team chief prepared it — at the
    moments that happened, never later than now.
    """
    users = get_user_model().objects.in_bulk(
        ["analist", "teamchef", "medewerker"], field_name="username"
    )
    if len(users) < 3:
        return []
    mila = Employee.objects.get(user=users["medewerker"])
    now = timezone.now()

    def days_ago(days: int) -> datetime.datetime:
        when = datetime.datetime.combine(
            today - datetime.timedelta(days=days), datetime.time(9, rng.randint(0, 59))
        )
        return timezone.make_aware(when)

    looks: list[tuple[str, Role, AccessAction, str, str, str, datetime.datetime]] = [
        ("teamchef", Role.TEAM_CHIEF, AccessAction.VIEW, "vik.employee", "", "", days_ago(70)),
        ("teamchef", Role.TEAM_CHIEF, AccessAction.VIEW, "vik.employee", "", "", days_ago(12)),
    ]
    looks += _looks_at_the_signal_of(mila, now=now)
    entries = []
    for index, (username, role, action, object_type, object_id, purpose, when) in enumerate(looks):
        user = users[username]
        entries.append(
            AccessLogEntry(
                occurred_at=min(when, now),
                actor=user,
                actor_username=user.get_username(),
                actor_role=role.value,
                action=action,
                channel=AccessChannel.WEB,
                object_type=object_type,
                object_id=object_id or str(mila.pk),
                employee_id=mila.pk,
                purpose=purpose,
                request_id=f"{MARKER}-mila-{index}",
            )
        )
    return entries


def _looks_at_the_signal_of(
    employee: Employee, *, now: datetime.datetime
) -> list[tuple[str, Role, AccessAction, str, str, str, datetime.datetime]]:
    """The review of the employee's latest signal, as the access log would have it."""
    if not apps.is_installed("monitoring"):
        return []
    from monitoring.models import FollowUp, Signal

    signal = (
        Signal.objects.filter(employee=employee)
        .exclude(status=Signal.Status.WITHDRAWN)
        .order_by("-window_start")
        .first()
    )
    if signal is None:
        return []
    ref = str(signal.pk)
    reviewed = (
        signal.decided_at - datetime.timedelta(hours=2)
        if signal.decided_at
        else max(signal.detected_at, now - datetime.timedelta(hours=1))
    )
    looks = [
        (
            "analist",
            Role.ANALYST,
            AccessAction.VIEW,
            "monitoring.signal",
            ref,
            "Beoordeling signaal",
            reviewed,
        )
    ]
    followup = FollowUp.objects.filter(signal=signal).first()
    if followup is not None:
        looks += [
            (
                "analist",
                Role.ANALYST,
                AccessAction.REVEAL,
                "monitoring.signal",
                ref,
                "Automatisch bij escalatie: Doorgezet naar de teamchef",
                followup.requested_at - datetime.timedelta(minutes=10),
            ),
            (
                "teamchef",
                Role.TEAM_CHIEF,
                AccessAction.VIEW,
                "monitoring.followup",
                str(followup.pk),
                "Voorbereiding gesprek",
                followup.requested_at + datetime.timedelta(days=1),
            ),
        ]
    return looks


def _counting_past_reveals(providers: Iterable[Provider]) -> list[Provider]:
    """The providers, with the history's reveals counted under the kinds they were made with.

    The history's reveals stand for those of signals since removed by retention (see
    ``PAST_MONITORING_IDS``); their kinds were counted when their quarter was published.
    Only figures are published with these providers: nothing else is changed.
    """

    def counting(provider: Provider) -> Provider:
        real = provider.reveal_reasons
        if real is None or provider.app_label != "monitoring":
            return provider

        def count(start: datetime.datetime, end: datetime.datetime) -> list[tuple[Category, int]]:
            past = Counter(
                PAST_REVEAL_KINDS.get(purpose, "")
                for purpose in AccessLogEntry.objects.filter(
                    request_id__startswith=MARKER,
                    action=AccessAction.REVEAL,
                    object_type="monitoring.signal",
                    occurred_at__gte=start,
                    occurred_at__lt=end,
                ).values_list("purpose", flat=True)
            )
            return [(category, n + past[category.key]) for category, n in real(start, end)]

        return replace(provider, reveal_reasons=count)

    return [counting(provider) for provider in providers]


def _once(
    label: str, exists: Callable[[], bool], make: Callable[[], object], stdout: TextIO
) -> None:
    if exists():
        return
    make()
    stdout.write(f"{label}\n")


@transaction.atomic
def seed(*, stdout: TextIO, rng: random.Random) -> None:
    """The demo access log, published figures, two requests for access and a deferral."""
    user_model = get_user_model()
    logins = user_model.objects.in_bulk(
        ["medewerker", "klachten", "privacy", "hoofdvik", "teamchef"], field_name="username"
    )
    if len(logins) < 5:
        stdout.write("transparency: the core's demo logins are missing; nothing seeded\n")
        return
    today = timezone.localdate()
    if not AccessLogEntry.objects.filter(request_id__startswith=MARKER).exists():
        history = generate_history(start=datetime.date(today.year - 1, 1, 1), end=today, rng=rng)
        history += _looks_at_the_demo_employee(today=today, rng=rng)
        AccessLogEntry.objects.bulk_create(history, batch_size=2000)
        # Today's look goes through the service like any page view would.
        mila = Employee.objects.get(user=logins["medewerker"])
        record_access(
            actor=logins["teamchef"],
            action=AccessAction.VIEW,
            role=Role.TEAM_CHIEF,
            employee=mila,
            obj=mila,
            purpose="",
        )
        stdout.write(f"access log: {len(history) + 1} entries since {today.year - 1}\n")

    with use_providers(*_counting_past_reveals(get_registry().providers), planned=True):
        published = services.publish_due(today=today)
    stdout.write(f"figures: {published} publications\n")

    mila = Employee.objects.get(user=logins["medewerker"])
    _once(
        "access request: open (medewerker)",
        lambda: AccessRequest.objects.filter(employee=mila).exists(),
        lambda: services.submit_access_request(
            employee=mila,
            note="Ik wil graag weten welke gegevens VIK over mij heeft.",
            acting_user=logins["medewerker"],
            today=today - datetime.timedelta(days=12),
        ),
        stdout,
    )
    karim = Employee.objects.get(user=logins["klachten"])

    def answered_request() -> None:
        request = services.submit_access_request(
            employee=karim,
            acting_user=logins["klachten"],
            today=today - datetime.timedelta(days=20),
        )
        services.complete_access_request(request=request, acting_user=logins["privacy"])

    _once(
        "access request: answered (klachten)",
        lambda: AccessRequest.objects.filter(employee=karim).exists(),
        answered_request,
        stdout,
    )
    subject = (
        Employee.objects.filter(team__code="AM-D2-T1", user__isnull=True).order_by("pk").first()
    )
    if subject is not None:
        _once(
            "deferral: who looked, during a covert investigation",
            lambda: DisclosureDeferral.objects.filter(employee=subject).exists(),
            lambda: services.defer_disclosure(
                employee=subject,
                category=ACCESS_LOG_CATEGORY,
                reason=(
                    "Heimelijk oriënterend onderzoek naar mogelijk lekken van informatie; "
                    "inzage zou het onderzoek schaden."
                ),
                ends_on=today + datetime.timedelta(days=60),
                acting_user=logins["hoofdvik"],
            ),
            stdout,
        )
    # Last of all demos: issue 11's examples need the cases demo's open investigations.
    from monitoring.demo import seed_privacy_examples

    seed_privacy_examples(stdout=stdout)
