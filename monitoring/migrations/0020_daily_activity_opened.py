"""Issue 10, round 7: per employee and day, the accesses that opened a subject or incident,
and the first and last access outside the roster.

Bursts ask whether an opener's work of those days reaches subjects at all (someone whose
work opens no person, vehicle or incident has no work on the one they opened); off duty asks
how far a day's accesses outside the roster spread (a working day missing from the roster).
Rows written before these columns stay empty — unknown: taken as work, and the spread of the
findings alone, as before — until the day is detected again.
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
        migrations.AddField(
            model_name="dailyactivity",
            name="off_first",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="first access outside the roster"
            ),
        ),
        migrations.AddField(
            model_name="dailyactivity",
            name="off_last",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="last access outside the roster"
            ),
        ),
    ]
