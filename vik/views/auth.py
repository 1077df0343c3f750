"""Sign-in with a second factor (TOTP): enrolment and verification."""

from __future__ import annotations

import base64

import segno
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


class TokenForm(forms.Form):
    """The six digits from the authenticator app."""

    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class TwoFactorSetupView(View):
    """Enrol a TOTP authenticator: show the QR code, confirm with a first code."""

    template_name = "registration/two_factor_setup.html"

    def _device(self, request: HttpRequest) -> TOTPDevice:
        device, _created = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "authenticator"}
        )
        return device

    def _render(self, request: HttpRequest, form: forms.Form, device: TOTPDevice) -> HttpResponse:
        qr = segno.make(device.config_url, error="m")
        secret = base64.b32encode(device.bin_key).decode()
        context = {
            "form": form,
            "qr_data_uri": qr.svg_data_uri(scale=5, dark="#000", light="#fff"),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request),
        }
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        if user_has_device(request.user):
            return redirect("vik:two_factor_verify")
        return self._render(request, TokenForm(), self._device(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        if user_has_device(request.user):
            return redirect("vik:two_factor_verify")
        device = self._device(request)
        form = TokenForm(request.POST)
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is set up."))
            return HttpResponseRedirect(_next_url(request))
        if form.is_valid():
            form.add_error(
                "token", _("That code is not valid. Check the time on your device and try again.")
            )
        return self._render(request, form, device)


class TwoFactorVerifyView(View):
    """Ask for the current code of an enrolled authenticator (or a static backup code)."""

    template_name = "registration/two_factor_verify.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not user_has_device(request.user):
            return redirect("vik:two_factor_setup")
        return self._render(request, TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenForm(request.POST)
        if form.is_valid():
            # Devices throttle repeated failures themselves (django-otp's ThrottlingMixin).
            device = match_token(request.user, form.cleaned_data["token"])
            if device is not None:
                otp_login(request, device)
                return HttpResponseRedirect(_next_url(request))
            form.add_error("token", _("That code is not valid. Try the next code from your app."))
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: forms.Form) -> HttpResponse:
        return render(request, self.template_name, {"form": form, "next": _next_url(request)})
