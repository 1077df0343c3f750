"""Sorting a list by a column, with the sort in the URL (``?sort=score`` / ``?sort=-score``).

Each list declares its columns once — URL key → the fields to order by, a tie-breaker last so
that pages never overlap — and a default. :func:`sort` applies what the URL asks (an unknown
key falls back to the default: a hand-edited URL cannot order by a field nobody offered) and
:func:`sort_columns` gives each column header its link: the same URL with this column's sort,
the other direction when it is the current one, and the page dropped. A link therefore
reproduces the view, filter and sort and all (``includes/sort_th.html`` renders a header).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Model, QuerySet, When
from django.db.models.expressions import OrderBy
from django.http import QueryDict

# URL key → fields to order by (ascending; the descending sort reverses every field).
Columns = Mapping[str, Sequence[str]]


def current_sort(value: str | None, columns: Columns, default: str) -> str:
    """The sort the URL asks for, when it is one of the columns; else the default."""
    if value and value.removeprefix("-") in columns:
        return value
    return default


def choice_order(field: str, values: Sequence[str]) -> Case:
    """A status or phase as its position in the procedure (annotate it, sort on it)."""
    return Case(
        *(When(**{field: value}, then=index) for index, value in enumerate(values)),
        output_field=IntegerField(),
    )


def _order(field: str, *, descending: bool) -> OrderBy:
    # Empty values last either way: a list sorted by deadline shows the dated ones first.
    expression = F(field)
    return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)


def sort[M: Model](
    queryset: QuerySet[M], value: str | None, columns: Columns, default: str
) -> QuerySet[M]:
    """``queryset`` ordered by the column the URL names (``-`` before it: descending)."""
    chosen = current_sort(value, columns, default)
    descending = chosen.startswith("-")
    fields = columns[chosen.removeprefix("-")]
    return queryset.order_by(*(_order(field, descending=descending) for field in fields), "pk")


@dataclass(frozen=True)
class SortColumn:
    """A column header's link and its state (for ``aria-sort`` and the arrow)."""

    url: str
    state: str  # "ascending", "descending" or "" (not sorted by this column)


def sort_columns(
    query: QueryDict, value: str | None, columns: Columns, default: str
) -> dict[str, SortColumn]:
    """Per column: the URL that sorts by it (or reverses it), keeping every other parameter."""
    chosen = current_sort(value, columns, default)
    links = {}
    for key in columns:
        if chosen == key:
            target, state = f"-{key}", "ascending"
        elif chosen == f"-{key}":
            target, state = key, "descending"
        else:
            target, state = key, ""
        params = query.copy()
        params.pop("page", None)
        params["sort"] = target
        links[key] = SortColumn(url=f"?{params.urlencode()}", state=state)
    return links
