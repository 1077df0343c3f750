"""Round 19: when a detection run was last worked on, so that runs take turns from planning on.

Empty on the runs already there: a run planned before the upgrade holds no later run up
(``detect --resume`` still finishes it). No default, so that code of the previous release
still running during the deploy can plan runs.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0028_scoped_join_agreed_range"),
    ]

    operations = [
        migrations.AddField(
            model_name="detectionrun",
            name="active_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last active"),
        ),
    ]
