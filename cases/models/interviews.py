"""Interviews (verhoren) and their reports, in versions with three end states."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models.investigation import Investigation


class IntervieweeRole(models.TextChoices):
    PERSON_CONCERNED = "concerned", _("Person concerned")
    INTERNAL_WITNESS = "internal_witness", _("Witness (employee)")
    EXTERNAL_WITNESS = "external_witness", _("Witness (not an employee)")
    REPORTER = "reporter", _("Reporter")


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    REFUSED = "refused", _("Refused to cooperate")
    CANCELLED = "cancelled", _("Cancelled")


class Interview(models.Model):
    """An interview with the person concerned or a witness, conducted by two investigators.

    The interviewee is invited in writing beforehand (nature, purpose, expected duration,
    the right to bring counsel, that it is recorded). The recording is kept as long as it is
    needed, then destroyed, and the interviewee is told (a letter). The report is drawn up
    within 5 days of the interview, in versions (:class:`InterviewReportVersion`).
    """

    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.CASCADE,
        related_name="interviews",
    )
    role = models.CharField(_("interviewee is"), max_length=20, choices=IntervieweeRole.choices)
    interviewee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("interviewee (employee)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    interviewee_name = models.CharField(_("interviewee"), max_length=200)
    scheduled_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("location"), max_length=200)
    expected_duration_minutes = models.PositiveSmallIntegerField(_("expected duration (minutes)"))
    nature_and_purpose = models.TextField(_("nature and purpose of the interview"))
    lead_investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first investigator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    second_investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second investigator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_recorded = models.BooleanField(_("recorded (audio)"), default=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InterviewStatus.choices,
        default=InterviewStatus.SCHEDULED,
    )
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    counsel_present = models.BooleanField(_("counsel present"), null=True)
    counsel_name = models.CharField(_("counsel"), max_length=200, blank=True)
    refusal_reason = models.TextField(_("refusal to cooperate"), blank=True)
    # An employee heard as a witness who refuses: reported to their own manager too.
    manager_informed_on = models.DateField(
        _("refusal reported to their manager on"), null=True, blank=True
    )
    manager_informed = models.CharField(
        _("manager the refusal was reported to"), max_length=300, blank=True
    )
    recording_retain_until = models.DateField(_("keep the recording until"), null=True, blank=True)
    recording_destroyed_on = models.DateField(_("recording destroyed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("scheduled at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(lead_investigator=models.F("second_investigator")),
                name="interview_two_distinct_investigators",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interviewee_name} ({timezone.localdate(self.scheduled_at):%d-%m-%Y})"

    @property
    def report_due_on(self) -> datetime.date | None:
        """The report is drawn up within 5 days of the interview (protocol: days, not working days)."""
        if self.held_at is None:
            return None
        return timezone.localdate(self.held_at) + datetime.timedelta(days=5)


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("With the interviewee for signature")
    COMMENTED = "commented", _("Comments returned")
    SUPERSEDED = "superseded", _("Comments accepted: replaced by a new version")
    SIGNED = "signed", _("Signed by both, every page initialled")
    NOT_AGREED = "not_agreed", _("Not agreed: unsigned, with the interviewee's reaction")
    REFUSED_TO_SIGN = "refused_to_sign", _("Agreed, but the interviewee refused to sign")


# End states: the version goes into the file as it is.
FINAL_STATES = frozenset(
    {VersionState.SIGNED, VersionState.NOT_AGREED, VersionState.REFUSED_TO_SIGN}
)
# States in which nothing about a version may change any more.
FROZEN_STATES = FINAL_STATES | {VersionState.SUPERSEDED}


class FrozenVersionQuerySet(models.QuerySet["InterviewReportVersion"]):
    """Bulk updates and deletes may not touch a version that is frozen."""

    def update(self, **kwargs: Any) -> int:
        if self.filter(state__in=FROZEN_STATES).exists():
            raise PermissionError("A signed or closed interview-report version is immutable.")
        return super().update(**kwargs)

    def delete(self) -> NoReturn:
        raise PermissionError("Interview-report versions are never deleted.")


class InterviewReportVersion(models.Model):
    """One version of an interview report.

    A draft may be edited. Sending it to the interviewee fixes its text and its content hash
    (printed on every page of the PDF); comments returned within 5 working days and accepted
    lead to a new version. It ends in one of three states: signed by both with every page
    initialled; not agreed (unsigned, with the interviewee's reaction); or agreed but the
    interviewee refused to sign (reason recorded). Signed and closed versions are immutable:
    the model, its queryset and a PostgreSQL trigger (without bypass) all refuse to change
    them, and the runtime database role cannot delete a version at all.

    When a version is sent, what the report prints about the interview is copied into
    ``snapshot``; ``seal`` is a SHA-256 over the content hash, the snapshot and every field
    of the version the PDF prints, so a change made past the application (by someone with
    the database owner's rights) is found the next time the report is rendered: no PDF is
    made and the privacy officer is alarmed (``cases.integrity``).
    """

    interview = models.ForeignKey(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.TextField(_("report"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=VersionState.choices, default=VersionState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    sent_on = models.DateField(_("sent to the interviewee on"), null=True, blank=True)
    comments_due_on = models.DateField(_("comments due on"), null=True, blank=True)
    responded_on = models.DateField(_("interviewee responded on"), null=True, blank=True)
    interviewee_comments = models.TextField(_("interviewee's comments or reaction"), blank=True)
    comments_decision_note = models.TextField(_("investigators' view of the comments"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusing to sign"), blank=True)
    # What the PDF prints about the interview, fixed when the version is sent: later edits
    # of the interview (name, place, date, investigators) do not change a sent report.
    snapshot = models.JSONField(
        _("the interview as printed"), default=dict, blank=True, editable=False
    )
    # SHA-256 over everything the PDF prints (see ``compute_seal``), renewed at each step
    # until the version is frozen; checked before every render.
    seal = models.CharField(_("seal (SHA-256)"), max_length=64, blank=True, editable=False)

    history = HistoricalRecords()
    objects = FrozenVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("interview-report version")
        verbose_name_plural = _("interview-report versions")
        ordering = ["interview", "number"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "number"], name="report_version_unique"),
            models.CheckConstraint(
                condition=~models.Q(state="signed") | models.Q(signed_on__isnull=False),
                name="report_version_signed_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="refused_to_sign") | ~models.Q(refusal_reason=""),
                name="report_version_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="not_agreed") | ~models.Q(interviewee_comments=""),
                name="report_version_not_agreed_has_reaction",
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("%(interview)s, version %(number)s")
            % {"interview": self.interview, "number": self.number}
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = (
                InterviewReportVersion.objects.filter(pk=self.pk)
                .values("state", "content", "content_hash", "number", "snapshot")
                .first()
            )
            if stored is not None:
                if stored["state"] in FROZEN_STATES:
                    raise PermissionError(
                        "A signed or closed interview-report version is immutable."
                    )
                if stored["state"] != VersionState.DRAFT and (
                    stored["content"] != self.content
                    or stored["content_hash"] != self.content_hash
                    or stored["number"] != self.number
                    or (stored["snapshot"] and stored["snapshot"] != self.snapshot)
                ):
                    raise PermissionError("The text of a version that was sent cannot change.")
        if self.state != VersionState.DRAFT:
            # Sent: what the PDF prints about the interview is fixed now, and the seal
            # renewed over everything the PDF prints (see ``cases.integrity``).
            if not self.snapshot:
                from cases.integrity import interview_snapshot

                interview = self.interview
                self.snapshot = interview_snapshot(
                    interview, case_reference=interview.investigation.case.reference
                )
            self.seal = self.compute_seal()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "snapshot", "seal"}
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Interview-report versions are never deleted.")

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def is_frozen(self) -> bool:
        return self.state in FROZEN_STATES

    @property
    def is_editable(self) -> bool:
        return self.state == VersionState.DRAFT

    def compute_seal(self) -> str:
        """SHA-256 over everything the PDF of a sent version prints (see ``cases.integrity``)."""
        from cases.integrity import version_seal

        return version_seal(self)

    def compute_hash(self) -> str:
        """SHA-256 over what the version says and what it belongs to."""
        canonical = "\n".join(
            [
                self.interview.investigation.case.reference,
                str(self.interview_id),
                str(self.number),
                self.content.replace("\r\n", "\n").strip(),
            ]
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
