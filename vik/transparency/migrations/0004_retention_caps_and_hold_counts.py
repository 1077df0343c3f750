"""Seed 003's "1 to 6 months": a stored longer period is brought back to six, with history.

The union's conditions keep access events (and dismissed signals) at most six months; the
policy accepted up to 600. A longer period already stored is set to six (a history row
says so), then a constraint refuses a longer one from here on. Purge records get the count
of records copied to a legal-hold store.
"""

from django.db import migrations, models
from django.utils import timezone

CAPPED = ("monitoring.access_events", "monitoring.dismissed_signals")
CAP = 6


def clamp(apps, schema_editor):
    policy_model = apps.get_model("transparency", "RetentionPolicy")
    history_model = apps.get_model("transparency", "HistoricalRetentionPolicy")
    for policy in policy_model.objects.filter(category__in=CAPPED, period_months__gt=CAP):
        policy.period_months = CAP
        policy.save(update_fields=["period_months"])
        history_model.objects.create(
            id=policy.pk,
            category=policy.category,
            period_months=CAP,
            legal_hold=policy.legal_hold,
            legal_hold_reason=policy.legal_hold_reason,
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=(
                "Teruggebracht tot 6 maanden: het protocol met de vakorganisaties "
                "staat 1 tot 6 maanden toe (issue 11)"
            ),
        )


class Migration(migrations.Migration):

    dependencies = [
        ('transparency', '0003_logging_report_renders'),
    ]

    operations = [
        migrations.AddField(
            model_name='purgerecord',
            name='kept_for_hold',
            field=models.PositiveIntegerField(db_default=0, default=0, verbose_name='copied to the legal-hold store'),
        ),
        migrations.RunPython(clamp, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='retentionpolicy',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('category__in', ('monitoring.access_events', 'monitoring.dismissed_signals')), _negated=True), ('period_months__lte', 6), _connector='OR'), name='retention_period_within_cap', violation_error_message='At most six months: the protocol agreed with the unions keeps this data for 1 to 6 months, no longer.'),
        ),
    ]
