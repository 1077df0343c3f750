"""Form widgets of the cases app.

The site's form renderer gives every widget its Bootstrap class; on a radio group that class
lands on the group's wrapper too, which Bootstrap then draws as one tiny radio button. This
radio widget keeps the class on the inputs and lays each option out as a Bootstrap
``form-check`` with its own label.
"""

from __future__ import annotations

from django import forms


class RadioSelect(forms.RadioSelect):
    template_name = "cases/widgets/radio.html"
    option_template_name = "cases/widgets/radio_option.html"


class DateInput(forms.DateInput):
    """The browser's date picker; it accepts only ISO dates, whatever the site's locale."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (ISO, minutes)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
