"""Sign-in and sign-out: the local form, single sign-on through OpenID Connect, and logout.

Every sign-in, refused sign-in and sign-out is written to the security log
(:mod:`vik.security_log`). The OpenID views are mozilla-django-oidc's, with the endpoints
taken from the provider's discovery document and a clear page instead of a bare redirect
when the person cannot be let in.
"""

from __future__ import annotations

from typing import Any

import requests
from django import forms
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from vik import oidc
from vik.backends import local_login_allowed
from vik.security_log import SecurityEvent, log_security_event

REFUSALS: dict[str, tuple[int, Any]] = {
    "unknown": (
        403,
        gettext_lazy(
            "The identity provider knows you, but VIK has no employee with your personnel "
            "number. No account was created for you. If you think this is wrong, ask the "
            "administrator of VIK to check the HR data."
        ),
    ),
    "no_number": (
        403,
        gettext_lazy(
            "Your account at the identity provider does not pass on a personnel number, so VIK "
            "cannot tell who you are. No account was created for you."
        ),
    ),
    "left": (
        403,
        gettext_lazy(
            "According to the HR data you are no longer employed. You can no longer sign in to VIK."
        ),
    ),
    "blocked": (
        403,
        gettext_lazy("Your VIK account is blocked. Ask the administrator of VIK."),
    ),
    "provider_error": (
        403,
        gettext_lazy("Signing in at the identity provider was cancelled or did not succeed."),
    ),
    "unavailable": (
        503,
        gettext_lazy("The identity provider cannot be reached. Please try again later."),
    ),
    "invalid": (
        400,
        gettext_lazy(
            "The answer of the identity provider could not be verified. Please try again."
        ),
    ),
}


class LocalAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, telling plainly when local sign-in is off for this account."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username and not local_login_allowed(username):
            raise forms.ValidationError(
                _("Sign-in with a password is switched off. Use your police account."),
                code="local_login_off",
            )
        return super().clean()


class LoginView(auth_views.LoginView):
    """The sign-in page: single sign-on when configured, the password form when allowed."""

    form_class = LocalAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "oidc_enabled": oidc.enabled(),
            "local_login": settings.VIK_LOCAL_LOGIN,
        }

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        self.request.session[oidc.SESSION_METHOD_KEY] = "password"
        # A password sign-in has its second factor asked by VIK, never by a provider.
        self.request.session[oidc.SESSION_SECOND_FACTOR_KEY] = False
        log_security_event(
            SecurityEvent.SIGN_IN, username=form.get_user().get_username(), method="password"
        )
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        log_security_event(
            SecurityEvent.SIGN_IN_REFUSED,
            username=str(form.data.get("username", ""))[:150],
            method="password",
            warning=True,
        )
        return super().form_invalid(form)


def refused(request: HttpRequest, code: str, *, subject: str = "") -> HttpResponse:
    """The page for a single sign-on that could not let the person in (and the log line)."""
    status, message = REFUSALS.get(code, REFUSALS["invalid"])
    log_security_event(
        SecurityEvent.SIGN_IN_REFUSED, username=subject, method="oidc", reason=code, warning=True
    )
    return render(
        request, "registration/sso_refused.html", {"message": message, "code": code}, status=status
    )


@method_decorator([login_not_required, never_cache], name="dispatch")
class OIDCAuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (authorization code flow with PKCE and a nonce)."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the library's __init__ reads static endpoints
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.provider_metadata()["authorization_endpoint"]
        except (requests.RequestException, ValueError, KeyError, SuspiciousOperation):
            return refused(request, "unavailable")
        return super().get(request)


@method_decorator([login_not_required, never_cache], name="dispatch")
class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; VIK exchanges and checks it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc.enabled():
            raise Http404
        try:
            return super().get(request)
        except requests.RequestException:
            return refused(request, "unavailable")
        except SuspiciousOperation:
            return refused(request, "invalid")

    @property
    def success_url(self) -> str:
        return self.request.session.get("oidc_login_next") or resolve_url("vik:home")

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        session = self.request.session
        session[oidc.SESSION_METHOD_KEY] = "oidc"
        session[oidc.SESSION_SECOND_FACTOR_KEY] = bool(
            getattr(self.request, oidc.SECOND_FACTOR_ATTRIBUTE, False)
        )
        log_security_event(
            SecurityEvent.SIGN_IN,
            username=self.user.get_username(),
            method="oidc",
            second_factor_at_provider=session[oidc.SESSION_SECOND_FACTOR_KEY],
        )
        return response

    def login_failure(self) -> HttpResponse:
        if self.request.GET.get("error"):
            return refused(self.request, "provider_error")
        refusal = getattr(self.request, oidc.REFUSAL_ATTRIBUTE, None)
        code, subject = refusal if refusal else ("invalid", "")
        return refused(self.request, code, subject=subject)


@method_decorator([login_not_required, never_cache], name="dispatch")
class LogoutView(View):
    """Ends the VIK session and, after single sign-on, the provider's session too."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        provider_url = None
        if request.user.is_authenticated:
            provider_url = oidc.provider_logout_url(request)
            method = request.session.get(oidc.SESSION_METHOD_KEY, "password")
            log_security_event(
                SecurityEvent.SIGN_OUT, username=request.user.get_username(), method=method
            )
            auth.logout(request)
        if provider_url is None:
            return HttpResponseRedirect(resolve_url("vik:login"))
        # Not a redirect: the CSP's form-action (only our own origin) also governs where a
        # form's answer redirects to. A page that moves on by itself keeps the CSP strict.
        return render(request, "registration/sso_signed_out.html", {"provider_url": provider_url})
