"""Single sign-on through an OpenID Connect provider (mozilla-django-oidc underneath).

The provider is configured by its issuer (``VIK_OIDC_ISSUER``); its endpoints and signing
keys come from the discovery document, fetched when first needed and cached for an hour. A
sign-in is linked to the :class:`~vik.models.Employee` whose personnel number is in the
configured claim (``VIK_OIDC_PERSONNEL_NUMBER_CLAIM``): VIK keeps the roles, the provider
only says who the person is — and, optionally, that a second factor was used (``acr`` /
``amr``) and which groups they are in (groups can only take roles away). An unknown person
gets no account; a person who has left cannot sign in.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import HttpRequest
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from vik.account_services import SignInRefused, account_for_sign_in
from vik.models import Employee

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 3600
# Set on the request by the backend, read by the callback view after ``login()``.
SECOND_FACTOR_ATTRIBUTE = "_vik_oidc_second_factor"
REFUSAL_ATTRIBUTE = "_vik_oidc_refusal"
# Session keys: how this session signed in, and whether the provider checked a 2nd factor.
SESSION_METHOD_KEY = "vik_sign_in_method"
SESSION_SECOND_FACTOR_KEY = "vik_oidc_second_factor"


def enabled() -> bool:
    return bool(settings.VIK_OIDC_ENABLED and settings.VIK_OIDC_ISSUER)


def provider_metadata() -> dict[str, Any]:
    """The provider's discovery document (cached); raises ImproperlyConfigured if off."""
    if not enabled():
        raise ImproperlyConfigured("OpenID Connect is not enabled (VIK_OIDC_ENABLED).")
    key = f"vik:oidc:discovery:{settings.VIK_OIDC_ISSUER}"
    metadata: dict[str, Any] | None = cache.get(key)
    if metadata is None:
        response = requests.get(
            f"{settings.VIK_OIDC_ISSUER}/.well-known/openid-configuration",
            timeout=settings.OIDC_TIMEOUT,
        )
        response.raise_for_status()
        metadata = response.json()
        if metadata.get("issuer", "").rstrip("/") != settings.VIK_OIDC_ISSUER:
            raise SuspiciousOperation("The discovery document names another issuer.")
        cache.set(key, metadata, DISCOVERY_CACHE_SECONDS)
    return metadata


def second_factor_claimed(claims: dict[str, Any]) -> bool:
    """Whether the ID token says the provider asked for a second factor (configured values)."""
    acr = str(claims.get("acr") or "")
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool(
        (acr and acr in settings.VIK_OIDC_SECOND_FACTOR_ACR)
        or set(map(str, amr)) & settings.VIK_OIDC_SECOND_FACTOR_AMR
    )


class OIDCBackend(OIDCAuthenticationBackend):
    """Authenticates the OpenID Connect callback and links it to an employee.

    Unlike the library's default it never matches on e-mail and never creates a person:
    the personnel-number claim must name an existing employee. The ID token's issuer and
    audience are checked on top of its signature, expiry and nonce.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads every endpoint from settings here; ours come from discovery,
        # and only when a callback is handled (this backend is built on every request).
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or not enabled() or "code" not in request.GET:
            return None
        metadata = provider_metadata()
        self.OIDC_OP_TOKEN_ENDPOINT = metadata["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = metadata.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = metadata["jwks_uri"]
        return super().authenticate(request, **kwargs)

    def get_userinfo(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """The ID token's claims, completed by the userinfo endpoint where there is one.

        The signed ID token wins where both carry a claim.
        """
        claims: dict[str, Any] = {}
        if self.OIDC_OP_USER_ENDPOINT:
            claims.update(super().get_userinfo(access_token, id_token, payload))
        claims.update(payload)
        return claims

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        request = self.request
        setattr(request, REFUSAL_ATTRIBUTE, ("invalid", ""))
        self._check_issuer_and_audience(payload)
        claims = self.get_userinfo(access_token, id_token, payload)
        number = str(claims.get(settings.VIK_OIDC_PERSONNEL_NUMBER_CLAIM) or "").strip()
        if not number:
            setattr(request, REFUSAL_ATTRIBUTE, ("no_number", claims.get("sub", "")))
            return None
        employee = Employee.objects.filter(personnel_number=number).first()
        if employee is None:
            setattr(request, REFUSAL_ATTRIBUTE, ("unknown", number))
            return None
        groups = claims.get(settings.VIK_OIDC_GROUPS_CLAIM)
        if isinstance(groups, str):
            groups = [groups]
        try:
            user = account_for_sign_in(
                employee=employee, email=str(claims.get("email") or ""), groups=groups
            )
        except SignInRefused as refusal:
            setattr(request, REFUSAL_ATTRIBUTE, (refusal.code, number))
            return None
        setattr(request, REFUSAL_ATTRIBUTE, None)
        setattr(request, SECOND_FACTOR_ATTRIBUTE, second_factor_claimed(payload))
        return user

    def _check_issuer_and_audience(self, payload: dict[str, Any]) -> None:
        if str(payload.get("iss", "")).rstrip("/") != settings.VIK_OIDC_ISSUER:
            raise SuspiciousOperation("ID token from another issuer.")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client.")


def provider_logout_url(request: HttpRequest) -> str | None:
    """Where to end the provider's session too (RP-initiated logout), if it offers that.

    Called before the VIK session is flushed, while the ID token is still in it.
    """
    if not enabled() or request.session.get(SESSION_METHOD_KEY) != "oidc":
        return None
    try:
        endpoint = provider_metadata().get("end_session_endpoint")
    except (requests.RequestException, ValueError, SuspiciousOperation):
        logger.warning("OpenID provider unreachable at sign-out; only VIK's session ended")
        return None
    if not endpoint:
        return None
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("vik:login")),
    }
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(params)}"
