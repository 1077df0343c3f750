"""Administration of service accounts and their tokens (the administrator role).

Creating, rotating and revoking go through :mod:`api.services`. A new token is shown once,
on the page that answers the form — never in a message (messages live in a cookie or the
session) and never again: only its digest is stored. Roles of a service account are granted
like anyone's, under *Role assignments*, with a reason.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from api import services
from api.models import ApiToken, Delivery, Scope, ServiceAccount

ADMIN_REASON = "Beheerscherm"


class ServiceAccountForm(forms.ModelForm):
    class Meta:
        model = ServiceAccount
        fields = ["name", "description", "is_active"]


class TokenInline(admin.TabularInline):
    model = ApiToken
    fields = ("name", "prefix", "scopes", "expires_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceAccount)
class ServiceAccountAdmin(SimpleHistoryAdmin):
    form = ServiceAccountForm
    list_display = ["name", "user", "is_active", "created_at"]
    search_fields = ["name", "description"]
    readonly_fields = ["user", "created_at"]
    inlines = [TokenInline]

    def get_fields(self, request: HttpRequest, obj: ServiceAccount | None = None) -> Any:
        return ["name", "description", "is_active"] + (["user", "created_at"] if obj else [])

    def get_readonly_fields(self, request: HttpRequest, obj: ServiceAccount | None = None) -> Any:
        return ["name", "user", "created_at"] if obj else []

    def save_model(
        self,
        request: HttpRequest,
        obj: ServiceAccount,
        form: Any,
        change: bool,  # noqa: FBT001 - Django's signature
    ) -> None:
        if change:
            from vik.history import stamp

            stamp(obj, acting_user=request.user, reason=ADMIN_REASON).save()
            return
        created = services.create_service_account(
            name=obj.name, description=obj.description, acting_user=request.user
        )
        obj.pk = created.pk
        obj.user = created.user

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switch it off instead: its deliveries and the access log name it


class TokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    def clean_expires_at(self) -> datetime.datetime:
        expires_at: datetime.datetime = self.cleaned_data["expires_at"]
        if expires_at <= timezone.now():
            raise forms.ValidationError(_("The expiry must be in the future."))
        return expires_at

    class Meta:
        model = ApiToken
        fields = ["account", "name", "scopes", "expires_at", "rate_per_minute"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["expires_at"].initial = timezone.now() + datetime.timedelta(
            days=settings.VIK_API_TOKEN_LIFETIME_DAYS
        )


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    form = TokenForm
    list_display = ["name", "account", "prefix", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["account"]
    search_fields = ["name", "prefix", "account__name"]
    list_select_related = ["account"]
    change_form_template = "admin/api/apitoken/change_form.html"

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        if obj is None:
            return []
        return [
            "account",
            "name",
            "prefix",
            "scopes",
            "expires_at",
            "rate_per_minute",
            "created_at",
            "created_by",
            "last_used_at",
            "revoked_at",
            "revoke_reason",
            "replaced_by",
        ]

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        return self.get_readonly_fields(request, obj) or TokenForm.Meta.fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead: the record of the token stays

    def save_model(
        self,
        request: HttpRequest,
        obj: ApiToken,
        form: Any,
        change: bool,  # noqa: FBT001 - Django's signature
    ) -> None:
        """A token is only ever made by the service (hashed, logged); never edited."""
        if change:
            raise PermissionDenied
        try:
            issued = services.issue_token(
                account=form.cleaned_data["account"],
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.cleaned_data["expires_at"],
                rate_per_minute=form.cleaned_data["rate_per_minute"],
                acting_user=request.user,
            )
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from error
        obj.pk = issued.token.pk
        request._vik_issued_token = issued  # type: ignore[attr-defined]  # for response_add

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:  # noqa: FBT001
        return  # nothing related; the token is already saved by the service

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: Any = None
    ) -> HttpResponse:
        return self._shown_once(request, request._vik_issued_token)  # type: ignore[attr-defined]

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/rotate/",
                self.admin_site.admin_view(self.rotate_view),
                name="api_apitoken_rotate",
            ),
            path(
                "<int:pk>/revoke/",
                self.admin_site.admin_view(self.revoke_view),
                name="api_apitoken_revoke",
            ),
            *super().get_urls(),
        ]

    def _token_or_403(self, request: HttpRequest, pk: int) -> ApiToken:
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(ApiToken.objects.select_related("account"), pk=pk)

    def rotate_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = self._token_or_403(request, pk)
        if request.method != "POST":
            return self._confirm(request, token, "rotate")
        try:
            issued = services.rotate_token(token=token, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(reverse("admin:api_apitoken_change", args=[pk]))
        return self._shown_once(request, issued)

    def revoke_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = self._token_or_403(request, pk)
        if request.method != "POST":
            return self._confirm(request, token, "revoke")
        reason = request.POST.get("reason", "").strip() or ADMIN_REASON
        services.revoke_token(token=token, acting_user=request.user, reason=reason)
        messages.success(request, _("The token is revoked."))
        return HttpResponseRedirect(reverse("admin:api_apitoken_change", args=[pk]))

    def _confirm(self, request: HttpRequest, token: ApiToken, action: str) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": token,
            "action": action,
            "title": _("Rotate token") if action == "rotate" else _("Revoke token"),
        }
        return TemplateResponse(request, "admin/api/apitoken/confirm.html", context)

    def _shown_once(self, request: HttpRequest, issued: services.IssuedToken) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "token": issued.token,
            "secret": issued.secret,
            "title": _("Copy the token now"),
        }
        response = TemplateResponse(request, "admin/api/apitoken/shown_once.html", context)
        response["Cache-Control"] = "no-store"
        return response


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "account", "status", "received_at", "finished_at"]
    list_filter = ["kind", "status", "account"]
    list_select_related = ["account"]
    readonly_fields = [
        "kind",
        "status",
        "account",
        "token",
        "received_at",
        "finished_at",
        "files",
        "batch_ids",
        "organisation_import",
        "message",
    ]
    exclude = ["directory"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delivery]:
        return super().get_queryset(request)
