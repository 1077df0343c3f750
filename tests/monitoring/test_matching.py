"""Normalising names and addresses, keyed hashes, pseudonyms."""

from __future__ import annotations

import pytest
from django.test import override_settings

from monitoring.matching import (
    address_hashes,
    keyed_hash,
    normalise_house_number,
    normalise_postcode,
    normalise_surname,
    pseudonym_for,
    surname_hash,
)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("van den Berg", "berg"),
        ("Berg, van den", "berg"),
        ("VAN DEN BERG", "berg"),
        ("v.d. Berg", "berg"),
        ("Çelik", "celik"),
        ("de Vries-Bakker", "vriesbakker"),
        ("van", "van"),
        ("El Amrani", "amrani"),
    ],
)
def test_surnames(raw: str, normal: str) -> None:
    assert normalise_surname(raw) == normal


def test_addresses() -> None:
    assert normalise_postcode(" 1011 ab ") == "1011AB"
    assert normalise_postcode("0123AB") == ""
    assert normalise_postcode("B-1000") == ""
    assert normalise_house_number("12 a") == "12A"
    assert normalise_house_number("12-A") == "12A"
    full = address_hashes("1011ab", "12a")
    assert full == address_hashes("1011 AB", "12 A")
    assert full.street == address_hashes("1011AB", "99").street
    assert full.area == address_hashes("1011ZZ", "1").area
    assert address_hashes("", "12") == address_hashes("nonsense", "12")
    assert address_hashes("1011AB", "").address == ""


def test_hashes_are_keyed_and_kind_bound() -> None:
    assert keyed_hash("surname", "") == ""
    assert keyed_hash("surname", "berg") != keyed_hash("street", "berg")
    first = surname_hash("van den Berg")
    assert len(first) == 32
    with override_settings(VIK_MATCHING_KEY="another-key"):
        assert surname_hash("van den Berg") != first


def test_pseudonyms_are_stable_and_keyed() -> None:
    pseudonym = pseudonym_for("100001")
    assert pseudonym == pseudonym_for("100001")
    assert pseudonym != pseudonym_for("100002")
    assert pseudonym.startswith("PM-")
    assert len(pseudonym) == 12
    with override_settings(VIK_PSEUDONYM_KEY="another-key"):
        assert pseudonym_for("100001") != pseudonym
