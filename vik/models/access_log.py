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

    Append-only: the model refuses updates and deletes; on PostgreSQL the runtime role has
    no UPDATE or DELETE privilege on the table (``scripts/db-roles.sql``) and a trigger
    refuses both even to the owner, except inside the retention function
    ``vik_purge_access_log``. Entries form a hash chain computed by the database when the row
    is inserted (``chain_seq``, ``chain_prev``, ``chain_hash``; see
    :mod:`vik.integrity_chain`), so that even a deletion by a database superuser shows at the
    nightly check. The foreign keys carry no database constraint and never cascade, so
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
    # Set by the database's BEFORE INSERT trigger (PostgreSQL), whatever the insert says.
    chain_seq = models.BigIntegerField(_("position in the chain"), null=True, editable=False)
    chain_prev = models.CharField(
        _("hash of the previous entry"), max_length=64, blank=True, editable=False
    )
    chain_hash = models.CharField(
        _("hash of this entry"), max_length=64, blank=True, editable=False
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["employee", "-occurred_at"], name="accesslog_employee_idx"),
            models.Index(fields=["actor", "-occurred_at"], name="accesslog_actor_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["chain_seq"], name="accesslog_chain_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The access log is append-only.")


class AccessLogPurgedRange(models.Model):
    """A run of access-log entries the retention function removed from the hash chain.

    Written by ``vik_purge_access_log`` only (the runtime role may read it, not write or
    change it). ``first_prev`` is the hash the first removed entry pointed back to and
    ``last_hash`` the hash of the last removed one, so the chain check can step over the
    gap: the entry after it must point back to ``last_hash``. Entries about an employee under
    a legal hold stay, so one purge may leave several ranges.
    """

    purge_record_id = models.BigIntegerField(_("purge record"))
    first_seq = models.BigIntegerField(_("first position removed"))
    last_seq = models.BigIntegerField(_("last position removed"))
    first_prev = models.CharField(_("hash before the range"), max_length=64)
    last_hash = models.CharField(_("hash of the last entry removed"), max_length=64)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("purged range of the access log")
        verbose_name_plural = _("purged ranges of the access log")
        ordering = ["first_seq"]
        constraints = [
            models.UniqueConstraint(fields=["first_seq"], name="accesslog_purged_first_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.first_seq}-{self.last_seq}"


class AccessLogChainCheck(models.Model):
    """One verification of the access log's hash chain (nightly, or started by hand).

    ``ok`` is False when an entry was changed, a run of entries is missing without a purge
    that removed it, or the newest entry of the previous check has gone. ``problems`` lists
    what was found (positions and ids, never content). The head (position and hash) is also
    written to the application log, which leaves the database server: a witness a database
    superuser who rewrites the chain cannot reach. Append-only.
    """

    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    ok = models.BooleanField(_("chain intact"))
    entries = models.PositiveIntegerField(_("entries checked"), default=0)
    head_seq = models.BigIntegerField(_("newest position"), null=True, blank=True)
    head_hash = models.CharField(_("newest hash"), max_length=64, blank=True)
    problems = models.JSONField(_("problems found"), default=list, blank=True)

    class Meta:
        verbose_name = _("access-log chain check")
        verbose_name_plural = _("access-log chain checks")
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'BROKEN'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Chain checks are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Chain checks are append-only.")
