"""The disciplinary punishments of Besluit algemene rechtspositie politie, art. 77 (as data).

Lightest first. Migration ``0003_punishments`` adds them to a new database; the
functional administrator maintains them in the admin afterwards. :func:`ensure_punishments`
restores any that are missing (demo seeding, tests that start from an emptied database).
"""

from __future__ import annotations

LEGAL_BASIS = "art. 77, eerste lid, Barp"

BARP_ARTICLE_77: list[tuple[str, str]] = [
    ("schriftelijke-berisping", "Schriftelijke berisping"),
    ("extra-diensten", "Het verrichten van werkzaamheden buiten de geldende werktijden"),
    ("vermindering-verlof", "Vermindering van de aanspraak op vakantieverlof"),
    ("geldboete", "Geldboete"),
    ("inhouding-bezoldiging", "Inhouding van bezoldiging"),
    ("lager-salaris", "Vermindering van salaris (lagere trede)"),
    ("niet-meetellen-diensttijd", "Het niet meetellen van diensttijd voor salarisverhoging"),
    ("schorsing", "Schorsing"),
    ("lagere-schaal", "Plaatsing in een lagere salarisschaal"),
    ("ontslag", "Ontslag"),
]


def ensure_punishments() -> int:
    """Add the punishments that are missing (by code); returns how many were added."""
    from cases.models import Punishment

    added = 0
    for severity, (code, name) in enumerate(BARP_ARTICLE_77, start=1):
        _punishment, created = Punishment.objects.get_or_create(
            code=code, defaults={"name": name, "legal_basis": LEGAL_BASIS, "severity": severity}
        )
        added += created
    return added
