"""The matching key in force is recorded, and work under another key is refused (round 18).

Hashes made under one ``VIK_MATCHING_KEY`` never equal those of another. Before round 18 a
detection run under a rotated key (or on a worker started with other settings) found no
relative or neighbour and said nothing; now imports and runs refuse until an operator
re-imports the reference data with ``--new-matching-key``.
"""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from monitoring import services
from monitoring.detection import runner
from monitoring.matching import key_fingerprint
from monitoring.models import DetectionChunk, DetectionRun, MatchingKeyRecord
from monitoring.tasks import detect_chunk
from tests.conftest import World
from tests.monitoring.conftest import WINDOW_END, WINDOW_START, Delivery, at, indicators_of

pytestmark = pytest.mark.django_db

OTHER_KEY = "a-rotated-matching-key-of-at-least-32-bytes"


def _relative_world(world: World, delivery: Delivery) -> None:
    world.subject.last_name = "Kleinhout"
    world.subject.save()
    delivery.home(world.subject, "1011AB", "12")
    delivery.subject("S-NEAR", last_name="Kleinhout", postcode="1011XY", house_number="3")
    delivery.event(world.subject, at("2026-10-21", "10:00"), subject="S-NEAR")


def test_the_first_import_records_the_key_and_detection_runs_under_it(
    world: World, delivery: Delivery
) -> None:
    _relative_world(world, delivery)
    delivery.detect()
    record = MatchingKeyRecord.objects.get()
    assert record.fingerprint == key_fingerprint()
    assert record.reason.startswith("Eerste gebruik")
    assert indicators_of(world.subject)["relative"]["matches"] == ["same_surname_area"]


def test_detection_under_another_key_is_refused_not_silently_empty(
    world: World, delivery: Delivery
) -> None:
    _relative_world(world, delivery)
    delivery.load()
    with override_settings(VIK_MATCHING_KEY=OTHER_KEY):
        with pytest.raises(ValidationError, match="not the key the stored names"):
            services.start_detection(
                start=WINDOW_START, end=WINDOW_END, acting_user=None, inline=True
            )
        with pytest.raises(CommandError, match="--new-matching-key"):
            call_command(
                "detect",
                "--start",
                str(WINDOW_START),
                "--end",
                str(WINDOW_END),
                stdout=io.StringIO(),
            )
        with pytest.raises(CommandError, match="not the key"):
            call_command(
                "detect",
                "--start",
                str(WINDOW_START),
                "--end",
                str(WINDOW_END),
                "--dry-run",
                stdout=io.StringIO(),
            )
        with pytest.raises(ValidationError, match="not the key"):
            services.import_reference_data(directory=delivery.directory, acting_user=None)
    assert not DetectionRun.objects.exists()
    assert MatchingKeyRecord.objects.count() == 1


def test_a_worker_with_another_key_leaves_its_chunk_open(world: World, delivery: Delivery) -> None:
    _relative_world(world, delivery)
    delivery.load()
    run = runner.plan_run(start=WINDOW_START, end=WINDOW_END, acting_user=None)
    chunk = DetectionChunk.objects.filter(run=run).order_by("pk").first()
    assert chunk is not None
    with override_settings(VIK_MATCHING_KEY=OTHER_KEY), pytest.raises(ValidationError):
        detect_chunk(chunk.pk)
    chunk.refresh_from_db()
    assert chunk.finished_at is None
    assert chunk.status == DetectionChunk.Status.PENDING


def test_a_new_key_is_accepted_with_the_reference_data_re_imported(
    world: World, delivery: Delivery
) -> None:
    _relative_world(world, delivery)
    delivery.load()
    with override_settings(VIK_MATCHING_KEY=OTHER_KEY):
        call_command(
            "import_reference", str(delivery.directory), "--new-matching-key", stdout=io.StringIO()
        )
        services.start_detection(start=WINDOW_START, end=WINDOW_END, acting_user=None, inline=True)
        assert indicators_of(world.subject)["relative"]["matches"] == ["same_surname_area"]
        current = key_fingerprint()
    records = list(MatchingKeyRecord.objects.all())  # newest first
    assert [record.fingerprint for record in records] == [current, key_fingerprint()]
    assert records[0].reason.startswith("Nieuwe sleutel")
    # the old key is now the other one: refused
    with pytest.raises(ValidationError):
        services.start_detection(start=WINDOW_START, end=WINDOW_END, acting_user=None, inline=True)


def test_a_new_key_with_part_of_the_reference_data_is_refused(
    world: World, delivery: Delivery, tmp_path
) -> None:
    _relative_world(world, delivery)
    delivery.load()
    partial = tmp_path / "partial"
    partial.mkdir()
    (partial / "subjects.csv").write_bytes((delivery.directory / "subjects.csv").read_bytes())
    with (
        override_settings(VIK_MATCHING_KEY=OTHER_KEY),
        pytest.raises(CommandError, match=r"missing: employees\.csv"),
    ):
        call_command("import_reference", str(partial), "--new-matching-key", stdout=io.StringIO())
    assert MatchingKeyRecord.objects.count() == 1
