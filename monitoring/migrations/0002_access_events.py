"""The access-event store: on PostgreSQL a table partitioned by day.

Django's migration state gets the ordinary model; the database gets, on PostgreSQL,
``PARTITION BY RANGE (occurred_at)`` with one partition per day (Europe/Amsterdam), created
by the import as days arrive (``monitoring.partitions``) and dropped whole by the retention
task. The only indexes are the primary key (``occurred_at``, ``event_id``) — needed for
uniqueness, cheap to maintain because logs arrive roughly in time order — and a small partial
index on flagged events (unknown employee, subject or incident), used to re-link them when
reference data arrives later. Why no other index: docs/performance.md.

On SQLite (the one-command demo) it is a plain table.
"""

import django.db.models.deletion
from django.db import migrations, models

CREATE_PARTITIONED = """
CREATE TABLE monitoring_accessevent (
    occurred_at timestamp with time zone NOT NULL,
    event_id text NOT NULL,
    employee_number text NOT NULL,
    employee_id bigint NULL,
    system text NOT NULL,
    action text NOT NULL,
    subject_ref text NOT NULL,
    incident_ref text NOT NULL,
    workstation text NOT NULL,
    flags smallint NOT NULL DEFAULT 0 CHECK (flags >= 0),
    batch_id bigint NULL,
    PRIMARY KEY (occurred_at, event_id)
) PARTITION BY RANGE (occurred_at)
"""
CREATE_FLAGGED_INDEX = """
CREATE INDEX monitoring_accessevent_flagged
    ON monitoring_accessevent (flags, employee_number)
    WHERE flags > 0
"""


def create_event_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_PARTITIONED)
        schema_editor.execute(CREATE_FLAGGED_INDEX)
    else:
        schema_editor.create_model(apps.get_model("monitoring", "AccessEvent"))


def drop_event_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Dropping the parent drops every partition with it.
        schema_editor.execute("DROP TABLE IF EXISTS monitoring_accessevent CASCADE")
    else:
        schema_editor.delete_model(apps.get_model("monitoring", "AccessEvent"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial"), ("vik", "0003_notifications")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AccessEvent",
                    fields=[
                        (
                            "pk",
                            models.CompositePrimaryKey(
                                "occurred_at",
                                "event_id",
                                blank=True,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("occurred_at", models.DateTimeField(verbose_name="when")),
                        ("event_id", models.TextField(verbose_name="event id")),
                        ("employee_number", models.TextField(verbose_name="employee (as logged)")),
                        ("system", models.TextField(blank=True, verbose_name="system")),
                        ("action", models.TextField(blank=True, verbose_name="action")),
                        ("subject_ref", models.TextField(blank=True, verbose_name="subject")),
                        ("incident_ref", models.TextField(blank=True, verbose_name="incident")),
                        ("workstation", models.TextField(blank=True, verbose_name="workstation")),
                        (
                            "flags",
                            models.PositiveSmallIntegerField(default=0, verbose_name="flags"),
                        ),
                        (
                            "employee",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                db_index=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="vik.employee",
                                verbose_name="employee",
                            ),
                        ),
                        (
                            "batch",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                db_index=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="monitoring.importbatch",
                                verbose_name="import",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "access event",
                        "verbose_name_plural": "access events",
                    },
                ),
            ],
            # The table itself is made below, once the state knows the model.
            database_operations=[],
        ),
        migrations.RunPython(create_event_table, drop_event_table),
    ]
