"""Round 14 of issue 10: a function's routine work in other regions' incident files.

A new work reason (``function_routine``) and its four parameters. Each row gets the range
the works council is taken to agree to for a parameter a release adds (half to twice its
initial value, see ``monitoring.parameters.initial_agreed_range``), copied here so this
migration means the same thing forever.
"""

from decimal import Decimal

from django.db import migrations, models
from django.utils import timezone

NEW_PARAMETERS = {
    "practice.lookback_days": ("14", "7", "28"),
    "practice.min_files": ("2", "1", "4"),
    "practice.min_share": ("0.25", "0.125", "0.5"),
    "practice.min_staff": ("3", "2", "6"),
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
        ("monitoring", "0022_unexplained_index_carries_target"),
    ]

    operations = [
        migrations.RunPython(add_parameters, remove_parameters),
        migrations.AlterField(
            model_name='eventfinding',
            name='explanation',
            field=models.CharField(choices=[('assignment', 'Assigned to the incident'), ('linked_incident', 'Subject linked to an assigned incident'), ('scope_rule', 'Permitted by a scope rule'), ('function_scope', 'Within the need to know of the function'), ('scoped_incident', 'Linked to an incident within the need to know of the function'), ('function_routine', "Another region's incident file: the function's staff routinely work other regions' files"), ('neutral', 'No person or incident opened'), ('none', 'No work reason found')], max_length=16, verbose_name='work reason'),
        ),
        migrations.AlterField(
            model_name='signalevidence',
            name='explanation',
            field=models.CharField(choices=[('assignment', 'Assigned to the incident'), ('linked_incident', 'Subject linked to an assigned incident'), ('scope_rule', 'Permitted by a scope rule'), ('function_scope', 'Within the need to know of the function'), ('scoped_incident', 'Linked to an incident within the need to know of the function'), ('function_routine', "Another region's incident file: the function's staff routinely work other regions' files"), ('neutral', 'No person or incident opened'), ('none', 'No work reason found')], max_length=16, verbose_name='work reason'),
        ),
    ]
