"""The ranges the works council is taken to have agreed, for the settings in force today.

Half to twice each value in force (whole numbers for counts); a switch (0/1) and a value of
zero agree to exactly that value. The rule is copied here (not imported from
``monitoring.parameters``) so this migration means the same thing forever.
"""

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.db import migrations

SWITCHES = {"scope.national_units", "review.four_eyes_reveal"}
FRACTIONS = {
    "signal.min_score",
    "off_duty.unrostered_day_hours",
    "off_duty.unrostered_day_share",
    "celebrity.factor",
    "relative.common_surname_share",
    "volume.own_factor",
    "volume.peer_factor",
}


def _range(value: Decimal, *, switch: bool, integer: bool) -> tuple[Decimal, Decimal]:
    if value == 0 or switch:
        return value, value
    low, high = value / 2, value * 2
    if integer:
        low = low.to_integral_value(rounding=ROUND_CEILING)
        high = high.to_integral_value(rounding=ROUND_FLOOR)
    return low, high


def agree(apps, schema_editor):
    MonitoringParameter = apps.get_model("monitoring", "MonitoringParameter")
    IndicatorSetting = apps.get_model("monitoring", "IndicatorSetting")
    for parameter in MonitoringParameter.objects.all():
        parameter.agreed_min, parameter.agreed_max = _range(
            parameter.value,
            switch=parameter.key in SWITCHES,
            integer=parameter.key not in FRACTIONS,
        )
        parameter.save(update_fields=["agreed_min", "agreed_max"])
    for setting in IndicatorSetting.objects.all():
        setting.agreed_min, setting.agreed_max = _range(setting.weight, switch=False, integer=False)
        setting.save(update_fields=["agreed_min", "agreed_max"])


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0015_protocol_changes_and_council_consent")]

    operations = [migrations.RunPython(agree, migrations.RunPython.noop)]
