"""Initial detection settings, region neighbours and nothing else.

The values are copied here (not imported from ``monitoring.parameters``) so this migration
means the same thing forever. Later parameters get their own data migration.
"""

from decimal import Decimal

from django.db import migrations

PARAMETERS = {
    "signal.window_days": "14",
    "signal.min_score": "10",
    "evidence.max_events_per_indicator": "200",
    "explain.assignment_grace_days": "7",
    "scope.national_units": "1",
    "off_duty.margin_minutes": "90",
    "off_duty.max_roster_gap_hours": "120",
    "off_duty.min_events": "3",
    "off_duty.min_events_absent": "1",
    "off_duty.unrostered_day_hours": "4",
    "off_duty.unrostered_day_share": "0.5",
    "celebrity.min_employees": "5",
    "celebrity.min_units": "3",
    "celebrity.baseline_days": "7",
    "celebrity.factor": "3",
    "relative.common_surname_share": "0.0005",
    "relative.common_surname_min": "20",
    "relative.common_surname_employees": "3",
    "relative.family_surname_max": "5",
    "neighbour.min_street_subjects": "2",
    "volume.baseline_days": "28",
    "volume.own_factor": "4",
    "volume.peer_factor": "4",
    "volume.min_events": "100",
    "repeated.lookback_days": "56",
    "repeated.min_days": "4",
    "retention.months": "6",
}
WEIGHTS = {
    "off_duty": "10",
    "after_employment": "15",
    "celebrity_burst": "10",
    "relative": "12",
    "neighbour": "10",
    "self_lookup": "12",
    "colleague_lookup": "10",
    "out_of_region_incident": "10",
    "volume_spike": "10",
    "repeated_unexplained": "15",
}
# Regional units of the Dutch police (codes as in the exchange files) that share a border.
NEIGHBOURS = [
    ("AM", "DH"),
    ("AM", "MN"),
    ("AM", "NH"),
    ("DH", "MN"),
    ("DH", "NH"),
    ("DH", "RT"),
    ("LB", "OB"),
    ("LB", "ON"),
    ("MN", "NH"),
    ("MN", "NN"),
    ("MN", "ON"),
    ("MN", "RT"),
    ("NH", "NN"),
    ("NN", "ON"),
    ("OB", "ON"),
    ("OB", "ZB"),
    ("ON", "RT"),
    ("RT", "ZB"),
]
REASON = "Beginwaarden"


def _with_history(apps, model_name, rows):
    model = apps.get_model("monitoring", model_name)
    history = apps.get_model("monitoring", f"Historical{model_name}")
    from django.utils import timezone

    now = timezone.now()
    for values in rows:
        if model.objects.filter(**values["key"]).exists():
            continue
        obj = model.objects.create(**values["key"], **values["fields"])
        history.objects.create(
            id=obj.id,
            **values["key"],
            **values["fields"],
            history_date=now,
            history_type="+",
            history_change_reason=REASON,
        )


def seed(apps, schema_editor):
    _with_history(
        apps,
        "MonitoringParameter",
        [{"key": {"key": k}, "fields": {"value": Decimal(v)}} for k, v in PARAMETERS.items()],
    )
    _with_history(
        apps,
        "IndicatorSetting",
        [
            {"key": {"code": k}, "fields": {"weight": Decimal(v), "enabled": True}}
            for k, v in WEIGHTS.items()
        ],
    )
    _with_history(
        apps,
        "RegionNeighbour",
        [{"key": {"region": a, "neighbour": b}, "fields": {}} for a, b in NEIGHBOURS],
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_access_events")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
