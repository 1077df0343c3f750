"""Kinds of integrity violation on complaints: next to the uniform themes, not instead."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import ComplaintViolationKind
from complaints.transparency import purge_complaints
from tests.complaints.helpers import CONTACT, assigned, days_ago, handler, register, theme
from tests.conftest import World
from vik.models import ClassificationStage, ViolationKind
from vik.models.typology import UNCLASSIFIED_CODE
from vik.roles import Role
from vik.transparency.registry import PurgeRequest
from vik.typology.selectors import recorded_kinds

pytestmark = pytest.mark.django_db


def kinds(n: int = 2) -> list[ViolationKind]:
    return list(ViolationKind.objects.filter(is_active=True).exclude(code=UNCLASSIFIED_CODE)[:n])


def codes(complaint) -> list[str]:
    return [k.code for k in recorded_kinds(subject=complaint, stage=ClassificationStage.TRIAGE)]


def test_registration_records_the_kinds_next_to_the_themes(world: World) -> None:
    first, _second = kinds()
    complaint = services.register_complaint(
        unit=world.units["AM-D1-T1"],
        received_on=days_ago(3),
        conduct_on=days_ago(5),
        channel="letter",
        summary="Onheus bejegend.",
        themes=[theme()],
        kinds=[first],
        employees=[world.subject],
        contact=CONTACT,
        acting_user=handler(world),
    )
    assert codes(complaint) == [first.code]
    assert list(complaint.themes.all()) == [theme()]


def test_classifying_replaces_the_kinds_and_an_empty_choice_says_not_yet_classified(
    world: World,
) -> None:
    first, second = kinds()
    complaint = register(world)
    assert codes(complaint) == []  # registered without kinds: counts as not classified
    services.classify(
        complaint=complaint, themes=[theme()], kinds=[first, second], acting_user=handler(world)
    )
    assert set(codes(complaint)) == {first.code, second.code}
    services.classify(complaint=complaint, themes=[theme()], kinds=[], acting_user=handler(world))
    assert codes(complaint) == [UNCLASSIFIED_CODE]
    # Themes alone (kinds=None) leave the kinds as they are.
    services.classify(complaint=complaint, themes=[theme()], acting_user=handler(world))
    assert codes(complaint) == [UNCLASSIFIED_CODE]


def test_the_classify_step_in_the_browser_records_the_kinds(world: World, client_for) -> None:
    first, _second = kinds()
    complaint = register(world)
    client = client_for(Role.COMPLAINT_HANDLER)
    url = reverse("complaints:complaint_action", args=[complaint.pk, "classify"])
    response = client.post(url, {"classify-themes": [theme().pk], "classify-kinds": [first.pk]})
    assert response.status_code == 302, response.context["bound_forms"]["classify"].errors
    assert codes(complaint) == [first.code]
    page = client.get(reverse("complaints:complaint_detail", args=[complaint.pk]))
    assert first.name in page.content.decode()


def test_the_purge_takes_the_kinds_with_their_history(world: World) -> None:
    first, _second = kinds()
    complaint = assigned(world, received_on=days_ago(30))
    services.classify(
        complaint=complaint, themes=[theme()], kinds=[first], acting_user=handler(world)
    )
    services.withdraw(
        complaint=complaint,
        reason="Ingetrokken.",
        withdrawn_on=days_ago(20),
        acting_user=handler(world),
    )
    assert ComplaintViolationKind.history.filter(subject_id=complaint.pk).exists()
    assert purge_complaints(PurgeRequest(category="complaints.closed", cutoff=days_ago(1))) == 1
    assert not ComplaintViolationKind.history.filter(subject_id=complaint.pk).exists()
