"""Names for things (vik.names): words for technical values, on pages, in CSV and in both
languages, with the technical value kept as a tooltip."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.conftest import World
from vik import names, services
from vik.models import AccessAction
from vik.roles import Role


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", ["Screeningsdossier 314", "Signaal 12", "herkenningsdienstsysteem (HKS): geopend"]),
        ("en", ["Screening dossier 314", "Signal 12", "criminal records (HKS): opened"]),
    ],
)
def test_technical_values_become_words(language: str, expected: list[str]) -> None:
    with translation.override(language):
        got = [
            names.object_ref("screening.screeningdossier", 314).label,
            names.object_ref("monitoring.signal", 12).label,
            names.system_action("HKS", "view").label,
        ]
    assert got == expected


def test_sources_bursts_purposes_and_roles() -> None:
    with translation.override("nl"):
        assert names.source("demo:monitoring.signal:1042").label == "Signaal 1042"
        assert names.source("monitoring.signal:7").technical == "monitoring.signal:7"
        assert names.source("Melding van de teamchef").label == "Melding van de teamchef"
        target = names.burst_target("s:P1598249276-0007152")
        assert target.label == "Persoon of object P1598249276-0007152"
        assert names.burst_target("i:2026-123").label == "Incident 2026-123"
        assert names.purpose("name shown").label == "naam getoond"
        assert names.purpose("pseudonymised").label == "gepseudonimiseerd"
        assert names.purpose("Escalatie").label == "Escalatie"  # typed by a person: as typed
        assert names.role("privacy_officer").label == str(Role.PRIVACY_OFFICER.label)
        assert names.role("").label == "Automatische verwerking"
        # Nobody registered it: shown as it is, never dropped.
        assert names.object_type("nothing.here").label == "nothing.here"
        assert names.system("XYZ").label == "XYZ"


def test_a_name_renders_with_its_technical_value_as_tooltip() -> None:
    template = Template(
        "{% load vik_names %}{{ t|object_ref:12 }}|{{ s|system_action:'search' }}|{{ p|purpose }}"
    )
    with translation.override("nl"):
        html = template.render(Context({"t": "monitoring.signal", "s": "BRP", "p": "Escalatie"}))
    assert html == (
        '<span title="monitoring.signal #12">Signaal 12</span>|'
        '<span title="BRP · search">basisregistratie personen (BRP): gezocht</span>|Escalatie'
    )


def _look(world: World, purpose: str) -> None:
    services.record_access(
        actor=world.user(Role.ANALYST),
        action=AccessAction.VIEW,
        role=Role.ANALYST,
        employee=world.subject,
        object_type="screening.screeningdossier",
        object_id=314,
        purpose=purpose,
    )


@pytest.mark.django_db
def test_the_access_log_page_shows_words(world: World, client_for) -> None:
    _look(world, "name shown")
    page = client_for(Role.PRIVACY_OFFICER).get(reverse("vik:access_log")).content.decode()
    assert '<span title="screening.screeningdossier #314">Screeningsdossier 314</span>' in page
    assert '<span title="name shown">naam getoond</span>' in page
    assert "screening.screeningdossier #314</code>" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "header", "row"),
    [
        ("nl", ["Wanneer", "Gebruikersnaam", "Rol"], ["Bekeken", "Screeningsdossier 314"]),
        ("en", ["When", "User name", "Role"], ["Viewed", "Screening dossier 314"]),
    ],
)
def test_the_csv_export_speaks_the_session_language(
    world: World, client_for, language: str, header: list[str], row: list[str]
) -> None:
    _look(world, "pseudonymised")
    client = client_for(Role.PRIVACY_OFFICER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("vik:access_log_export"), {"action": "view"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == header
    analyst = rows[1]
    with translation.override(language):
        assert analyst[2] == str(Role.ANALYST.label)
        assert analyst[9] == names.purpose("pseudonymised").label
    assert [analyst[3], analyst[5]] == row
    assert analyst[6:8] == ["screening.screeningdossier", "314"]  # the technical value too


@pytest.mark.django_db
def test_the_employee_sees_purposes_in_words(world: World) -> None:
    """ "Wie uw gegevens inzag" said "name shown" and "pseudonymised" in a Dutch page."""
    from vik.models import AccessLogEntry
    from vik.transparency.models import PrivacySettings
    from vik.transparency.selectors import describe_accesses

    _look(world, "name shown")
    _look(world, "pseudonymised")
    always = PrivacySettings(name_disclosure=PrivacySettings.NameDisclosure.ALWAYS)
    entries = list(AccessLogEntry.objects.filter(employee=world.subject).order_by("id"))
    with translation.override("nl"):
        looks = describe_accesses(entries, employee=world.subject, settings=always)
        assert [look.purpose for look in looks] == ["naam getoond", "gepseudonimiseerd"]
