"""Writes of the complaints app: the procedure's rules are enforced here.

Every service takes keyword arguments and an explicit ``acting_user``, runs in one
transaction, re-reads the complaint through :func:`complaints_visible_to` (locked) so a
conflict declared a moment ago takes effect, and stamps the history row with who and why.
Work on a complaint is done by its assigned handler; any handler who may see the complaint
may register it, classify it before it is assigned, and assign it.

The terms and their legal basis are in :mod:`complaints.rules`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from complaints import rules
from complaints.models import (
    ComplainantContact,
    ComplainedEmployee,
    Complaint,
    ComplaintTheme,
    Decision,
    Hearing,
)
from complaints.selectors import complaints_visible_to, handlers_for
from vik.history import stamp
from vik.models import ClassificationStage, Employee, Unit, UnitAncestry, ViolationKind
from vik.roles import Capability, UnitScope
from vik.selectors import (
    active_conflicts_about,
    employee_ids_in_scope,
    employee_of,
    excluded_employee_ids,
    has_capability,
    unit_ids_in_scope,
)
from vik.services import notify
from vik.typology.services import record_step_kinds

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

MINIMUM_REASONING = 20


# --- Helpers --------------------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _check_date(day: datetime.date, label: str, *, not_before: datetime.date | None = None) -> None:
    if day > _today():
        raise ValidationError(_("%(label)s cannot be in the future.") % {"label": label})
    if not_before is not None and day < not_before:
        raise ValidationError(
            _("%(label)s cannot be before %(day)s.")
            % {"label": label, "day": not_before.strftime("%d-%m-%Y")}
        )


def _required_text(value: str, message: str, *, minimum: int = 1) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise ValidationError(message)
    return value


def _locked(complaint: Complaint, acting_user: AnyUser) -> Complaint:
    """Re-read the complaint through the user's selector, locked for this transaction."""
    try:
        return (
            complaints_visible_to(user=acting_user)
            .select_for_update(of=("self",))
            .get(pk=complaint.pk)
        )
    except Complaint.DoesNotExist:
        raise PermissionDenied from None


def _require_open(complaint: Complaint) -> None:
    if not complaint.is_open:
        raise ValidationError(_("This complaint is closed."))


def _require_phase(complaint: Complaint, *phases: Complaint.Phase) -> None:
    _require_open(complaint)
    if complaint.phase not in phases:
        raise ValidationError(
            _("This cannot be done while the complaint is in the phase “%(phase)s”.")
            % {"phase": complaint.get_phase_display()}
        )


def _require_handler(
    complaint: Complaint, acting_user: AnyUser, *, or_unassigned: bool = False
) -> None:
    """Work on a complaint is for its handler (intake work also before anyone is assigned)."""
    if complaint.handler_id is None:
        if or_unassigned:
            return
        raise ValidationError(_("Assign a handler to this complaint first."))
    if complaint.handler_id != acting_user.pk:
        raise PermissionDenied(
            _("Only the handler of this complaint, %(handler)s, can do this.")
            % {"handler": complaint.handler}
        )


def _refresh_deadline(complaint: Complaint) -> None:
    complaint.deadline = rules.decision_deadline(complaint)


def _employees_under(unit: Unit) -> Q:
    below = UnitAncestry.objects.filter(ancestor=unit).values("descendant_id")
    return Q(unit_id__in=below) | Q(team_id__in=below)


def _complaint_url(complaint: Complaint) -> str:
    return reverse("complaints:complaint_detail", kwargs={"pk": complaint.pk})


# --- The handler must not be involved -------------------------------------------------


def handler_objections(*, handler: User, employees: Iterable[Employee]) -> list[str]:
    """Why ``handler`` may not handle a complaint about ``employees`` (empty: no objection).

    The handler must not have been involved in the conduct: they may not be one of the
    employees complained about, nor sit in their team chain (same team, leading their team
    or being led by them), nor have a registered conflict of interest with any of them.
    """
    objections: list[str] = []
    handler_employee = employee_of(handler)
    led_by_handler = employee_ids_in_scope(user=handler, scopes=UnitScope.LEAD)
    for employee in employees:
        names = {"handler": handler.get_full_name() or handler, "employee": employee.full_name}
        if handler_employee is not None and handler_employee.pk == employee.pk:
            objections.append(_("%(handler)s is one of the employees complained about.") % names)
            continue
        if active_conflicts_about(employee_ids=[employee.pk]).filter(user=handler).exists():
            objections.append(
                _("%(handler)s has a registered conflict of interest in this complaint.") % names
            )
            continue
        if (
            handler_employee is not None
            and handler_employee.team_id is not None
            and handler_employee.team_id == employee.team_id
        ):
            objections.append(_("%(handler)s works in the same team as %(employee)s.") % names)
        elif led_by_handler.filter(id=employee.pk).exists():
            objections.append(_("%(handler)s leads the team of %(employee)s.") % names)
        elif (
            handler_employee is not None
            and employee.user is not None
            and employee_ids_in_scope(user=employee.user, scopes=UnitScope.LEAD)
            .filter(id=handler_employee.pk)
            .exists()
        ):
            objections.append(_("%(employee)s leads the team of %(handler)s.") % names)
    return objections


def _employees_of(complaint: Complaint) -> list[Employee]:
    return [
        complained.employee
        for complained in complaint.complained_employees.select_related("employee__user")
    ]


# --- Registration and intake ----------------------------------------------------------


@dataclass(frozen=True)
class ContactDetails:
    """The complainant's contact details as entered at registration."""

    name: str
    street_address: str = ""
    postcode: str = ""
    city: str = ""
    email: str = ""
    phone: str = ""


@transaction.atomic
def register_complaint(
    *,
    unit: Unit,
    received_on: datetime.date,
    conduct_on: datetime.date,
    channel: Complaint.Channel,
    summary: str,
    themes: Iterable[ComplaintTheme],
    contact: ContactDetails,
    acting_user: AnyUser,
    employees: Iterable[Employee] = (),
    location: str = "",
    kinds: Iterable[ViolationKind] | None = None,
) -> Complaint:
    """Register a complaint received from a citizen.

    ``kinds`` are the kinds of integrity violation of the shared typology (next to the
    themes); without them the complaint counts as "not yet classified" until it is classified.

    The complainant's contact details are stored apart (see :class:`ComplainantContact`).
    The employees complained about are optional; each must work in the unit complained
    about. Nobody registers a complaint about themselves or about someone they are
    conflicted with — they would not be allowed to see it.
    """
    if not has_capability(acting_user, Capability.HANDLE_COMPLAINTS):
        raise PermissionDenied
    if (
        not unit_ids_in_scope(user=acting_user, scopes=UnitScope.COMPLAINTS)
        .filter(descendant_id=unit.pk)
        .exists()
    ):
        raise PermissionDenied
    _check_date(received_on, _("The date of receipt"))
    if conduct_on > received_on:
        raise ValidationError(
            _("The conduct cannot have taken place after the complaint was received.")
        )
    summary = _required_text(summary, _("Describe what the complaint is about."))
    themes = list(themes)
    if not themes:
        raise ValidationError(_("Classify the complaint with at least one theme."))
    if any(not theme.is_active for theme in themes):
        raise ValidationError(_("Choose themes that are in use."))
    name = _required_text(contact.name, _("Give the complainant's name."))
    if channel not in Complaint.Channel.values:
        raise ValidationError(_("Choose how the complaint was received."))
    employees = list(dict.fromkeys(employees))
    _check_employees(unit=unit, employees=employees, acting_user=acting_user)

    complaint = Complaint(
        unit=unit,
        received_on=received_on,
        conduct_on=conduct_on,
        location=location.strip(),
        channel=channel,
        summary=summary,
        registered_by=acting_user if acting_user.is_authenticated else None,
    )
    _refresh_deadline(complaint)
    stamp(complaint, acting_user=acting_user, reason="Klacht geregistreerd").save()
    complaint.themes.set(themes)
    contact_row = ComplainantContact(
        complaint=complaint,
        name=name,
        street_address=contact.street_address.strip(),
        postcode=contact.postcode.strip().upper(),
        city=contact.city.strip(),
        email=contact.email.strip(),
        phone=contact.phone.strip(),
    )
    stamp(contact_row, acting_user=acting_user, reason="Klacht geregistreerd").save()
    for employee in employees:
        complained = ComplainedEmployee(complaint=complaint, employee=employee)
        stamp(complained, acting_user=acting_user, reason="Klacht geregistreerd").save()
    record_step_kinds(
        subject=complaint,
        kinds=kinds,
        stage=ClassificationStage.TRIAGE,
        acting_user=acting_user,
        reason="Klacht geregistreerd",
    )
    return complaint


def _check_employees(*, unit: Unit, employees: list[Employee], acting_user: AnyUser) -> None:
    if not employees:
        return
    ids = [employee.pk for employee in employees]
    outside = set(ids) - set(
        Employee.objects.filter(_employees_under(unit), id__in=ids).values_list("id", flat=True)
    )
    if outside:
        raise ValidationError(
            _("Only employees of %(unit)s can be named in a complaint about it.") % {"unit": unit}
        )
    if excluded_employee_ids(user=acting_user).filter(id__in=ids).exists():
        raise ValidationError(
            _(
                "You cannot handle a complaint about yourself or about someone you have a "
                "conflict of interest with. Ask a colleague to register it."
            )
        )


@transaction.atomic
def classify(
    *,
    complaint: Complaint,
    themes: Iterable[ComplaintTheme],
    acting_user: AnyUser,
    kinds: Iterable[ViolationKind] | None = None,
) -> Complaint:
    """Change the themes of the uniform classification (also after closing: the figures).

    With ``kinds``, also record the kinds of integrity violation of the shared typology
    (next to the themes, not instead of them); ``None`` leaves the recorded kinds as they are.
    """
    complaint = _locked(complaint, acting_user)
    _require_handler(complaint, acting_user, or_unassigned=True)
    themes = list(themes)
    if not themes:
        raise ValidationError(_("Classify the complaint with at least one theme."))
    current = set(complaint.themes.values_list("id", flat=True))
    if any(not t.is_active and t.pk not in current for t in themes):
        raise ValidationError(_("Choose themes that are in use."))
    stamp(complaint, acting_user=acting_user, reason="Classificatie gewijzigd")
    complaint.themes.set(themes)
    record_step_kinds(
        subject=complaint,
        kinds=kinds,
        stage=ClassificationStage.TRIAGE,
        acting_user=acting_user,
        reason="Classificatie gewijzigd",
    )
    return complaint


@transaction.atomic
def add_employee(
    *, complaint: Complaint, employee: Employee, acting_user: AnyUser
) -> ComplainedEmployee:
    """Name an employee the complaint is about (once identified).

    Refused when the assigned handler may not handle a complaint about them: assign
    another handler first.
    """
    complaint = _locked(complaint, acting_user)
    _require_open(complaint)
    _require_handler(complaint, acting_user, or_unassigned=True)
    _check_employees(unit=complaint.unit, employees=[employee], acting_user=acting_user)
    if complaint.complained_employees.filter(employee=employee).exists():
        raise ValidationError(
            _("%(employee)s is already named in this complaint.") % {"employee": employee.full_name}
        )
    if complaint.handler is not None:
        objections = handler_objections(handler=complaint.handler, employees=[employee])
        if objections:
            raise ValidationError(
                [*objections, _("Assign another handler before naming this employee.")]
            )
    complained = ComplainedEmployee(complaint=complaint, employee=employee)
    stamp(complained, acting_user=acting_user, reason="Medewerker toegevoegd").save()
    return complained


@transaction.atomic
def remove_employee(*, complained: ComplainedEmployee, reason: str, acting_user: AnyUser) -> None:
    """Take a wrongly named employee off the complaint, with the reason."""
    complaint = _locked(complained.complaint, acting_user)
    _require_open(complaint)
    _require_handler(complaint, acting_user, or_unassigned=True)
    reason = _required_text(reason, _("Give the reason for removing this employee."))
    if complaint.hearings.filter(employee_id=complained.employee_id).exists():
        raise ValidationError(
            _("%(employee)s has been offered a hearing and stays named in the complaint.")
            % {"employee": complained.employee.full_name}
        )
    stamp(complained, acting_user=acting_user, reason=reason).delete()


@transaction.atomic
def assign_handler(
    *,
    complaint: Complaint,
    handler: User,
    not_involved_confirmed: bool,
    acting_user: AnyUser,
    assigned_on: datetime.date | None = None,
) -> Complaint:
    """Make ``handler`` responsible for the complaint (or another handler, instead).

    Refused when the handler may not see the complaint (outside their units, about
    themselves, or conflicted) or sits in the team chain of an employee complained about;
    and unless it is confirmed that the handler was not involved in the conduct.
    """
    complaint = _locked(complaint, acting_user)
    _require_open(complaint)
    if not not_involved_confirmed:
        raise ValidationError(
            _("Confirm that the handler was not involved in the conduct complained about.")
        )
    if complaint.handler_id == handler.pk:
        return complaint
    objections = handler_objections(handler=handler, employees=_employees_of(complaint))
    if objections:
        raise ValidationError(objections)
    if not complaints_visible_to(user=handler).filter(pk=complaint.pk).exists():
        raise ValidationError(
            _("%(handler)s does not handle complaints about %(unit)s.")
            % {"handler": handler.get_full_name() or handler, "unit": complaint.unit}
        )
    assigned_on = assigned_on or _today()
    _check_date(assigned_on, _("The date of assignment"), not_before=complaint.received_on)
    previous = complaint.handler
    complaint.handler = handler
    complaint.handler_assigned_on = assigned_on
    reason = "Behandelaar toegewezen; niet betrokken bij de gedraging bevestigd"
    if previous is not None:
        reason += f" (was {previous})"
    stamp(complaint, acting_user=acting_user, reason=reason).save()
    if handler.pk != acting_user.pk:
        notify(
            recipient=handler,
            subject=_("A complaint has been assigned to you"),
            url=_complaint_url(complaint),
            acting_user=acting_user,
        )
    return complaint


# --- Phases ---------------------------------------------------------------------------


@transaction.atomic
def start_informal(
    *, complaint: Complaint, started_on: datetime.date | None = None, acting_user: AnyUser
) -> Complaint:
    """Try to resolve the complaint informally: a conversation or mediation (bemiddeling)."""
    complaint = _locked(complaint, acting_user)
    _require_phase(complaint, Complaint.Phase.INTAKE)
    _require_handler(complaint, acting_user)
    started_on = started_on or _today()
    _check_date(started_on, _("The start date"), not_before=complaint.received_on)
    complaint.phase = Complaint.Phase.INFORMAL
    complaint.informal_started_on = started_on
    stamp(complaint, acting_user=acting_user, reason="Informele afhandeling gestart").save()
    return complaint


@transaction.atomic
def finish_informal(
    *,
    complaint: Complaint,
    outcome: Complaint.InformalOutcome,
    note: str,
    acting_user: AnyUser,
    finished_on: datetime.date | None = None,
) -> Complaint:
    """Record how the informal phase ended: resolved (closed) or on to formal handling."""
    complaint = _locked(complaint, acting_user)
    _require_phase(complaint, Complaint.Phase.INFORMAL)
    _require_handler(complaint, acting_user)
    finished_on = finished_on or _today()
    _check_date(finished_on, _("The end date"), not_before=complaint.informal_started_on)
    note = _required_text(note, _("Describe how the informal resolution went."))
    if outcome not in Complaint.InformalOutcome.values:
        raise ValidationError(_("Choose how the informal resolution ended."))
    complaint.informal_outcome = outcome
    complaint.informal_note = note
    complaint.informal_finished_on = finished_on
    if outcome == Complaint.InformalOutcome.RESOLVED:
        complaint.phase = Complaint.Phase.CLOSED
        complaint.closure = Complaint.Closure.RESOLVED_INFORMALLY
        complaint.closed_on = finished_on
        reason = "Informeel opgelost"
    else:
        complaint.phase = Complaint.Phase.FORMAL
        complaint.formal_started_on = finished_on
        reason = "Informeel niet opgelost: formele behandeling"
    stamp(complaint, acting_user=acting_user, reason=reason).save()
    return complaint


@transaction.atomic
def start_formal(
    *, complaint: Complaint, started_on: datetime.date | None = None, acting_user: AnyUser
) -> Complaint:
    """Handle the complaint formally straight away (no informal attempt)."""
    complaint = _locked(complaint, acting_user)
    _require_phase(complaint, Complaint.Phase.INTAKE)
    _require_handler(complaint, acting_user)
    started_on = started_on or _today()
    _check_date(started_on, _("The start date"), not_before=complaint.received_on)
    complaint.phase = Complaint.Phase.FORMAL
    complaint.formal_started_on = started_on
    stamp(complaint, acting_user=acting_user, reason="Formele behandeling gestart").save()
    return complaint


@transaction.atomic
def offer_hearing(
    *,
    complaint: Complaint,
    party: Hearing.Party,
    acting_user: AnyUser,
    employee: Employee | None = None,
    offered_on: datetime.date | None = None,
    scheduled_at: datetime.datetime | None = None,
    location: str = "",
) -> Hearing:
    """Offer a party the opportunity to be heard (the complainant, or one employee).

    A date, time and place (both or neither) go into the invitation letter and the
    calendar file; without them the offer stands and the party may ask for a moment.
    """
    complaint = _locked(complaint, acting_user)
    _require_phase(complaint, Complaint.Phase.FORMAL, Complaint.Phase.COMMITTEE)
    _require_handler(complaint, acting_user)
    offered_on = offered_on or _today()
    _check_date(offered_on, _("The date of the offer"), not_before=complaint.received_on)
    location = location.strip()
    if (scheduled_at is None) != (not location):
        raise ValidationError(
            pgettext(
                "complaint", "Give both the date and time and the place of the hearing, or neither."
            )
        )
    if scheduled_at is not None and timezone.localdate(scheduled_at) < offered_on:
        raise ValidationError(
            pgettext("complaint", "The hearing cannot take place before it is offered.")
        )
    if party == Hearing.Party.COMPLAINANT:
        employee = None
        if complaint.hearings.filter(party=party).exists():
            raise ValidationError(_("The complainant has already been offered a hearing."))
    elif party == Hearing.Party.EMPLOYEE:
        if (
            employee is None
            or not complaint.complained_employees.filter(employee=employee).exists()
        ):
            raise ValidationError(_("Choose one of the employees complained about."))
        if complaint.hearings.filter(party=party, employee=employee).exists():
            raise ValidationError(
                _("%(employee)s has already been offered a hearing.")
                % {"employee": employee.full_name}
            )
    else:
        raise ValidationError(_("Choose who is offered the hearing."))
    hearing = Hearing(
        complaint=complaint,
        party=party,
        employee=employee,
        offered_on=offered_on,
        scheduled_at=scheduled_at,
        location=location,
    )
    stamp(hearing, acting_user=acting_user, reason="Hoorzitting aangeboden").save()
    return hearing


@transaction.atomic
def record_hearing(
    *,
    hearing: Hearing,
    status: Hearing.Status,
    acting_user: AnyUser,
    held_on: datetime.date | None = None,
    report: str = "",
    note: str = "",
) -> Hearing:
    """Record how a hearing went: held (with its report), declined, or dispensed with.

    Only the complainant's hearing may be dispensed with, and only for a manifestly
    unfounded complaint (Awb 9:10(2)); the person complained about is always given the
    opportunity.
    """
    complaint = _locked(hearing.complaint, acting_user)
    _require_phase(complaint, Complaint.Phase.FORMAL, Complaint.Phase.COMMITTEE)
    _require_handler(complaint, acting_user)
    hearing = complaint.hearings.select_for_update().get(pk=hearing.pk)
    if status == Hearing.Status.HELD:
        if held_on is None:
            raise ValidationError(_("Give the date of the hearing."))
        _check_date(held_on, _("The date of the hearing"), not_before=hearing.offered_on)
        hearing.held_on = held_on
        hearing.report = _required_text(report, _("Write the report of the hearing."))
    elif status == Hearing.Status.DECLINED:
        hearing.held_on = None
    elif status == Hearing.Status.WAIVED:
        if hearing.party != Hearing.Party.COMPLAINANT:
            raise ValidationError(
                _("The person complained about must always be given the opportunity to be heard.")
            )
        note = _required_text(note, _("Explain why the complaint is manifestly unfounded."))
        hearing.held_on = None
    else:
        raise ValidationError(_("Choose how the hearing went."))
    hearing.status = status
    hearing.note = note.strip()
    stamp(hearing, acting_user=acting_user, reason=f"Hoorzitting: {status.label}").save()
    return hearing


@transaction.atomic
def request_committee_advice(
    *, complaint: Complaint, acting_user: AnyUser, requested_on: datetime.date | None = None
) -> Complaint:
    """Put the complaint before the complaints committee: the term becomes 14 weeks."""
    complaint = _locked(complaint, acting_user)
    _require_phase(complaint, Complaint.Phase.FORMAL)
    _require_handler(complaint, acting_user)
    if complaint.committee_requested_on is not None:
        raise ValidationError(_("The complaints committee has already been asked for advice."))
    requested_on = requested_on or _today()
    _check_date(requested_on, _("The date of the request"), not_before=complaint.received_on)
    if requested_on > complaint.deadline:
        raise ValidationError(
            _("The complaints committee must be asked before the term ends (on %(day)s).")
            % {"day": complaint.deadline.strftime("%d-%m-%Y")}
        )
    complaint.committee_requested_on = requested_on
    complaint.phase = Complaint.Phase.COMMITTEE
    _refresh_deadline(complaint)
    stamp(complaint, acting_user=acting_user, reason="Advies klachtencommissie gevraagd").save()
    return complaint


@transaction.atomic
def record_committee_advice(
    *,
    complaint: Complaint,
    advice: str,
    acting_user: AnyUser,
    received_on: datetime.date | None = None,
) -> Complaint:
    """Record the complaints committee's advice; the handler then prepares the decision."""
    complaint = _locked(complaint, acting_user)
    _require_phase(complaint, Complaint.Phase.COMMITTEE)
    _require_handler(complaint, acting_user)
    received_on = received_on or _today()
    _check_date(
        received_on, _("The date of the advice"), not_before=complaint.committee_requested_on
    )
    complaint.committee_advice = _required_text(advice, _("Summarise the committee's advice."))
    complaint.committee_advice_on = received_on
    complaint.phase = Complaint.Phase.FORMAL
    stamp(complaint, acting_user=acting_user, reason="Advies klachtencommissie ontvangen").save()
    return complaint


# --- Terms ----------------------------------------------------------------------------


@transaction.atomic
def extend_term(
    *,
    complaint: Complaint,
    reason: str,
    acting_user: AnyUser,
    extended_on: datetime.date | None = None,
) -> Complaint:
    """Extend the decision term once by 4 weeks, before it ends (Awb 9:11(2)).

    The complainant and the person complained about are told in writing; that letter is
    the handler's, this records that and why the term was extended.
    """
    complaint = _locked(complaint, acting_user)
    _require_open(complaint)
    _require_handler(complaint, acting_user)
    if complaint.extended_on is not None:
        raise ValidationError(
            _(
                "The term has already been extended by %(weeks)s weeks. A further postponement "
                "needs the complainant's written consent."
            )
            % {"weeks": rules.EXTENSION_WEEKS}
        )
    extended_on = extended_on or _today()
    _check_date(extended_on, _("The date of the extension"), not_before=complaint.received_on)
    if extended_on > complaint.deadline:
        raise ValidationError(
            _("The term ended on %(day)s; an expired term cannot be extended.")
            % {"day": complaint.deadline.strftime("%d-%m-%Y")}
        )
    complaint.extended_on = extended_on
    complaint.extension_reason = _required_text(reason, _("Give the reason for the extension."))
    _refresh_deadline(complaint)
    stamp(complaint, acting_user=acting_user, reason="Termijn verlengd met 4 weken").save()
    return complaint


@transaction.atomic
def record_consent(
    *,
    complaint: Complaint,
    consent_received_on: datetime.date,
    new_deadline: datetime.date,
    note: str,
    acting_user: AnyUser,
) -> Complaint:
    """Postpone the decision beyond the statutory term, with the complainant's written consent.

    Only after the 4-week extension has been used (Awb 9:11(3)): the written consent is
    what makes a longer term lawful, so its date and content are recorded.
    """
    complaint = _locked(complaint, acting_user)
    _require_open(complaint)
    _require_handler(complaint, acting_user)
    if complaint.extended_on is None:
        raise ValidationError(
            _(
                "Use the extension of %(weeks)s weeks first; a longer postponement needs the "
                "complainant's written consent."
            )
            % {"weeks": rules.EXTENSION_WEEKS}
        )
    _check_date(consent_received_on, _("The date of the consent"), not_before=complaint.received_on)
    statutory = rules.statutory_deadline(complaint)
    if new_deadline <= max(statutory, complaint.deadline):
        raise ValidationError(
            _("The new deadline must be later than the current one (%(day)s).")
            % {"day": max(statutory, complaint.deadline).strftime("%d-%m-%Y")}
        )
    complaint.consent_received_on = consent_received_on
    complaint.consent_deadline = new_deadline
    complaint.consent_note = _required_text(note, _("Record what the complainant agreed to."))
    _refresh_deadline(complaint)
    stamp(complaint, acting_user=acting_user, reason="Uitstel met schriftelijke instemming").save()
    return complaint


# --- Ending a complaint ---------------------------------------------------------------


@transaction.atomic
def decide(
    *,
    complaint: Complaint,
    outcome: Decision.Outcome,
    reasoning: str,
    acting_user: AnyUser,
    measures: str = "",
    decided_on: datetime.date | None = None,
    departs_from_advice: bool = False,
    departure_reason: str = "",
) -> Decision:
    """Decide on the complaint in writing, with reasons, and close it.

    Before deciding, every party must have been offered a hearing and every hearing must be
    concluded (held with its report, declined, or dispensed with); a requested committee
    advice must be in. A decision that departs from that advice says why.
    """
    complaint = _locked(complaint, acting_user)
    _require_open(complaint)
    _require_handler(complaint, acting_user)
    if complaint.phase == Complaint.Phase.COMMITTEE:
        raise ValidationError(_("The complaints committee's advice has not been recorded yet."))
    _require_phase(complaint, Complaint.Phase.FORMAL)
    _check_hearings(complaint)
    decided_on = decided_on or _today()
    _check_date(decided_on, _("The date of the decision"), not_before=complaint.received_on)
    if outcome not in Decision.Outcome.values:
        raise ValidationError(_("Choose a judgement."))
    reasoning = _required_text(
        reasoning,
        _("A decision on a complaint gives its reasons: write at least a few sentences."),
        minimum=MINIMUM_REASONING,
    )
    if departs_from_advice:
        if not complaint.committee_advice_on:
            raise ValidationError(_("There is no committee advice to depart from."))
        departure_reason = _required_text(
            departure_reason, _("Explain why the decision departs from the committee's advice.")
        )
    else:
        departure_reason = ""
    decision = Decision(
        complaint=complaint,
        outcome=outcome,
        reasoning=reasoning,
        measures=measures.strip(),
        decided_on=decided_on,
        departs_from_advice=departs_from_advice,
        departure_reason=departure_reason,
        decided_by=acting_user if acting_user.is_authenticated else None,
    )
    stamp(decision, acting_user=acting_user, reason="Beslissing op de klacht").save()
    complaint.phase = Complaint.Phase.CLOSED
    complaint.closure = Complaint.Closure.DECIDED
    complaint.closed_on = decided_on
    stamp(complaint, acting_user=acting_user, reason="Beslist").save()
    return decision


def _check_hearings(complaint: Complaint) -> None:
    hearings = list(complaint.hearings.select_related("employee"))
    offered_to = {h.employee_id for h in hearings if h.party == Hearing.Party.EMPLOYEE}
    missing = (
        []
        if any(h.party == Hearing.Party.COMPLAINANT for h in hearings)
        else [_("the complainant")]
    )
    missing += [
        employee.full_name for employee in _employees_of(complaint) if employee.pk not in offered_to
    ]
    if missing:
        raise ValidationError(
            _("Before deciding, offer a hearing to: %(parties)s.") % {"parties": ", ".join(missing)}
        )
    open_hearings = [str(h) for h in hearings if not h.is_concluded]
    if open_hearings:
        raise ValidationError(
            _("Record how these hearings went first: %(hearings)s.")
            % {"hearings": "; ".join(open_hearings)}
        )


@transaction.atomic
def not_taken_up(
    *,
    complaint: Complaint,
    reason: str,
    acting_user: AnyUser,
    letter_on: datetime.date | None = None,
) -> Complaint:
    """Close a complaint about conduct more than a year old without handling it.

    Allowed only for such old conduct and only if the complainant is told so in writing
    within 4 weeks of receipt (Awb 9:8(1)(b) and (2)); after that the complaint is handled.
    """
    complaint = _locked(complaint, acting_user)
    _require_phase(complaint, Complaint.Phase.INTAKE)
    _require_handler(complaint, acting_user)
    if not rules.conduct_is_too_old(
        conduct_on=complaint.conduct_on, received_on=complaint.received_on
    ):
        raise ValidationError(
            _(
                "Only a complaint about conduct more than a year before it was received may "
                "be left unhandled."
            )
        )
    letter_on = letter_on or _today()
    _check_date(letter_on, _("The date of the letter"), not_before=complaint.received_on)
    due = rules.not_taken_up_letter_due(complaint)
    if letter_on > due:
        raise ValidationError(
            _(
                "The letter had to be sent within %(weeks)s weeks of receipt (by %(day)s). The "
                "complaint must now be handled."
            )
            % {"weeks": rules.NOT_TAKEN_UP_LETTER_WEEKS, "day": due.strftime("%d-%m-%Y")}
        )
    complaint.closure_reason = _required_text(reason, _("Give the reason for not taking it up."))
    complaint.phase = Complaint.Phase.CLOSED
    complaint.closure = Complaint.Closure.NOT_TAKEN_UP
    complaint.closed_on = letter_on
    stamp(complaint, acting_user=acting_user, reason="Niet in behandeling genomen").save()
    return complaint


@transaction.atomic
def withdraw(
    *,
    complaint: Complaint,
    reason: str,
    acting_user: AnyUser,
    withdrawn_on: datetime.date | None = None,
) -> Complaint:
    """Close the complaint because the complainant withdrew it."""
    complaint = _locked(complaint, acting_user)
    _require_open(complaint)
    _require_handler(complaint, acting_user)
    withdrawn_on = withdrawn_on or _today()
    _check_date(withdrawn_on, _("The date of withdrawal"), not_before=complaint.received_on)
    complaint.closure_reason = _required_text(reason, _("Record what the complainant said."))
    complaint.phase = Complaint.Phase.CLOSED
    complaint.closure = Complaint.Closure.WITHDRAWN
    complaint.closed_on = withdrawn_on
    stamp(complaint, acting_user=acting_user, reason="Ingetrokken door klager").save()
    return complaint


@transaction.atomic
def record_letter_sent(
    *, complaint: Complaint, acting_user: AnyUser, sent_on: datetime.date | None = None
) -> Decision:
    """Record that the decision letter went to the complainant (the term of the Ombudsman
    runs from the letter; the copies for the persons complained about follow it)."""
    complaint = _locked(complaint, acting_user)
    _require_handler(complaint, acting_user)
    decision = Decision.objects.select_for_update().filter(complaint=complaint).first()
    if decision is None:
        raise ValidationError(_("There is no decision yet whose letter could be sent."))
    if decision.letter_sent_on is not None:
        raise ValidationError(_("The letter has already been recorded as sent."))
    sent_on = sent_on or _today()
    _check_date(sent_on, _("The date the letter was sent"), not_before=decision.decided_on)
    decision.letter_sent_on = sent_on
    stamp(decision, acting_user=acting_user, reason="Beslissing verzonden aan klager").save()
    return decision


@transaction.atomic
def note_copy_sent(
    *, complained: ComplainedEmployee, acting_user: AnyUser, sent_on: datetime.date | None = None
) -> ComplainedEmployee:
    """Note that the person complained about was sent a copy of the decision."""
    complaint = _locked(complained.complaint, acting_user)
    _require_handler(complaint, acting_user)
    decision = Decision.objects.filter(complaint=complaint).first()
    if decision is None:
        raise ValidationError(_("There is no decision yet to send a copy of."))
    complained = complaint.complained_employees.select_for_update().get(pk=complained.pk)
    sent_on = sent_on or _today()
    _check_date(sent_on, _("The date the copy was sent"), not_before=decision.decided_on)
    complained.copy_sent_on = sent_on
    stamp(complained, acting_user=acting_user, reason="Afschrift beslissing verzonden").save()
    return complained


# --- Reminders ------------------------------------------------------------------------


def send_deadline_reminders(*, today: datetime.date | None = None) -> int:
    """Remind handlers of decisions due within a week (or overdue). Idempotent.

    One reminder per complaint per deadline: the complaint is claimed with a conditional
    update of ``reminded_for_deadline``, so a second run sends nothing, and an extended
    deadline earns a new reminder. An unassigned complaint reminds every handler who could
    take it. The message says only that a deadline is near; the complaint is behind the link.
    """
    today = today or _today()
    horizon = today + datetime.timedelta(days=rules.REMINDER_DAYS_BEFORE)
    due = (
        Complaint.objects.filter(phase__in=Complaint.OPEN_PHASES, deadline__lte=horizon)
        .filter(Q(reminded_for_deadline__isnull=True) | ~Q(reminded_for_deadline=F("deadline")))
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = (
                Complaint.objects.filter(pk=pk)
                .filter(
                    Q(reminded_for_deadline__isnull=True) | ~Q(reminded_for_deadline=F("deadline"))
                )
                .update(reminded_for_deadline=F("deadline"))
            )
            if not claimed:
                continue
            complaint = Complaint.objects.select_related("unit", "handler").get(pk=pk)
            recipients = (
                [complaint.handler]
                if complaint.handler is not None
                else list(handlers_for(unit=complaint.unit, employees=_employees_of(complaint)))
            )
            subject = (
                _("A complaint's decision term has passed")
                if complaint.deadline < today
                else _("A complaint's decision term ends within a week")
            )
            for recipient in recipients:
                notify(
                    recipient=recipient,
                    subject=subject,
                    url=_complaint_url(complaint),
                    acting_user=None,
                )
                sent += 1
    return sent
