"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error of the API has ``type``, ``title``, ``status``, ``detail`` and ``instance``,
plus the ``request_id`` to quote to the operators, and — for bad input — ``errors``: the
fields or the lines of an upload that are wrong, each with its reason.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from vik.request_context import current_request_context

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:vik:problem:"


class Problem(exceptions.APIException):
    """A problem with its own type and, optionally, the list of what is wrong."""

    def __init__(
        self,
        *,
        status_code: int,
        problem_type: str,
        detail: str,
        errors: list[dict[str, Any]] | None = None,
        title: str = "",
    ) -> None:
        super().__init__(detail=detail)
        self.status_code = status_code
        self.problem_type = problem_type
        self.errors = errors
        self.title = title


def malformed_upload(detail: str, errors: list[dict[str, Any]]) -> Problem:
    return Problem(
        status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
        problem_type="malformed-upload",
        title="Malformed upload",
        detail=detail,
        errors=errors,
    )


def problem_body(
    *,
    status_code: int,
    detail: str,
    instance: str,
    problem_type: str = "",
    title: str = "",
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    context = current_request_context()
    body: dict[str, Any] = {
        "type": f"{TYPE_PREFIX}{problem_type}" if problem_type else "about:blank",
        "title": title or HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
        "instance": instance,
        "request_id": context.request_id if context else "",
    }
    if errors:
        body["errors"] = errors
    return body


def _field_errors(detail: Any, prefix: str = "") -> list[dict[str, Any]]:
    """DRF's nested validation errors as a flat list of ``{"field", "reason"}``."""
    if isinstance(detail, dict):
        return [
            error
            for name, value in detail.items()
            for error in _field_errors(
                value, f"{prefix}{name}." if name != "non_field_errors" else prefix
            )
        ]
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [{"field": prefix.rstrip(".") or None, "reason": str(item)} for item in detail]
        return [
            error
            for index, item in enumerate(detail)
            for error in _field_errors(item, f"{prefix}{index}.")
        ]
    return [{"field": prefix.rstrip(".") or None, "reason": str(detail)}]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, answering problem details for every error it knows."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.messages)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    errors: list[dict[str, Any]] | None = None
    problem_type = ""
    title = ""
    if isinstance(exc, Problem):
        detail = str(exc.detail)
        errors = exc.errors
        problem_type = exc.problem_type
        title = exc.title
    elif isinstance(exc, exceptions.ValidationError):
        detail = "The request is not valid; see errors."
        errors = _field_errors(exc.detail)
        problem_type = "validation"
        title = "Invalid request"
    elif isinstance(exc, exceptions.Throttled):
        detail = "Too many requests for this token; try again after Retry-After seconds."
    else:
        detail = str(getattr(exc, "detail", "")) or HTTPStatus(response.status_code).phrase
    response.data = problem_body(
        status_code=response.status_code,
        detail=detail,
        instance=instance,
        problem_type=problem_type,
        title=title,
        errors=errors,
    )
    response.content_type = PROBLEM_JSON
    return response


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any other path under /api/: a problem document, not the HTML 404 page."""
    return JsonResponse(
        problem_body(
            status_code=404, detail="There is no such API resource.", instance=request.path
        ),
        status=404,
        content_type=PROBLEM_JSON,
    )
