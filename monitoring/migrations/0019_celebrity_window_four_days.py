"""A new initial value for ``celebrity.window_hours`` (issue 10, round 4): 96 hours, not 72.

Issue 10 describes curiosity after a high-profile arrest as look-ups "spread over three or
four days"; a window of three days lost the first or last of the curious in a burst spread
over more than three (round 4's development seeds). The value is changed only where it is
still the old initial value (a department's own choice stays), within the agreed range of
the row (36–144, migration 0016), with a history row like every change.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

KEY = "celebrity.window_hours"
OLD, NEW = Decimal("72"), Decimal("96")


def change(apps, schema_editor, *, backwards=False):
    parameter = apps.get_model("monitoring", "MonitoringParameter")
    history = apps.get_model("monitoring", "HistoricalMonitoringParameter")
    before, after = (NEW, OLD) if backwards else (OLD, NEW)
    row = parameter.objects.filter(key=KEY, value=before).first()
    if row is None:
        return
    if (row.agreed_max is not None and after > row.agreed_max) or (
        row.agreed_min is not None and after < row.agreed_min
    ):
        return  # outside what the works council agreed to: left to a person
    row.value = after
    row.save()
    history.objects.create(
        id=row.id,
        key=KEY,
        value=row.value,
        agreed_min=row.agreed_min,
        agreed_max=row.agreed_max,
        history_date=timezone.now(),
        history_type="~",
        history_change_reason="Nieuwe beginwaarde (issue 10, ronde 4)",
    )


def change_back(apps, schema_editor):
    change(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0018_volume_own_factor_alone")]

    operations = [migrations.RunPython(change, change_back)]
