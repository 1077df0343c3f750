"""The typology's first version: the kinds police integrity work uses (seed 002).

Migration ``vik.0006_violation_kinds`` installs them in a new database (with its own frozen
copy of the list, as migrations must); the administrator maintains them in the admin
afterwards. :func:`ensure_violation_kinds` restores any that are missing — demo seeding,
and tests that start from a database a transactional test emptied.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from vik.models.typology import UNCLASSIFIED_CODE

if TYPE_CHECKING:
    from vik.models import ViolationKind

INITIAL_KINDS: list[tuple[str, str, str]] = [
    (
        "misbruik-bevoegdheden",
        "Misbruik van bevoegdheden",
        "Bevoegdheden gebruiken voor een ander doel dan waarvoor ze zijn gegeven, ook het misbruik van geweldsbevoegdheden buiten de geweldsinstructie.",
    ),
    (
        "misbruik-informatie",
        "Misbruik van informatie (raadplegen, lekken)",
        "Politie-informatie raadplegen zonder dienstelijke reden (nieuwsgierigheid, eigen belang) of delen met wie het niet mag weten.",
    ),
    (
        "corruptie-fraude",
        "Corruptie en fraude",
        "Zich laten omkopen, diefstal, verduistering, onjuist declareren of ander financieel gewin ten koste van de politie of derden.",
    ),
    (
        "geschenken-gastvrijheid",
        "Geschenken en gastvrijheid",
        "Giften, diensten of uitnodigingen aannemen die de onafhankelijkheid in gevaar brengen.",
    ),
    (
        "nevenwerkzaamheden",
        "Onverenigbare nevenwerkzaamheden",
        "Betaalde of onbetaalde werkzaamheden naast de functie die de belangen van de politie raken, of die niet zijn gemeld.",
    ),
    (
        "intimidatie-discriminatie",
        "Intimidatie en discriminatie",
        "Pesten, intimideren, discrimineren of onfatsoenlijke omgangsvormen, tegenover collega's of burgers.",
    ),
    (
        "seksueel-grensoverschrijdend",
        "Seksueel grensoverschrijdend gedrag",
        "Ongewenste seksuele aandacht, opmerkingen of aanrakingen.",
    ),
    (
        "geweld",
        "Geweld en geweldgebruik",
        "Geweld zonder noodzaak of in strijd met de geweldsinstructie, en geweld buiten de dienst.",
    ),
    (
        "wangedrag-buiten-dienst",
        "Wangedrag buiten de dienst",
        "Gedrag in de vrije tijd dat het aanzien van de politie schaadt: drugs, omgang met criminelen, overlast.",
    ),
    (
        "liegen-vervalsen",
        "Liegen en vervalsen",
        "Onwaarheid spreken of schrijven, een proces-verbaal niet waarheidsgetrouw opmaken, documenten vervalsen.",
    ),
    (
        "misbruik-middelen",
        "Verspilling en misbruik van middelen",
        "Dienstmiddelen (uitrusting, voertuigen, tijd, geld) verspillen, privé gebruiken of verkopen.",
    ),
    (
        "niet-geclassificeerd",
        "Nog niet geclassificeerd",
        "Nog niet ingedeeld: gegevens van vóór de typologie, of een zaak waarvan de soort nog niet bekend is.",
    ),
]


def ensure_violation_kinds() -> int:
    """Add the kinds that are missing (by code), with a history row; returns how many."""
    from vik.history import stamp
    from vik.models import ViolationKind

    added = 0
    for position, (code, name, description) in enumerate(INITIAL_KINDS, start=1):
        if ViolationKind.objects.filter(code=code).exists():
            continue
        kind = ViolationKind(
            code=code,
            name=name,
            description=description,
            order=999 if code == UNCLASSIFIED_CODE else position * 10,
        )
        stamp(kind, acting_user=None, reason="Typologie integriteitsschendingen").save()
        added += 1
    return added


# The kinds generated matters of each app lean towards (demo data only): what the seeds'
# yearly figures say each process mostly meets, with a tail of the others.
DEMO_LEANING = {
    "cases": ["misbruik-informatie", "wangedrag-buiten-dienst", "nevenwerkzaamheden"],
    "complaints": ["intimidatie-discriminatie", "geweld", "misbruik-bevoegdheden"],
    "screening": ["nevenwerkzaamheden", "wangedrag-buiten-dienst", "misbruik-informatie"],
    "monitoring": ["misbruik-informatie"],
}


def demo_kinds(key: str, *, leaning: str) -> list[ViolationKind]:
    """One kind (sometimes two, sometimes "not yet classified") for a generated matter.

    Drawn from a generator of its own, seeded by ``key`` (e.g. the case reference): the
    demo's main random stream, which decides everything else, stays as it was.
    """
    from vik.models import ViolationKind

    rng = random.Random(f"{leaning}:{key}")  # noqa: S311 - demo data, not security

    kinds = {kind.code: kind for kind in ViolationKind.objects.filter(is_active=True)}
    if rng.random() < 0.08:
        return [kinds[UNCLASSIFIED_CODE]]
    likely = [code for code in DEMO_LEANING[leaning] if code in kinds]
    others = [code for code in kinds if code != UNCLASSIFIED_CODE and code not in likely]
    chosen = [rng.choice(likely) if likely and rng.random() < 0.75 else rng.choice(others)]
    if rng.random() < 0.15:
        chosen.append(rng.choice(others))
    return [kinds[code] for code in dict.fromkeys(chosen)]
