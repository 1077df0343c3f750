"""Round 18: the agreed range of ``celebrity.scoped_join`` where migration 0026 switched it on.

Migration 0026 set the switch to 1 where a department had never touched it, and its agreed
range with it (a switch agrees to exactly its value). That left such a department no way
back to the 0 its works council had agreed to except a new protocol change — while
docs/deployment.md told it to set 0 before the next run. Where 0026's change is still the
last one recorded and the installation has run detection before (under the 0 its council
had agreed to), the agreed range becomes 0 to 1: the value the council agreed and the value
the release brought; the administrator may choose either at once, with history. A new
installation (no detection run yet) keeps the release's 1 to 1.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

KEY = "celebrity.scoped_join"
SWITCHED_ON = "Nieuwe beginwaarde (release ronde 17)"
REASON = "Afgesproken bereik 0–1: de waarde van de ondernemingsraad en die van de release"


def widen(apps, schema_editor):
    parameter = apps.get_model("monitoring", "MonitoringParameter")
    history = apps.get_model("monitoring", "HistoricalMonitoringParameter")
    row = parameter.objects.filter(key=KEY).first()
    if row is None or row.value != 1 or row.agreed_min != 1:
        return
    if not apps.get_model("monitoring", "DetectionRun").objects.exists():
        return  # a new installation: the release's value is all that was ever agreed
    last = history.objects.filter(id=row.id).order_by("-history_date", "-history_id").first()
    if last is None or last.history_change_reason != SWITCHED_ON:
        return  # set or agreed since by the department: theirs
    row.agreed_min = Decimal(0)
    row.save(update_fields=["agreed_min"])
    history.objects.create(
        id=row.id,
        key=KEY,
        value=row.value,
        agreed_min=Decimal(0),
        agreed_max=row.agreed_max,
        history_date=timezone.now(),
        history_type="~",
        history_change_reason=REASON,
    )


def narrow(apps, schema_editor):
    parameter = apps.get_model("monitoring", "MonitoringParameter")
    history = apps.get_model("monitoring", "HistoricalMonitoringParameter")
    row = parameter.objects.filter(key=KEY).first()
    if row is None or not history.objects.filter(id=row.id, history_change_reason=REASON).exists():
        return
    row.agreed_min = row.value
    row.save(update_fields=["agreed_min"])
    history.objects.filter(id=row.id, history_change_reason=REASON).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0027_matching_key_record"),
    ]

    operations = [
        migrations.RunPython(widen, narrow),
    ]
