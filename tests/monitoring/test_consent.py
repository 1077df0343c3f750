"""Works-council consent before a material change takes effect (issue 11, point 3).

Tuning inside the agreed ranges is applied at once, with history. A protocol change (outside
the range, switching an indicator, a new indicator, data source or kind of reveal reason, a
longer retention period) becomes a proposal and changes nothing until someone with the
capability, who is not the proposer, records the council's consent.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from monitoring import services
from monitoring.models import (
    CouncilDecision,
    IndicatorSetting,
    MonitoringParameter,
    ProtocolChange,
)
from monitoring.services import consent
from monitoring.transparency import protocol_changes
from tests.conftest import World
from vik import services as vik_services
from vik.roles import Role
from vik.transparency import services as transparency_services
from vik.transparency.models import RetentionPolicy
from vik.transparency.registry import get_registry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(db: None) -> None:
    # A transactional test elsewhere empties the rows the data migrations seeded; put back
    # what is missing, as an upgrade would.
    from monitoring.services import ensure_detection_settings

    ensure_detection_settings()


RATIONALE = "Minder vals alarm bij grote nieuwsberichten; de COR wordt om instemming gevraagd."
Kind, Status = ProtocolChange.Kind, ProtocolChange.Status
TODAY = timezone.localdate


def _param(key: str = "off_duty.margin_minutes") -> MonitoringParameter:
    return MonitoringParameter.objects.get(key=key)


def _propose_margin(world: World, value: str = "30") -> ProtocolChange:
    parameter = _param()
    parameter.value = Decimal(value)
    proposal = services.save_parameter(
        parameter=parameter,
        acting_user=world.user(Role.ADMINISTRATOR),
        reason="Beheerscherm",
        rationale=RATIONALE,
    )
    assert proposal is not None
    return proposal


def _consent(world: World, change: ProtocolChange, *, consented: bool = True) -> CouncilDecision:
    return services.record_council_decision(
        change=change,
        decided_on=TODAY(),
        consented=consented,
        letter_reference="COR/2026/047",
        acting_user=world.user(Role.VIK_HEAD),
    )


# --- the agreed ranges ------------------------------------------------------------------


def test_the_migration_agreed_half_to_twice_each_value_and_switches_exactly() -> None:
    margin = _param()
    assert (margin.value, margin.agreed_min, margin.agreed_max) == (90, 45, 180)
    switch = _param("review.four_eyes_reveal")
    assert (switch.agreed_min, switch.agreed_max) == (switch.value, switch.value)
    weight = IndicatorSetting.objects.get(code="volume_spike")
    assert (weight.agreed_min, weight.agreed_max) == (weight.weight / 2, weight.weight * 2)


# --- parameters -------------------------------------------------------------------------


def test_a_parameter_inside_the_agreed_range_is_tuning_applied_at_once(world: World) -> None:
    parameter = _param()
    parameter.value = Decimal(60)
    assert (
        services.save_parameter(
            parameter=parameter, acting_user=world.user(Role.ADMINISTRATOR), reason="Proef"
        )
        is None
    )
    parameter.refresh_from_db()
    assert parameter.value == 60
    assert parameter.history.first().history_change_reason == "Proef"
    assert not ProtocolChange.objects.exists()


def test_a_parameter_outside_the_agreed_range_is_a_proposal_and_stays(world: World) -> None:
    proposal = _propose_margin(world)
    assert (proposal.kind, proposal.target, proposal.status) == (
        Kind.PARAMETER,
        "off_duty.margin_minutes",
        Status.PENDING,
    )
    assert (proposal.current_value, proposal.proposed_value) == ("90", "30")
    assert proposal.proposed_by == world.user(Role.ADMINISTRATOR)
    assert _param().value == 90  # unchanged until the council consents


def test_a_protocol_change_needs_its_rationale(world: World) -> None:
    parameter = _param()
    parameter.value = Decimal(30)
    with pytest.raises(ValidationError, match=r"consent|instemming"):
        services.save_parameter(
            parameter=parameter, acting_user=world.user(Role.ADMINISTRATOR), reason="x"
        )
    assert not ProtocolChange.objects.exists()


def test_one_proposal_per_setting_awaits_the_council(world: World) -> None:
    _propose_margin(world)
    with pytest.raises(ValidationError, match=r"awaits|ondernemingsraad"):
        _propose_margin(world, "20")
    assert ProtocolChange.objects.count() == 1


def test_consent_by_the_proposer_is_refused(world: World) -> None:
    """Never by the proposer alone: one who holds both roles still needs a second person."""
    proposer = world.user(Role.ADMINISTRATOR)
    vik_services.assign_role(
        user=proposer, role=Role.VIK_HEAD, unit=world.units["AM"], acting_user=None, reason="t"
    )
    proposal = _propose_margin(world)
    with pytest.raises(ValidationError, match=r"iemand anders|someone else"):
        services.record_council_decision(
            change=proposal,
            decided_on=TODAY(),
            consented=True,
            letter_reference="COR/2026/047",
            acting_user=proposer,
        )
    proposal.refresh_from_db()
    assert proposal.status == Status.PENDING
    assert _param().value == 90
    assert not CouncilDecision.objects.exists()


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.COR_MEMBER, Role.PRIVACY_OFFICER])
def test_only_the_capability_records_the_councils_decision(world: World, role: Role) -> None:
    proposal = _propose_margin(world)
    with pytest.raises(PermissionDenied):
        services.record_council_decision(
            change=proposal,
            decided_on=TODAY(),
            consented=True,
            letter_reference="COR/2026/047",
            acting_user=world.user(role),
        )


def test_consent_by_another_applies_the_change_with_history(world: World) -> None:
    proposal = _propose_margin(world)
    decision = _consent(world, proposal)
    proposal.refresh_from_db()
    assert proposal.status == Status.CONSENTED
    assert proposal.closed_at is not None
    assert decision.recorded_by == world.user(Role.VIK_HEAD)
    parameter = _param()
    assert parameter.value == 30
    # What the council agreed to is now inside the agreed range.
    assert (parameter.agreed_min, parameter.agreed_max) == (30, 180)
    record = parameter.history.first()
    assert record.history_user == world.user(Role.VIK_HEAD)
    assert "COR/2026/047" in record.history_change_reason
    assert f"{proposal.pk}" in record.history_change_reason
    # Closed: a second decision is refused.
    with pytest.raises(ValidationError):
        _consent(world, proposal)


def test_refusal_closes_the_proposal_and_changes_nothing(world: World) -> None:
    proposal = _propose_margin(world)
    before = _param().history.count()
    _consent(world, proposal, consented=False)
    proposal.refresh_from_db()
    assert proposal.status == Status.REFUSED
    assert proposal.decision.decision == CouncilDecision.Decision.REFUSED
    assert _param().value == 90
    assert _param().history.count() == before


def test_the_decision_date_and_reference_are_checked(world: World) -> None:
    proposal = _propose_margin(world)
    head = world.user(Role.VIK_HEAD)
    for decided_on, reference in (
        (TODAY() + datetime.timedelta(days=1), "COR/1"),
        (TODAY() - datetime.timedelta(days=1), "COR/1"),
        (TODAY(), "  "),
    ):
        with pytest.raises(ValidationError):
            services.record_council_decision(
                change=proposal,
                decided_on=decided_on,
                consented=True,
                letter_reference=reference,
                acting_user=head,
            )


def test_the_councils_letter_is_a_checked_pdf(
    world: World, settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    proposal = _propose_margin(world)
    fake = SimpleUploadedFile("brief.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.record_council_decision(
            change=proposal,
            decided_on=TODAY(),
            consented=True,
            letter_reference="COR/2026/047",
            letter=fake,
            acting_user=world.user(Role.VIK_HEAD),
        )
    letter = SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    decision = services.record_council_decision(
        change=proposal,
        decided_on=TODAY(),
        consented=True,
        letter_reference="COR/2026/047",
        letter=letter,
        acting_user=world.user(Role.VIK_HEAD),
    )
    assert decision.letter_name == "brief.pdf"
    assert len(decision.letter_sha256) == 64
    assert decision.letter.name.startswith("monitoring/council/")


def test_the_proposer_withdraws_and_nothing_changes(world: World) -> None:
    proposal = _propose_margin(world)
    with pytest.raises(PermissionDenied):
        services.withdraw_change(change=proposal, acting_user=world.user(Role.COR_MEMBER))
    services.withdraw_change(change=proposal, acting_user=world.user(Role.ADMINISTRATOR))
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    assert _param().value == 90
    with pytest.raises(ValidationError):
        _consent(world, proposal)


# --- indicators -------------------------------------------------------------------------


def test_an_indicator_weight_inside_the_range_is_tuning(world: World) -> None:
    setting = IndicatorSetting.objects.get(code="volume_spike")
    setting.weight = Decimal(15)
    assert (
        services.save_indicator_setting(
            setting=setting, acting_user=world.user(Role.ADMINISTRATOR), reason="Proef"
        )
        == []
    )
    assert IndicatorSetting.objects.get(code="volume_spike").weight == 15


def test_switching_an_indicator_or_a_weight_outside_the_range_is_proposed(world: World) -> None:
    setting = IndicatorSetting.objects.get(code="volume_spike")
    setting.enabled = False
    setting.weight = Decimal(50)
    proposals = services.save_indicator_setting(
        setting=setting,
        acting_user=world.user(Role.ADMINISTRATOR),
        reason="Beheerscherm",
        rationale=RATIONALE,
    )
    assert sorted(p.kind for p in proposals) == [Kind.INDICATOR_ENABLED, Kind.INDICATOR_WEIGHT]
    stored = IndicatorSetting.objects.get(code="volume_spike")
    assert (stored.enabled, stored.weight) == (True, 10)
    for proposal in proposals:
        _consent(world, proposal)
    stored.refresh_from_db()
    assert (stored.enabled, stored.weight, stored.agreed_max) == (False, 50, 50)


def test_a_new_indicator_of_a_release_starts_switched_off_with_a_proposal(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        consent, "_BASELINE", {**consent._BASELINE, Kind.NEW_INDICATOR: frozenset({"off_duty"})}
    )
    IndicatorSetting.objects.filter(code="neighbour").delete()
    services.ensure_detection_settings()
    assert IndicatorSetting.objects.get(code="neighbour").enabled is False
    proposal = ProtocolChange.objects.get(kind=Kind.NEW_INDICATOR, target="neighbour")
    assert proposal.status == Status.PENDING
    assert proposal.proposed_by is None  # VIK itself: anyone with the capability records
    _consent(world, proposal)
    assert IndicatorSetting.objects.get(code="neighbour").enabled is True
    assert consent.in_protocol(Kind.NEW_INDICATOR, "neighbour")
    # A second run proposes nothing again.
    count = ProtocolChange.objects.count()
    services.ensure_detection_settings()
    assert ProtocolChange.objects.count() == count


def test_a_data_source_or_reveal_reason_not_consented_is_not_used(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(
        consent,
        "_BASELINE",
        {
            **consent._BASELINE,
            Kind.NEW_DATA_SOURCE: frozenset({"reference"}),
            Kind.NEW_REVEAL_REASON: frozenset({"escalation"}),
        },
    )
    with pytest.raises(ValidationError) as refused:
        services.import_access_logs(paths=[tmp_path / "x.csv"], acting_user=None)
    assert refused.value.code == "not_in_protocol"
    with pytest.raises(ValidationError) as refused:
        consent.require_in_protocol(Kind.NEW_REVEAL_REASON, "work_reason")
    assert refused.value.code == "not_in_protocol"
    created = consent.propose_new_elements()
    assert {(p.kind, p.target) for p in created} >= {
        (Kind.NEW_DATA_SOURCE, "access_log"),
        (Kind.NEW_REVEAL_REASON, "work_reason"),
    }
    for proposal in created:
        _consent(world, proposal)
    consent.require_in_protocol(Kind.NEW_REVEAL_REASON, "work_reason")
    consent.require_in_protocol(Kind.NEW_DATA_SOURCE, "access_log")


# --- retention --------------------------------------------------------------------------


def test_a_period_beyond_the_unions_cap_is_refused_not_proposed(world: World) -> None:
    """The council cannot consent to what the union's conditions rule out (issue 11)."""
    with pytest.raises(ValidationError):
        transparency_services.set_retention_policy(
            category="monitoring.dismissed_signals",
            period_months=12,
            legal_hold=False,
            acting_user=world.user(Role.ADMINISTRATOR),
            reason=RATIONALE,
        )
    assert not ProtocolChange.objects.filter(kind=Kind.RETENTION).exists()


def test_a_longer_retention_period_waits_for_the_council(world: World) -> None:
    admin = world.user(Role.ADMINISTRATOR)
    category = "monitoring.conversation_records"
    default = get_registry().retention_category(category).default_months
    policy = transparency_services.set_retention_policy(
        category=category,
        period_months=default + 6,
        legal_hold=False,
        acting_user=admin,
        reason=RATIONALE,
    )
    assert policy.period_months == default
    proposal = ProtocolChange.objects.get(kind=Kind.RETENTION, target=category)
    assert (proposal.current_value, proposal.proposed_value) == (str(default), str(default + 6))
    _consent(world, proposal)
    policy = RetentionPolicy.objects.get(category=category)
    assert policy.period_months == default + 6
    assert "COR/2026/047" in policy.history.first().history_change_reason
    # Shorter is never a protocol change: applied at once.
    transparency_services.set_retention_policy(
        category=category, period_months=3, legal_hold=False, acting_user=admin, reason="Korter"
    )
    assert RetentionPolicy.objects.get(category=category).period_months == 3


# --- the annual logging report ----------------------------------------------------------


def test_the_annual_report_lists_every_proposal_and_its_fate(world: World) -> None:
    start = timezone.now() - datetime.timedelta(days=1)
    consented = _propose_margin(world)
    _consent(world, consented)
    parameter = _param("volume.min_events")
    parameter.value = Decimal(20)
    pending = services.save_parameter(
        parameter=parameter,
        acting_user=world.user(Role.ADMINISTRATOR),
        reason="x",
        rationale=RATIONALE,
    )
    assert pending is not None
    end = timezone.now() + datetime.timedelta(days=1)
    rows = protocol_changes(start, end)
    assert [(r.old_value, r.new_value, r.letter_reference) for r in rows] == [
        ("90", "30", "COR/2026/047"),
        ("100", "20", ""),
    ]
    assert rows[0].decided_on == TODAY()
    assert rows[1].decided_on is None
    assert rows[0].status != rows[1].status
    assert get_registry().protocol_changes(start, end) == rows
    # A proposal closed before the period is not in it; one still open is.
    later = end + datetime.timedelta(days=400)
    assert [r.new_value for r in protocol_changes(end, later)] == ["20"]
