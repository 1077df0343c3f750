"""Kinds of integrity violation on cases: at triage and at the outcome, both kept."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, InvestigationViolationKind, TriageDecision
from cases.services import active_criteria
from cases.transparency import purge_cases
from tests.cases.builders import Flow
from vik.models import ClassificationStage, ViolationKind
from vik.models.typology import UNCLASSIFIED_CODE
from vik.transparency.registry import PurgeRequest
from vik.typology.selectors import kind_counts, recorded_kinds
from vik.typology.services import record_violation_kinds

pytestmark = pytest.mark.django_db


def kind(code: str) -> ViolationKind:
    return ViolationKind.objects.get(code=code)


def codes(case, stage: ClassificationStage) -> list[str]:
    return [k.code for k in recorded_kinds(subject=case, stage=stage)]


def some_kinds() -> tuple[ViolationKind, ViolationKind]:
    first, second = ViolationKind.objects.filter(is_active=True).exclude(code=UNCLASSIFIED_CODE)[:2]
    return first, second


def test_the_outcome_records_what_was_found_and_keeps_the_triage_kinds(flow: Flow) -> None:
    at_triage, found = some_kinds()
    case = flow.submitted()
    # What triage recorded (the builder triages without kinds: record them as triage would).
    record_violation_kinds(
        subject=case,
        kinds=[at_triage],
        stage=ClassificationStage.TRIAGE,
        acting_user=flow.head,
        reason="triage",
    )
    services.decide_outcome(
        case=case,
        dereliction=True,
        route="none",
        rationale="Afweging.",
        kinds=[found, at_triage],
        acting_user=flow.head,
    )
    assert set(codes(case, ClassificationStage.OUTCOME)) == {found.code, at_triage.code}
    assert codes(case, ClassificationStage.TRIAGE) == [at_triage.code]
    row = InvestigationViolationKind.objects.filter(subject=case, kind=found).get()
    assert row.recorded_by == flow.head
    assert row.history.first().history_change_reason == "outcome decided"


def test_triage_records_the_kinds_the_report_is_about(flow: Flow) -> None:
    chosen, _other = some_kinds()
    case = flow.triaged(TriageDecision.NO_ACTION, kinds=[chosen])
    assert codes(case, ClassificationStage.TRIAGE) == [chosen.code]
    assert codes(case, ClassificationStage.OUTCOME) == []


def test_nothing_ticked_at_triage_is_recorded_as_not_yet_classified(flow: Flow) -> None:
    case = flow.triaged(TriageDecision.NO_ACTION, kinds=[])
    assert codes(case, ClassificationStage.TRIAGE) == [UNCLASSIFIED_CODE]


def test_the_trends_count_the_case_under_its_kind(flow: Flow) -> None:
    at_triage, _other = some_kinds()
    case = flow.triaged(kinds=[at_triage])
    today = timezone.localdate()
    counts = [
        row
        for row in kind_counts(
            start=today - datetime.timedelta(days=1), end=today + datetime.timedelta(days=1)
        )
        if row.source == "cases.triage"
    ]
    assert [(row.unit_id, row.kind_id, row.count) for row in counts] == [
        (case.unit_id, at_triage.pk, 1)
    ]


def test_the_triage_page_records_the_ticked_kinds(flow: Flow) -> None:
    case = flow.reported()
    chosen, _other = some_kinds()
    client = Client()
    client.force_login(flow.head)
    form = {
        "decision": TriageDecision.NO_ACTION,
        "reasons": "Geen aanwijzingen.",
        "kinds": [chosen.pk],
        **{f"criterion_{criterion.code}": "no" for criterion in active_criteria()},
    }
    url = reverse("cases:triage", args=[case.pk])
    page = client.post(url, form)  # the confirmation page reads the kinds back
    assert page.status_code == 200
    assert chosen.name in page.content.decode()
    assert client.post(url, {**form, "confirmed": "yes"}).status_code == 302
    assert codes(case, ClassificationStage.TRIAGE) == [chosen.code]


def test_the_purge_takes_the_kinds_and_their_history(flow: Flow) -> None:
    at_triage, _other = some_kinds()
    case = flow.triaged(TriageDecision.NO_ACTION, kinds=[at_triage])
    assert InvestigationViolationKind.history.filter(subject_id=case.pk).exists()
    Case.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=2 * 366)
    )
    request = PurgeRequest(
        "cases.closed_no_violation", timezone.localdate() - datetime.timedelta(days=366)
    )
    assert purge_cases(request, [case.pk]).purged == 1
    assert not InvestigationViolationKind.objects.filter(subject_id=case.pk).exists()
    assert not InvestigationViolationKind.history.filter(subject_id=case.pk).exists()
