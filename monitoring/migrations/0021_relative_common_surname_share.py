"""A new initial value for ``relative.common_surname_share`` (issue 10, round 11): 0.001.

A subject with the employee's surname in the employee's own neighbourhood (the four-digit
postcode area) counts as a possible relative unless the surname is common. The chance that
such a subject is a stranger is about the surname's share of the population times the number
of people of their own neighbourhood an employee opens without a task — some three in two
weeks on the blind delivery's seeds. At a share of 1 in 2,000 the rule lost a quarter of the
parents living nearby at 6,000 employees (round 10: their surnames, borne by 1 in 1,800 to 1
in 1,900, counted as common); at 1 in 1,000 the chance per employee with such a surname is
still some 0.3 % in two weeks, and averaged over the staff's surnames (most far rarer) it
rises by about 0.4 per 1,000 employees. The value is changed only where it is still the old
initial value (a department's own choice stays), within the agreed range of the row
(0.00025–0.001, migration 0016), with a history row like every change.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

KEY = "relative.common_surname_share"
OLD, NEW = Decimal("0.0005"), Decimal("0.001")


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
        history_change_reason="Nieuwe beginwaarde (issue 10, ronde 11)",
    )


def change_back(apps, schema_editor):
    change(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0020_daily_activity_opened")]

    operations = [migrations.RunPython(change, change_back)]
