"""The documented role matrix is the one the code enforces."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from vik.roles import (
    ROLE_CAPABILITIES,
    ROLE_UNIT_SCOPE,
    Capability,
    Role,
    capability_matrix_markdown,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def test_docs_permissions_contains_the_matrix_of_the_code() -> None:
    with translation.override("en"):
        matrix = capability_matrix_markdown()
    assert matrix in DOCS.read_text(encoding="utf-8"), (
        "docs/permissions.md is out of date; paste vik.roles.capability_matrix_markdown() into it"
    )


def test_every_role_is_in_the_matrix_and_every_capability_is_used() -> None:
    assert set(ROLE_CAPABILITIES) == set(Role)
    used = set().union(*ROLE_CAPABILITIES.values())
    assert used == set(Capability)


def test_the_works_council_only_sees_aggregates() -> None:
    assert ROLE_CAPABILITIES[Role.COR_MEMBER] == {Capability.VIEW_AGGREGATES}
    assert Role.COR_MEMBER not in ROLE_UNIT_SCOPE


def test_the_administrator_sees_no_personal_data_features() -> None:
    personal = {
        Capability.REVIEW_SIGNALS,
        Capability.CONDUCT_INVESTIGATIONS,
        Capability.VIEW_EMPLOYEES,
        Capability.AUDIT_ACCESS_LOG,
        Capability.HANDLE_SCREENING,
        Capability.HANDLE_COMPLAINTS,
    }
    assert not ROLE_CAPABILITIES[Role.ADMINISTRATOR] & personal
