"""Service accounts, their scoped tokens, and the deliveries they send.

A **service account** is a system around VIK (a log collector, the whistleblower form, the
HR system). It acts through its own login account (``user``, which can never sign in
interactively), so everything VIK already knows applies to it unchanged: its roles are
granted and revoked with reasons and history like anyone's, every selector scopes what it
sees, and the access log names it as the actor. A **token** narrows that further to the
API areas (scopes) it is issued for, until it expires or is revoked. Only a SHA-256 digest
of the token's secret is stored; the token itself is shown once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from vik.roles import Capability


class Scope(models.TextChoices):
    """What a token may be used for (each also needs a capability of the account's roles)."""

    MONITORING_IMPORT = "monitoring:import", _("Deliver audit exports and reference data")
    MONITORING_DETECT = "monitoring:detect", _("Start detection runs")
    MONITORING_SIGNALS = "monitoring:signals", _("Read signals in the export format")
    INTAKE_REPORTS = "intake:reports", _("Register reports from another channel")
    INTAKE_COMPLAINTS = "intake:complaints", _("Register complaints from another channel")
    HR_IMPORT = "hr:import", _("Deliver HR data")


# The capability a service account's roles must give for each scope: the same rule as the
# pages, so a token never reaches further than the account would in the browser.
SCOPE_CAPABILITY: dict[Scope, Capability] = {
    Scope.MONITORING_IMPORT: Capability.IMPORT_MONITORING_DATA,
    Scope.MONITORING_DETECT: Capability.IMPORT_MONITORING_DATA,
    Scope.MONITORING_SIGNALS: Capability.REVIEW_SIGNALS,
    Scope.INTAKE_REPORTS: Capability.REGISTER_REPORTS,
    Scope.INTAKE_COMPLAINTS: Capability.HANDLE_COMPLAINTS,
    Scope.HR_IMPORT: Capability.MANAGE_ORGANISATION,
}


class ServiceAccount(models.Model):
    """A system that talks to VIK through the API, acting as its own login account."""

    name = models.SlugField(_("name"), max_length=60, unique=True)
    description = models.TextField(_("what this system is and who owns it"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.PROTECT,
        related_name="service_account",
        editable=False,
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Switched off, none of its tokens work.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service account")
        verbose_name_plural = _("service accounts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A bearer token of a service account: scopes, an expiry, a rate limit; stored hashed."""

    account = models.ForeignKey(
        ServiceAccount,
        verbose_name=_("service account"),
        on_delete=models.PROTECT,
        related_name="tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    # The public part of the token, to find it; the secret part is only stored as a digest.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires at"))
    rate_per_minute = models.PositiveIntegerField(
        _("requests per minute"),
        null=True,
        blank=True,
        help_text=_("Empty: the deployment's default (VIK_API_RATE_PER_MINUTE)."),
    )
    created_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        editable=False,
    )

    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["account", "-created_at"]

    def __str__(self) -> str:
        return f"{self.account} – {self.name} ({self.prefix}…)"

    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def has_scope(self, scope: Scope | str) -> bool:
        return str(scope) in self.scopes


class Delivery(models.Model):
    """Files a service account uploaded, and what importing them did.

    The files are written to ``VIK_API_DELIVERY_DIR`` while they wait for a worker and
    removed once imported; the report stays: monitoring deliveries point at their
    ``ImportBatch`` records, HR deliveries at their ``OrganisationImport``.
    """

    class Kind(models.TextChoices):
        ACCESS_LOG = "access_log", _("Audit export (access log)")
        REFERENCE = "reference", _("Reference data")
        HR = "hr", _("HR delivery")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, waiting for a worker")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    account = models.ForeignKey(
        ServiceAccount,
        verbose_name=_("service account"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    token = models.ForeignKey(
        ApiToken, verbose_name=_("token"), on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    files = models.JSONField(_("files"), default=list)
    directory = models.CharField(_("stored in"), max_length=500, blank=True)
    batch_ids = models.JSONField(_("monitoring import records"), default=list, blank=True)
    organisation_import = models.ForeignKey(
        "vik.OrganisationImport",
        verbose_name=_("HR import record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("data delivery", "delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.account})"
