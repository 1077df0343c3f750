"""Writes of the API app: service accounts, tokens, deliveries. Keyword arguments throughout.

Token secrets are 32 random bytes: far beyond guessing, so a plain SHA-256 digest is the
right way to store them (a slow password hash would only slow every API call). The secret
is returned once, by :func:`issue_token` / :func:`rotate_token`, and never stored.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken, Delivery, Scope, ServiceAccount
from vik.history import stamp
from vik.security_log import SecurityEvent, log_security_event

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

TOKEN_PREFIX = "vik_"  # noqa: S105 - the public format marker, not a secret
SERVICE_USER_PREFIX = "svc-"


@dataclass(frozen=True)
class IssuedToken:
    """A token just issued: the record, and the only copy of the full token string."""

    token: ApiToken
    secret: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(raw: str) -> tuple[str, str] | None:
    """``vik_<prefix>_<secret>`` → (prefix, secret); None when it is not shaped like one."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, _sep, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret or len(prefix) > 16:
        return None
    return prefix, secret


@transaction.atomic
def create_service_account(
    *, name: str, description: str, acting_user: AnyUser | None
) -> ServiceAccount:
    """A new service account with its own login account (no password, never interactive).

    It holds no role yet: grant roles through the role assignments, with a reason, as for
    a person.
    """
    user_model = get_user_model()
    username = f"{SERVICE_USER_PREFIX}{name}"
    if user_model.objects.filter(username=username).exists():
        raise ValidationError(f"A login account {username!r} already exists.")
    user = user_model(username=username, first_name=name, last_name="(service account)")
    user.set_unusable_password()
    user.save()
    account = ServiceAccount(name=name, description=description, user=user)
    stamp(account, acting_user=acting_user, reason="Service account created").save()
    return account


def _validated_scopes(scopes: Iterable[str]) -> list[str]:
    scopes = sorted(set(scopes))
    unknown = [scope for scope in scopes if scope not in Scope.values]
    if unknown:
        raise ValidationError(f"Unknown scope(s): {', '.join(unknown)}")
    if not scopes:
        raise ValidationError("A token needs at least one scope.")
    return scopes


@transaction.atomic
def issue_token(
    *,
    account: ServiceAccount,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime.datetime | None = None,
    rate_per_minute: int | None = None,
    acting_user: AnyUser | None,
    secret: str | None = None,
    prefix: str | None = None,
) -> IssuedToken:
    """Issue a token for ``account``; the returned secret is the only copy.

    ``secret`` and ``prefix`` are for the DEBUG demo only, whose tokens are documented.
    """
    if (secret is not None or prefix is not None) and not settings.DEBUG:
        raise ValidationError("A chosen token is only possible in the demo.")
    expires_at = expires_at or timezone.now() + datetime.timedelta(
        days=settings.VIK_API_TOKEN_LIFETIME_DAYS
    )
    if expires_at <= timezone.now():
        raise ValidationError("The expiry must be in the future.")
    prefix = prefix or secrets.token_hex(6)
    body = secret or secrets.token_urlsafe(32)
    token = ApiToken(
        account=account,
        name=name,
        prefix=prefix,
        secret_hash=digest(body),
        scopes=_validated_scopes(scopes),
        expires_at=expires_at,
        rate_per_minute=rate_per_minute,
        created_by=acting_user if acting_user and acting_user.is_authenticated else None,
    )
    stamp(token, acting_user=acting_user, reason="Token issued").save()
    log_security_event(
        SecurityEvent.TOKEN_ISSUED,
        username=_name(acting_user),
        account=account.name,
        token=token.name,
        prefix=prefix,
        scopes=",".join(token.scopes),
    )
    return IssuedToken(token=token, secret=f"{TOKEN_PREFIX}{prefix}_{body}")


@transaction.atomic
def rotate_token(*, token: ApiToken, acting_user: AnyUser | None) -> IssuedToken:
    """Replace a token by a new one with the same scopes, limit and lifetime; revoke it."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError("A revoked token cannot be rotated; issue a new one.")
    lifetime = max(token.expires_at - token.created_at, datetime.timedelta(days=1))
    issued = issue_token(
        account=token.account,
        name=token.name,
        scopes=token.scopes,
        expires_at=timezone.now() + lifetime,
        rate_per_minute=token.rate_per_minute,
        acting_user=acting_user,
    )
    token.replaced_by = issued.token
    _revoke(token, acting_user=acting_user, reason="Rotated")
    log_security_event(
        SecurityEvent.TOKEN_ROTATED,
        username=_name(acting_user),
        account=token.account.name,
        token=token.name,
        old_prefix=token.prefix,
        new_prefix=issued.token.prefix,
    )
    return issued


@transaction.atomic
def revoke_token(*, token: ApiToken, acting_user: AnyUser | None, reason: str) -> ApiToken:
    """Revoke a token at once (idempotent)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        _revoke(token, acting_user=acting_user, reason=reason)
        log_security_event(
            SecurityEvent.TOKEN_REVOKED,
            username=_name(acting_user),
            account=token.account.name,
            token=token.name,
            prefix=token.prefix,
            reason=reason,
        )
    return token


def _revoke(token: ApiToken, *, acting_user: AnyUser | None, reason: str) -> None:
    token.revoked_at = timezone.now()
    token.revoke_reason = reason[:200]
    stamp(token, acting_user=acting_user, reason=f"Token revoked: {reason}").save()


def _name(user: AnyUser | None) -> str:
    return user.get_username() if user is not None and user.is_authenticated else ""


def note_token_use(token: ApiToken) -> None:
    """Remember when a token was last used (at most one write a minute per token)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- Deliveries -------------------------------------------------------------------------


@transaction.atomic
def receive_delivery(
    *,
    kind: Delivery.Kind,
    token: ApiToken,
    directory: Path,
    files: list[dict[str, object]],
) -> Delivery:
    """Record uploaded files and queue their import once this transaction commits."""
    delivery = Delivery.objects.create(
        kind=kind,
        account=token.account,
        token=token,
        directory=str(directory),
        files=files,
    )
    from api.tasks import import_delivery

    transaction.on_commit(lambda: import_delivery.delay(delivery.pk))
    return delivery


def run_delivery(*, delivery_id: int) -> bool:
    """Import a delivery's files with the import service of its kind (idempotent).

    The delivery is claimed with a conditional update, so a redelivered task does nothing.
    The acting user is the service account's login account, so the import records name it.
    The files are removed afterwards, whatever happened: the report is what stays.
    """
    claimed = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.RECEIVED).update(
        status=Delivery.Status.IMPORTING
    )
    if not claimed:
        return False
    delivery = Delivery.objects.select_related("account__user").get(pk=delivery_id)
    directory = Path(delivery.directory)
    acting_user = delivery.account.user
    try:
        if delivery.kind == Delivery.Kind.ACCESS_LOG:
            from monitoring.services import import_access_logs

            paths = [directory / str(entry["name"]) for entry in delivery.files]
            report = import_access_logs(paths=paths, acting_user=acting_user)
            delivery.batch_ids = [result.batch_id for result in report.files]
            failed = report.failed
            delivery.message = "; ".join(result.error for result in failed)
            delivery.status = Delivery.Status.FAILED if failed else Delivery.Status.DONE
        elif delivery.kind == Delivery.Kind.REFERENCE:
            from monitoring.services import import_reference_data

            _report, batch = import_reference_data(directory=directory, acting_user=acting_user)
            delivery.batch_ids = [batch.pk]
            delivery.status = Delivery.Status.DONE
        else:
            from vik.hr import import_hr_delivery

            run = import_hr_delivery(
                directory=directory,
                acting_user=acting_user,
                source=f"API {delivery.account.name} levering {delivery.pk}",
            )
            delivery.organisation_import = run
            delivery.status = Delivery.Status.DONE
    except Exception as error:  # noqa: BLE001 - recorded on the delivery for its client
        delivery.status = Delivery.Status.FAILED
        delivery.message = str(error)[:2000]
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    delivery.finished_at = timezone.now()
    delivery.save()
    return True
