"""Drive cases through the protocol with the real services, step by step, for tests.

Each method moves the flow's case one stage on and returns what it made, so a test starts
at the stage it is about: ``flow.interviewed()`` gives a held interview in an investigation
whose assignment is issued, counsellor informed and person concerned notified.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from cases import services
from cases.models import (
    Case,
    CaseStatus,
    Channel,
    DeliveryMethod,
    Interview,
    IntervieweeRole,
    InterviewReportVersion,
    Letter,
    LetterKind,
    OutcomeRoute,
    TriageDecision,
)
from tests.conftest import World
from vik.roles import Role

REPORT_TEXT = (
    "Het verhoor begon om 10.00 uur. De geïnterviewde verklaarde het volgende.\n\n"
    "Ik heb het systeem geraadpleegd voor mijn werk en niet voor privédoeleinden."
)


def no_criteria(**applies: bool) -> dict[str, bool]:
    """An answer to every Rijksrecherche criterion in use: no, unless given (by code)."""
    answers = {criterion.code: False for criterion in services.active_criteria()}
    answers.update({code.replace("_", "-"): value for code, value in applies.items()})
    return answers


@dataclass
class Flow:
    world: World
    second: User
    case: Case | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def head(self) -> User:
        return self.world.user(Role.VIK_HEAD)  # type: ignore[return-value]

    @property
    def investigator(self) -> User:
        return self.world.user(Role.INVESTIGATOR)  # type: ignore[return-value]

    @property
    def today(self) -> datetime.date:
        return timezone.localdate()

    def reported(self, **kwargs: Any) -> Case:
        defaults: dict[str, Any] = {
            "channel": Channel.INTERNAL,
            "summary": "Collega raadpleegde de gegevens van een bekende Nederlander.",
            "concerned_employees": [self.world.subject],
            "named_employees": [self.world.colleague],
            "acting_user": self.investigator,
        }
        self.case = services.register_report(**{**defaults, **kwargs})
        return self.case

    def triaged(
        self, decision: TriageDecision = TriageDecision.DISCIPLINARY, **kwargs: Any
    ) -> Case:
        case = self.case or self.reported()
        kwargs.setdefault("criteria", no_criteria())
        self.case = services.triage_report(
            case=case,
            decision=decision,
            reasons="Concrete aanwijzingen voor misbruik van systemen.",
            acting_user=self.head,
            **kwargs,
        )
        return self.case

    def assigned(self) -> Case:
        case = self.triaged()
        for user in (self.investigator, self.second):
            services.assign_investigator(case=case, user=user, acting_user=self.head)
        services.save_assignment(
            case=case,
            reason="Melding van een collega over raadplegingen.",
            objective="Vaststellen of sprake is van plichtsverzuim.",
            research_questions="Heeft betrokkene gegevens geraadpleegd?\nWas daar een dienstelijke reden voor?",
            employer_powers_consent=True,
            planned_methods="Verhoren, opvragen van loggegevens.",
            reporting_arrangements="Tussenrapportage na vier weken.",
            expected_duration_days=30,
            acting_user=self.head,
        )
        return case

    def issued(self) -> Case:
        case = self.assigned()
        self.case = services.issue_assignment(case=case, acting_user=self.head)
        return self.case

    def notification(self) -> Letter:
        case = self.case
        assert case is not None
        return services.draft_letter(
            case=case,
            kind=LetterKind.NOTIFICATION,
            recipient=self.world.subject,
            acting_user=self.investigator,
        )

    def started(self) -> Case:
        """Issued (unless it already is), counsellor informed, the person notified in writing."""
        if self.case is not None and self.case.status == CaseStatus.INVESTIGATING:
            case = self.case
        else:
            case = self.issued()
        services.record_counsellor_informed(case=case, on=self.today, acting_user=self.investigator)
        letter = self.notification()
        services.mark_letter_sent(
            letter=letter,
            sent_on=self.today,
            delivery=DeliveryMethod.BY_HAND,
            acting_user=self.investigator,
        )
        return case

    def scheduled(self, **kwargs: Any) -> Interview:
        if self.case is None or self.case.status == "registered":
            self.started()
        assert self.case is not None
        defaults: dict[str, Any] = {
            "role": IntervieweeRole.INTERNAL_WITNESS,
            "interviewee": self.world.colleague,
            "scheduled_at": timezone.now() + datetime.timedelta(hours=1),
            "location": "Bureau VIK, kamer 3",
            "expected_duration_minutes": 60,
            "nature_and_purpose": "Getuigenverhoor over de raadplegingen.",
            "lead_investigator": self.investigator,
            "second_investigator": self.second,
        }
        return services.schedule_interview(
            case=self.case, acting_user=self.investigator, **{**defaults, **kwargs}
        )

    def interviewed(self, **kwargs: Any) -> Interview:
        interview = self.scheduled(**kwargs)
        assert self.case is not None
        invitation = services.draft_letter(
            case=self.case,
            kind=LetterKind.INVITATION,
            interview=interview,
            acting_user=self.investigator,
        )
        services.mark_letter_sent(
            letter=invitation,
            sent_on=self.today,
            delivery=DeliveryMethod.INTERNAL_MAIL,
            acting_user=self.investigator,
        )
        return services.record_interview_held(
            interview=interview,
            held_at=timezone.now(),
            counsel_present=False,
            recording_retain_until=self.today + datetime.timedelta(days=180),
            acting_user=self.investigator,
        )

    def sent_version(self, interview: Interview | None = None) -> InterviewReportVersion:
        interview = interview or self.interviewed()
        version = services.create_report_version(
            interview=interview, content=REPORT_TEXT, acting_user=self.investigator
        )
        return services.send_report_version(
            version=version, sent_on=self.today, acting_user=self.investigator
        )

    def signed_version(self, interview: Interview | None = None) -> InterviewReportVersion:
        version = self.sent_version(interview)
        return services.record_version_signed(
            version=version,
            signed_on=self.today,
            every_page_initialled=True,
            acting_user=self.investigator,
        )

    def ready_for_hearing(self) -> Case:
        self.signed_version()
        assert self.case is not None
        services.save_findings(
            case=self.case,
            findings="Betrokkene raadpleegde zonder dienstelijke reden gegevens.",
            conclusion="Er is sprake van plichtsverzuim.",
            acting_user=self.investigator,
        )
        return self.case

    def heard(self) -> Case:
        case = self.ready_for_hearing()
        services.offer_hearing(case=case, offered_on=self.today, acting_user=self.investigator)
        services.record_hearing(
            case=case,
            held_on=self.today,
            form="oral",
            counsel_present=False,
            findings_made_available=True,
            reaction="Betrokkene erkent de raadplegingen.",
            acting_user=self.investigator,
        )
        return case

    def submitted(self) -> Case:
        case = self.heard()
        self.case = services.submit_report(case=case, acting_user=self.investigator)
        return self.case

    def decided(
        self, route: OutcomeRoute = OutcomeRoute.NONE, *, dereliction: bool | None = False
    ) -> Case:
        case = self.submitted()
        self.case = services.decide_outcome(
            case=case,
            dereliction=dereliction,
            route=route,
            rationale="Afweging van de opdrachtgever.",
            line_instruction="Bespreek het gebruik van systemen."
            if route == OutcomeRoute.LINE
            else "",
            acting_user=self.head,
        )
        return self.case

    def ready_to_close(self) -> Case:
        case = self.decided()
        letter = services.draft_letter(
            case=case, kind=LetterKind.OUTCOME, recipient=self.world.subject, acting_user=self.head
        )
        services.mark_letter_sent(
            letter=letter,
            sent_on=self.today,
            delivery=DeliveryMethod.BY_HAND,
            acting_user=self.head,
        )
        services.record_report_provided(case=case, on=self.today, acting_user=self.head)
        return case
