"""Benchmark: render a long investigation report (about 40 pages) to PDF.

    DATABASE_URL=postgres://... python -m benchmarks.case_report_pdf [--interviews 12] [--runs 3]

Builds a synthetic investigation through the real services — an organisation, a case with
a dozen interviews of two to three pages each, a methods register with telecommunication
stages, requests for documents and a long journal — inside a transaction that is rolled back
at the end, so the database is left as it was. Then renders the investigation report the way
the background task does and prints pages, seconds and size. Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import time
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cases.models import Case


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interviews", type=int, default=16, help="interviews in the case")
    parser.add_argument("--runs", type=int, default=3, help="renderings to time")
    parser.add_argument("--output", type=Path, help="also write the PDF here, to look at it")
    arguments = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vik.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    # Static files from the finders, as in the tests: no collectstatic manifest needed.
    os.environ.setdefault("VIK_PLAIN_STATIC", "true")
    import django

    django.setup()
    from django.db import transaction

    with transaction.atomic():
        case = build_case(interviews=arguments.interviews)
        timings = []
        pages = size = 0
        from cases.documents import investigation_report_pdf

        steps: dict[str, list[float]] = {}
        for _run in range(arguments.runs):
            timer = StepTimer()
            pdf, pages = investigation_report_pdf(case, progress=timer)
            timings.append(timer.total())
            size = len(pdf)
            for step, seconds in timer.durations():
                steps.setdefault(step, []).append(seconds)
        if arguments.output:
            arguments.output.write_bytes(pdf)
        print(f"interviews: {arguments.interviews}")
        print(f"pages: {pages}")
        print(f"size: {size / 1024:.0f} KiB")
        print(
            "seconds: "
            + ", ".join(f"{t:.2f}" for t in timings)
            + f" (median {statistics.median(timings):.2f}, {statistics.median(timings) / pages * 1000:.0f} ms/page)"
        )
        for step, seconds in steps.items():
            print(f"  {step}: median {statistics.median(seconds):.2f} s")
        # Leave the database as it was: nothing of the benchmark is kept.
        transaction.set_rollback(True)


class StepTimer:
    """The report's progress callback: when each step was announced."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.marks: list[tuple[str, float]] = []

    def __call__(self, _percent: int, step: str) -> None:
        self.marks.append((step, time.perf_counter()))

    def total(self) -> float:
        return time.perf_counter() - self.start

    def durations(self) -> list[tuple[str, float]]:
        """Each step's time: from its announcement to the next one's."""
        return [(step, end - begin) for (step, begin), (_next, end) in pairwise(self.marks)]


PARAGRAPH = (
    "De geïnterviewde verklaart dat hij op de bewuste dag dienst had op het bureau en dat hij "
    "de registratie heeft geopend omdat een collega hem om hulp vroeg bij een melding. Gevraagd "
    "naar de naam van die collega kan hij die niet noemen. De onderzoekers wijzen hem erop dat "
    "uit de loggegevens blijkt dat de raadpleging plaatsvond buiten zijn rooster, om 23.47 uur. "
    "Hij verklaart dat hij zich in de tijd kan vergissen en dat hij vaker na zijn dienst nog even "
    "inlogt om zaken af te ronden."
)


def build_case(*, interviews: int) -> Case:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cases import services
    from cases.models import (
        Case,
        DeliveryMethod,
        IntervieweeRole,
        LetterKind,
        MethodKind,
        TriageDecision,
    )
    from vik import services as core
    from vik.models import Employee, Unit
    from vik.roles import Role

    rng = random.Random(2026)
    today = timezone.localdate()
    unit = Unit.objects.create(code="BENCH", name="Eenheid Benchmark", kind=Unit.Kind.REGIONAL)
    team = Unit.objects.create(
        code="BENCH-T1", name="Basisteam Benchmark", kind=Unit.Kind.TEAM, parent=unit
    )
    core.rebuild_unit_ancestry()
    users = {}
    for number, (username, role, first, last) in enumerate(
        [
            ("bench-head", Role.VIK_HEAD, "Hanna", "Hoofd"),
            ("bench-inv1", Role.INVESTIGATOR, "Iris", "Eerste"),
            ("bench-inv2", Role.INVESTIGATOR, "Ivo", "Tweede"),
        ]
    ):
        user = get_user_model().objects.create(username=username, first_name=first, last_name=last)
        Employee.objects.create(
            personnel_number=f"B9{number:04d}",
            first_name=first,
            last_name=last,
            unit=unit,
            team=team,
            user=user,
        )
        core.assign_role(user=user, role=role, unit=unit, acting_user=None, reason="benchmark")
        users[username] = user
    head, first, second = users["bench-head"], users["bench-inv1"], users["bench-inv2"]
    people = [
        Employee.objects.create(
            personnel_number=f"B1{n:04d}",
            first_name=f"Getuige{n}",
            last_name="Benchmark",
            unit=unit,
            team=team,
        )
        for n in range(interviews + 1)
    ]
    subject = people.pop(0)

    case = services.register_report(
        channel="internal",
        summary="Melding over raadplegingen van een registratie zonder dienstelijke reden. " * 3,
        concerned_employees=[subject],
        named_employees=people[:2],
        acting_user=first,
    )
    services.triage_report(
        case=case,
        decision=TriageDecision.DISCIPLINARY,
        reasons="Concrete aanwijzingen.",
        criteria={criterion.code: False for criterion in services.active_criteria()},
        acting_user=head,
    )
    for user in (first, second):
        services.assign_investigator(case=case, user=user, acting_user=head)
    services.save_assignment(
        case=case,
        reason="Melding van een collega.",
        objective="Vaststellen of sprake is van plichtsverzuim.",
        research_questions="\n".join(f"Onderzoeksvraag {n}?" for n in range(1, 6)),
        employer_powers_consent=True,
        planned_methods="Verhoren, loggegevens, e-mailonderzoek.",
        reporting_arrangements="Tweewekelijks mondeling.",
        expected_duration_days=60,
        acting_user=head,
    )
    services.issue_assignment(case=case, acting_user=head)
    services.record_counsellor_informed(case=case, on=today, acting_user=head)
    letter = services.draft_letter(
        case=case, kind=LetterKind.NOTIFICATION, recipient=subject, acting_user=head
    )
    services.mark_letter_sent(
        letter=letter, sent_on=today, delivery=DeliveryMethod.BY_HAND, acting_user=head
    )
    for kind in (MethodKind.SYSTEM_LOGS, MethodKind.TELECOM_MESSAGES, MethodKind.DOCUMENT_STUDY):
        method = services.propose_method(
            case=case,
            kind=kind,
            description=PARAGRAPH,
            proportionality=PARAGRAPH,
            subsidiarity=PARAGRAPH,
            acting_user=first,
        )
        services.decide_method(method=method, consent=True, acting_user=head)
        if method.is_staged:
            for stage in (1, 2, 3):
                services.decide_telecom_stage(
                    method=method, stage=stage, justification=PARAGRAPH, acting_user=head
                )
        services.start_method(method=method, on=today, acting_user=first)
        services.end_method(method=method, on=today, acting_user=first)
        if method.is_telecom:
            notice = services.draft_letter(
                case=case,
                kind=LetterKind.TELECOM_NOTICE,
                recipient=subject,
                method=method,
                acting_user=first,
            )
            services.mark_letter_sent(
                letter=notice, sent_on=today, delivery=DeliveryMethod.POST, acting_user=first
            )
    for n in range(interviews):
        interview = services.schedule_interview(
            case=case,
            role=IntervieweeRole.INTERNAL_WITNESS,
            interviewee=people[n],
            scheduled_at=timezone.now() - datetime.timedelta(hours=1),
            location="Bureau VIK",
            expected_duration_minutes=90,
            nature_and_purpose="Getuigenverhoor.",
            lead_investigator=first,
            second_investigator=second,
            acting_user=first,
        )
        invitation = services.draft_letter(
            case=case, kind=LetterKind.INVITATION, interview=interview, acting_user=first
        )
        services.mark_letter_sent(
            letter=invitation, sent_on=today, delivery=DeliveryMethod.BY_HAND, acting_user=first
        )
        services.record_interview_held(
            interview=interview,
            held_at=timezone.now(),
            counsel_present=False,
            recording_retain_until=today + datetime.timedelta(days=365),
            acting_user=first,
        )
        text = "\n\n".join(PARAGRAPH for _ in range(rng.randint(8, 11)))
        version = services.create_report_version(
            interview=interview, content=text, acting_user=first
        )
        version = services.send_report_version(version=version, sent_on=today, acting_user=first)
        services.record_version_signed(
            version=version, signed_on=today, every_page_initialled=True, acting_user=first
        )
    for n in range(40):
        services.add_journal_entry(
            case=case,
            text=f"Overleg {n} met de opdrachtgever over de voortgang.",
            acting_user=first,
        )
    services.save_findings(
        case=case, findings="\n\n".join([PARAGRAPH] * 6), conclusion=PARAGRAPH, acting_user=first
    )
    return Case.objects.get(pk=case.pk)  # as the task loads it: everything the services wrote


if __name__ == "__main__":
    main()
