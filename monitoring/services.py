"""Writes of Protective Monitoring. Keyword arguments and an ``acting_user`` throughout.

Commands, tasks and the administration screens call these, and nothing else, to change
monitoring data. Configuration changes are stamped with who made them and why
(:func:`vik.history.stamp`); imports and detection record their own runs
(:class:`~monitoring.models.ImportBatch`, :class:`~monitoring.models.DetectionRun`).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from monitoring.detection import runner
from monitoring.imports.access_log import AccessLogReport, ProgressCallback, import_access_log
from monitoring.imports.reference import import_reference
from monitoring.models import (
    AccessEvent,
    DailyActivity,
    DetectionRun,
    EventFinding,
    ImportBatch,
    IndicatorSetting,
    MonitoringParameter,
    PeerBaseline,
    RegionNeighbour,
    RetentionRun,
    RosterEntry,
    ScopeRule,
    SubjectBurst,
    UnexplainedAccess,
)
from monitoring.parameters import INDICATOR_DEFAULTS, PARAMETERS
from monitoring.partitions import drop_partition, is_partitioned, list_partitions
from monitoring.periods import AMSTERDAM
from vik.csvio import ImportReport
from vik.history import stamp

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser

DEFAULT_REASON = "Beginwaarde"


def _real(user: AnyUser | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


# --- configuration ----------------------------------------------------------------------


@transaction.atomic
def ensure_detection_settings(*, acting_user: AnyUser | None = None) -> int:
    """Add the parameters and indicators a newer release knows but the database lacks."""
    added = 0
    known = set(MonitoringParameter.objects.values_list("key", flat=True))
    for spec in PARAMETERS:
        if spec.key not in known:
            parameter = MonitoringParameter(key=spec.key, value=spec.initial)
            stamp(parameter, acting_user=acting_user, reason=DEFAULT_REASON).save()
            added += 1
    known = set(IndicatorSetting.objects.values_list("code", flat=True))
    for default in INDICATOR_DEFAULTS:
        if default.code not in known:
            setting = IndicatorSetting(code=default.code, weight=default.weight)
            stamp(setting, acting_user=acting_user, reason=DEFAULT_REASON).save()
            added += 1
    return added


@transaction.atomic
def save_parameter(
    *, parameter: MonitoringParameter, acting_user: AnyUser, reason: str
) -> MonitoringParameter:
    """Change a detection parameter within its allowed range (validated), with history."""
    parameter.full_clean()
    stamp(parameter, acting_user=acting_user, reason=reason).save()
    return parameter


@transaction.atomic
def save_indicator_setting(
    *, setting: IndicatorSetting, acting_user: AnyUser, reason: str
) -> IndicatorSetting:
    """Switch an indicator on or off, or change its weight, with history."""
    setting.full_clean()
    stamp(setting, acting_user=acting_user, reason=reason).save()
    return setting


@transaction.atomic
def save_scope_rule(*, rule: ScopeRule, acting_user: AnyUser, reason: str) -> ScopeRule:
    """Create or change a need-to-know rule (validated), with history."""
    if rule.pk is None and rule.created_by_id is None:
        rule.created_by = _real(acting_user)
    rule.full_clean()
    stamp(rule, acting_user=acting_user, reason=reason).save()
    return rule


@transaction.atomic
def delete_scope_rule(*, rule: ScopeRule, acting_user: AnyUser, reason: str) -> None:
    """Remove a need-to-know rule; the history keeps what it was."""
    stamp(rule, acting_user=acting_user, reason=reason).delete()


@transaction.atomic
def save_region_neighbour(
    *, pair: RegionNeighbour, acting_user: AnyUser, reason: str
) -> RegionNeighbour:
    """Record that two regions border each other, with history."""
    if pair.region == pair.neighbour:
        raise ValidationError("A region does not border itself.")
    if pair.region > pair.neighbour:
        pair.region, pair.neighbour = pair.neighbour, pair.region
    pair.full_clean()
    stamp(pair, acting_user=acting_user, reason=reason).save()
    return pair


@transaction.atomic
def delete_region_neighbour(*, pair: RegionNeighbour, acting_user: AnyUser, reason: str) -> None:
    """Forget that two regions border each other."""
    stamp(pair, acting_user=acting_user, reason=reason).delete()


# --- imports ----------------------------------------------------------------------------


def import_reference_data(
    *, directory: Path, acting_user: AnyUser | None
) -> tuple[ImportReport, ImportBatch]:
    """Upsert the reference files of a directory (see :mod:`monitoring.imports.reference`)."""
    if not directory.is_dir():
        raise ValidationError(f"{directory} is not a directory")
    return import_reference(directory=directory, acting_user=_real(acting_user))


def import_access_logs(
    *, paths: list[Path], acting_user: AnyUser | None, progress: ProgressCallback | None = None
) -> AccessLogReport:
    """Import access-event files (see :mod:`monitoring.imports.access_log`)."""
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise ValidationError(f"not a file: {', '.join(missing)}")
    return import_access_log(paths=paths, acting_user=acting_user, progress=progress)


# --- detection --------------------------------------------------------------------------


def start_detection(
    *,
    start: datetime.date,
    end: datetime.date,
    acting_user: AnyUser | None,
    inline: bool,
    processes: int = 1,
) -> DetectionRun:
    """Plan a detection run over [start, end]; compute it here, or hand it to the workers.

    With ``inline=False`` the first phase's chunks are queued as Celery tasks once the
    plan is committed; each worker that finishes a phase's last chunk queues the next.
    """
    ensure_detection_settings(acting_user=acting_user)
    run = runner.plan_run(start=start, end=end, acting_user=_real(acting_user))
    if inline:
        return runner.run_inline(run, processes=processes)
    from monitoring.tasks import detect_chunk

    ids = runner.chunk_ids(run, DetectionRun.Phase.ASSESS)
    transaction.on_commit(lambda: [detect_chunk.delay(chunk_id) for chunk_id in ids])
    return run


# --- retention --------------------------------------------------------------------------


@transaction.atomic
def purge_expired_monitoring_data(
    *, cutoff: datetime.datetime, acting_user: AnyUser | None = None
) -> RetentionRun:
    """Remove access events from before ``cutoff`` (a local midnight), and what was derived.

    The period is not decided here: it is the retention category
    ``monitoring.access_events`` of the transparency app (default six months, configurable
    by the administrator with history), whose nightly run checks legal holds and calls this
    (``monitoring.transparency.purge_access_events``). Whole day partitions are dropped
    (PostgreSQL); on SQLite old rows are deleted. The detection data of those days and
    roster entries that ended before the cutoff go too. Signals and their evidence stay:
    their retention is a category of its own. What was removed is written down in a
    :class:`RetentionRun`.
    """
    del acting_user  # the run is recorded whoever triggers it; beat has no user
    cutoff_day = cutoff.astimezone(AMSTERDAM).date()
    dropped: list[str] = []
    removed = 0
    if is_partitioned():
        for partition in list_partitions():
            if partition.day < cutoff_day:
                removed += drop_partition(partition)
                dropped.append(partition.name)
    else:
        removed, _ = AccessEvent.objects.filter(occurred_at__lt=cutoff).delete()
    derived: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model in (DailyActivity, UnexplainedAccess, EventFinding, SubjectBurst, PeerBaseline):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE day < %s",  # noqa: S608 - a model's table
                [cutoff_day],
            )
            derived[model._meta.model_name or model.__name__] = cursor.rowcount
    old_rosters = RosterEntry.objects.filter(end__lt=cutoff)
    derived["rosterentry"] = old_rosters.count()
    old_rosters.delete()
    derived["historicalrosterentry"] = RosterEntry.history.filter(end__lt=cutoff).delete()[0]
    return RetentionRun.objects.create(
        cutoff=cutoff,
        partitions=dropped,
        events_removed=removed,
        derived_removed=derived,
    )
