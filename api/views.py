"""The API's views: thin. Each names the scope it needs; the selectors scope what it reads;
the services write. Every personal-data read is written to the access log (channel ``api``,
the service account as actor, the token named in the purpose).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors, services, uploads
from api.models import ApiToken, Delivery, Scope
from api.problems import PROBLEM_JSON, Problem
from api.serializers import (
    API_REPORT_CHANNELS,
    ComplaintIntakeSerializer,
    DeliverySerializer,
    DetectionRunSerializer,
    ExportPeriodSerializer,
    PeriodSerializer,
    ProblemSerializer,
    ReferenceSerializer,
    RejectionSerializer,
    ReportIntakeSerializer,
    SignalRecordSerializer,
    resolve_employees,
    resolve_unit,
)
from vik.models import AccessAction, AccessChannel, OrganisationImportRejection, Unit
from vik.roles import Role, UnitScope
from vik.selectors import employees_visible_to, unit_ids_in_scope
from vik.services import record_access_many

ERRORS = {
    400: "The request is not valid (see `errors`).",
    401: "No token, or not a valid one.",
    403: "The token lacks the scope, or the account's roles lack the capability.",
    404: "No such object, or not one of this service account's.",
    413: "The upload is too large.",
    422: "The upload cannot be read; `errors` names the file, line and reason.",
    429: "Too many requests for this token; see `Retry-After`.",
}


def _errors(*codes: int) -> dict[Any, OpenApiResponse]:
    return {
        (code, PROBLEM_JSON): OpenApiResponse(ProblemSerializer, description=ERRORS[code])
        for code in codes
    }


class ApiView(APIView):
    """Base of every API view: the scope it needs, and the token it was called with."""

    required_scope: ClassVar[Scope]

    def token(self) -> ApiToken:
        token = self.request.auth
        assert isinstance(token, ApiToken)  # noqa: S101 - guaranteed by the permission class
        return token

    def token_label(self) -> str:
        token = self.token()
        return f"API-token {token.name!r} ({token.prefix})"


# --- Deliveries -------------------------------------------------------------------------

MONITORING_FILES = {
    "units": ("units", "vik.imports", "UNIT_COLUMNS"),
    "employees": ("employees", "vik.imports", "EMPLOYEE_COLUMNS"),
    "rosters": ("rosters", "monitoring.imports.reference", "ROSTER_COLUMNS"),
    "incidents": ("incidents", "monitoring.imports.reference", "INCIDENT_COLUMNS"),
    "assignments": ("assignments", "monitoring.imports.reference", "ASSIGNMENT_COLUMNS"),
    "subjects": ("subjects", "monitoring.imports.reference", "SUBJECT_COLUMNS"),
    "scope_rules": ("scope_rules", "monitoring.imports.reference", "SCOPE_RULE_COLUMNS"),
}
HR_FILES = {
    "units": MONITORING_FILES["units"],
    "functions": ("functions", "vik.hr", "FUNCTION_COLUMNS"),
    "employees": MONITORING_FILES["employees"],
}


def _columns(module: str, name: str) -> tuple[str, ...]:
    import importlib

    return tuple(getattr(importlib.import_module(module), name))


def delivery_report(delivery: Delivery, request: Request) -> dict[str, Any]:
    """A delivery with its counts, from the import records it produced."""
    counts = dict.fromkeys(("imported", "duplicates", "rejected", "updated", "unchanged"), 0)
    offboarded = None
    if delivery.kind == Delivery.Kind.HR:
        run = delivery.organisation_import
        if run is not None:
            counts.update(
                imported=run.created,
                updated=run.updated,
                unchanged=run.unchanged,
                rejected=run.rejected,
            )
            offboarded = run.offboarded
        rejections = reverse("api:hr_delivery_rejections", args=[delivery.pk])
    else:
        from monitoring.models import ImportBatch

        totals = ImportBatch.objects.filter(pk__in=delivery.batch_ids).aggregate(
            **{name: Sum(name) for name in counts}
        )
        counts.update({name: value or 0 for name, value in totals.items()})
        rejections = reverse("api:monitoring_delivery_rejections", args=[delivery.pk])
    return {
        "id": delivery.pk,
        "kind": delivery.kind,
        "status": delivery.status,
        "received_at": delivery.received_at,
        "finished_at": delivery.finished_at,
        "files": delivery.files,
        **counts,
        "offboarded": offboarded,
        "message": delivery.message,
        "rejections": request.build_absolute_uri(rejections),
    }


def _accepted(delivery: Delivery, request: Request, detail_name: str) -> Response:
    url = reverse(detail_name, args=[delivery.pk])
    return Response(
        DeliverySerializer(delivery_report(delivery, request)).data,
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": request.build_absolute_uri(url)},
    )


def _store_parts(
    request: Request, allowed: dict[str, tuple[str, str, str]]
) -> tuple[Path, list[Path]]:
    """Save the multipart file parts under their exchange names; check their headers."""
    unknown = sorted(set(request.FILES) - set(allowed))
    if unknown or not request.FILES:
        raise Problem(
            status_code=400,
            problem_type="validation",
            title="Invalid request",
            detail=(
                f"Send the files as multipart parts named {', '.join(allowed)}."
                + (f" Unknown: {', '.join(unknown)}." if unknown else "")
            ),
            errors=[{"field": name, "reason": "unknown file part"} for name in unknown],
        )
    directory = uploads.new_directory()
    try:
        paths = []
        for field, upload in request.FILES.items():
            stem, module, columns = allowed[field]
            path = uploads.store_stream(upload, directory, stem, ".csv")
            uploads.check_csv_header(path, _columns(module, columns))
            paths.append(path)
    except Exception:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return directory, paths


def _delivery_upload_schema(files: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "request": {
            "multipart/form-data": {
                "type": "object",
                "properties": {name: {"type": "string", "format": "binary"} for name in files},
            }
        },
        "responses": {202: DeliverySerializer, **_errors(400, 401, 403, 413, 422, 429)},
        "description": description,
    }


JSON_LINES_TYPES = {"application/x-ndjson", "application/jsonl", "application/json-lines"}


class AccessLogUploadView(ApiView):
    """An audit export (access log) as the request body: CSV or JSON Lines, gzip allowed."""

    required_scope = Scope.MONITORING_IMPORT
    parser_classes: ClassVar[list[Any]] = []

    @extend_schema(
        operation_id="monitoring_access_log_upload",
        summary="Deliver an audit export",
        description=(
            "The body is one file of the exchange format (docs/monitoring.md): CSV "
            "(`Content-Type: text/csv`) or JSON Lines (`application/x-ndjson`), optionally "
            "gzipped. It is streamed to disk and imported by a worker; follow the report at "
            "`Location`. A body that cannot be read (not gzip, not UTF-8, missing columns) "
            "is refused at once with 422 and the line; refused rows are in the report."
        ),
        request={
            "text/csv": OpenApiTypes.BINARY,
            "application/x-ndjson": OpenApiTypes.BINARY,
        },
        responses={202: DeliverySerializer, **_errors(400, 401, 403, 413, 422, 429)},
        tags=["monitoring"],
    )
    def post(self, request: Request, filename: str = "") -> Response:
        from monitoring.imports.access_log import ACCESS_COLUMNS

        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > settings.VIK_API_MAX_UPLOAD_BYTES:
            raise uploads.too_large()
        if filename:
            json_lines = uploads.json_lines_by_name(filename)
        else:
            content_type = request.content_type.split(";")[0].strip().lower()
            json_lines = content_type in JSON_LINES_TYPES
        directory = uploads.new_directory()
        try:
            path = uploads.store_stream(
                request._request, directory, "events", ".jsonl" if json_lines else ".csv"
            )
            if json_lines:
                uploads.check_json_lines(path)
            else:
                uploads.check_csv_header(path, ACCESS_COLUMNS)
            delivery = services.receive_delivery(
                kind=Delivery.Kind.ACCESS_LOG,
                token=self.token(),
                directory=directory,
                files=uploads.describe([path]),
            )
        except Exception:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        return _accepted(delivery, request, "api:monitoring_delivery")


class AccessLogFileUploadView(AccessLogUploadView):
    """An audit export with its file name in the path (``curl --upload-file`` sends it so)."""

    @extend_schema(
        operation_id="monitoring_access_log_file_upload",
        summary="Deliver an audit export, named",
        description=(
            "As `POST /monitoring/access-logs/`, with the file's name in the path deciding "
            "the format: `.csv`, `.jsonl` or `.ndjson`, each optionally `.gz`."
        ),
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={202: DeliverySerializer, **_errors(400, 401, 403, 413, 422, 429)},
        tags=["monitoring"],
    )
    def post(self, request: Request, filename: str = "") -> Response:
        return super().post(request, filename)


class ReferenceUploadView(ApiView):
    """Reference data as multipart parts named like the exchange files."""

    required_scope = Scope.MONITORING_IMPORT
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="monitoring_reference_upload",
        summary="Deliver reference data",
        tags=["monitoring"],
        **_delivery_upload_schema(
            MONITORING_FILES,
            "Any of the reference files of the exchange format as multipart parts named "
            "units, employees, rosters, incidents, assignments, subjects, scope_rules (each "
            "CSV, optionally gzipped). Imported by a worker; follow the report at `Location`.",
        ),
    )
    def post(self, request: Request) -> Response:
        directory, paths = _store_parts(request, MONITORING_FILES)
        delivery = services.receive_delivery(
            kind=Delivery.Kind.REFERENCE,
            token=self.token(),
            directory=directory,
            files=uploads.describe(paths),
        )
        return _accepted(delivery, request, "api:monitoring_delivery")


class HrUploadView(ApiView):
    """The HR delivery: units, functions, employees with the end of their employment."""

    required_scope = Scope.HR_IMPORT
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="hr_delivery_upload",
        summary="Deliver HR data",
        tags=["hr"],
        **_delivery_upload_schema(
            HR_FILES,
            "Multipart parts named units, functions, employees (CSV, optionally gzipped). "
            "Imported by a worker; employees whose employment has ended lose every role, "
            "their account and their sessions. Follow the report at `Location`.",
        ),
    )
    def post(self, request: Request) -> Response:
        directory, paths = _store_parts(request, HR_FILES)
        delivery = services.receive_delivery(
            kind=Delivery.Kind.HR,
            token=self.token(),
            directory=directory,
            files=uploads.describe(paths),
        )
        return _accepted(delivery, request, "api:hr_delivery")


class _DeliveryMixin(ApiView):
    kinds: ClassVar[tuple[Delivery.Kind, ...]] = ()

    def get_delivery(self, pk: int) -> Delivery:
        return get_object_or_404(
            selectors.deliveries_visible_to(user=self.request.user).filter(kind__in=self.kinds),
            pk=pk,
        )


class MonitoringDeliveryView(_DeliveryMixin):
    """A monitoring delivery's status and import report (counts per outcome)."""

    required_scope = Scope.MONITORING_IMPORT
    kinds: ClassVar[tuple[Delivery.Kind, ...]] = (Delivery.Kind.ACCESS_LOG, Delivery.Kind.REFERENCE)

    @extend_schema(
        operation_id="monitoring_delivery_report",
        summary="Follow a monitoring delivery",
        responses={200: DeliverySerializer, **_errors(401, 403, 404, 429)},
        tags=["monitoring"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(DeliverySerializer(delivery_report(self.get_delivery(pk), request)).data)


class HrDeliveryView(MonitoringDeliveryView):
    """An HR delivery's status and import report, with the leavers offboarded."""

    required_scope = Scope.HR_IMPORT
    kinds: ClassVar[tuple[Delivery.Kind, ...]] = (Delivery.Kind.HR,)

    @extend_schema(
        operation_id="hr_delivery_report",
        summary="Follow an HR delivery",
        responses={200: DeliverySerializer, **_errors(401, 403, 404, 429)},
        tags=["hr"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return super().get(request, pk)


class RejectionPagination(PageNumberPagination):
    page_size = 500


class MonitoringRejectionsView(_DeliveryMixin):
    """The refused rows of a delivery: file, line, reason (never the row's contents)."""

    required_scope = Scope.MONITORING_IMPORT
    kinds: ClassVar[tuple[Delivery.Kind, ...]] = (Delivery.Kind.ACCESS_LOG, Delivery.Kind.REFERENCE)

    def rows(self, delivery: Delivery) -> QuerySet[Any]:
        from monitoring.models import ImportRejection

        return ImportRejection.objects.filter(batch_id__in=delivery.batch_ids).order_by(
            "batch_id", "file", "line", "id"
        )

    @extend_schema(
        operation_id="monitoring_delivery_rejections",
        summary="Refused rows of a monitoring delivery",
        responses={200: RejectionSerializer(many=True), **_errors(401, 403, 404, 429)},
        tags=["monitoring"],
    )
    def get(self, request: Request, pk: int) -> Response:
        paginator = RejectionPagination()
        page = paginator.paginate_queryset(
            self.rows(self.get_delivery(pk)).only("file", "line", "reason"), request, view=self
        )
        return paginator.get_paginated_response(RejectionSerializer(page, many=True).data)

    def get_serializer(self, *args: Any, **kwargs: Any) -> RejectionSerializer:
        return RejectionSerializer(*args, **kwargs)  # lets drf-spectacular see the pagination

    pagination_class = RejectionPagination


class HrRejectionsView(MonitoringRejectionsView):
    """The refused rows of an HR delivery: file, line, reason."""

    required_scope = Scope.HR_IMPORT
    kinds: ClassVar[tuple[Delivery.Kind, ...]] = (Delivery.Kind.HR,)

    def rows(self, delivery: Delivery) -> QuerySet[Any]:
        return OrganisationImportRejection.objects.filter(
            run_id=delivery.organisation_import_id
        ).order_by("file", "line", "id")

    @extend_schema(
        operation_id="hr_delivery_rejections",
        summary="Refused rows of an HR delivery",
        responses={200: RejectionSerializer(many=True), **_errors(401, 403, 404, 429)},
        tags=["hr"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return super().get(request, pk)


# --- Detection and signals --------------------------------------------------------------


class DetectionRunsView(ApiView):
    """Start detection over a period."""

    required_scope = Scope.MONITORING_DETECT

    @extend_schema(
        operation_id="monitoring_detection_start",
        summary="Start detection for a period",
        description=(
            "Plans a run over the period (at most 92 days, not in the future) and hands it "
            "to the workers. Idempotent in effect: running a period again updates its signals."
        ),
        request=PeriodSerializer,
        responses={202: DetectionRunSerializer, **_errors(400, 401, 403, 429)},
        tags=["monitoring"],
    )
    def post(self, request: Request) -> Response:
        from monitoring.services import start_detection

        period = PeriodSerializer(data=request.data)
        period.is_valid(raise_exception=True)
        run = start_detection(
            start=period.validated_data["start"],
            end=period.validated_data["end"],
            acting_user=request.user,
            inline=False,
        )
        run.refresh_from_db()
        url = request.build_absolute_uri(reverse("api:detection_run", args=[run.pk]))
        return Response(
            DetectionRunSerializer(run).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": url},
        )


class DetectionRunView(ApiView):
    """A detection run this service account started, and how far it is."""

    required_scope = Scope.MONITORING_DETECT

    @extend_schema(
        operation_id="monitoring_detection_run",
        summary="Follow a detection run",
        responses={200: DetectionRunSerializer, **_errors(401, 403, 404, 429)},
        tags=["monitoring"],
    )
    def get(self, request: Request, pk: int) -> Response:
        run = get_object_or_404(selectors.detection_runs_visible_to(user=request.user), pk=pk)
        return Response(DetectionRunSerializer(run).data)


class SignalExportView(ApiView):
    """Signals as JSON Lines, one per line, exactly as ``manage.py export_signals`` writes."""

    required_scope = Scope.MONITORING_SIGNALS

    @extend_schema(
        operation_id="monitoring_signals_export",
        summary="Read signals (export format)",
        description=(
            "The signals the service account may review (the units its analyst role "
            "monitors; never about itself or a conflict) whose window overlaps the period, "
            "as JSON Lines. Withdrawn signals are left out. Every employee in the answer is "
            "written to the access log (action export, channel api, the token named)."
        ),
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
        ],
        responses={
            (200, "application/x-ndjson"): SignalRecordSerializer,
            **_errors(400, 401, 403, 429),
        },
        tags=["monitoring"],
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        from monitoring.export import signal_record

        period = ExportPeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        start, end = period.validated_data["start"], period.validated_data["end"]
        with translation.override(settings.LANGUAGE_CODE):
            records = [
                (signal.employee_id, signal_record(signal))
                for signal in selectors.signals_for_api(
                    user=request.user, start=start, end=end
                ).iterator(chunk_size=500)
            ]
        # Logged before a byte is sent: an interrupted download was still a look.
        record_access_many(
            actor=request.user,
            action=AccessAction.EXPORT,
            role=Role.ANALYST,
            employees=[employee_id for employee_id, _record in records],
            object_type="monitoring.signal",
            purpose=f"{self.token_label()}: signalen {start}–{end}",
            channel=AccessChannel.API,
        )

        def lines() -> Iterator[bytes]:
            for _employee, record in records:
                yield (json.dumps(record, ensure_ascii=False) + "\n").encode()

        return StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")


# --- Intake -----------------------------------------------------------------------------


class ReportIntakeView(ApiView):
    """Register a report (melding) from another channel."""

    required_scope = Scope.INTAKE_REPORTS

    @extend_schema(
        operation_id="intake_report_register",
        summary="Register a report (melding)",
        description=(
            "Registers a report from another channel (whistleblower form, an external or "
            "internal report, anonymous). Personnel numbers are looked up among the employees "
            "the service account may look up; any other number is unknown. The answer is "
            "the case reference, and nothing about who handles it. Channels: "
            + ", ".join(code for code, _label in API_REPORT_CHANNELS)
            + "."
        ),
        request=ReportIntakeSerializer,
        responses={201: ReferenceSerializer, **_errors(400, 401, 403, 429)},
        tags=["intake"],
    )
    def post(self, request: Request) -> Response:
        from cases.services import ReporterDetails, register_report

        data = ReportIntakeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        employees = employees_visible_to(user=request.user)
        concerned = resolve_employees(values["concerned"], employees, field="concerned")
        named = resolve_employees(values["named"], employees, field="named")
        unit = None
        if values["unit"]:
            units = Unit.objects.filter(
                id__in=unit_ids_in_scope(
                    user=request.user, scopes=(UnitScope.INVESTIGATE, UnitScope.HEAD)
                )
            )
            unit = resolve_unit(values["unit"], units)
        reporter = None
        if values["reporter"]:
            given = values["reporter"]
            reporter_employee = None
            if given["personnel_number"]:
                reporter_employee = resolve_employees(
                    [given["personnel_number"]], employees, field="reporter.personnel_number"
                )[0]
            reporter = ReporterDetails(
                name=given["name"],
                contact=given["contact"],
                employee=reporter_employee,
                consent_to_disclose=given["consent_to_disclose"],
            )
        case = register_report(
            channel=values["channel"],
            summary=values["summary"],
            concerned_employees=concerned,
            named_employees=named,
            reporter_identity=reporter,
            source_reference=values["source_reference"] or f"api:{self.token().account.name}",
            received_at=values.get("received_at"),
            unit=unit,
            acting_user=request.user,
        )
        return Response({"reference": case.reference}, status=status.HTTP_201_CREATED)


class ComplaintIntakeView(ApiView):
    """Register a citizen's complaint from another channel."""

    required_scope = Scope.INTAKE_COMPLAINTS

    @extend_schema(
        operation_id="intake_complaint_register",
        summary="Register a citizen's complaint",
        description=(
            "Registers a complaint received by another channel (the police complaint form). "
            "The unit must be one whose complaints the service account handles; employees "
            "must work in it. The answer is the complaint's reference only."
        ),
        request=ComplaintIntakeSerializer,
        responses={201: ReferenceSerializer, **_errors(400, 401, 403, 429)},
        tags=["intake"],
    )
    def post(self, request: Request) -> Response:
        from django import forms

        from complaints.forms import employees_by_number
        from complaints.services import ContactDetails, register_complaint

        data = ComplaintIntakeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        units = Unit.objects.filter(
            id__in=unit_ids_in_scope(user=request.user, scopes=UnitScope.COMPLAINTS),
            is_active=True,
        )
        unit = resolve_unit(values["unit"], units)
        try:
            employees = employees_by_number(" ".join(values["employees"]), unit)
        except forms.ValidationError as error:
            raise serializers.ValidationError({"employees": error.messages}) from None
        complainant = values["complainant"]
        complaint = register_complaint(
            unit=unit,
            received_on=values["received_on"],
            conduct_on=values["conduct_on"],
            channel=values["channel"],
            summary=values["summary"],
            themes=values["themes"],
            contact=ContactDetails(**complainant),
            acting_user=request.user,
            employees=employees,
            location=values["location"],
        )
        return Response({"reference": complaint.reference}, status=status.HTTP_201_CREATED)
