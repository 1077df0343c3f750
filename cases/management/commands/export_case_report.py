"""``manage.py export_case_report CASE_REF --output FILE.pdf`` — the investigation report as PDF.

For an operator on the server. With ``--user`` the case is looked up as that user sees it
(the same selector as the web pages), and the access log names them; without it, the
command acts as the system and the access log records a command-line print. Either way the
print is logged for every person concerned.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.documents import investigation_report_pdf
from cases.models import Case, CaseParty
from cases.selectors import cases_visible_to
from vik.models import AccessAction, AccessChannel
from vik.services import record_access


class Command(BaseCommand):
    help = "Render the investigation report of a case to a PDF file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="the case reference, e.g. AM-2026-0007")
        parser.add_argument("--output", required=True, type=Path, help="the PDF file to write")
        parser.add_argument(
            "--user", help="look the case up as this user sees it (and log the print as theirs)"
        )

    def handle(
        self, *args: Any, reference: str, output: Path, user: str | None, **options: Any
    ) -> None:
        actor: Any = AnonymousUser()
        cases = Case.objects.all()
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"no user {user!r}") from None
            cases = cases_visible_to(user=actor)
        try:
            case = cases.get(reference=reference)
        except Case.DoesNotExist:
            raise CommandError(f"no case {reference!r} (or not visible to {user})") from None
        if not case.is_investigation:
            raise CommandError(f"{reference} is not an investigation and has no report")

        def progress(percent: int, step: str) -> None:
            if options["verbosity"] > 1:
                self.stderr.write(f"{percent:3d}% {step}")

        pdf, pages = investigation_report_pdf(case, progress=progress)
        output.write_bytes(pdf)
        concerned = CaseParty.objects.filter(case=case, role=CaseParty.Role.CONCERNED).values_list(
            "employee_id", flat=True
        )
        subjects: list[int | None] = [*concerned] or [None]
        for employee_id in subjects:
            record_access(
                actor=actor,
                action=AccessAction.PRINT,
                role=None,
                employee=employee_id,
                obj=case,
                purpose="export_case_report",
                channel=AccessChannel.COMMAND,
            )
        self.stdout.write(self.style.SUCCESS(f"{output}: {pages} pages"))
