"""Helpers shared by the monitoring services."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TypeAlias

    from django.contrib.auth.models import AnonymousUser, User

    AnyUser: TypeAlias = User | AnonymousUser

DEFAULT_REASON = "Beginwaarde"


def real_user(user: AnyUser | None) -> User | None:
    """The user to record as actor: ``None`` for anonymous (beat, commands without a user)."""
    return user if user is not None and user.is_authenticated else None
