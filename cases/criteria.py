"""The criteria that make a matter one for the Rijksrecherche (seed 002), as data.

The instructions to the Rijksrecherche (the slide "Rijksrecherche" in seed 002): the use of a
firearm with death **or any injury**; other confrontations with death or serious bodily
injury; an arrestee who died or was seriously injured; corruption; and criminal matters the
public prosecutor has the Rijksrecherche investigate. Migration ``0004`` adds them to a new
database; the functional administrator maintains them in the admin afterwards (with history).
:func:`ensure_criteria` restores any that are missing (demo seeding, tests that start from an
emptied database).
"""

from __future__ import annotations

# (code, question, guidance), in the order triage asks them. Dutch: the instructions are.
RIJKSRECHERCHE_CRITERIA: list[tuple[str, str, str]] = [
    (
        "vuurwapen",
        "Gebruik van een vuurwapen door de politie met de dood of enig letsel tot gevolg",
        "Elk letsel telt, ook licht letsel: niet alleen de dood of zwaar lichamelijk letsel.",
    ),
    (
        "confrontatie",
        "Een andere confrontatie met de politie met de dood of zwaar lichamelijk letsel tot gevolg",
        "Bijvoorbeeld geweld zonder vuurwapen, een aanrijding tijdens een achtervolging.",
    ),
    (
        "arrestant",
        "Een arrestant is overleden of heeft zwaar lichamelijk letsel opgelopen",
        "Tijdens de aanhouding, het vervoer of het verblijf in een politiecel.",
    ),
    (
        "corruptie",
        "Een vermoeden van corruptie (omkoping) door een politieambtenaar",
        "Het vragen of aannemen van een gift of voordeel in ruil voor een ambtshandeling.",
    ),
    (
        "openbaar-ministerie",
        "Een strafbaar feit dat het Openbaar Ministerie door de Rijksrecherche laat onderzoeken",
        "Na overleg met de (hoofd)officier van justitie.",
    ),
]


def ensure_criteria() -> int:
    """Add the criteria that are missing (by code); returns how many were added."""
    from cases.models import RijksrechercheCriterion

    added = 0
    for order, (code, question, guidance) in enumerate(RIJKSRECHERCHE_CRITERIA, start=1):
        _criterion, created = RijksrechercheCriterion.objects.get_or_create(
            code=code, defaults={"question": question, "guidance": guidance, "order": order * 10}
        )
        added += created
    return added
