"""Round 15 of issue 10: scoped staff's look-ups by name within a burst of curiosity.

One new switch, ``celebrity.scoped_join``, **off**: on, the assessment keeps a row for
every look-up by name that a function's scope alone explains, which on a delivery whose
scoped staff search all day multiplied the unexplained-access table (docs/performance.md,
round 15) — a department turns it on as a protocol change, with the works council, after
measuring it on its own data. A switch's agreed range is exactly its value
(``monitoring.parameters.initial_agreed_range``), copied here so this migration means the
same thing forever.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

NEW_PARAMETERS = {
    "celebrity.scoped_join": ("0", "0", "0"),
}


def add_parameters(apps, schema_editor):
    parameter = apps.get_model("monitoring", "MonitoringParameter")
    history = apps.get_model("monitoring", "HistoricalMonitoringParameter")
    for key, (value, low, high) in NEW_PARAMETERS.items():
        if parameter.objects.filter(key=key).exists():
            continue
        row = parameter.objects.create(
            key=key, value=Decimal(value), agreed_min=Decimal(low), agreed_max=Decimal(high)
        )
        history.objects.create(
            id=row.id,
            key=key,
            value=Decimal(value),
            agreed_min=Decimal(low),
            agreed_max=Decimal(high),
            history_date=timezone.now(),
            history_type="+",
            history_change_reason="Beginwaarde",
        )


def remove_parameters(apps, schema_editor):
    apps.get_model("monitoring", "MonitoringParameter").objects.filter(
        key__in=list(NEW_PARAMETERS)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0023_function_routine"),
    ]

    operations = [
        migrations.RunPython(add_parameters, remove_parameters),
    ]
