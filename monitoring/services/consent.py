"""Protocol changes: proposed, put to the works council, applied only on its consent.

The rule (issue 11, point 3; seed 001: the works council consents to protective
monitoring): a *material* change to monitoring — a threshold or weight outside the range the
council agreed, switching an indicator on or off, a new indicator, data source or kind of
reveal reason, a longer retention period — changes nothing when it is made. It becomes a
:class:`~monitoring.models.ProtocolChange` with its rationale. Only
:func:`record_council_decision`, entered by someone with
:attr:`~vik.roles.Capability.RECORD_COUNCIL_CONSENT` who is *not* the proposer, applies it
(with the history user and a change reason naming the proposal and the council's letter).
A refusal closes the proposal and leaves everything as it was.

Changes inside the agreed ranges stay tuning: applied at once, with history
(:mod:`monitoring.services.config`). Views never decide which is which: the services do.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.indicators import IndicatorCode
from monitoring.models import (
    CouncilDecision,
    ImportBatch,
    IndicatorSetting,
    MonitoringParameter,
    ProtocolChange,
)
from monitoring.models.review import IdentityReveal
from monitoring.services._common import real_user
from vik.history import stamp
from vik.roles import Capability
from vik.selectors import has_capability

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

Kind = ProtocolChange.Kind
Status = ProtocolChange.Status

MIN_RATIONALE_LENGTH = 20

# What the works council consented to when protective monitoring was introduced (protocol
# version 1): the indicators, data sources and kinds of reveal reason of that release. A code
# a later release adds is not used until a consented proposal names it.
CONSENTED_INDICATORS: frozenset[str] = frozenset(
    {
        "off_duty",
        "after_employment",
        "celebrity_burst",
        "relative",
        "neighbour",
        "self_lookup",
        "colleague_lookup",
        "out_of_region_incident",
        "volume_spike",
        "repeated_unexplained",
    }
)
CONSENTED_DATA_SOURCES: frozenset[str] = frozenset({"access_log", "reference"})
CONSENTED_REVEAL_REASONS: frozenset[str] = frozenset(
    {"follow_up", "work_reason", "data_error", "serious_suspicion", "escalation", "other"}
)
_BASELINE = {
    Kind.NEW_INDICATOR: CONSENTED_INDICATORS,
    Kind.NEW_DATA_SOURCE: CONSENTED_DATA_SOURCES,
    Kind.NEW_REVEAL_REASON: CONSENTED_REVEAL_REASONS,
}

# Who may propose which change: whoever could make it were it tuning.
_PROPOSER = {
    Kind.PARAMETER: Capability.TUNE_DETECTION,
    Kind.INDICATOR_WEIGHT: Capability.TUNE_DETECTION,
    Kind.INDICATOR_ENABLED: Capability.TUNE_DETECTION,
    Kind.NEW_INDICATOR: Capability.TUNE_DETECTION,
    Kind.NEW_DATA_SOURCE: Capability.TUNE_DETECTION,
    Kind.NEW_REVEAL_REASON: Capability.TUNE_DETECTION,
    Kind.RETENTION: Capability.MANAGE_ORGANISATION,
}


# --- Is it in the protocol? --------------------------------------------------------------


def in_protocol(kind: str, code: str) -> bool:
    """Whether an indicator, data source or kind of reveal reason is one the council agreed.

    The release's baseline, or a later proposal that the council consented to.
    """
    if code in _BASELINE[Kind(kind)]:
        return True
    return ProtocolChange.objects.filter(
        kind=kind, target=code, status=Status.CONSENTED, proposed_value="1"
    ).exists()


def require_in_protocol(kind: str, code: str) -> None:
    """Refuse to use what the council has not consented to (called where it would be used)."""
    if not in_protocol(kind, code):
        raise ValidationError(
            _("Not part of the protocol the works council consented to: %(code)s.")
            % {"code": code},
            code="not_in_protocol",
        )


def outside_agreed(value: Decimal, low: Decimal | None, high: Decimal | None) -> bool:
    """A value outside the agreed range (a missing bound agrees to nothing beyond the value)."""
    return (low is not None and value < low) or (high is not None and value > high)


# --- Proposing ----------------------------------------------------------------------------


def _rationale(text: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_RATIONALE_LENGTH:
        raise ValidationError(
            _(
                "This is a protocol change: it needs the works council's consent. Give its "
                "rationale for the council (at least %(n)s characters)."
            )
            % {"n": MIN_RATIONALE_LENGTH},
            code="rationale",
        )
    return text


@transaction.atomic
def propose_change(
    *,
    kind: str,
    target: str,
    proposed_value: str,
    current_value: str = "",
    rationale: str,
    acting_user: AnyUser | None,
) -> ProtocolChange:
    """Record a protocol change as a proposal; nothing it names changes yet.

    ``acting_user`` None is VIK itself (a newer release bringing a new indicator).
    """
    kind = Kind(kind)
    if acting_user is not None and not has_capability(acting_user, _PROPOSER[kind]):
        raise PermissionDenied
    change = ProtocolChange(
        kind=kind,
        target=target,
        current_value=current_value,
        proposed_value=proposed_value,
        rationale=_rationale(rationale),
        proposed_by=real_user(acting_user),
    )
    change.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            stamp(change, acting_user=acting_user, reason=_("Proposed")).save()
    except IntegrityError:
        raise ValidationError(
            _("A proposal for this setting already awaits the works council."), code="pending"
        ) from None
    return change


def propose_parameter(
    *, parameter: MonitoringParameter, value: Decimal, rationale: str, acting_user: AnyUser
) -> ProtocolChange:
    """A threshold outside the agreed range, proposed (the parameter keeps its value)."""
    current = MonitoringParameter.objects.get(pk=parameter.pk).value
    return propose_change(
        kind=Kind.PARAMETER,
        target=parameter.key,
        current_value=_text(current),
        proposed_value=_text(value),
        rationale=rationale,
        acting_user=acting_user,
    )


def propose_indicator(
    *, setting: IndicatorSetting, rationale: str, acting_user: AnyUser
) -> list[ProtocolChange]:
    """Switching an indicator, or a weight outside the agreed range, proposed.

    ``setting`` carries the wanted values; the stored row keeps its own.
    """
    stored = IndicatorSetting.objects.get(pk=setting.pk)
    proposals = []
    if setting.enabled != stored.enabled:
        proposals.append(
            propose_change(
                kind=Kind.INDICATOR_ENABLED,
                target=setting.code,
                current_value="1" if stored.enabled else "0",
                proposed_value="1" if setting.enabled else "0",
                rationale=rationale,
                acting_user=acting_user,
            )
        )
    if setting.weight != stored.weight and outside_agreed(
        setting.weight, stored.agreed_min, stored.agreed_max
    ):
        proposals.append(
            propose_change(
                kind=Kind.INDICATOR_WEIGHT,
                target=setting.code,
                current_value=_text(stored.weight),
                proposed_value=_text(setting.weight),
                rationale=rationale,
                acting_user=acting_user,
            )
        )
    return proposals


def propose_longer_retention(
    *, category: str, current_months: int, months: int, rationale: str, acting_user: AnyUser
) -> ProtocolChange:
    """A longer retention period for a category, proposed (the period in force stays)."""
    return propose_change(
        kind=Kind.RETENTION,
        target=category,
        current_value=str(current_months),
        proposed_value=str(months),
        rationale=rationale,
        acting_user=acting_user,
    )


def propose_new_elements(*, acting_user: AnyUser | None = None) -> list[ProtocolChange]:
    """A proposal for every indicator, data source and kind of reveal reason that this
    release knows but the council has not agreed to (and nobody proposed yet)."""
    known = {
        Kind.NEW_INDICATOR: [c.value for c in IndicatorCode],
        Kind.NEW_DATA_SOURCE: [c.value for c in ImportBatch.Kind],
        Kind.NEW_REVEAL_REASON: [c.value for c in IdentityReveal.ReasonCategory],
    }
    proposed = set(
        ProtocolChange.objects.filter(kind__in=list(known)).values_list("kind", "target")
    )
    created = []
    for kind, codes in known.items():
        for code in codes:
            if code in _BASELINE[kind] or (kind.value, code) in proposed:
                continue
            created.append(
                propose_change(
                    kind=kind,
                    target=code,
                    proposed_value="1",
                    rationale=_("Added by a new release of VIK; not used until consented."),
                    acting_user=acting_user,
                )
            )
    return created


# --- Withdrawing --------------------------------------------------------------------------


@transaction.atomic
def withdraw_change(*, change: ProtocolChange, acting_user: AnyUser) -> ProtocolChange:
    """The proposer (or another who could propose it) withdraws a pending proposal."""
    change = _pending(change)
    if not has_capability(acting_user, _PROPOSER[Kind(change.kind)]):
        raise PermissionDenied
    change.status = Status.WITHDRAWN
    change.closed_at = timezone.now()
    stamp(change, acting_user=acting_user, reason=_("Withdrawn")).save()
    return change


# --- The council's decision ---------------------------------------------------------------


@transaction.atomic
def record_council_decision(
    *,
    change: ProtocolChange,
    decided_on: datetime.date,
    consented: bool,
    letter_reference: str,
    letter: UploadedFile | None = None,
    acting_user: AnyUser,
) -> CouncilDecision:
    """Record the works council's decision on a proposal; on consent, apply the change.

    Entered by someone with the capability, never by the proposer: the one who wants the
    change does not also attest that the council agreed to it.
    """
    if not has_capability(acting_user, Capability.RECORD_COUNCIL_CONSENT):
        raise PermissionDenied
    change = _pending(change)
    if change.proposed_by_id is not None and change.proposed_by_id == acting_user.pk:
        raise ValidationError(
            _("You proposed this change: someone else records the works council's decision."),
            code="proposer",
        )
    letter_reference = letter_reference.strip()
    if not letter_reference:
        raise ValidationError(_("Give the reference of the council's letter."), code="reference")
    if decided_on > timezone.localdate():
        raise ValidationError(_("The council's decision cannot lie in the future."), code="date")
    if decided_on < timezone.localtime(change.proposed_at).date():
        raise ValidationError(_("The council decided before the change was proposed?"), code="date")
    decision = CouncilDecision(
        change=change,
        decided_on=decided_on,
        decision=CouncilDecision.Decision.CONSENTED
        if consented
        else CouncilDecision.Decision.REFUSED,
        letter_reference=letter_reference,
        recorded_by=real_user(acting_user),
    )
    if letter is not None:
        _attach(decision, letter)
    decision.save()
    reason = _("Works council %(decision)s, letter %(reference)s (proposal %(id)s)") % {
        "decision": decision.get_decision_display().lower(),
        "reference": letter_reference,
        "id": change.pk,
    }
    if consented:
        _apply(change, acting_user=acting_user, reason=reason)
    change.status = Status.CONSENTED if consented else Status.REFUSED
    change.closed_at = timezone.now()
    stamp(change, acting_user=acting_user, reason=reason).save()
    return decision


def _attach(decision: CouncilDecision, letter: UploadedFile) -> None:
    from cases.uploads import check_upload

    checked = check_upload(letter)
    if checked.content_type != "application/pdf":
        raise ValidationError(_("The council's letter must be a PDF."), code="file_type")
    decision.letter_name = checked.original_name
    decision.letter_sha256 = checked.sha256
    letter.seek(0)
    decision.letter.save(checked.original_name, letter, save=False)


def _apply(change: ProtocolChange, *, acting_user: AnyUser, reason: str) -> None:
    """Make the consented change, and widen the agreed range to what the council agreed."""
    kind = Kind(change.kind)
    if kind == Kind.PARAMETER:
        parameter = MonitoringParameter.objects.select_for_update().get(key=change.target)
        value = _decimal(change.proposed_value)
        parameter.value = value
        parameter.agreed_min = min(
            value, parameter.agreed_min if parameter.agreed_min is not None else value
        )
        parameter.agreed_max = max(
            value, parameter.agreed_max if parameter.agreed_max is not None else value
        )
        parameter.full_clean()
        stamp(parameter, acting_user=acting_user, reason=reason).save()
    elif kind in (Kind.INDICATOR_WEIGHT, Kind.INDICATOR_ENABLED, Kind.NEW_INDICATOR):
        setting = IndicatorSetting.objects.select_for_update().filter(code=change.target).first()
        if setting is None:
            return  # a new indicator whose settings the next run adds (enabled: consented)
        if kind == Kind.INDICATOR_WEIGHT:
            weight = _decimal(change.proposed_value)
            setting.weight = weight
            setting.agreed_min = min(
                weight, setting.agreed_min if setting.agreed_min is not None else weight
            )
            setting.agreed_max = max(
                weight, setting.agreed_max if setting.agreed_max is not None else weight
            )
        else:
            setting.enabled = change.proposed_value == "1"
        setting.full_clean()
        stamp(setting, acting_user=acting_user, reason=reason).save()
    elif kind == Kind.RETENTION:
        from vik.transparency.models import RetentionPolicy

        policy = RetentionPolicy.objects.select_for_update().filter(category=change.target).first()
        policy = policy or RetentionPolicy(category=change.target)
        policy.period_months = int(change.proposed_value)
        policy.full_clean()
        stamp(policy, acting_user=acting_user, reason=reason).save()
    # A new data source or kind of reveal reason: the consented proposal itself is what
    # ``in_protocol`` reads; nothing else to change.


def _pending(change: ProtocolChange) -> ProtocolChange:
    locked = ProtocolChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != Status.PENDING:
        raise ValidationError(_("This proposal is already closed."), code="closed")
    return locked


def _text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Not a number: %(v)s") % {"v": text}) from None
