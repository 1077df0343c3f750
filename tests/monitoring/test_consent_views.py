"""The protocol-change pages: the list and the proposal for those with a part in them; the
head of VIK records the council's decision (with its letter); the administrator's screens
turn a change outside the agreed range into a proposal. No personal data, no access log."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from monitoring.models import MonitoringParameter, ProtocolChange
from tests.conftest import World
from vik.models import AccessLogEntry
from vik.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(db: None) -> None:
    # A transactional test elsewhere empties the rows the data migrations seeded; put back
    # what is missing, as an upgrade would.
    from monitoring.services import ensure_detection_settings

    ensure_detection_settings()


def _client(world: World, role: Role) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def _proposal(world: World) -> ProtocolChange:
    return ProtocolChange.objects.create(
        kind=ProtocolChange.Kind.PARAMETER,
        target="off_duty.margin_minutes",
        current_value="90",
        proposed_value="30",
        rationale="Minder vals alarm: de COR wordt om instemming gevraagd.",
        proposed_by=world.user(Role.ADMINISTRATOR),
    )


def test_the_works_council_sees_proposals_but_records_nothing(world: World) -> None:
    proposal = _proposal(world)
    client = _client(world, Role.COR_MEMBER)
    page = client.get(reverse("monitoring:protocol_changes"))
    assert page.status_code == 200
    assert "off_duty.margin_minutes" in page.content.decode()
    detail = client.get(reverse("monitoring:protocol_change_detail", args=[proposal.pk]))
    assert detail.status_code == 200
    assert b'enctype="multipart/form-data"' not in detail.content
    # The works council sees the proposer's role, never a name.
    admin = world.user(Role.ADMINISTRATOR)
    assert admin.get_username() not in detail.content.decode()
    assert "Beheerder" in detail.content.decode() or "Administrator" in detail.content.decode()
    assert not AccessLogEntry.objects.exists()  # a proposal holds no personal data


def test_the_head_of_vik_records_consent_with_the_letter(
    world: World, settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    proposal = _proposal(world)
    client = _client(world, Role.VIK_HEAD)
    url = reverse("monitoring:protocol_change_detail", args=[proposal.pk])
    assert b'enctype="multipart/form-data"' in client.get(url).content
    letter = SimpleUploadedFile("instemming.pdf", b"%PDF-1.4\n%%EOF\n")
    response = client.post(
        url,
        {
            "decision": "consented",
            "decided_on": timezone.localdate().isoformat(),
            "letter_reference": "COR/2026/047",
            "letter": letter,
        },
    )
    assert response.status_code == 302
    assert MonitoringParameter.objects.get(key="off_duty.margin_minutes").value == 30
    page = client.get(url).content.decode()
    assert "COR/2026/047" in page
    download = _client(world, Role.COR_MEMBER).get(
        reverse("monitoring:protocol_change_letter", args=[proposal.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_the_proposer_is_not_offered_the_form(world: World) -> None:
    from vik import services as vik_services

    proposer = world.user(Role.ADMINISTRATOR)
    vik_services.assign_role(
        user=proposer, role=Role.VIK_HEAD, unit=world.units["AM"], acting_user=None, reason="t"
    )
    proposal = _proposal(world)
    client = _client(world, Role.ADMINISTRATOR)
    url = reverse("monitoring:protocol_change_detail", args=[proposal.pk])
    assert b'enctype="multipart/form-data"' not in client.get(url).content
    response = client.post(
        url,
        {
            "decision": "consented",
            "decided_on": timezone.localdate().isoformat(),
            "letter_reference": "COR/2026/047",
        },
    )
    assert response.status_code == 200  # the form again, with the service's refusal
    proposal.refresh_from_db()
    assert proposal.status == ProtocolChange.Status.PENDING


def test_the_admin_screen_turns_a_change_outside_the_range_into_a_proposal(
    world: World,
) -> None:
    parameter = MonitoringParameter.objects.get(key="off_duty.margin_minutes")
    client = _client(world, Role.ADMINISTRATOR)
    url = reverse("admin:monitoring_monitoringparameter_change", args=[parameter.pk])
    # Without a rationale: the form again.
    assert client.post(url, {"value": "30", "rationale": ""}).status_code == 200
    assert not ProtocolChange.objects.exists()
    response = client.post(
        url,
        {"value": "30", "rationale": "Minder vals alarm: de COR wordt om instemming gevraagd."},
        follow=True,
    )
    assert response.status_code == 200
    proposal = ProtocolChange.objects.get()
    assert (proposal.target, proposal.proposed_value) == ("off_duty.margin_minutes", "30")
    parameter.refresh_from_db()
    assert parameter.value == 90
    assert reverse("monitoring:protocol_change_detail", args=[proposal.pk]) in (
        response.content.decode()
    )
