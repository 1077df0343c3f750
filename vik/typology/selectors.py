"""Reads of the typology: the kinds, and counts of kinds across every source.

The counts are aggregates — per source, unit, quarter and kind, never an object — for the
prevention coordinators' trends and the works council's dashboard. Who may see which
units' counts is the caller's business (``unit_ids``); these functions only count.

An object without a classification at the source's stage counts as "not yet classified",
as does every object of a source whose app records no kinds yet.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear
from django.utils import timezone

from vik.models.typology import UNCLASSIFIED_CODE, ClassificationStage, ViolationKind
from vik.typology.registry import ClassificationSource, get_sources, source_for


def active_kinds() -> QuerySet[ViolationKind]:
    """The kinds that may be chosen now, in the typology's order."""
    return ViolationKind.objects.filter(is_active=True)


def unclassified_kind() -> ViolationKind:
    """The kind "not yet classified" (installed by a migration; it cannot be switched off)."""
    kind, _created = ViolationKind.objects.get_or_create(
        code=UNCLASSIFIED_CODE, defaults={"name": "Nog niet geclassificeerd", "order": 999}
    )
    return kind


def recorded_kinds(*, subject: Model, stage: ClassificationStage) -> list[ViolationKind]:
    """The kinds recorded on ``subject`` at ``stage``, in the typology's order.

    The caller has already read ``subject`` through its app's visible-to selector.
    """
    source = source_for(type(subject), stage)
    model = source.classification_model
    if model is None:
        return []
    return [
        row.kind
        for row in model.objects.filter(subject=subject, stage=stage)  # type: ignore[attr-defined]
        .select_related("kind")
        .order_by("kind__order", "kind__name")
    ]


@dataclass(frozen=True)
class KindCount:
    """How many objects of one source, unit and quarter carry one kind."""

    source: str
    unit_id: int | None
    year: int
    quarter: int
    kind_id: int
    count: int


def _population(
    source: ClassificationSource,
    start: datetime.date,
    end: datetime.date,
    unit_ids: QuerySet[Any] | Iterable[int] | None,
) -> QuerySet[Any]:
    """The source's objects dated from ``start`` up to (not including) ``end``."""
    objects = source.population()
    lower, upper = _bounds(objects.model, source.date_field, start, end)
    objects = objects.filter(
        **{f"{source.date_field}__gte": lower, f"{source.date_field}__lt": upper}
    )
    if unit_ids is not None:
        objects = objects.filter(**{f"{source.unit_field}__in": unit_ids})
    return objects.order_by()


def _bounds(
    model: type[Model], path: str, start: datetime.date, end: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """``start`` and ``end`` as the field at ``path`` compares them (aware for date-times)."""
    field: Any = None
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.related_model is not None:
            model = field.related_model
    if isinstance(field, DateTimeField):
        return tuple(  # type: ignore[return-value]
            timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
            for day in (start, end)
        )
    return start, end


def kind_counts(
    *,
    start: datetime.date,
    end: datetime.date,
    unit_ids: QuerySet[Any] | Iterable[int] | None = None,
    sources: Iterable[ClassificationSource] | None = None,
) -> list[KindCount]:
    """Objects per source, unit, quarter and kind, dated from ``start`` up to ``end``.

    An object with two kinds counts under both (the coordinators' view: which kinds occur);
    :func:`main_kind_counts` counts each object once. Two queries per wired source, one per
    source that records no kinds yet.
    """
    unclassified = unclassified_kind().pk
    rows: list[KindCount] = []
    for source in sources if sources is not None else get_sources():
        objects = _population(source, start, end, unit_ids)
        model = source.classification_model
        unit, date = source.unit_field, source.date_field
        if model is not None:
            classified = (
                model.objects.filter(stage=source.stage, subject__in=objects.values("pk"))  # type: ignore[attr-defined]
                .order_by()
                .values_list(
                    F(f"subject__{unit}"),
                    ExtractYear(f"subject__{date}"),
                    ExtractQuarter(f"subject__{date}"),
                    "kind_id",
                )
                .annotate(n=Count("subject", distinct=True))
            )
            rows += [KindCount(source.key, *row) for row in classified]
            objects = objects.exclude(
                Exists(model.objects.filter(subject=OuterRef("pk"), stage=source.stage))  # type: ignore[attr-defined]
            )
        unknown = objects.values_list(F(unit), ExtractYear(date), ExtractQuarter(date)).annotate(
            n=Count("pk")
        )
        rows += [
            KindCount(source.key, unit_id, year, quarter, unclassified, n)
            for unit_id, year, quarter, n in unknown
        ]
    return rows


def main_kind_counts(
    *,
    start: datetime.date,
    end: datetime.date,
    sources: Iterable[ClassificationSource] | None = None,
) -> list[tuple[int | None, int, int]]:
    """(unit id, kind id, count): every object once, under its *main* kind.

    The main kind is the first of its kinds in the typology's order (the administrator
    sets it); an object without kinds counts as not yet classified. For figures that must
    not count one matter twice (the works council's, which are protected against
    subtraction). Only the sources ``for_works_council`` unless ``sources`` is given.
    """
    unclassified = unclassified_kind().pk
    chosen = (
        list(sources)
        if sources is not None
        else [source for source in get_sources() if source.for_works_council]
    )
    totals: dict[tuple[int | None, int], int] = {}
    for source in chosen:
        objects = _population(source, start, end, None)
        model = source.classification_model
        if model is not None:
            main = (
                model.objects.filter(subject=OuterRef("pk"), stage=source.stage)  # type: ignore[attr-defined]
                .order_by("kind__order", "kind__name")
                .values("kind_id")[:1]
            )
            objects = objects.annotate(
                main_kind=Coalesce(Subquery(main), unclassified, output_field=IntegerField())
            )
            grouped = objects.values_list(F(source.unit_field), "main_kind").annotate(n=Count("pk"))
        else:
            grouped = [
                (unit_id, unclassified, n)
                for unit_id, n in objects.values_list(F(source.unit_field)).annotate(n=Count("pk"))
            ]
        for unit_id, kind_id, n in grouped:
            totals[unit_id, kind_id] = totals.get((unit_id, kind_id), 0) + n
    return [(unit_id, kind_id, n) for (unit_id, kind_id), n in totals.items()]
