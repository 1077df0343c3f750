"""The shared anonymous-evaluation mechanism (screening interviews and prevention sessions)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from prevention.models import SessionEvaluationCode, SessionEvaluationResponse
from screening.models import EvaluationResponse
from tests.conftest import World
from tests.prevention import helpers
from vik import evaluations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The source messages, whatever the default language."""
    with translation.override("en"):
        yield


def test_below_five_answers_only_the_number_is_given(world: World) -> None:
    session = helpers.held_session(world, attendance=6)
    helpers.evaluate(world, session, 4)
    summary = evaluations.summarise_answers(SessionEvaluationResponse.objects.all())
    assert summary == {"count": 4, "suppressed": True}


def test_from_five_answers_ratings_choices_and_shuffled_texts(world: World) -> None:
    session = helpers.held_session(world, attendance=6)
    helpers.evaluate(world, session, 5, q1_overall=4)
    summary = evaluations.summarise_answers(SessionEvaluationResponse.objects.all())
    assert summary["count"] == 5
    assert summary["ratings"]["q1_overall"] == {
        "mean": 4.0,
        "distribution": {1: 0, 2: 0, 3: 0, 4: 5, 5: 0},
    }
    assert summary["choices"]["q5_length"] == {"too_short": 0, "right": 5, "too_long": 0}
    assert summary["texts"]["q6_takeaway"] == ["Dat ik een collega mag aanspreken."] * 5
    assert summary["texts"]["q7_missing"] == []
    rows = evaluations.summary_rows(SessionEvaluationResponse, summary)
    first_label = str(rows["rating_rows"][0][0])
    assert first_label.startswith("How did you")


def test_an_invitation_is_claimed_once(world: World) -> None:
    session = helpers.held_session(world, attendance=1)
    codes = SessionEvaluationCode.objects.filter(session=session)
    assert evaluations.claim_once(codes) is True
    assert evaluations.claim_once(codes) is False


def test_the_responses_carry_nothing_that_points_back() -> None:
    for model in (SessionEvaluationResponse, EvaluationResponse):
        names = {field.name for field in model._meta.get_fields()}
        assert not names & {"code", "invitation", "employee", "user", "created_at", "dossier"}
        assert model._meta.pk.get_internal_type() == "UUIDField"
        assert not hasattr(model, "history")


def test_screening_keeps_its_threshold() -> None:
    from screening.statistics import MINIMUM_GROUP

    assert MINIMUM_GROUP == evaluations.MINIMUM_GROUP == 5
