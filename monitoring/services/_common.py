"""Helpers shared by the monitoring services."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    # A declared alias: as a bare assignment mypy took it for a variable when it reached
    # this module by another import order (a fresh cache).
    type AnyUser = User | AnonymousUser

DEFAULT_REASON = "Beginwaarde"


def real_user(user: AnyUser | None) -> User | None:
    """The user to record as actor: ``None`` for anonymous (beat, commands without a user)."""
    return user if user is not None and user.is_authenticated else None
