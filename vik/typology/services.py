"""Writes of the typology: the kinds themselves, and the kinds recorded on an object.

The app that owns an object decides who may classify it; these services do not. An app's
own service checks access (re-reading the object through its visible-to selector) and then
calls :func:`record_violation_kinds` inside its transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from vik.history import stamp
from vik.models.typology import ClassificationStage, ViolationClassification, ViolationKind
from vik.typology.registry import source_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser


@transaction.atomic
def save_violation_kind(
    *, kind: ViolationKind, acting_user: AnyUser | None, reason: str
) -> ViolationKind:
    """Create or change a kind of violation (validated; the history names who and why).

    "Not yet classified" stays in use: it is what every unclassified object counts as.
    """
    if kind.is_unclassified and not kind.is_active:
        raise ValidationError(_("“Not yet classified” cannot be switched off."))
    kind.full_clean()
    stamp(kind, acting_user=acting_user, reason=reason).save()
    return kind


def kinds_or_unclassified(kinds: Iterable[ViolationKind]) -> list[ViolationKind]:
    """The kinds chosen at a step, or "not yet classified" when none was ticked.

    A step's form lets the kinds be left empty while a matter is not yet clear; what is
    then recorded says so explicitly, rather than nothing.
    """
    from vik.typology.selectors import unclassified_kind

    return list(kinds) or [unclassified_kind()]


def record_step_kinds(
    *,
    subject: Model,
    kinds: Iterable[ViolationKind] | None,
    stage: ClassificationStage,
    acting_user: AnyUser | None,
    reason: str,
    applies: bool = True,
) -> None:
    """Record the kinds ticked at an app's step (triage, outcome, closing, a conversation).

    ``None`` (a caller without a form: the demo, the API) records nothing; nothing ticked
    records "not yet classified". A step whose outcome points at nothing (``applies`` false:
    screening "no concerns", a conversation "explained") takes no kinds and refuses them.
    """
    if kinds is None:
        return
    chosen = list(kinds)
    if not applies:
        if chosen:
            raise ValidationError(
                _("Only an outcome that points at something gets kinds of violation."),
                code="kinds",
            )
        return
    record_violation_kinds(
        subject=subject,
        kinds=kinds_or_unclassified(chosen),
        stage=stage,
        acting_user=acting_user,
        reason=reason,
    )


@transaction.atomic
def record_violation_kinds(
    *,
    subject: Model,
    kinds: Iterable[ViolationKind],
    stage: ClassificationStage,
    acting_user: AnyUser | None,
    reason: str,
) -> list[ViolationClassification]:
    """Record the kinds of violation of ``subject`` at ``stage``; returns the kinds now held.

    The set recorded at this stage is replaced: kinds no longer chosen are removed, new ones
    added, each change with a history row naming ``acting_user`` and ``reason``. Kinds at the
    other stage are kept (an investigation's kinds at triage stay when its outcome is
    classified). At least one kind is needed — "not yet classified" when it is not known,
    and then on its own. A kind no longer in use may stay on an object but not be added.
    """
    source = source_for(type(subject), stage)
    model = source.classification_model
    assert model is not None  # noqa: S101 - source_for returns wired sources only
    chosen = {kind.pk: kind for kind in kinds}
    if not chosen:
        raise ValidationError(_("Choose at least one kind of violation, or “not yet classified”."))
    if len(chosen) > 1 and any(kind.is_unclassified for kind in chosen.values()):
        raise ValidationError(_("“Not yet classified” cannot be combined with other kinds."))
    current = {
        row.kind_id: row
        for row in model.objects.select_for_update().filter(subject=subject, stage=stage)  # type: ignore[attr-defined]
    }
    inactive = [
        kind.name for pk, kind in chosen.items() if pk not in current and not kind.is_active
    ]
    if inactive:
        raise ValidationError(
            _("No longer in use: %(kinds)s.") % {"kinds": ", ".join(sorted(inactive))}
        )
    for kind_id, row in current.items():
        if kind_id not in chosen:
            stamp(row, acting_user=acting_user, reason=reason).delete()
    for kind_id, kind in chosen.items():
        if kind_id not in current:
            row = model(
                subject=subject,  # type: ignore[misc]
                kind=kind,
                stage=stage,
                recorded_by=acting_user if acting_user and acting_user.is_authenticated else None,
            )
            stamp(row, acting_user=acting_user, reason=reason).save()
    return list(
        model.objects.filter(subject=subject, stage=stage).select_related("kind")  # type: ignore[attr-defined]
    )
