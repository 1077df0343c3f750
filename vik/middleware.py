"""Request context (request id, client address), the two-factor requirement, caching."""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from vik.models import AccessChannel
from vik.oidc import SESSION_SECOND_FACTOR_KEY
from vik.request_context import RequestContext, reset_request_context, set_request_context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# The REST API authenticates by token, never by session: no sign-in page, no second factor.
API_PREFIX = "/api/"


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, trusting only as many proxies as configured.

    ``X-Forwarded-For`` is client-controlled except for the hops our own proxies append, so
    we take the address that the outermost trusted proxy saw. Also used by django-axes.
    """
    address = request.META.get("REMOTE_ADDR")
    trusted = settings.VIK_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= trusted:
            address = hops[-trusted]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


class RequestContextMiddleware:
    """Gives every request an id (kept from a proxy's ``X-Request-ID`` when well-formed)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        channel = AccessChannel.WEB
        if request.path.startswith(reverse("admin:index")):
            channel = AccessChannel.ADMIN
        elif request.path.startswith(API_PREFIX):
            channel = AccessChannel.API
        context = RequestContext(request_id, client_address(request), channel)
        request.vik_context = context  # type: ignore[attr-defined]
        token = set_request_context(context)
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = request_id
        return response


# Paths a signed-in user may reach before completing the second factor.
_TWO_FACTOR_EXEMPT_URL_NAMES = (
    "vik:two_factor_setup",
    "vik:two_factor_verify",
    "vik:logout",
    "vik:health",
    "vik:ready",
    "vik:metrics",
    "vik:oidc_authenticate",
    "vik:oidc_callback",
    "set_language",
)


class TwoFactorRequiredMiddleware:
    """With ``VIK_REQUIRE_2FA``, a signed-in user must pass TOTP before anything else.

    Users with a confirmed device are sent to verify a code; users without one are sent to
    enrol. Runs after django-otp's middleware, which sets ``user.is_verified()``. A single
    sign-on whose ID token shows a second factor the deployment accepts (``acr``/``amr``,
    see :func:`vik.oidc.second_factor_claimed`) has passed it at the provider.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.VIK_REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
            and not request.session.get(SESSION_SECOND_FACTOR_KEY)
            and not request.path.startswith(settings.STATIC_URL)
            and not request.path.startswith(API_PREFIX)
            and not self._is_exempt(request)
        ):
            from django_otp import user_has_device

            target = "vik:two_factor_verify" if user_has_device(user) else "vik:two_factor_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _is_exempt(request: HttpRequest) -> bool:
        exempt_paths = {reverse(name) for name in _TWO_FACTOR_EXEMPT_URL_NAMES}
        return request.path in exempt_paths


class DefaultLanguageMiddleware:
    """Dutch unless the user chose otherwise (the language switch sets a cookie).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored on purpose:
    workstations often run an English system locale, and the department works in Dutch.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """Every answer of VIK's own says ``Cache-Control: no-store``, unless its view set one.

    Pages show personal data. Without this the browser keeps them in its disk cache and its
    back-forward cache, and on a shared workstation the back button shows a case or a signal
    queue after sign-out. Static files are served above this middleware (WhiteNoise) and keep
    their long lifetimes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


class HtmxVaryMiddleware:
    """Says that a response depends on ``HX-Request`` (``Vary``).

    The same URL answers a page to the browser and a fragment to htmx
    (``vik.views.base.htmx_template``). Without ``Vary`` the browser keeps the fragment in its
    cache under the URL that htmx pushed to the address bar, and the back button then shows
    the bare fragment — no filter form, no menu — instead of the page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response
