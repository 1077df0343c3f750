"""National scope comes from scope rules only: the ``scope.national_units`` switch goes.

The switch gave every employee of a unit of kind *national* the need to know for every
region — detectives who work assigned cases as well as the analysts whose work is national.
Need to know beyond assignments is now only what scope rules say (a department writes a
``national`` rule for the functions or units that need it, as for ``regional``). Where the
switch was on, each national unit gets an explicit policy rule that keeps what it did, so an
installation sees and can narrow it; where it was off, nothing changes.

The switch's row is set to 0, not deleted (expand, then contract): the code still running
while a deploy migrates reads every parameter it knows and would stop detecting without it,
and with the switch at 0 beside the new rules it does what the new code does. No release
reads the row any more; the settings screen hides it, and a later migration removes it.
"""

from django.db import migrations

KEY = "scope.national_units"
REASON = (
    "Converted from the former setting 'National units have national scope' (migration 0021): "
    "narrow it to the functions that need national scope."
)


def to_rules(apps, schema_editor):
    MonitoringParameter = apps.get_model("monitoring", "MonitoringParameter")
    ScopeRule = apps.get_model("monitoring", "ScopeRule")
    Unit = apps.get_model("vik", "Unit")
    switch = MonitoringParameter.objects.filter(key=KEY).first()
    if switch is not None and switch.value == 1:
        for unit in Unit.objects.filter(kind="national").exclude(parent__kind="national"):
            ScopeRule.objects.create(unit=unit, scope="national", source="policy", reason=REASON)
    MonitoringParameter.objects.filter(key=KEY).update(value=0, agreed_min=0, agreed_max=0)


def to_switch(apps, schema_editor):
    MonitoringParameter = apps.get_model("monitoring", "MonitoringParameter")
    ScopeRule = apps.get_model("monitoring", "ScopeRule")
    converted = ScopeRule.objects.filter(reason=REASON)
    value = 1 if converted.exists() else 0
    MonitoringParameter.objects.update_or_create(
        key=KEY, defaults={"value": value, "agreed_min": value, "agreed_max": value}
    )
    converted.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0020_daily_activity_opened"),
        ("vik", "0009_access_log_hash_chain"),
    ]

    operations = [migrations.RunPython(to_rules, to_switch)]
