"""A new detection parameter (issue 10, round 3): ``volume.own_factor_alone``.

A light user's day many times their own usual day is a volume spike even when it stays under
``volume.peer_factor`` × the function's median day. The row gets the range the works council
is taken to agree to for a parameter a release adds (half to twice its initial value, see
``monitoring.parameters.initial_agreed_range``), copied here so this migration means the same
thing forever.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

KEY = "volume.own_factor_alone"
VALUE = Decimal("5")
AGREED = (Decimal("2.5"), Decimal("10"))


def add_parameter(apps, schema_editor):
    parameter = apps.get_model("monitoring", "MonitoringParameter")
    history = apps.get_model("monitoring", "HistoricalMonitoringParameter")
    if parameter.objects.filter(key=KEY).exists():
        return
    row = parameter.objects.create(
        key=KEY, value=VALUE, agreed_min=AGREED[0], agreed_max=AGREED[1]
    )
    history.objects.create(
        id=row.id,
        key=KEY,
        value=VALUE,
        agreed_min=AGREED[0],
        agreed_max=AGREED[1],
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="Beginwaarde",
    )


def remove_parameter(apps, schema_editor):
    apps.get_model("monitoring", "MonitoringParameter").objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0017_council_decisions_append_only")]

    operations = [migrations.RunPython(add_parameter, remove_parameter)]
