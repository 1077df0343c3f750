"""The application's own access log: who looked at which employee's data, when and why."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vik.roles import Role


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    SEARCH = "search", _("Searched")
    EXPORT = "export", _("Exported")
    PRINT = "print", _("Printed / PDF")
    REVEAL = "reveal", _("Revealed identity")


class AccessChannel(models.TextChoices):
    WEB = "web", _("Web application")
    ADMIN = "admin", _("Administration screens")
    COMMAND = "command", _("Command line")
    TASK = "task", _("Background task")
    API = "api", _("API (service account)")


class AppendOnlyQuerySet(models.QuerySet["AccessLogEntry"]):
    """Refuses bulk UPDATE and DELETE; the retention purge bypasses the ORM on purpose."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The access log is append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("The access log is append-only.")


class AccessLogEntry(models.Model):
    """One look at personal data about an employee in this application (NEN 7513 style).

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger rejects
    UPDATE and DELETE unless the retention purge has set ``vik.retention_purge`` for its own
    transaction. The foreign keys carry no database constraint and never cascade, so
    removing a user or an employee can never remove their trail. Not history-tracked: it is
    itself the history.
    """

    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # A snapshot: the account may be renamed or removed later, the trail must still read.
    actor_username = models.CharField(_("user name"), max_length=150)
    actor_role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=AccessAction.choices)
    channel = models.CharField(
        _("channel"), max_length=16, choices=AccessChannel.choices, default=AccessChannel.WEB
    )
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("concerns employee"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    purpose = models.CharField(_("purpose or reason"), max_length=500, blank=True)
    query = models.CharField(_("search terms"), max_length=500, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["employee", "-occurred_at"], name="accesslog_employee_idx"),
            models.Index(fields=["actor", "-occurred_at"], name="accesslog_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The access log is append-only.")
