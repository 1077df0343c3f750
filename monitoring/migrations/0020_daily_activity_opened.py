"""Issue 10, round 7: a day's accesses that opened a subject or incident, per employee.

Bursts ask whether an opener's work of those days reaches subjects at all (someone whose
work opens no person, vehicle or incident has no work on the one they opened). Rows written
before this column stay empty: unknown, taken as work, until the day is detected again.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0019_celebrity_window_four_days"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyactivity",
            name="opened",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="opened a subject or incident"
            ),
        ),
    ]
