"""The security log: sign-ins, refused sign-ins, sign-outs, API tokens and leavers.

One log line per event from the logger ``vik.security`` — with the request id, the client
address and the fields below as structured data (``VIK_LOG_FORMAT=json`` writes them as JSON
for the log collector or SIEM). Never a password, token or claim value that is a secret.
Local sign-ins are also kept by django-axes (its access and failure logs, and the lockout).
"""

from __future__ import annotations

import logging
from typing import Any

from vik.request_context import current_request_context

logger = logging.getLogger("vik.security")


class SecurityEvent:
    """The names of the events, as they appear in the ``event`` field."""

    # (ruff's S105 takes "token" names for passwords; these are event names.)
    SIGN_IN = "sign_in"
    SIGN_IN_REFUSED = "sign_in_refused"
    SIGN_OUT = "sign_out"
    API_AUTH_REFUSED = "api_auth_refused"
    TOKEN_ISSUED = "api_token_issued"  # noqa: S105
    TOKEN_ROTATED = "api_token_rotated"  # noqa: S105
    TOKEN_REVOKED = "api_token_revoked"  # noqa: S105
    ROLE_REMOVED_BY_GROUPS = "role_removed_by_groups"
    LEAVER_OFFBOARDED = "leaver_offboarded"
    # Stored data changed past VIK (a sealed report, the access log's hash chain).
    INTEGRITY_ALARM = "integrity_alarm"


def log_security_event(
    event: str, *, username: str = "", warning: bool = False, **fields: Any
) -> None:
    """Write one security event (``warning`` for refusals: they are what a SOC looks at)."""
    context = current_request_context()
    extra = {
        "event": event,
        "username": username,
        "client_address": context.client_address if context else None,
        **fields,
    }
    message = " ".join(f"{key}={value}" for key, value in extra.items() if value not in ("", None))
    logger.log(logging.WARNING if warning else logging.INFO, message, extra={"security": extra})
