"""Kinds of integrity violation on screening outcomes that point at something."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from screening import services
from screening.forms import CloseDossierForm
from screening.models import ScreeningDossier, ScreeningViolationKind
from screening.transparency import purge_dossiers
from tests.conftest import World
from tests.screening.helpers import days_ago, officer, taken_dossier
from vik.models import ClassificationStage, ViolationKind
from vik.models.typology import UNCLASSIFIED_CODE
from vik.transparency.registry import PurgeRequest
from vik.typology.selectors import recorded_kinds

pytestmark = pytest.mark.django_db
Outcome = ScreeningDossier.Outcome


def a_kind() -> ViolationKind:
    return ViolationKind.objects.filter(is_active=True).exclude(code=UNCLASSIFIED_CODE).first()


def codes(dossier: ScreeningDossier) -> list[str]:
    return [k.code for k in recorded_kinds(subject=dossier, stage=ClassificationStage.OUTCOME)]


def interviewed(world: World) -> ScreeningDossier:
    dossier = taken_dossier(world)
    services.record_interview(dossier=dossier, held_on=days_ago(2), acting_user=officer(world))
    return dossier


def test_closing_with_agreements_records_the_kinds(world: World) -> None:
    dossier = interviewed(world)
    kind = a_kind()
    services.close_dossier(
        dossier=dossier,
        outcome=Outcome.AGREEMENTS,
        reason="Afspraken over nevenwerkzaamheden.",
        kinds=[kind],
        acting_user=officer(world),
    )
    assert codes(dossier) == [kind.code]


def test_an_outcome_without_concerns_takes_no_kinds(world: World) -> None:
    dossier = interviewed(world)
    with pytest.raises(ValidationError, match="points at something"):
        services.close_dossier(
            dossier=dossier,
            outcome=Outcome.NO_CONCERNS,
            reason="Geen risico's.",
            kinds=[a_kind()],
            acting_user=officer(world),
        )
    form = CloseDossierForm(
        data={"outcome": Outcome.NO_CONCERNS, "reason": "Geen risico's.", "kinds": [a_kind().pk]}
    )
    assert "kinds" in form.errors


def test_nothing_ticked_with_an_objection_is_not_yet_classified(world: World) -> None:
    dossier = interviewed(world)
    services.close_dossier(
        dossier=dossier,
        outcome=Outcome.OBJECTION,
        reason="Niet geslaagd.",
        kinds=[],
        acting_user=officer(world),
    )
    assert codes(dossier) == [UNCLASSIFIED_CODE]


def test_the_purge_takes_the_kinds_with_their_history(world: World) -> None:
    dossier = interviewed(world)
    services.close_dossier(
        dossier=dossier,
        outcome=Outcome.AGREEMENTS,
        reason="Afspraken.",
        kinds=[a_kind()],
        closed_on=days_ago(1),
        acting_user=officer(world),
    )
    assert ScreeningViolationKind.history.filter(subject_id=dossier.pk).exists()
    assert purge_dossiers(PurgeRequest(category="screening.closed", cutoff=days_ago(-1))) == 1
    assert not ScreeningViolationKind.history.filter(subject_id=dossier.pk).exists()
