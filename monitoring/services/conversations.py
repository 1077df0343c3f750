"""The team chief plans a conversation and invites the employee — after a signal or after a
case sent back to the line, the same way.

:func:`plan_conversation` stores when and where, and sends the invitation to the employee as
a message in VIK (with the e-mail that a message waits). While a matter about the employee is
with VIK — they are a party to an open case, or disclosure about them is deferred — nothing
may reach them (it could tip off a covert investigation), so planning is refused; the team
chief is told only to contact VIK, never why. For a case back to the line that case itself
does not count: it is what the conversation is about.

:func:`record_any_conversation` records the conversation through the kind's own service
(:func:`monitoring.services.review.record_conversation`,
:func:`cases.services.record_line_conversation`), behind one form.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cases.models import LineReferral
from cases.selectors import line_referrals_visible_to
from monitoring.models import FollowUp
from monitoring.selectors.conversations import Conversation, Source
from monitoring.selectors.review import matter_with_vik_about
from monitoring.selectors.scoping import followups_visible_to
from vik.history import stamp
from vik.models import ViolationKind
from vik.services import notify

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

MIN_INVITATION_LENGTH = 20
PLACE_MAX_LENGTH = 200


def _user(user: AnyUser) -> User:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Only a signed-in user can do this."))
    return user


def _lock(conversation: Conversation, *, user: User) -> Conversation:
    """Re-check through the kind's visible-to selector and lock the row."""
    if conversation.source == Source.SIGNAL:
        followup = (
            followups_visible_to(user=user)
            .select_for_update(of=("self",))
            .filter(pk=conversation.obj.pk)
            .first()
        )
        if followup is None:
            raise PermissionDenied(_("You do not lead this employee's team."))
        return Conversation(Source.SIGNAL, followup)
    referral = (
        line_referrals_visible_to(user=user)
        .select_for_update(of=("self",))
        .filter(pk=conversation.obj.pk)
        .first()
    )
    if referral is None:
        raise PermissionDenied(_("You do not lead this employee's team."))
    return Conversation(Source.LINE, referral)


def draft_invitation(conversation: Conversation, *, chief: AnyUser) -> str:
    """A neutral starting text for the invitation (the chief edits it).

    It says nothing of why: the employee reads it in VIK, and the date, time and place are
    added below it by :func:`plan_conversation`. In the application's language (Dutch): the
    reader is the employee, not the chief.
    """
    employee = conversation.obj.employee
    signature = (chief.get_full_name() if chief.is_authenticated else "") or _("Your team chief")
    with translation.override(settings.LANGUAGE_CODE):
        return "\n\n".join(
            [
                _("Dear %(name)s,") % {"name": employee.first_name},
                _(
                    "I would like to speak with you in person. The date, time and place are "
                    "below. If the moment does not suit you, please let me know and we will "
                    "find another."
                ),
                _(
                    "You may bring someone you trust, for example a confidential counsellor. "
                    "The conversation is meant to hear your account."
                ),
                _("Kind regards,") + "\n" + signature,
            ]
        )


def _when_and_where(planned_at: datetime.datetime, place: str) -> str:
    moment = timezone.localtime(planned_at)
    lines = [
        _("When: %(date)s at %(time)s")
        % {
            "date": formats.date_format(moment, "l j F Y"),
            "time": formats.time_format(moment, "H:i"),
        }
    ]
    if place:
        lines.append(_("Where: %(place)s") % {"place": place})
    return "\n".join(lines)


@transaction.atomic
def plan_conversation(
    *,
    conversation: Conversation,
    planned_at: datetime.datetime,
    place: str = "",
    invitation: str,
    acting_user: AnyUser,
) -> Conversation:
    """Plan the conversation and send the employee the invitation.

    Refused for a conversation already held, a moment in the past, an invitation too short
    to say anything, and — whatever else — while a matter about the employee is with VIK.
    Planning again (another moment) sends a new invitation. ``invited_at`` stays empty when
    the employee has no active account: then the chief invites them in person.
    """
    user = _user(acting_user)
    conversation = _lock(conversation, user=user)
    obj = conversation.obj
    if conversation.is_held:
        raise ValidationError(_("This conversation is already recorded."), code="recorded")
    if planned_at <= timezone.now():
        raise ValidationError(_("Plan the conversation in the future."), code="past")
    invitation = (invitation or "").strip()
    if len(invitation) < MIN_INVITATION_LENGTH:
        raise ValidationError(
            _("Write the invitation (at least %(n)s characters).") % {"n": MIN_INVITATION_LENGTH},
            code="invitation",
        )
    place = (place or "").strip()[:PLACE_MAX_LENGTH]
    if matter_with_vik_about(obj.employee_id, except_case_id=conversation.case_id) is not None:
        # The chief may not learn why: a covert investigation must not be tipped off.
        raise ValidationError(
            _(
                "The invitation cannot be sent now. Please contact VIK before you plan this "
                "conversation."
            ),
            code="matter_with_vik",
        )
    obj.planned_at = planned_at
    obj.planned_place = place
    obj.invitation = invitation
    obj.planned_by = user
    obj.invited_at = None
    employee = obj.employee
    if employee.user is not None and employee.user.is_active:
        with translation.override(settings.LANGUAGE_CODE):
            notify(
                recipient=employee.user,
                subject=_("Invitation to a conversation with your team chief"),
                body=invitation + "\n\n" + _when_and_where(planned_at, place),
                acting_user=user,
            )
        obj.invited_at = timezone.now()
    stamp(obj, acting_user=user, reason="Gesprek gepland, uitnodiging verstuurd").save()
    return conversation


def record_any_conversation(
    *,
    conversation: Conversation,
    held_on: datetime.date,
    account: str,
    agreements: str = "",
    present: str = "",
    outcome: str = "",
    kinds: Iterable[ViolationKind] | None = None,
    acting_user: AnyUser,
) -> Conversation:
    """Record the conversation through its kind's own service (one form for both).

    After a signal the record also takes who was present, the outcome and the kinds of
    violation; after a case back to the line, the summary and the agreements.
    """
    from cases.services import record_line_conversation
    from monitoring.services.review import record_conversation

    if isinstance(conversation.obj, FollowUp):
        followup = record_conversation(
            followup=conversation.obj,
            held_on=held_on,
            present=present,
            employee_account=account,
            outcome=outcome,
            agreed_actions=agreements,
            kinds=kinds,
            acting_user=acting_user,
        )
        return Conversation(Source.SIGNAL, followup)
    assert isinstance(conversation.obj, LineReferral)  # noqa: S101 - two kinds only
    referral = record_line_conversation(
        referral=conversation.obj,
        held_on=held_on,
        summary=account,
        agreements=agreements,
        acting_user=acting_user,
    )
    return Conversation(Source.LINE, referral)
