"""The screening app's transparency provider: measures, own data, closed matters, retention."""

from __future__ import annotations

import datetime

import pytest

from screening import services
from screening.models import ContinuousScreeningHit, ScreeningDossier, SelfReport
from screening.transparency import (
    DISCLOSURE_CATEGORY,
    PROVIDER,
    closed_matters,
    count_closed,
    count_opened,
    count_self_reports,
    own_data,
    purge_dossiers,
)
from tests.conftest import World
from tests.screening.helpers import days_ago, officer, taken_dossier
from vik.roles import Role
from vik.transparency.registry import (
    Audience,
    DeferralSet,
    ObjectRef,
    OwnDataRequest,
    PurgeRequest,
    Quarter,
    get_registry,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def _closed(employee, kind, closed: datetime.date) -> ScreeningDossier:
    return ScreeningDossier.objects.create(
        employee=employee,
        kind=kind,
        status=ScreeningDossier.Status.CLOSED,
        opened_on=closed - datetime.timedelta(days=20),
        due_on=closed,
        interview_held_on=closed,
        outcome=ScreeningDossier.Outcome.NO_CONCERNS,
        outcome_reason="Geen risico's.",
        closed_on=closed,
    )


def test_the_provider_is_registered_without_clashes(world: World) -> None:
    registry = get_registry()
    assert PROVIDER in registry.providers
    assert registry.retention_category("screening.dossiers").purge is purge_dossiers
    assert registry.category_of_object_type("screening.screeningdossier").key == DISCLOSURE_CATEGORY
    for measure in PROVIDER.measures:
        assert measure.category_list()  # fixed columns


def test_each_event_is_counted_once(world: World) -> None:
    _closed(world.subject, ScreeningDossier.Kind.PERIODIC, D(2026, 2, 10))  # opened 21 Jan
    services.submit_self_report(
        category=SelfReport.Category.FINANCES,
        occurred_on=days_ago(3),
        description="Hypotheek overgesloten bij een andere bank.",
        acting_user=world.user(Role.EMPLOYEE),
    )
    q1 = Quarter(2026, 1)
    assert [(c.unit_id, c.category, c.value) for c in count_opened(q1)] == [
        (world.units["AM"].pk, "periodic", 1)
    ]
    assert [(c.category, c.value) for c in count_closed(q1)] == [("no_concerns", 1)]
    now = Quarter.containing(days_ago(0))
    assert [(c.category, c.value) for c in count_self_reports(now)] == [("finances", 1)]
    # The self-report's dossier is not counted again as an opened dossier.
    assert all(c.category != "self_report" for c in count_opened(now))


NO_DEFERRALS = DeferralSet()


def _request(employee, audience=Audience.OVERVIEW, deferrals=NO_DEFERRALS) -> OwnDataRequest:
    return OwnDataRequest(employee=employee, audience=audience, deferrals=deferrals)


def test_own_data_shows_the_status_and_hides_an_open_hit(world: World) -> None:
    employee = world.employee_of(Role.EMPLOYEE)
    hit = services.register_hit(
        employee=employee,
        received_on=days_ago(1),
        source_reference="CS-T",
        reported_by="LE",
        offence="Verdenking",
        acting_user=officer(world),
    )
    dossier = taken_dossier(world, employee)
    services.record_interview(dossier=dossier, held_on=days_ago(1), acting_user=officer(world))
    services.close_dossier(
        dossier=dossier,
        outcome=ScreeningDossier.Outcome.AGREEMENTS,
        reason="Afspraak over nevenwerk.",
        acting_user=officer(world),
    )
    (section,) = own_data(_request(employee))
    refs = {item.object_ref for item in section.items}
    assert ObjectRef("screening.screeningdossier", str(dossier.pk)) in refs
    assert ObjectRef("screening.screeningdossier", str(hit.pk)) not in refs
    overview = {f.key for item in section.items for f in item.fields}
    assert "reasons" not in overview
    (export,) = own_data(_request(employee, Audience.ACCESS_REQUEST))
    reasons = [f.value for item in export.items for f in item.fields if f.key == "reasons"]
    assert "Afspraak over nevenwerk." in reasons


def test_own_data_honours_deferrals(world: World) -> None:
    employee = world.employee_of(Role.EMPLOYEE)
    dossier = _closed(employee, ScreeningDossier.Kind.PERIODIC, days_ago(5))
    ref = ObjectRef("screening.screeningdossier", str(dossier.pk))
    (section,) = own_data(
        _request(employee, deferrals=DeferralSet(objects=frozenset({(DISCLOSURE_CATEGORY, ref)})))
    )
    assert ref not in {item.object_ref for item in section.items}
    assert (
        own_data(
            _request(employee, deferrals=DeferralSet(categories=frozenset({DISCLOSURE_CATEGORY})))
        )
        == []
    )


def test_closed_matters(world: World) -> None:
    closed = _closed(world.subject, ScreeningDossier.Kind.PERIODIC, days_ago(5))
    open_one = taken_dossier(world)
    refs = {ObjectRef("screening.screeningdossier", str(d.pk)) for d in (closed, open_one)}
    assert closed_matters(world.subject, refs) == {
        ObjectRef("screening.screeningdossier", str(closed.pk))
    }
    assert closed_matters(world.colleague, refs) == set()


def test_purge_removes_old_closed_dossiers_and_their_history_except_under_a_hold(
    world: World,
) -> None:
    old = _closed(world.subject, ScreeningDossier.Kind.CONTINUOUS_HIT, D(2016, 5, 1))
    ContinuousScreeningHit.objects.create(
        dossier=old,
        received_on=D(2016, 4, 1),
        source_reference="CS-OLD",
        reported_by="LE",
        offence="x",
    )
    held = _closed(world.colleague, ScreeningDossier.Kind.PERIODIC, D(2016, 5, 1))
    recent = _closed(world.subject, ScreeningDossier.Kind.PERIODIC, D(2025, 5, 1))
    removed = purge_dossiers(
        PurgeRequest(
            category="screening.dossiers",
            cutoff=D(2018, 1, 1),
            held_employee_ids=frozenset({world.colleague.pk}),
        )
    )
    assert removed == 1
    assert set(ScreeningDossier.objects.values_list("pk", flat=True)) == {held.pk, recent.pk}
    assert not ScreeningDossier.history.filter(id=old.pk).exists()
    assert not ContinuousScreeningHit.history.filter(dossier_id=old.pk).exists()
    assert purge_dossiers(PurgeRequest(category="screening.dossiers", cutoff=D(2018, 1, 1))) == 1
