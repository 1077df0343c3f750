"""Template filters over :mod:`vik.names`: words for technical values, the value as tooltip.

``{% load vik_names %}``, then ``{{ entry.object_type|object_ref:entry.object_id }}``,
``{{ entry.purpose|purpose }}``, ``{{ event.system|system_action:event.action }}``,
``{{ case.source_reference|source }}``, ``{{ group.target|burst_target }}``. Add ``.label``
nowhere: a filter gives the words as HTML, with the technical value in a ``title``
(Django's template engine would turn any other object into plain text first).
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from vik import names

register = template.Library()


@register.filter
def object_ref(value: str, object_id: object = None) -> SafeString:
    return names.object_ref(value or "", object_id).__html__()


@register.filter
def purpose(value: str) -> SafeString:
    return names.purpose(value or "").__html__()


@register.filter
def system_action(system: str, action: str) -> SafeString:
    return names.system_action(system or "", action or "").__html__()


@register.filter
def source(value: str) -> SafeString:
    return names.source(value or "").__html__()


@register.filter
def burst_target(value: str) -> SafeString:
    return names.burst_target(value or "").__html__()
