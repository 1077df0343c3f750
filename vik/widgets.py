"""Shared form widgets.

The browser's date and time pickers accept only ISO values, whatever the page's language;
Django would otherwise format a pre-filled date the Dutch way (22-11-2026) and the field
would show up empty.
"""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker (ISO dates)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (ISO, to the minute)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
