"""Reference data: the context that decides whether an access was work.

Imported from the exchange files (``import_reference``). Names and addresses of subjects and
employees' home addresses are never stored: only keyed hashes (HMAC under
``VIK_MATCHING_KEY``) of the normalised values the indicators compare
(:mod:`monitoring.matching`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

HASH_LENGTH = 32  # 128 bits of HMAC-SHA256, hex


class RosterEntry(models.Model):
    """A period in an employee's roster: a shift, on call, leave or sick.

    Times are instants (stored in UTC), so a night shift crossing midnight or the change to
    winter time needs no special case. Where an employee has no entries for a stretch longer
    than the configured gap, their roster is *unknown*, never "off duty".
    """

    class Kind(models.TextChoices):
        SHIFT = "shift", _("Shift")
        ONCALL = "oncall", _("On call")
        LEAVE = "leave", _("Leave")
        SICK = "sick", _("Sick")

    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="roster_entries",
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        ordering = ["employee", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "kind", "start"], name="roster_entry_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="roster_entry_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["employee", "end"], name="roster_employee_end_idx")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.start:%Y-%m-%d %H:%M}"


class Incident(models.Model):
    """A file (case) in the police systems, with the region it belongs to."""

    ref = models.CharField(_("incident reference"), max_length=64, unique=True)
    region = models.CharField(
        _("region"), max_length=8, blank=True, help_text=_("Empty means nationwide.")
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["ref"]

    def __str__(self) -> str:
        return self.ref


class Assignment(models.Model):
    """An employee works on an incident (need to know) for a period.

    Kept by incident reference rather than a foreign key: an assignment explains accesses
    even when the incident file itself was not delivered. Besides imported assignments, an
    analyst who finds a missing assignment records one (``source=review``) with an end date,
    so detection stops flagging the same work.
    """

    class Source(models.TextChoices):
        IMPORT = "import", _("Imported")
        REVIEW = "review", _("Analyst's decision on a signal")

    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="incident_assignments",
    )
    incident_ref = models.CharField(_("incident reference"), max_length=64)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.IMPORT
    )
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["employee", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "incident_ref", "start"], name="assignment_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="assignment_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["incident_ref"], name="assignment_incident_idx")]

    def __str__(self) -> str:
        return f"{self.employee_id} → {self.incident_ref}"


class Subject(models.Model):
    """A person, vehicle or address that can be looked up in the police systems.

    Only keyed hashes of the normalised surname and address are kept: enough to recognise
    "same surname", "same address", "same street" (postcode) and "same neighbourhood"
    (four-digit postcode area), not enough to read who it is. ``employee`` is set when the
    subject is, or is owned by, an employee.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        VEHICLE = "vehicle", _("Vehicle")
        ADDRESS = "address", _("Address")

    ref = models.CharField(_("subject reference"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    surname_hash = models.CharField(_("surname (keyed hash)"), max_length=HASH_LENGTH, blank=True)
    address_hash = models.CharField(_("address (keyed hash)"), max_length=HASH_LENGTH, blank=True)
    street_hash = models.CharField(_("postcode (keyed hash)"), max_length=HASH_LENGTH, blank=True)
    area_hash = models.CharField(
        _("postcode area (keyed hash)"), max_length=HASH_LENGTH, blank=True
    )
    region = models.CharField(_("region"), max_length=8, blank=True)
    incident_refs = models.TextField(
        _("incidents"), blank=True, help_text=_("';'-separated incident references")
    )
    employee_number = models.CharField(_("employee (personnel number)"), max_length=32, blank=True)
    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitoring_subjects",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["ref"]
        indexes = [models.Index(fields=["surname_hash"], name="subject_surname_idx")]

    def __str__(self) -> str:
        return self.ref


class SubjectIncident(models.Model):
    """Index of :attr:`Subject.incident_refs`: which subjects appear in which incident.

    Derived from the subject row (which carries the history), rebuilt on every import of
    the subject.
    """

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="incident_links")
    incident_ref = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "incident_ref"], name="subject_incident_unique"
            )
        ]
        indexes = [models.Index(fields=["incident_ref"], name="subject_incident_ref_idx")]

    def __str__(self) -> str:
        return f"{self.subject_id} ∈ {self.incident_ref}"


class EmployeeHome(models.Model):
    """Keyed hashes of an employee's home address (from employees.csv); never the address."""

    employee = models.OneToOneField(
        "vik.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="monitoring_home",
    )
    address_hash = models.CharField(_("address (keyed hash)"), max_length=HASH_LENGTH, blank=True)
    street_hash = models.CharField(_("postcode (keyed hash)"), max_length=HASH_LENGTH, blank=True)
    area_hash = models.CharField(
        _("postcode area (keyed hash)"), max_length=HASH_LENGTH, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("employee home (hashed)")
        verbose_name_plural = _("employee homes (hashed)")

    def __str__(self) -> str:
        return str(self.employee_id)


class EmployeeRelation(models.Model):
    """Someone HR knows to be related to an employee (``relations.csv``): keyed hashes only.

    Emergency contacts, declared partners, family named in a declaration of interests: the
    relation's surname and address as HR records them, hashed like every other name and
    address (:mod:`monitoring.matching`). Detection uses them before any surname heuristic:
    someone at a relation's address is family whatever their surname, so the sister's new
    partner is found even when the family is called Jansen. HR does not know every relative;
    what it does not record is left to the surname heuristics.
    """

    class Kind(models.TextChoices):
        PARTNER = "partner", _("Partner")
        PARENT = "parent", _("Parent")
        CHILD = "child", _("Child")
        SIBLING = "sibling", _("Brother or sister")
        FAMILY = "family", _("Other family")
        EMERGENCY_CONTACT = "emergency_contact", _("Emergency contact")
        INTEREST = "interest", _("Declared interest")
        OTHER = "other", _("Other")

    employee = models.ForeignKey(
        "vik.Employee",
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="monitoring_relations",
    )
    kind = models.CharField(_("kind of relation"), max_length=20, choices=Kind.choices)
    surname_hash = models.CharField(_("surname (keyed hash)"), max_length=HASH_LENGTH, blank=True)
    address_hash = models.CharField(_("address (keyed hash)"), max_length=HASH_LENGTH, blank=True)
    street_hash = models.CharField(_("postcode (keyed hash)"), max_length=HASH_LENGTH, blank=True)
    area_hash = models.CharField(
        _("postcode area (keyed hash)"), max_length=HASH_LENGTH, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relation of an employee (hashed)")
        verbose_name_plural = _("relations of employees (hashed)")
        ordering = ["employee", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "kind", "surname_hash", "address_hash"],
                name="employee_relation_unique",
            )
        ]
        indexes = [models.Index(fields=["address_hash"], name="relation_address_idx")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind}"


class MatchingKeyRecord(models.Model):
    """The fingerprint of the matching key the stored hashes were made with (insert only).

    Hashes made under one ``VIK_MATCHING_KEY`` never equal those of another: reference data
    hashed under the old key and detection running under a new one (a rotated
    ``SECRET_KEY`` the key was derived from, a worker started with other settings) would
    find no relative, neighbour or surname again — silently. So the first reference import
    (or the first detection after an upgrade) records the key's fingerprint, and every later
    import and run refuses to work under another one until an operator accepts the new key
    (``import_reference --new-matching-key``, with the full reference data). The latest row
    is the key in force; earlier rows are the trail of rotations. The fingerprint is a keyed
    hash of a fixed text: it says whether two keys are the same, nothing more.
    """

    fingerprint = models.CharField(_("fingerprint"), max_length=HASH_LENGTH)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("matching key record")
        verbose_name_plural = _("matching key records")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.fingerprint[:8]}… {self.recorded_at:%Y-%m-%d %H:%M}"
