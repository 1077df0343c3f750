"""The annual logging report lists every protocol change and its fate (issue 11, point 3)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from monitoring import services
from monitoring.models import MonitoringParameter, ProtocolChange
from tests.conftest import World
from tests.transparency.test_report import pdf_text, year_2025  # noqa: F401 - a fixture
from vik.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(db: None) -> None:
    # A transactional test elsewhere empties the rows the data migrations seeded; put back
    # what is missing, as an upgrade would.
    from monitoring.services import ensure_detection_settings

    ensure_detection_settings()


RATIONALE = "Minder vals alarm bij grote nieuwsberichten; de COR wordt om instemming gevraagd."


def _propose(world: World, key: str, value: int) -> ProtocolChange:
    parameter = MonitoringParameter.objects.get(key=key)
    parameter.value = Decimal(value)
    proposal = services.save_parameter(
        parameter=parameter,
        acting_user=world.user(Role.ADMINISTRATOR),
        reason="Beheerscherm",
        rationale=RATIONALE,
    )
    assert proposal is not None
    ProtocolChange.objects.filter(pk=proposal.pk).update(
        proposed_at=datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC)
    )
    proposal.refresh_from_db()
    return proposal


@pytest.mark.usefixtures("year_2025")
def test_the_works_councils_report_lists_each_proposal_and_its_fate(
    world: World, tmp_path: Path
) -> None:
    consented = _propose(world, "off_duty.margin_minutes", 30)
    services.record_council_decision(
        change=consented,
        decided_on=datetime.date(2025, 4, 2),
        consented=True,
        letter_reference="COR/2025/012",
        acting_user=world.user(Role.VIK_HEAD),
    )
    ProtocolChange.objects.filter(pk=consented.pk).update(
        closed_at=datetime.datetime(2025, 4, 3, 10, tzinfo=datetime.UTC)
    )
    _propose(world, "volume.min_events", 20)
    output = tmp_path / "cor.pdf"
    call_command("logging_report", year=2025, audience="cor", output=output)
    text = " ".join(pdf_text(output).split())
    assert "Protocolwijzigingen voorgelegd aan de ondernemingsraad" in text
    assert "COR/2025/012" in text
    # The PDF hyphenates narrow columns: the fates, by their first words.
    assert "Ingestemd en inge" in text
    assert "Ligt bij de onderne" in text
    assert "Beheerder" in text  # the proposer's role, not their name
    assert world.user(Role.ADMINISTRATOR).get_username() not in text
