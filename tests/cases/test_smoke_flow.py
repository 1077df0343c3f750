"""The whole protocol, start to finish, through the services."""

from __future__ import annotations

import pytest

from cases import services
from cases.models import CaseStatus
from tests.cases.builders import Flow

pytestmark = pytest.mark.django_db


def test_a_case_runs_from_intake_to_closing(flow: Flow) -> None:
    case = flow.ready_to_close()
    case = services.close_case(case=case, acting_user=flow.head)
    assert case.status == CaseStatus.CLOSED
    texts = list(case.investigation.journal.values_list("text", flat=True))
    assert len(texts) > 10
