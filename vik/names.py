"""Names for things: the one place that turns technical values into words a person reads.

Object types ("screening.screeningdossier"), the police systems of the access events
("HKS"), their actions ("view"), burst keys ("s:P1598249276-0007152"), the source of a case
("demo:monitoring.signal:1042"), the purpose codes VIK writes into its own access log
("name shown", "history") and roles: every page, CSV export and PDF that shows one of them
asks here, so the same thing has the same name everywhere and in both languages.

Each function returns a :class:`Name`: the words (``str(name)``) and the technical value.
In a template, ``{{ name }}`` renders the words in a ``<span title="…">`` with the technical
value as its tooltip, for the analyst who needs the exact value; ``{{ name.label }}`` is the
words alone (CSV, PDF). A value nobody registered is shown as it is, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.apps import apps
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The marker the demo puts before the references it makes, so seeding can find them again.
DEMO_MARKER = "demo:"


@dataclass(frozen=True)
class Name:
    """Words for a technical value, with the value kept for a tooltip."""

    label: str
    technical: str = ""

    def __str__(self) -> str:
        return self.label

    def __html__(self) -> SafeString:
        if not self.technical or self.technical == self.label:
            return format_html("{}", self.label)
        return format_html('<span title="{}">{}</span>', self.technical, self.label)


def _name(label: str | Promise, technical: str) -> Name:
    return Name(str(label), technical)


# --- object types and objects ---------------------------------------------------------


def object_type(value: str) -> Name:
    """ "screening.screeningdossier" → "Screeningsdossier" (the model's own name)."""
    app_label, _dot, model_name = value.partition(".")
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return Name(value, value)
    return _name(capfirst(str(model._meta.verbose_name)), value)


def object_ref(value: str, object_id: object = None) -> Name:
    """ "monitoring.signal" and 12 → "Signaal 12" (tooltip: "monitoring.signal #12")."""
    kind = object_type(value)
    if object_id in (None, ""):
        return kind
    return Name(f"{kind.label} {object_id}", f"{value} #{object_id}")


# --- the police systems and their actions ---------------------------------------------

SYSTEMS: dict[str, Promise] = {
    "BVH": _("incident register (BVH)"),
    "BlueView": _("police search engine (BlueView)"),
    "RDW": _("vehicle register (RDW)"),
    "BRP": _("population register (BRP)"),
    "HKS": _("criminal records (HKS)"),
    "Summ-IT": _("criminal investigation system (Summ-IT)"),
    "Intranet": _("intranet"),
    "HRM-portaal": _("HR portal"),
}

EVENT_ACTIONS: dict[str, Promise] = {
    "search": pgettext_lazy("event action", "searched"),
    "view": pgettext_lazy("event action", "opened"),
    "print": pgettext_lazy("event action", "printed"),
    "export": pgettext_lazy("event action", "exported"),
}


def system(code: str) -> Name:
    """ "HKS" → "criminal records (HKS)"."""
    return _name(SYSTEMS.get(code, code), code)


def event_action(code: str) -> Name:
    """ "view" → "opened": what a colleague did in a police system."""
    return _name(EVENT_ACTIONS.get(code, code), code)


def system_action(system_code: str, action_code: str) -> Name:
    """ "HKS", "view" → "criminal records (HKS): opened"."""
    if not system_code:
        return event_action(action_code)
    if not action_code:
        return system(system_code)
    label = _("%(system)s: %(action)s") % {
        "system": system(system_code).label,
        "action": event_action(action_code).label,
    }
    return Name(label, f"{system_code} · {action_code}")


# --- burst keys --------------------------------------------------------------------------

BURST_TARGETS: dict[str, Promise] = {
    "s": pgettext_lazy("burst", "Person or object %(ref)s"),
    "i": pgettext_lazy("burst", "Incident %(ref)s"),
}


def burst_target(target: str) -> Name:
    """ "s:P1598249276-0007152" → "Person or object P1598249276-0007152"."""
    kind, sep, ref = target.partition(":")
    if sep and kind in BURST_TARGETS:
        return Name(str(BURST_TARGETS[kind]) % {"ref": ref}, target)
    return Name(target, target)


# --- the source of a case ----------------------------------------------------------------

_OBJECT_SOURCE = re.compile(r"^(?P<type>[a-z_]+\.[a-z_]+):(?P<id>\w+)$")

SOURCES: dict[str, Promise] = {
    "line": _("referred by the line"),
    "deputy": _("registered by the deputy"),
}


def source(reference: str) -> Name:
    """ "demo:monitoring.signal:1042" → "Signal 1042"; free text stays as it was typed."""
    value = reference.removeprefix(DEMO_MARKER)
    if match := _OBJECT_SOURCE.match(value):
        return Name(object_ref(match["type"], match["id"]).label, reference)
    return Name(str(SOURCES.get(value, value)), reference)


# --- VIK's own access log ----------------------------------------------------------------

PURPOSES: dict[str, Promise] = {
    "name shown": _("name shown"),
    "pseudonymised": _("pseudonymised"),
    "history": _("change history"),
    "pdf": _("PDF"),
    "assignment": _("written assignment"),
    "calendar": _("calendar file"),
    "evidence": pgettext_lazy("access purpose", "evidence"),
    "investigation report": _("investigation report"),
    "letter": pgettext_lazy("access purpose", "letter"),
    "hearing": pgettext_lazy("access purpose", "hearing"),
    "delete": pgettext_lazy("access purpose", "delete"),
    # The tabs of a case, written as the purpose of a look at them.
    "overview": pgettext_lazy("access purpose", "case overview"),
    "journal": pgettext_lazy("access purpose", "case journal"),
    "methods": pgettext_lazy("access purpose", "investigation methods"),
    "interviews": pgettext_lazy("access purpose", "interviews"),
    "documents": pgettext_lazy("access purpose", "documents"),
    "letters": pgettext_lazy("access purpose", "letters"),
    "conclusion": pgettext_lazy("access purpose", "conclusion"),
}


def purpose(value: str) -> Name:
    """A purpose code VIK itself writes → words; a purpose a person typed stays as typed."""
    return _name(PURPOSES.get(value, value), value)


def role(code: str) -> Name:
    """ "privacy_officer" → "Privacy officer"; no role → automatic processing."""
    from vik.roles import Role

    if not code:
        return Name(str(_("Automatic processing")), "")
    try:
        return _name(Role(code).label, code)
    except ValueError:
        return Name(code, code)
