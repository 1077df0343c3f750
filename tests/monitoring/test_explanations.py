"""The analyst's reading of a celebrity burst: the window, the evidence, and why no work
reason applied — including the openers whose work opens no subjects (rounds 7 and 8)."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from monitoring.indicators import IndicatorCode, explain

# As detection stores them: moments to the minute (bursts.py, ``timespec="minutes"``).
BURST: dict[str, Any] = {
    "employees": 6,
    "units": 2,
    "baseline": "0.0",
    "start": "2026-10-24T21:40+02:00",
    "end": "2026-10-25T17:10+01:00",
    "hours": 20,
}


def test_a_burst_names_its_window_and_its_evidence() -> None:
    with translation.override("en"):
        text = explain(IndicatorCode.CELEBRITY_BURST.value, BURST)
    assert "between 2026-10-24 21:40 (+02:00) and 2026-10-25 17:10 (+01:00)" in text
    assert "together with 5 other employees from 2 regions" in text
    # The window is the rule's sliding window, not the span of the look-ups.
    assert "(found with a sliding window of 20 hours)" in text
    assert "opened no other person" not in text
    with translation.override("nl"):
        dutch = explain(IndicatorCode.CELEBRITY_BURST.value, BURST)
    assert "(gevonden met een schuivend venster van 20 uur)" in dutch


def test_openers_without_subject_work_in_the_own_region_are_named_as_such() -> None:
    details = {**BURST, "no_subject_work": 2, "no_subject_work_home": True}
    with translation.override("en"):
        text = explain(IndicatorCode.CELEBRITY_BURST.value, details)
    assert "2 of them opened no other person" in text
    assert "so the subject's own region counts too" in text


def test_openers_without_subject_work_elsewhere_are_named_wherever_they_work() -> None:
    details = {**BURST, "no_subject_work": 4, "no_subject_work_home": False}
    with translation.override("en"):
        text = explain(IndicatorCode.CELEBRITY_BURST.value, details)
    assert "4 of them opened no other person" in text
    assert "wherever they work" in text
    assert "own region counts too" not in text
    with translation.override("nl"):
        dutch = explain(IndicatorCode.CELEBRITY_BURST.value, details)
    assert "4 van hen openden in die dagen geen andere persoon" in dutch
    assert "waar ze ook werken" in dutch


def test_a_burst_found_before_round_8_reads_as_it_did() -> None:
    """Signals stored by round 7 hold ``no_subject_work`` only for the own region."""
    details = {**BURST, "no_subject_work": 3}
    with translation.override("en"):
        text = explain(IndicatorCode.CELEBRITY_BURST.value, details)
    assert "so the subject's own region counts too" in text
