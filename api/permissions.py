"""Who may call an API view: a token with the view's scope, on an account whose roles give
the capability the same work needs in the browser (:data:`api.models.SCOPE_CAPABILITY`)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from api.models import SCOPE_CAPABILITY, ApiToken, Scope
from vik.selectors import has_capability


class TokenScopeAndCapability(BasePermission):
    """Both are needed: the token's scope, and the capability of the account's roles.

    Views name their scope in ``required_scope``; a view without one is refused to
    everybody (a new view cannot be open by accident).
    """

    message = "This token may not be used for this."

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        scope: Scope | None = getattr(view, "required_scope", None)
        if scope is None:
            return False
        return token.has_scope(scope) and has_capability(request.user, SCOPE_CAPABILITY[scope])
