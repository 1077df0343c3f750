"""The default re-screening policy: every 8 years, the dossier opening 3 months ahead.

The longer of the two statutory intervals is the safe default: functions that must be
re-screened every 5 years are named explicitly by the administrator.
"""

from django.db import migrations
from django.utils import timezone


def create_default(apps, schema_editor):
    policy_model = apps.get_model("screening", "ScreeningPolicy")
    history_model = apps.get_model("screening", "HistoricalScreeningPolicy")
    if policy_model.objects.filter(is_default=True).exists():
        return
    policy = policy_model.objects.create(
        is_default=True,
        interval_years=8,
        lead_time_months=3,
        note="Standaard: de langste wettelijke termijn. Functies met een termijn van "
        "5 jaar krijgen een eigen beleidsregel.",
    )
    # Migrations use historical models without simple-history's signals: write the first
    # history row by hand, so the policy's trail starts where the policy does.
    history_model.objects.create(
        id=policy.pk,
        function_id=None,
        is_default=True,
        interval_years=policy.interval_years,
        lead_time_months=policy.lead_time_months,
        note=policy.note,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="Standaardbeleid bij installatie",
    )


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
