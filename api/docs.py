"""The API's documentation pages: Swagger UI and Redoc from the vendored sidecar package.

Nothing comes from a CDN, and nothing is inline: the pages load the sidecar's files and a
small initialiser from our own static files, so the site's strict Content Security Policy
holds. Only what each viewer needs beyond it is allowed, on its own page: Swagger UI sets
style attributes on its elements; Redoc injects style elements (styled-components) and
runs its search in a worker started from a blob.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.views.decorators.csp import csp_override
from django.views.generic import TemplateView

SWAGGER_CSP: dict[str, Any] = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}
REDOC_CSP: dict[str, Any] = {
    **settings.SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "worker-src": [CSP.SELF, "blob:"],
}


@method_decorator([login_not_required, csp_override(SWAGGER_CSP)], name="dispatch")
class SwaggerView(TemplateView):
    """Swagger UI over /api/v1/schema/ (reading only: "try it out" is off)."""

    template_name = "api/swagger.html"


@method_decorator([login_not_required, csp_override(REDOC_CSP)], name="dispatch")
class RedocView(TemplateView):
    """Redoc over /api/v1/schema/."""

    template_name = "api/redoc.html"
