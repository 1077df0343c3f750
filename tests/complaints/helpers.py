"""Building blocks for the complaints tests and the permission sweep (plain functions)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from complaints import rules, services
from complaints.models import Complaint, ComplaintTheme, Hearing
from tests.conftest import World
from vik.models import Employee, Unit
from vik.roles import Role

CONTACT = services.ContactDetails(
    name="Jan Klager", street_address="Dorpsstraat 1", postcode="1011 AB", city="Amsterdam"
)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def handler(world: World) -> Any:
    return world.user(Role.COMPLAINT_HANDLER)


def theme(code: str = "bejegening") -> ComplaintTheme:
    return ComplaintTheme.objects.get(code=code)


def register(
    world: World,
    *,
    unit: Unit | None = None,
    employees: list[Employee] | None = None,
    received_on: datetime.date | None = None,
    conduct_on: datetime.date | None = None,
    acting_user: Any = None,
) -> Complaint:
    """A complaint about the subject's team, registered by the world's handler."""
    received_on = received_on or days_ago(10)
    return services.register_complaint(
        unit=unit or world.units["AM-D1-T1"],
        received_on=received_on,
        conduct_on=conduct_on or received_on - datetime.timedelta(days=3),
        channel=Complaint.Channel.LETTER,
        summary="De agent was onbeschoft tijdens een verkeerscontrole.",
        themes=[theme()],
        employees=[world.subject] if employees is None else employees,
        contact=CONTACT,
        acting_user=acting_user or handler(world),
    )


def assigned(world: World, **kwargs: Any) -> Complaint:
    """A registered complaint, assigned to the world's handler."""
    complaint = register(world, **kwargs)
    return services.assign_handler(
        complaint=complaint,
        handler=handler(world),
        not_involved_confirmed=True,
        assigned_on=complaint.received_on,
        acting_user=handler(world),
    )


def heard(world: World, **kwargs: Any) -> Complaint:
    """A complaint in formal handling whose every party has been heard."""
    complaint = assigned(world, **kwargs)
    user = handler(world)
    start = complaint.received_on + datetime.timedelta(days=1)
    services.start_formal(complaint=complaint, started_on=start, acting_user=user)
    services.offer_hearing(
        complaint=complaint, party=Hearing.Party.COMPLAINANT, offered_on=start, acting_user=user
    )
    for complained in complaint.complained_employees.all():
        services.offer_hearing(
            complaint=complaint,
            party=Hearing.Party.EMPLOYEE,
            employee=complained.employee,
            offered_on=start,
            acting_user=user,
        )
    for hearing in complaint.hearings.all():
        services.record_hearing(
            hearing=hearing,
            status=Hearing.Status.HELD,
            held_on=start,
            report="Partij gaf een toelichting.",
            acting_user=user,
        )
    complaint.refresh_from_db()
    return complaint


def decided(world: World, **kwargs: Any) -> Complaint:
    """A complaint decided by the world's handler."""
    complaint = heard(world, **kwargs)
    services.decide(
        complaint=complaint,
        outcome="partly_founded",  # type: ignore[arg-type]
        reasoning="Het optreden was rechtmatig, maar de uitleg had beter gekund.",
        decided_on=complaint.received_on + datetime.timedelta(days=2),
        acting_user=handler(world),
    )
    complaint.refresh_from_db()
    return complaint


def complaint_in_den_haag(world: World) -> Complaint:
    """A complaint about Den Haag, outside the world's handler's scope (written directly)."""
    complaint = Complaint(
        unit=world.units["DH-T1"],
        received_on=days_ago(5),
        conduct_on=days_ago(6),
        channel=Complaint.Channel.EMAIL,
        summary="Klacht over de Haagse politie.",
    )
    complaint.deadline = rules.decision_deadline(complaint)
    complaint.save()
    complaint.themes.set([theme()])
    return complaint


def planned(world: World, *, party: str = Hearing.Party.COMPLAINANT) -> Hearing:
    """A hearing offered with a date, time and place, in a complaint the handler handles."""
    complaint = assigned(world)
    user = handler(world)
    start = complaint.received_on + datetime.timedelta(days=1)
    services.start_formal(complaint=complaint, started_on=start, acting_user=user)
    return services.offer_hearing(
        complaint=complaint,
        party=Hearing.Party(party),
        employee=world.subject if party == Hearing.Party.EMPLOYEE else None,
        offered_on=start,
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
        location="Bureau Amsterdam-Centrum, spreekkamer 4",
        acting_user=user,
    )
