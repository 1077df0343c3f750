"""What the API accepts and answers. Descriptions are English: they are the API's reference.

Personnel numbers and unit codes are resolved through the same selectors as the pages'
forms use, so a number outside the service account's scope is "unknown", exactly like one
that does not exist.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from api.models import Delivery
from cases.models import Channel
from complaints.models import Complaint, ComplaintTheme
from monitoring.models import DetectionRun, Signal
from vik.models import Employee, Unit

MAX_DETECTION_DAYS = 92
MAX_EXPORT_DAYS = 366
API_REPORT_CHANNELS = [
    (Channel.WHISTLEBLOWER.value, "Whistleblower report"),
    (Channel.EXTERNAL.value, "External report (citizen)"),
    (Channel.INTERNAL.value, "Internal report"),
    (Channel.ANONYMOUS.value, "Anonymous report"),
]


class DeliverySerializer(serializers.Serializer):
    """A delivery and its import report."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Delivery.Kind.choices)
    status = serializers.ChoiceField(
        choices=Delivery.Status.choices,
        help_text="received → importing → done (or failed). Poll until done or failed.",
    )
    received_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    files = serializers.ListField(
        child=serializers.DictField(), help_text="Each stored file: name and bytes."
    )
    imported = serializers.IntegerField(help_text="Rows created (events, or organisation rows).")
    duplicates = serializers.IntegerField(help_text="Events already stored (access logs).")
    rejected = serializers.IntegerField(help_text="Rows refused; see the rejections.")
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    offboarded = serializers.IntegerField(
        allow_null=True, help_text="HR deliveries: leavers whose roles and sessions ended."
    )
    message = serializers.CharField(allow_blank=True, help_text="Why a delivery failed.")
    rejections = serializers.CharField(help_text="Where to read the refused rows.")


class RejectionSerializer(serializers.Serializer):
    """One refused row: the file, its line and why."""

    file = serializers.CharField()
    line = serializers.IntegerField()
    reason = serializers.CharField()


class PeriodSerializer(serializers.Serializer):
    """A period of whole days, both ends included."""

    start = serializers.DateField()
    end = serializers.DateField()
    max_days = MAX_DETECTION_DAYS

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start: datetime.date = attrs["start"]
        end: datetime.date = attrs["end"]
        if end < start:
            raise serializers.ValidationError({"end": "The end is before the start."})
        if (end - start).days + 1 > self.max_days:
            raise serializers.ValidationError({"end": f"A period is at most {self.max_days} days."})
        if end > timezone.localdate():
            raise serializers.ValidationError({"end": "The period cannot end in the future."})
        return attrs


class ExportPeriodSerializer(PeriodSerializer):
    max_days = MAX_EXPORT_DAYS


class DetectionRunSerializer(serializers.ModelSerializer):
    """A detection run: its period and how far it is."""

    done = serializers.SerializerMethodField(help_text="True once every phase has finished.")

    class Meta:
        model = DetectionRun
        fields = ["id", "period_start", "period_end", "phase", "created_at", "finished_at", "done"]

    def get_done(self, run: DetectionRun) -> bool:
        return run.phase == DetectionRun.Phase.DONE


class IndicatorRecordSerializer(serializers.Serializer):
    code = serializers.CharField()
    explanation = serializers.CharField(help_text="In the deployment's language (Dutch).")
    score = serializers.FloatField()
    occurrences = serializers.IntegerField()
    details = serializers.DictField()


class SignalRecordSerializer(serializers.Serializer):
    """One line of the export (JSON Lines): the format of ``manage.py export_signals``."""

    signal_id = serializers.IntegerField()
    employee_id = serializers.CharField(help_text="The personnel number.")
    window_start = serializers.DateField()
    window_end = serializers.DateField()
    score = serializers.FloatField()
    status = serializers.ChoiceField(choices=Signal.Status.choices)
    indicators = IndicatorRecordSerializer(many=True)
    evidence_event_ids = serializers.ListField(child=serializers.CharField())


class ReferenceSerializer(serializers.Serializer):
    """The answer to an intake: the reference, and nothing about who handles it."""

    reference = serializers.CharField()


class PersonnelNumbers(serializers.ListField):
    """A list of personnel numbers, resolved to employees by the view."""

    child = serializers.CharField(max_length=32)


class ReporterSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    contact = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    personnel_number = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text="When the reporter is an employee.",
    )
    consent_to_disclose = serializers.BooleanField(default=False)


class ReportIntakeSerializer(serializers.Serializer):
    """A report (melding) from another channel, e.g. the national whistleblower form."""

    channel = serializers.ChoiceField(choices=API_REPORT_CHANNELS)
    summary = serializers.CharField(max_length=20000, help_text="What was reported.")
    received_at = serializers.DateTimeField(
        required=False, help_text="When the channel received it (default: now)."
    )
    concerned = PersonnelNumbers(
        required=False, default=list, help_text="Personnel numbers of the persons concerned."
    )
    named = PersonnelNumbers(
        required=False, default=list, help_text="Other employees named in the report."
    )
    unit = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text="Unit code; needed when no person concerned is known.",
    )
    source_reference = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="The channel's own reference.",
    )
    reporter = ReporterSerializer(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["channel"] == Channel.ANONYMOUS and attrs.get("reporter"):
            raise serializers.ValidationError(
                {"reporter": "An anonymous report has no reporter identity."}
            )
        if not attrs["concerned"] and not attrs["unit"]:
            raise serializers.ValidationError(
                {"unit": "Give the unit when no person concerned is known."}
            )
        return attrs


class ComplainantSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    street_address = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    postcode = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not any(attrs.get(name) for name in ("street_address", "email", "phone")):
            raise serializers.ValidationError(
                "Give at least one way to reach the complainant: address, e-mail or telephone."
            )
        return attrs


class ComplaintIntakeSerializer(serializers.Serializer):
    """A citizen's complaint from another channel, e.g. the police's complaint web form."""

    unit = serializers.CharField(max_length=32, help_text="Code of the unit complained about.")
    received_on = serializers.DateField()
    conduct_on = serializers.DateField(help_text="The date of the conduct complained about.")
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=Complaint.Channel.choices)
    summary = serializers.CharField(max_length=20000)
    themes = serializers.ListField(
        child=serializers.SlugField(max_length=64),
        min_length=1,
        help_text="Codes of the uniform classification.",
    )
    employees = PersonnelNumbers(
        required=False, default=list, help_text="Personnel numbers, if known."
    )
    complainant = ComplainantSerializer()

    def validate_themes(self, codes: list[str]) -> list[ComplaintTheme]:
        themes = {t.code: t for t in ComplaintTheme.objects.filter(code__in=codes, is_active=True)}
        unknown = [code for code in codes if code not in themes]
        if unknown:
            raise serializers.ValidationError(f"Unknown or unused theme(s): {', '.join(unknown)}")
        return [themes[code] for code in dict.fromkeys(codes)]


def resolve_employees(numbers: list[str], employees: Any, *, field: str) -> list[Employee]:
    """Employees by personnel number among ``employees`` (a scoped queryset); one error for
    every number not found there, whether it does not exist or is out of scope."""
    found = {e.personnel_number: e for e in employees.filter(personnel_number__in=numbers)}
    unknown = [number for number in numbers if number not in found]
    if unknown:
        raise serializers.ValidationError(
            {field: [f"Unknown personnel number: {', '.join(unknown)}"]}
        )
    return [found[number] for number in dict.fromkeys(numbers)]


def resolve_unit(code: str, units: Any, *, field: str = "unit") -> Unit:
    unit = units.filter(code=code).first()
    if unit is None:
        raise serializers.ValidationError({field: [f"Unknown unit: {code}"]})
    return unit


class ProblemErrorSerializer(serializers.Serializer):
    field = serializers.CharField(required=False, allow_null=True, help_text="The field.")
    file = serializers.CharField(required=False, help_text="The uploaded file.")
    line = serializers.IntegerField(required=False, help_text="The line in that file.")
    reason = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """An error: RFC 9457 problem details (``application/problem+json``)."""

    type = serializers.CharField(help_text="`about:blank`, or `urn:vik:problem:<kind>`.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(help_text="The path that was requested.")
    request_id = serializers.CharField(help_text="Quote it to the operators.")
    errors = ProblemErrorSerializer(many=True, required=False)
