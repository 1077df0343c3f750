"""The one row of prevention's working agreements, so the administrator can edit it."""

from django.db import migrations
from django.utils import timezone


def create_settings(apps, schema_editor):
    settings_model = apps.get_model("prevention", "PreventionSettings")
    history_model = apps.get_model("prevention", "HistoricalPreventionSettings")
    row, created = settings_model.objects.get_or_create(pk=1)
    if created:
        # Historical models in migrations have no signals: start the trail by hand.
        history_model.objects.create(
            id=row.pk,
            first_answer_working_days=row.first_answer_working_days,
            reminder_working_days_before=row.reminder_working_days_before,
            evaluation_open_days=row.evaluation_open_days,
            history_date=timezone.now(),
            history_type="+",
            history_change_reason="Werkafspraken preventie bij installatie",
        )


class Migration(migrations.Migration):
    dependencies = [("prevention", "0001_initial")]

    operations = [migrations.RunPython(create_settings, migrations.RunPython.noop)]
