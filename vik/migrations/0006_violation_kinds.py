"""The typology of integrity violations, as the first version of the data.

The kinds police integrity work uses (seed 002; the domain digest), and "not yet
classified" — the kind of its own for everything recorded before the typology existed, so
that existing data gets no invented kind. The administrator maintains the list.
"""

from django.db import migrations
from django.utils import timezone

KINDS = [
    ("misbruik-bevoegdheden", "Misbruik van bevoegdheden", "Bevoegdheden gebruiken voor een ander doel dan waarvoor ze zijn gegeven, ook het misbruik van geweldsbevoegdheden buiten de geweldsinstructie."),
    ("misbruik-informatie", "Misbruik van informatie (raadplegen, lekken)", "Politie-informatie raadplegen zonder dienstelijke reden (nieuwsgierigheid, eigen belang) of delen met wie het niet mag weten."),
    ("corruptie-fraude", "Corruptie en fraude", "Zich laten omkopen, diefstal, verduistering, onjuist declareren of ander financieel gewin ten koste van de politie of derden."),
    ("geschenken-gastvrijheid", "Geschenken en gastvrijheid", "Giften, diensten of uitnodigingen aannemen die de onafhankelijkheid in gevaar brengen."),
    ("nevenwerkzaamheden", "Onverenigbare nevenwerkzaamheden", "Betaalde of onbetaalde werkzaamheden naast de functie die de belangen van de politie raken, of die niet zijn gemeld."),
    ("intimidatie-discriminatie", "Intimidatie en discriminatie", "Pesten, intimideren, discrimineren of onfatsoenlijke omgangsvormen, tegenover collega's of burgers."),
    ("seksueel-grensoverschrijdend", "Seksueel grensoverschrijdend gedrag", "Ongewenste seksuele aandacht, opmerkingen of aanrakingen."),
    ("geweld", "Geweld en geweldgebruik", "Geweld zonder noodzaak of in strijd met de geweldsinstructie, en geweld buiten de dienst."),
    ("wangedrag-buiten-dienst", "Wangedrag buiten de dienst", "Gedrag in de vrije tijd dat het aanzien van de politie schaadt: drugs, omgang met criminelen, overlast."),
    ("liegen-vervalsen", "Liegen en vervalsen", "Onwaarheid spreken of schrijven, een proces-verbaal niet waarheidsgetrouw opmaken, documenten vervalsen."),
    ("misbruik-middelen", "Verspilling en misbruik van middelen", "Dienstmiddelen (uitrusting, voertuigen, tijd, geld) verspillen, privé gebruiken of verkopen."),
    ("niet-geclassificeerd", "Nog niet geclassificeerd", "Nog niet ingedeeld: gegevens van vóór de typologie, of een zaak waarvan de soort nog niet bekend is."),
]


def create_kinds(apps, schema_editor):
    kind_model = apps.get_model("vik", "ViolationKind")
    history_model = apps.get_model("vik", "HistoricalViolationKind")
    now = timezone.now()
    for position, (code, name, description) in enumerate(KINDS, start=1):
        order = 999 if code == "niet-geclassificeerd" else position * 10
        kind, created = kind_model.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
        if created:
            # Historical models in migrations have no signals: start the trail by hand.
            history_model.objects.create(
                id=kind.pk,
                code=code,
                name=name,
                description=description,
                is_active=True,
                order=order,
                history_date=now,
                history_type="+",
                history_change_reason="Typologie integriteitsschendingen bij installatie",
            )


class Migration(migrations.Migration):
    dependencies = [("vik", "0005_prevention_role_and_typology")]

    operations = [migrations.RunPython(create_kinds, migrations.RunPython.noop)]
