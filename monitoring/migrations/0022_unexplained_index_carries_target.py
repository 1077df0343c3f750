"""The index of unexplained openings by employee and day carries the target (round 14).

The nightly run works out whom a new day's openings can make a repeated-access case: every
opening of those employees over the 56-day lookback, for the things they opened that day.
With the target in the index PostgreSQL answers that from the index alone (an index-only
scan) instead of visiting a heap page per opening — the openings of one employee lie on as
many pages as days. Only the detection's assess phase writes this table; the import of the
access log does not touch it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0021_national_scope_by_scope_rule"),
        ("vik", "0009_access_log_hash_chain"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="unexplainedaccess",
            name="unexplained_employee_day_idx",
        ),
        migrations.AddIndex(
            model_name="unexplainedaccess",
            index=models.Index(
                fields=["employee", "day"],
                include=("target",),
                name="unexplained_employee_day_idx",
            ),
        ),
    ]
