"""The disciplinary punishments of Besluit algemene rechtspositie politie, art. 77 (as data).

Lightest first. Maintained afterwards in the admin; this migration only adds what is missing.
"""

from django.db import migrations

LEGAL_BASIS = "art. 77, eerste lid, Barp"

PUNISHMENTS = [
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


def add_punishments(apps, schema_editor):
    punishment = apps.get_model("cases", "Punishment")
    for severity, (code, name) in enumerate(PUNISHMENTS, start=1):
        punishment.objects.get_or_create(
            code=code, defaults={"name": name, "legal_basis": LEGAL_BASIS, "severity": severity}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_append_only_and_immutable")]

    operations = [migrations.RunPython(add_punishments, migrations.RunPython.noop)]
