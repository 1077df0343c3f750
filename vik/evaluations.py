"""Anonymous evaluations: answers that cannot be traced to a person, shown only in groups.

First written for the screening interview (the 11 questions of seed 002) and shared since
prevention sessions are evaluated the same way. The mechanism has three parts:

* an **invitation** (one per person, or one single-use code per participant) knows at most
  whom it was for and whether it was used — never the answers. It is claimed with
  :func:`claim_once`, a conditional ``update()`` that writes no history row (a history row
  would timestamp the moment of answering and so help link answer to person);
* the **response** (a concrete subclass of :class:`AnonymousEvaluationResponse`) holds the
  answers with nothing that points back: no foreign key to the invitation or the person, a
  random UUID primary key (insertion order cannot be matched against invitations), no
  timestamp finer than the quarter, and no history trail;
* only :func:`summarise_answers` reads responses for people: means and distributions of the
  ratings, counts of the choices, the open answers in random order without any context —
  and nothing at all below :data:`MINIMUM_GROUP` answers.
"""

from __future__ import annotations

import random
import statistics as pystats
import uuid
from collections import Counter
from collections.abc import Iterable
from typing import Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Fewer answers than this and a group's answers could point at a person: nothing is shown.
MINIMUM_GROUP = 5


class Rating(models.IntegerChoices):
    """The five-point scale of the evaluation forms."""

    VERY_POOR = 1, _("Very poor")
    POOR = 2, _("Poor")
    NEUTRAL = 3, _("Neutral")
    GOOD = 4, _("Good")
    VERY_GOOD = 5, _("Very good")


class AnonymousEvaluationResponse(models.Model):
    """Abstract: one anonymous set of answers, kept per unit and quarter only.

    Concrete subclasses add their questions as fields and list them in ``RATING_FIELDS``
    (1–5), ``CHOICE_FIELDS`` (a choice) and ``TEXT_FIELDS`` (open answers). Deliberately
    without ``HistoricalRecords``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(
        "vik.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    RATING_FIELDS: ClassVar[tuple[str, ...]] = ()
    CHOICE_FIELDS: ClassVar[tuple[str, ...]] = ()
    TEXT_FIELDS: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"


def claim_once(queryset: models.QuerySet[Any], *, flag: str = "answered") -> bool:
    """Mark an unused invitation as used; ``False`` when it was used already (or by a race).

    A conditional ``update()``: exactly one of two simultaneous submissions wins, and no
    history row records when it happened.
    """
    return bool(queryset.filter(**{flag: False}).update(**{flag: True}))


def answer_fields(model: type[models.Model]) -> tuple[str, ...]:
    """Every question field of a response model, in the order of its lists."""
    return (
        *getattr(model, "RATING_FIELDS", ()),
        *getattr(model, "CHOICE_FIELDS", ()),
        *getattr(model, "TEXT_FIELDS", ()),
    )


def summarise_answers(
    queryset: models.QuerySet[Any], *, minimum: int = MINIMUM_GROUP
) -> dict[str, Any]:
    """The answers in ``queryset`` summarised, or only their number below ``minimum``.

    Returns ``{"count": n, "suppressed": True}`` under the minimum; otherwise ``count``,
    ``ratings`` (per field: ``mean`` and ``distribution`` over 1–5), ``choices`` (per field:
    count per choice value) and ``texts`` (per field: the non-empty answers, shuffled).
    """
    model = queryset.model
    fields = answer_fields(model)
    answers = list(queryset.values(*fields))
    count = len(answers)
    if count < minimum:
        return {"count": count, "suppressed": True}
    summary: dict[str, Any] = {"count": count}
    summary["ratings"] = {
        name: {
            "mean": round(pystats.fmean(row[name] for row in answers), 1),
            "distribution": _distribution(Counter(row[name] for row in answers), Rating.values),
        }
        for name in model.RATING_FIELDS
    }
    summary["choices"] = {
        name: _distribution(
            Counter(row[name] for row in answers),
            [value for value, _label in _choices(model, name)],
        )
        for name in model.CHOICE_FIELDS
    }
    shuffle = random.Random()  # noqa: S311 - an order, not a secret
    texts: dict[str, list[str]] = {}
    for name in model.TEXT_FIELDS:
        given = [row[name].strip() for row in answers if row[name].strip()]
        shuffle.shuffle(given)
        texts[name] = given
    summary["texts"] = texts
    return summary


def summary_rows(model: type[models.Model], summary: dict[str, Any]) -> dict[str, Any]:
    """The summary as rows a template can print: (question, figures) per field."""
    if summary.get("suppressed"):
        return {}
    fields = {f.name: f for f in model._meta.fields}
    return {
        "rating_rows": [
            (fields[name].verbose_name, summary["ratings"][name])
            for name in getattr(model, "RATING_FIELDS", ())
        ],
        "choice_rows": [
            (
                fields[name].verbose_name,
                [
                    (label, summary["choices"][name][value])
                    for value, label in fields[name].choices or ()
                ],
            )
            for name in getattr(model, "CHOICE_FIELDS", ())
        ],
        # Open answers may have been left out for this reader (see the caller).
        "text_rows": [
            (fields[name].verbose_name, summary["texts"][name])
            for name in getattr(model, "TEXT_FIELDS", ())
            if name in summary.get("texts", {})
        ],
    }


def _choices(model: type[models.Model], name: str) -> list[tuple[Any, Any]]:
    field = model._meta.get_field(name)
    return list(getattr(field, "choices", None) or ())


def _distribution(counts: Counter[Any], values: Iterable[Any]) -> dict[Any, int]:
    return {value: counts.get(value, 0) for value in values}
