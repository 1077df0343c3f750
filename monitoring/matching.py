"""Normalising names and addresses, and the keyed hashes stored instead of them.

Subjects' surnames and addresses and employees' home addresses are compared only as
HMAC-SHA256 digests under ``settings.VIK_MATCHING_KEY`` (a key from the environment; see
docs/monitoring.md, "Key handling"). Without the key, a digest cannot be reversed by trying
names or postcodes; with it, equal normalised values give equal digests, which is all the
indicators need. Each kind of value is hashed under its own label, so a surname can never
match a postcode.

Pseudonyms for the review screens are derived the same way under a separate key
(``VIK_PSEUDONYM_KEY``): stable per employee, meaningless without the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings

from monitoring.models.reference import HASH_LENGTH

# Dutch surname prefixes (tussenvoegsels): "Van den Berg", "Berg, van den" and "v.d. Berg"
# are one surname for matching.
_PREFIXES = frozenset(
    {
        "van",
        "de",
        "der",
        "den",
        "het",
        "t",
        "ter",
        "ten",
        "te",
        "in",
        "op",
        "aan",
        "bij",
        "onder",
        "over",
        "uit",
        "vd",
        "v",
        "d",
        "la",
        "le",
        "du",
        "da",
        "di",
        "del",
        "des",
        "el",
        "al",
        "von",
        "zu",
    }
)
_NON_LETTERS = re.compile(r"[^a-z]+")
_POSTCODE = re.compile(r"^([1-9][0-9]{3})([A-Z]{2})$")


def normalise_surname(value: str) -> str:
    """Lower case, accents and punctuation removed, prefixes dropped, words in order.

    ``"van den Berg"``, ``"Berg, van den"`` and ``"Van Den BERG"`` all give ``"berg"``;
    ``"Çelik"`` gives ``"celik"``. A name made only of prefixes keeps them.
    """
    text = unicodedata.normalize("NFKD", value.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = [word for word in _NON_LETTERS.split(text) if word]
    kept = [word for word in words if word not in _PREFIXES]
    return "".join(kept or words)


def normalise_postcode(value: str) -> str:
    """``"1011 ab"`` → ``"1011AB"``; anything that is not a Dutch postcode → ``""``."""
    compact = "".join(value.split()).upper()
    return compact if _POSTCODE.match(compact) else ""


def normalise_house_number(value: str) -> str:
    """``"12 a"``, ``"12-A"`` → ``"12A"``: digits and letters only, upper case."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def keyed_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 of ``kind:value`` under the matching key, as 32 hex digits; ``""`` stays ``""``."""
    if not value:
        return ""
    digest = hmac.new(
        settings.VIK_MATCHING_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:HASH_LENGTH]


@dataclass(frozen=True)
class AddressHashes:
    """The three granularities of an address the indicators compare."""

    address: str  # postcode + house number: the same home
    street: str  # postcode: the same street (side), some 15-25 addresses
    area: str  # four-digit postcode: the same neighbourhood


def key_fingerprint() -> str:
    """A keyed hash of a fixed text: equal for equal matching keys, and nothing else."""
    return keyed_hash("fingerprint", "vik-matching-key")


def address_hashes(postcode: str, house_number: str) -> AddressHashes:
    """Keyed hashes of a home address; empty strings where the address is incomplete."""
    code = normalise_postcode(postcode)
    if not code:
        return AddressHashes("", "", "")
    number = normalise_house_number(house_number)
    return AddressHashes(
        address=keyed_hash("address", f"{code}|{number}") if number else "",
        street=keyed_hash("street", code),
        area=keyed_hash("area", code[:4]),
    )


def surname_hash(last_name: str) -> str:
    """Keyed hash of a normalised surname (``""`` for an empty one)."""
    return keyed_hash("surname", normalise_surname(last_name))


def pseudonym_for(personnel_number: str) -> str:
    """A stable pseudonym such as ``PM-7K3Q-X2LD`` for an employee (by personnel number)."""
    digest = hmac.new(
        settings.VIK_PSEUDONYM_KEY.encode(),
        f"employee:{personnel_number}".encode(),
        hashlib.sha256,
    ).digest()
    code = base64.b32encode(digest).decode()[:8]
    return f"PM-{code[:4]}-{code[4:]}"
