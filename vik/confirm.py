"""Confirmation before a step that cannot be undone: a plain page, no script.

A form that performs an irreversible step is first checked by running its service in a
savepoint that is always rolled back (:func:`dry_run`): a refusal by the protocol is shown on
the form at once, and only a step that would succeed gets the confirmation page. That page
reads the values back, says what cannot be undone, and carries the form data as hidden fields
(:func:`carried_fields`); "confirm" posts them again with ``confirmed=yes``, "back" returns to
the filled-in form. Messages, e-mails and tasks of the dry run go with the rollback: Django
drops the ``on_commit`` callbacks of a rolled-back savepoint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict

CONFIRMED = "confirmed"
BACK = "back"


class _RolledBack(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Raised inside the savepoint to undo a successful dry run."""


def dry_run(step: Callable[[], Any]) -> ValidationError | None:
    """Run ``step`` and undo it; the refusal it raised, or ``None`` if it would succeed."""
    try:
        with transaction.atomic():
            step()
            raise _RolledBack
    except _RolledBack:
        return None
    except ValidationError as error:
        return error


def is_confirmed(post: QueryDict) -> bool:
    return post.get(CONFIRMED) == "yes"


def carried_fields(post: QueryDict) -> list[tuple[str, str]]:
    """The submitted values, to post again from the confirmation page."""
    return [
        (name, value)
        for name, values in post.lists()
        if name not in {"csrfmiddlewaretoken", CONFIRMED, BACK}
        for value in values
    ]


def read_back(form: Any) -> list[tuple[str, str]]:
    """(label, value) of every filled-in field, as a person reads it (choice labels, dates)."""
    rows = []
    for field in form:
        if field.is_hidden:
            continue
        value = form.cleaned_data.get(field.name)
        shown = _shown(field, value)
        if shown:
            rows.append((str(field.label), shown))
    return rows


def _shown(field: Any, value: Any) -> str:
    from django.utils.translation import gettext as _

    if value is None or value == "" or value == [] or value is False:
        return ""
    if value is True:
        return _("yes")
    choices = dict(getattr(field.field, "choices", None) or ())
    raw = field.value()
    if isinstance(raw, str) and raw in choices:
        return str(choices[raw])
    if hasattr(value, "hour"):
        return value.strftime("%d-%m-%Y %H:%M")
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return str(value)
