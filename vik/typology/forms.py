"""The form field every app uses to record kinds of violation at one of its steps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Model, Q
from django.utils.translation import gettext_lazy as _

from vik.models.typology import ClassificationStage, ViolationKind
from vik.typology.selectors import active_kinds, recorded_kinds


class KindsField(forms.ModelMultipleChoiceField):
    """Kinds of violation, as checkboxes, in the typology's order (only those in use)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", active_kinds())
        kwargs.setdefault("label", _("Kinds of violation"))
        super().__init__(**kwargs)


def prepare_kinds_field(
    field: forms.Field, *, subject: Model | None, stage: ClassificationStage
) -> None:
    """Offer the kinds in use plus those already recorded, and start from what is recorded.

    A kind switched off after it was recorded stays on the object (and checked) so that
    saving the step again does not silently drop it.
    """
    current: Iterable[ViolationKind] = (
        recorded_kinds(subject=subject, stage=stage) if subject is not None else []
    )
    current_ids = [kind.pk for kind in current]
    field.queryset = ViolationKind.objects.filter(  # type: ignore[attr-defined]
        Q(is_active=True) | Q(pk__in=current_ids)
    )
    if current_ids:
        field.initial = current_ids
