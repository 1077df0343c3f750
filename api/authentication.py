"""Bearer-token authentication for service accounts (the API's only way in)."""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from api.models import ApiToken
from api.services import digest, note_token_use, split_token
from vik.security_log import SecurityEvent, log_security_event


class ServiceTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer vik_<prefix>_<secret>`` → the service account's login account.

    A missing header is "not authenticated" (401); a header that names no usable token —
    unknown, wrong secret, expired, revoked, account switched off — is refused the same
    way, and written to the security log.
    """

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        if not settings.VIK_API_ENABLED:
            raise exceptions.NotFound
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise self._refuse("malformed")
        try:
            raw = header[1].decode()
        except UnicodeDecodeError:
            raise self._refuse("malformed") from None
        parts = split_token(raw)
        if parts is None:
            raise self._refuse("malformed")
        prefix, secret = parts
        token = ApiToken.objects.select_related("account__user").filter(prefix=prefix).first()
        if token is None or not hmac.compare_digest(token.secret_hash, digest(secret)):
            raise self._refuse("unknown", prefix=prefix)
        if not token.is_usable():
            raise self._refuse("expired" if token.revoked_at is None else "revoked", prefix=prefix)
        account = token.account
        if not account.is_active or not account.user.is_active:
            raise self._refuse("account_inactive", prefix=prefix)
        note_token_use(token)
        return account.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="vik"'

    @staticmethod
    def _refuse(reason: str, *, prefix: str = "") -> exceptions.AuthenticationFailed:
        log_security_event(
            SecurityEvent.API_AUTH_REFUSED, reason=reason, prefix=prefix, warning=True
        )
        return exceptions.AuthenticationFailed("The token is not valid.")
