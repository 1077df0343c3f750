"""The shared typology of integrity violations: kinds, recording, sources, counts."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone, translation

from prevention.models import AdviceRequest, AdviceRequestViolationKind
from tests.conftest import World
from tests.prevention import helpers
from vik.models import ClassificationStage, ViolationKind
from vik.models.typology import UNCLASSIFIED_CODE
from vik.roles import Role
from vik.typology import registry, selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The source messages, whatever the default language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _kinds(db: None) -> None:
    """The migration's kinds (a transactional test's flush may have emptied the table)."""
    from vik.typology.kinds import ensure_violation_kinds

    ensure_violation_kinds()


ISSUE_KINDS = {
    "misbruik-bevoegdheden",
    "misbruik-informatie",
    "corruptie-fraude",
    "geschenken-gastvrijheid",
    "nevenwerkzaamheden",
    "intimidatie-discriminatie",
    "seksueel-grensoverschrijdend",
    "geweld",
    "wangedrag-buiten-dienst",
    "liegen-vervalsen",
    "misbruik-middelen",
    UNCLASSIFIED_CODE,
}


def test_the_migration_installs_the_kinds_of_the_issue_with_history() -> None:
    assert set(ViolationKind.objects.values_list("code", flat=True)) >= ISSUE_KINDS
    unclassified = ViolationKind.objects.get(code=UNCLASSIFIED_CODE)
    assert unclassified.is_unclassified
    assert unclassified.history.exists()
    # "Not yet classified" comes last in the typology's order.
    assert list(ViolationKind.objects.all())[-1] == unclassified


def test_not_yet_classified_cannot_be_switched_off(world: World) -> None:
    kind = selectors.unclassified_kind()
    kind.is_active = False
    with pytest.raises(ValidationError):
        services.save_violation_kind(
            kind=kind, acting_user=world.user(Role.ADMINISTRATOR), reason="t"
        )


def test_the_administrator_adds_a_kind_with_history(world: World) -> None:
    kind = services.save_violation_kind(
        kind=ViolationKind(code="whatsapp", name="Informatie delen in app-groepen", order=25),
        acting_user=world.user(Role.ADMINISTRATOR),
        reason="Nieuwe soort",
    )
    record = kind.history.get()
    assert record.history_user == world.user(Role.ADMINISTRATOR)
    assert record.history_change_reason == "Nieuwe soort"


def test_every_app_declares_its_source() -> None:
    keys = {source.key for source in registry.get_sources()}
    assert keys == {
        "cases.triage",
        "cases.outcome",
        "complaints.received",
        "screening.outcome",
        "monitoring.outcome",
        "prevention.advice",
    }
    # Investigations at triage are for the coordinators; the works council counts each matter once.
    works_council = {s.key for s in registry.get_sources() if s.for_works_council}
    assert "cases.triage" not in works_council
    assert "prevention.advice" not in works_council


def test_recording_kinds_replaces_the_stage_and_keeps_history(world: World) -> None:
    question = helpers.advice(world)
    user = helpers.coordinator(world)
    first = services.record_violation_kinds(
        subject=question,
        kinds=[helpers.kind("misbruik-informatie"), helpers.kind("geschenken-gastvrijheid")],
        stage=ClassificationStage.OUTCOME,
        acting_user=user,
        reason="Beantwoord",
    )
    assert {row.kind.code for row in first} == {"misbruik-informatie", "geschenken-gastvrijheid"}
    now = services.record_violation_kinds(
        subject=question,
        kinds=[helpers.kind("misbruik-informatie")],
        stage=ClassificationStage.OUTCOME,
        acting_user=user,
        reason="Bijgesteld",
    )
    assert [row.kind.code for row in now] == ["misbruik-informatie"]
    removed = AdviceRequestViolationKind.history.filter(history_type="-").get()
    assert removed.history_change_reason == "Bijgesteld"
    assert removed.history_user == user


def test_not_yet_classified_stands_alone_and_something_must_be_chosen(world: World) -> None:
    question = helpers.advice(world)
    with pytest.raises(ValidationError):
        services.record_violation_kinds(
            subject=question,
            kinds=[],
            stage=ClassificationStage.OUTCOME,
            acting_user=None,
            reason="t",
        )
    with pytest.raises(ValidationError):
        services.record_violation_kinds(
            subject=question,
            kinds=[selectors.unclassified_kind(), helpers.kind()],
            stage=ClassificationStage.OUTCOME,
            acting_user=None,
            reason="t",
        )


def test_a_kind_switched_off_may_stay_but_not_be_added(world: World) -> None:
    question = helpers.advice(world)
    gifts = helpers.kind("geschenken-gastvrijheid")
    services.record_violation_kinds(
        subject=question,
        kinds=[gifts],
        stage=ClassificationStage.OUTCOME,
        acting_user=None,
        reason="t",
    )
    ViolationKind.objects.filter(pk=gifts.pk).update(is_active=False)
    gifts.refresh_from_db()
    services.record_violation_kinds(
        subject=question,
        kinds=[gifts, helpers.kind()],
        stage=ClassificationStage.OUTCOME,
        acting_user=None,
        reason="t",
    )
    other = helpers.advice(world)
    with pytest.raises(ValidationError, match="No longer in use"):
        services.record_violation_kinds(
            subject=other,
            kinds=[gifts],
            stage=ClassificationStage.OUTCOME,
            acting_user=None,
            reason="t",
        )


def test_an_object_without_a_wired_source_cannot_be_classified(world: World) -> None:
    with pytest.raises(ImproperlyConfigured):
        services.record_violation_kinds(
            subject=world.subject,
            kinds=[helpers.kind()],
            stage=ClassificationStage.OUTCOME,
            acting_user=None,
            reason="t",
        )
    # Nor an advice question at a stage its source does not record.
    with pytest.raises(ImproperlyConfigured):
        services.record_violation_kinds(
            subject=helpers.advice(world),
            kinds=[helpers.kind()],
            stage=ClassificationStage.TRIAGE,
            acting_user=None,
            reason="t",
        )


def _year() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today - datetime.timedelta(days=400), today + datetime.timedelta(days=1)


def test_counts_read_classifications_and_count_the_rest_as_not_classified(world: World) -> None:
    helpers.answered_advice(world)  # classified: misuse of information
    plain = helpers.answered_advice(world)
    AdviceRequestViolationKind.objects.filter(subject=plain).delete()  # answered, no kinds
    start, end = _year()
    counts = [
        c for c in selectors.kind_counts(start=start, end=end) if c.source == "prevention.advice"
    ]
    by_kind = {ViolationKind.objects.get(pk=c.kind_id).code: c.count for c in counts}
    assert by_kind == {"misbruik-informatie": 1, UNCLASSIFIED_CODE: 1}
    assert {c.unit_id for c in counts} == {world.units["AM"].pk}


def test_sources_not_wired_yet_count_everything_as_not_classified(world: World) -> None:
    case = helpers.closed_case(world)
    start, end = _year()
    counts = {
        (c.source, ViolationKind.objects.get(pk=c.kind_id).code): c.count
        for c in selectors.kind_counts(start=start, end=end)
    }
    assert counts[("cases.triage", UNCLASSIFIED_CODE)] == 1
    assert counts[("cases.outcome", UNCLASSIFIED_CODE)] == 1
    assert case.unit_id == world.units["AM"].pk


def test_counts_can_be_limited_to_units(world: World) -> None:
    helpers.answered_advice(world)
    start, end = _year()
    den_haag = [world.units["DH"].pk]
    assert selectors.kind_counts(start=start, end=end, unit_ids=den_haag) == []


def test_main_kind_counts_each_object_once_under_its_first_kind(world: World) -> None:
    question = helpers.answered_advice(world)
    services.record_violation_kinds(
        subject=question,
        kinds=[helpers.kind("geschenken-gastvrijheid"), helpers.kind("misbruik-bevoegdheden")],
        stage=ClassificationStage.OUTCOME,
        acting_user=None,
        reason="t",
    )
    start, end = _year()
    rows = selectors.main_kind_counts(
        start=start, end=end, sources=[registry.get_source("prevention.advice")]
    )
    # Abuse of powers comes first in the typology's order.
    assert rows == [(world.units["AM"].pk, helpers.kind("misbruik-bevoegdheden").pk, 1)]
    assert AdviceRequest.objects.count() == 1


def test_sources_can_be_replaced_in_tests() -> None:
    with registry.use_sources() as sources:
        assert registry.get_sources() == sources == []
    assert registry.get_sources()


def test_missing_kinds_are_restored() -> None:
    from vik.typology.kinds import INITIAL_KINDS, ensure_violation_kinds

    ViolationKind.objects.filter(code="geweld").delete()
    assert ensure_violation_kinds() == 1
    assert ensure_violation_kinds() == 0
    assert {code for code, _n, _d in INITIAL_KINDS} == ISSUE_KINDS
