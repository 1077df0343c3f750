"""The complaints app's transparency provider: measures, own data, closed matters, retention."""

from __future__ import annotations

import datetime

import pytest

from complaints import services
from complaints.models import ComplainantContact, Complaint, Hearing
from complaints.transparency import (
    DISCLOSURE_CATEGORY,
    PROVIDER,
    closed_matters,
    count_closed,
    count_received,
    own_data,
    purge_complaints,
    theme_categories,
)
from tests.complaints.helpers import assigned, decided, handler, register, theme
from tests.conftest import World
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


def test_the_provider_is_registered_without_clashes(world: World) -> None:
    registry = get_registry()
    assert PROVIDER in registry.providers
    assert registry.retention_category("complaints.closed").purge is purge_complaints
    assert registry.category_of_object_type("complaints.complaint").key == DISCLOSURE_CATEGORY


def test_a_complaint_counts_once_under_its_main_theme(world: World) -> None:
    complaint = register(world, received_on=D(2026, 2, 10))
    services.classify(
        complaint=complaint,
        themes=[theme("geweldgebruik"), theme("bejegening")],
        acting_user=handler(world),
    )
    counts = [(c.unit_id, c.category, c.value) for c in count_received(Quarter(2026, 1))]
    # Bejegening comes first in the classification's order; the unit is mapped up later.
    assert counts == [(world.units["AM-D1-T1"].pk, "bejegening", 1)]
    assert {c.key for c in theme_categories()} >= {"bejegening", "geweldgebruik", "unclassified"}


def test_closed_complaints_by_how_they_ended(world: World) -> None:
    decided(world, received_on=D(2026, 3, 2))  # decided 4 March: partly founded
    withdrawn = assigned(world, received_on=D(2026, 3, 10))
    services.withdraw(
        complaint=withdrawn,
        reason="Ingetrokken.",
        withdrawn_on=D(2026, 4, 2),
        acting_user=handler(world),
    )
    assert [(c.category, c.value) for c in count_closed(Quarter(2026, 1))] == [
        ("decided_partly_founded", 1)
    ]
    assert [(c.category, c.value) for c in count_closed(Quarter(2026, 2))] == [("withdrawn", 1)]
    keys = [c.key for c in PROVIDER.measures[1].category_list()]
    assert "decided_partly_founded" in keys
    assert "withdrawn" in keys


NO_DEFERRALS = DeferralSet()


def _request(employee, audience=Audience.OVERVIEW, deferrals=NO_DEFERRALS) -> OwnDataRequest:
    return OwnDataRequest(employee=employee, audience=audience, deferrals=deferrals)


def test_the_employee_sees_complaints_once_they_know_of_them_never_the_complainant(
    world: World,
) -> None:
    unknown_to_them = assigned(world)
    complaint = assigned(world)
    services.start_formal(complaint=complaint, acting_user=handler(world))
    services.offer_hearing(
        complaint=complaint,
        party=Hearing.Party.EMPLOYEE,
        employee=world.subject,
        acting_user=handler(world),
    )
    (section,) = own_data(_request(world.subject))
    refs = [item.object_ref for item in section.items]
    assert refs == [ObjectRef("complaints.complaint", str(complaint.pk))]
    assert ObjectRef("complaints.complaint", str(unknown_to_them.pk)) not in refs
    (export,) = own_data(_request(world.subject, Audience.ACCESS_REQUEST))
    text = str([f.value for item in export.items for f in item.fields])
    assert "onbeschoft" in text  # the complaint itself, in the export
    assert "Jan Klager" not in text
    assert "Dorpsstraat" not in text
    assert own_data(_request(world.colleague))[0].items == ()


def test_own_data_honours_deferrals(world: World) -> None:
    complaint = decided(world)
    ref = ObjectRef("complaints.complaint", str(complaint.pk))
    deferred = DeferralSet(objects=frozenset({(DISCLOSURE_CATEGORY, ref)}))
    assert own_data(_request(world.subject, deferrals=deferred))[0].items == ()
    assert (
        own_data(
            _request(
                world.subject, deferrals=DeferralSet(categories=frozenset({DISCLOSURE_CATEGORY}))
            )
        )
        == []
    )


def test_closed_matters(world: World) -> None:
    closed = decided(world)
    open_one = assigned(world)
    refs = {ObjectRef("complaints.complaint", str(c.pk)) for c in (closed, open_one)}
    assert closed_matters(world.subject, refs) == {
        ObjectRef("complaints.complaint", str(closed.pk))
    }


def test_purge_removes_everything_of_old_complaints_except_under_a_hold(world: World) -> None:
    old = decided(world, received_on=D(2019, 3, 4))
    held = decided(world, received_on=D(2019, 3, 4))
    recent = decided(world, received_on=D(2025, 3, 3), employees=[])
    request = PurgeRequest(
        category="complaints.closed",
        cutoff=D(2021, 1, 1),
        held_employee_ids=frozenset({world.subject.pk}),
    )
    assert purge_complaints(request) == 0  # both old ones name the held employee
    assert purge_complaints(PurgeRequest(category="complaints.closed", cutoff=D(2021, 1, 1))) == 2
    assert list(Complaint.objects.values_list("pk", flat=True)) == [recent.pk]
    for pk in (old.pk, held.pk):
        assert not Complaint.history.filter(id=pk).exists()
        assert not ComplainantContact.history.filter(complaint_id=pk).exists()
        assert not Hearing.history.filter(complaint_id=pk).exists()
