"""The application's menu and the "Mijn werk" home page, assembled from every app.

Each app registers its entries in its ``AppConfig.ready()``. An entry is shown to a user
who has its capability; its optional ``pending`` callable returns how much work waits for
that user (one cheap query, shown on the home page only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from vik.roles import Capability

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


@dataclass(frozen=True)
class NavEntry:
    """One destination in the menu and one tile on the home page."""

    section: str | Promise
    label: str | Promise
    url_name: str
    # One capability, or several of which any will do (like ``CapabilityRequiredMixin``).
    capability: Capability | tuple[Capability, ...]
    description: str | Promise = ""
    pending: Callable[[User], int] | None = field(default=None, compare=False)
    order: int = 100


_ENTRIES: list[NavEntry] = []


def register(*entries: NavEntry) -> None:
    """Add entries to the menu (idempotent, so reloading an app does not duplicate them)."""
    for entry in entries:
        if entry not in _ENTRIES:
            _ENTRIES.append(entry)
    _ENTRIES.sort(key=lambda e: (e.order, str(e.label)))


def entries_for(user: User | AnonymousUser) -> list[NavEntry]:
    """The entries this user may use, in menu order."""
    from vik.selectors import capabilities_of

    held = capabilities_of(user)
    entries: list[NavEntry] = []
    for entry in _ENTRIES:
        wanted = entry.capability if isinstance(entry.capability, tuple) else (entry.capability,)
        # A page may be registered in two sections for two kinds of user (role requests:
        # administrators and approvers); a user who is both sees it once, where it comes first.
        if not held.isdisjoint(wanted) and all(e.url_name != entry.url_name for e in entries):
            entries.append(entry)
    return entries


def sections_for(user: User | AnonymousUser) -> list[tuple[str, list[NavEntry]]]:
    """The user's entries grouped by section, for the navigation bar."""
    grouped: dict[str, list[NavEntry]] = {}
    for entry in entries_for(user):
        grouped.setdefault(str(entry.section), []).append(entry)
    return list(grouped.items())
