"""``manage.py grant_role USERNAME ROLE [--unit CODE] --reason TEXT`` — the system's grant.

For the first accounts of an installation, before anyone can approve a role request: the
first privacy officer, head of VIK and administrator. It runs on the server, as VIK itself
(``acting_user=None``), so it needs no second person — and it is recorded as "VIK (system)",
told to the privacy officers and listed in the annual logging report like every grant. After
that, roles are requested in VIK and approved by a second person (docs/permissions.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vik import services
from vik.models import Unit
from vik.roles import Role


class Command(BaseCommand):
    help = "Grant a role as the system (first installation); recorded and told like any grant."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=[role.value for role in Role])
        parser.add_argument("--unit", help="code of the unit, for a role held over units")
        parser.add_argument("--reason", required=True, help="why, for the history and the report")

    def handle(
        self, *args: Any, username: str, role: str, unit: str | None, reason: str, **options: Any
    ) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active account named {username!r}")
        scope_unit = None
        if unit:
            scope_unit = Unit.objects.filter(code=unit).first()
            if scope_unit is None:
                raise CommandError(f"no unit with code {unit!r}")
        if not reason.strip():
            raise CommandError("give a reason")
        try:
            assignment = services.assign_role(
                user=user, role=Role(role), unit=scope_unit, acting_user=None, reason=reason
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"granted: {assignment}")
