"""The uniform classification of police complaints, as the first version of the data.

The themes named by the VIK departments (bejegening, discriminatie, etnisch profileren,
geweldgebruik, legitimeren, niet-werkgerelateerd raadplegen van systemen) and the other
classes police complaint registrations commonly use. The administrator maintains the list.
"""

from django.db import migrations
from django.utils import timezone

THEMES = [
    ("bejegening", "Bejegening", "Onheus, onbeleefd of onrespectvol gedrag van een medewerker."),
    ("discriminatie", "Discriminatie", "Ongelijke behandeling op grond van afkomst, geloof, geslacht, seksuele gerichtheid, handicap of een ander kenmerk."),
    ("etnisch-profileren", "Etnisch profileren", "Controle of optreden op grond van (vermeende) afkomst, zonder objectieve rechtvaardiging."),
    ("geweldgebruik", "Geweldgebruik", "Gebruik van geweld of geweldsmiddelen, ook bij aanhouding en vervoer."),
    ("identificatie", "Identificatie en legitimeren", "Zich niet of onjuist legitimeren, of het vorderen van een identiteitsbewijs."),
    ("raadplegen-systemen", "Niet-werkgerelateerd raadplegen van systemen", "Het opzoeken van gegevens van de klager in politiesystemen zonder dat het werk daarom vroeg."),
    ("vrijheidsbeneming", "Aanhouding en vrijheidsbeneming", "De rechtmatigheid of de wijze van aanhouden, ophouden of insluiten."),
    ("doorzoeking", "Doorzoeking en inbeslagname", "Het doorzoeken van woning, voertuig of persoon en het in beslag nemen van goederen."),
    ("niet-optreden", "Niet of onvoldoende optreden", "De politie kwam niet, te laat of deed te weinig."),
    ("aangifte", "Aangifte en meldingen", "Het weigeren of afhandelen van een aangifte of melding."),
    ("informatie", "Informatieverstrekking en privacy", "Onjuiste, onvolledige of ongeoorloofde verstrekking van informatie."),
    ("verkeersgedrag", "Verkeersgedrag", "Rijgedrag en parkeren van politievoertuigen."),
    ("dienstverlening", "Bereikbaarheid en dienstverlening", "Telefonische bereikbaarheid, wachttijden, terugkoppeling."),
    ("overig", "Overig", "Wat in geen van de andere klassen past."),
]


def create_themes(apps, schema_editor):
    theme_model = apps.get_model("complaints", "ComplaintTheme")
    history_model = apps.get_model("complaints", "HistoricalComplaintTheme")
    now = timezone.now()
    for order, (code, name, description) in enumerate(THEMES, start=1):
        theme, created = theme_model.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "order": order * 10}
        )
        if created:
            # Historical models in migrations have no signals: start the trail by hand.
            history_model.objects.create(
                id=theme.pk,
                code=code,
                name=name,
                description=description,
                is_active=True,
                order=theme.order,
                history_date=now,
                history_type="+",
                history_change_reason="Uniforme klachtclassificatie bij installatie",
            )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
