"""Round 17 of issue 10: ``celebrity.scoped_join`` on as delivered.

Round 15 added the switch **off** (migration 0024) because the assessment then kept a row for
every look-up by name that a function's scope alone explains. Since round 17 those look-ups
are read once per run, only for the subjects of a burst of curiosity
(``monitoring.detection.scoped``), at a cost within the noise of a run (docs/performance.md,
round 17), so the delivered value is 1. A department that never changed the setting (its
value still 0 and no change recorded in its history since the initial value) gets the new
value, with its agreed range (a switch agrees to exactly its value:
``monitoring.parameters.initial_agreed_range``) and a history record; a department that set
it itself keeps its own value (migration 0028 lets a department go back to 0 at once).
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

KEY = "celebrity.scoped_join"
REASON = "Nieuwe beginwaarde (release ronde 17)"


def switch_on(apps, schema_editor):
    parameter = apps.get_model("monitoring", "MonitoringParameter")
    history = apps.get_model("monitoring", "HistoricalMonitoringParameter")
    row = parameter.objects.filter(key=KEY).first()
    if row is None or row.value != 0:
        return
    if history.objects.filter(id=row.id).exclude(history_type="+").exists():
        return  # changed by the department (even if back to 0): theirs
    row.value = row.agreed_min = row.agreed_max = Decimal(1)
    row.save(update_fields=["value", "agreed_min", "agreed_max"])
    history.objects.create(
        id=row.id,
        key=KEY,
        value=Decimal(1),
        agreed_min=Decimal(1),
        agreed_max=Decimal(1),
        history_date=timezone.now(),
        history_type="~",
        history_change_reason=REASON,
    )


def switch_back(apps, schema_editor):
    parameter = apps.get_model("monitoring", "MonitoringParameter")
    history = apps.get_model("monitoring", "HistoricalMonitoringParameter")
    row = parameter.objects.filter(key=KEY).first()
    if row is None or not history.objects.filter(id=row.id, history_change_reason=REASON).exists():
        return
    row.value = row.agreed_min = row.agreed_max = Decimal(0)
    row.save(update_fields=["value", "agreed_min", "agreed_max"])
    history.objects.filter(id=row.id, history_change_reason=REASON).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0025_activity_files_elsewhere"),
    ]

    operations = [
        migrations.RunPython(switch_on, switch_back),
    ]
