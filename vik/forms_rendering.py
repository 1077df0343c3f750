"""Form rendering for the whole site: Bootstrap classes on Django's accessible markup.

Django already links every input to its label, help text and errors (``aria-describedby``,
``aria-invalid``); this renderer only adds the CSS classes, so every form — ours,
django-filter's, the auth views' — looks the same without per-form code.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

REQUIRED_MARKER = mark_safe(
    ' <span class="required-marker text-danger" aria-hidden="true">*</span>'
)


def any_required(fields: list[tuple[BoundField, Any]]) -> bool:
    """Whether a form shows a required field (then it explains the asterisk once)."""
    return any(field.field.required and not field.is_hidden for field, _errors in fields)


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class VikBoundField(BoundField):
    """Adds ``form-control``/``form-select``/``form-check-input`` and ``is-invalid``."""

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        css = _widget_class(widget or self.field.widget)
        if self.errors:
            css += " is-invalid"
        attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
        return attrs

    def label_tag(
        self,
        contents: str | None = None,
        attrs: dict[str, Any] | None = None,
        label_suffix: str | None = None,
        tag: str | None = None,
    ) -> SafeString:
        css = (
            "form-check-label"
            if isinstance(self.field.widget, forms.CheckboxInput)
            else "form-label"
        )
        if contents is None and self.field.required and self.label:
            # The marker every required field carries; the input's own ``required``
            # attribute tells a screen reader, so the asterisk itself is not read out.
            contents = format_html("{}{}", self.label, REQUIRED_MARKER)
        return super().label_tag(
            contents, {**(attrs or {}), "class": css}, label_suffix="", tag=tag
        )


class VikFormRenderer(TemplatesSetting):
    """The site's form templates (forms/div.html, forms/field.html) and bound field."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
    bound_field_class = VikBoundField
