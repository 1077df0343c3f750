"""Choice widgets rendered as Bootstrap form-checks.

The site's form renderer adds ``form-check-input`` to a widget's attributes, which Django's
default radio/checkbox markup puts on the surrounding container as well; these widgets
render each option as a ``form-check`` instead.
"""

from __future__ import annotations

from typing import Any

from django import forms


class _ChoiceListMixin:
    columns: int | None = None
    inline = False

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)  # type: ignore[misc]
        context["widget"]["columns"] = self.columns
        context["widget"]["inline"] = self.inline
        return context


class RadioList(_ChoiceListMixin, forms.RadioSelect):
    """One choice, as a list of radio buttons (optionally on one line)."""

    template_name = "screening/widgets/choices.html"

    def __init__(self, *args: Any, inline: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inline = inline


class CheckboxList(_ChoiceListMixin, forms.CheckboxSelectMultiple):
    """Several choices, as a list of checkboxes (optionally in columns)."""

    template_name = "screening/widgets/choices.html"

    def __init__(self, *args: Any, columns: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
