"""Planning a detection run, claiming its chunks, and moving it through its phases.

A run over a period is split into chunks up front:

* phase ``assess`` — one chunk per top-level unit and day;
* phase ``bursts`` — one chunk per day (bursts are seen across units);
* phase ``signals`` — one chunk per unit and signal window.

Any worker may take any pending chunk of the current phase. A chunk is claimed by locking
its row (``SELECT ... FOR UPDATE SKIP LOCKED``) for the transaction that computes it, so a
duplicated or redelivered task skips it or finds it done, and a worker that dies rolls back
and leaves it pending. Chunks are idempotent anyway: they replace their own rows. When the
last chunk of a phase finishes, the worker that finished it moves the run on — a
conditional UPDATE decides which worker, if two finish at once — and the next phase's
chunks are handed out. Every worker uses the settings snapshotted when the run was
planned, so a change of thresholds mid-run cannot make a run disagree with itself.

Runs take turns, oldest first (:func:`earlier_run_computing`): a chunk is only computed
while no earlier run is being worked on and no chunk of another run is computing, and
that is asked once per chunk, at its claim
(:func:`take_chunk`).
"""

from __future__ import annotations

import datetime
import enum
import gc
import logging
import multiprocessing
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import connection, connections, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from monitoring.detection import bursts as bursts_module
from monitoring.detection import context as context_module
from monitoring.detection import signals as signals_module
from monitoring.detection.assess import assess_units_day
from monitoring.detection.bursts import bursts_and_peers_for_day, span_days
from monitoring.detection.config import DetectionConfig, load_config
from monitoring.detection.context import EmployeeContext, load_employees
from monitoring.detection.scoped import refresh_scoped_looks
from monitoring.detection.signals import calibrate_window, night_floor, raise_signals
from monitoring.models import AccessEvent, DailyActivity, DetectionChunk, DetectionRun
from monitoring.periods import day_bounds, days, window_of, windows_overlapping
from vik.models import Employee

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

P = DetectionRun.Phase
S = DetectionChunk.Status
NEXT_PHASE = {P.ASSESS: P.BURSTS, P.BURSTS: P.SIGNALS, P.SIGNALS: P.DONE}


def plan_run(
    *,
    start: datetime.date,
    end: datetime.date,
    acting_user: User | None = None,
    dry_run: bool = False,
) -> DetectionRun:
    """Create a run and all its chunks; nothing is computed yet.

    A ``dry_run`` computes everything but creates no signal: its signals phase only counts
    what would be flagged, per function (:mod:`.calibration`).
    """
    if end < start:
        raise ValueError("the end of the period is before its start")
    config = load_config()
    window_days = config.integer("signal.window_days")
    # (``order_by()``: not the model's order by name — a sort of every employee for a set.)
    units = sorted(set(Employee.objects.order_by().values_list("unit_id", flat=True).distinct()))
    first, _ = day_bounds(start)
    _, last = day_bounds(end)
    # A burst's window reaches back over the days before a day, and a burst found later is
    # the same burst: re-judge the bursts of the days after the period that were assessed
    # already, and the signals of windows back to where a burst of the period may begin.
    reach = span_days(config)
    assessed = set(
        DailyActivity.objects.filter(
            day__gte=start - datetime.timedelta(days=reach),
            day__lte=end + datetime.timedelta(days=reach),
        )
        .exclude(day__gte=start, day__lte=end)
        .values_list("day", flat=True)
        .distinct()
    )
    burst_days = [*days(start, end), *sorted(d for d in assessed if d > end)]
    signal_from = min([start, *(d for d in assessed if d < start)])
    windows = windows_overlapping(signal_from, burst_days[-1], window_days)
    new_days = [] if dry_run else _only_new_days(start, end, burst_days, config)
    unattributed = AccessEvent.objects.filter(
        occurred_at__gte=first, occurred_at__lt=last, flags__gt=0, employee__isnull=True
    ).count()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Runs take turns by id (:func:`earlier_run_computing`). Planned at the same
            # moment, the later id could otherwise commit first and start computing before
            # the earlier run is visible to it: plans commit in the order of their ids.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PLAN_LOCK])
        now = timezone.now()
        run = DetectionRun.objects.create(
            period_start=start,
            period_end=end,
            created_at=now,
            active_at=now,  # holds later runs up from now (a worker takes a chunk soon)
            requested_by=acting_user if acting_user and acting_user.is_authenticated else None,
            stats={
                "window_days": window_days,
                "unattributed_events": unattributed,
                "settings": config.snapshot(),
                **({"dry_run": True} if dry_run else {}),
                **({"new_days": [day.isoformat() for day in new_days]} if new_days else {}),
            },
        )
        chunks = [
            DetectionChunk(run=run, phase=P.ASSESS, unit_id=unit, day=day)
            for unit in units
            for day in days(start, end)
        ]
        chunks += [DetectionChunk(run=run, phase=P.BURSTS, day=day) for day in burst_days]
        chunks += [
            DetectionChunk(run=run, phase=P.SIGNALS, unit_id=unit, window_start=window[0])
            for unit in units
            for window in windows
        ]
        chunks += [
            DetectionChunk(run=run, phase=P.SIGNALS, unit_id=unit, window_start=window_start)
            for unit, window_start in _volume_windows(start, end, windows, config)
        ]
        DetectionChunk.objects.bulk_create(chunks, batch_size=1000)
    return run


# Serialises planning (pg_advisory_xact_lock): arbitrary, fixed, used nowhere else.
PLAN_LOCK = 0x564B_4D4F_4E32  # "VKMON2"


def _only_new_days(
    start: datetime.date,
    end: datetime.date,
    burst_days: list[datetime.date],
    config: DetectionConfig,
) -> list[datetime.date]:
    """The period's days, if the run only adds days to what earlier runs judged; else [].

    Then the signals phase re-judges, per unit and window, only the employees whose inputs
    the new days change (:meth:`WindowDetector.changed_by_new_days`); everyone else's
    signals stand as the earlier runs left them — which is what a full rerun would give,
    as long as those runs judged the same data with the same settings. So the run adds
    only days never assessed (no chunk of an earlier run for them, and no day after them
    assessed: a day re-judged is a rerun), every earlier run finished (none failed half
    way or is still going), and the settings are those of the last finished run.
    Otherwise — a rerun, late rosters, changed thresholds — every employee is re-judged.
    """
    if burst_days[-1] != end:
        return []
    if DetectionChunk.objects.filter(phase=P.ASSESS, day__gte=start, day__lte=end).exists():
        return []
    real_runs = DetectionRun.objects.exclude(stats__has_key="dry_run")
    if real_runs.exclude(phase=P.DONE).exists():
        return []
    previous = real_runs.order_by("-created_at").values_list("stats", flat=True).first()
    if not previous or previous.get("settings") != config.snapshot():
        return []
    if previous.get("window_days") != config.integer("signal.window_days"):
        return []
    return list(days(start, end))


def _volume_windows(
    start: datetime.date,
    end: datetime.date,
    planned: list[tuple[datetime.date, datetime.date]],
    config: DetectionConfig,
) -> list[tuple[int, datetime.date]]:
    """Units and windows beyond ``planned`` whose volume judgement the period can change.

    A busy day is judged against the employee's days *around* it, ``volume.baseline_days``
    either way: the nightly run's new day can turn a busy day of an earlier window into a
    spike or out of one. Only units with an employee who has such a busy day (at least
    ``volume.min_events``) need that window again — on a whole force most units (11 of 12
    in the 6,000-employee benchmark) — and in a run that only adds days, the chunk then
    judges again only the employees whose spike the new day changes (usually none).
    """
    reach = datetime.timedelta(days=config.integer("volume.baseline_days"))
    window_days = config.integer("signal.window_days")
    done = {window[0] for window in planned}
    # (A busy night across midnight has half its accesses on one of its days — round 13 —
    # and belongs to the window of the day it began: the day before, too.)
    pairs = {
        (unit_id, window_of(moment, window_days)[0])
        for unit_id, day in DailyActivity.objects.filter(
            day__gte=start - reach,
            day__lte=end + reach,
            events__gte=night_floor(config.integer("volume.min_events")),
        )
        .values_list("employee__unit_id", "day")
        .distinct()
        for moment in (day, day - datetime.timedelta(days=1))
    }
    return sorted((unit, first) for unit, first in pairs if first not in done)


def chunk_ids(run: DetectionRun, phase: str) -> list[int]:
    """The unfinished chunks of a phase, in the order workers best take them."""
    # Assess chunks day by day, so one worker reads each day once for several units.
    order = ("day", "unit_id") if phase == P.ASSESS else ("unit_id", "day", "window_start")
    return list(
        DetectionChunk.objects.filter(run=run, phase=phase)
        .exclude(status=S.DONE)
        .order_by(*order)
        .values_list("id", flat=True)
    )


class Outcome(enum.Enum):
    """What :func:`take_chunk` did with a chunk."""

    COMPUTED = "computed"
    SKIPPED = "skipped"  # done already, or another worker holds it
    WAITS = "waits"  # an earlier run is being computed: left pending, to come back to


def run_chunk(chunk_id: int) -> bool:
    """:func:`take_chunk`, as yes or no: whether this call computed the chunk."""
    return take_chunk(chunk_id) is Outcome.COMPUTED


def take_chunk(chunk_id: int) -> Outcome:
    """Claim and compute a chunk in one transaction, if it is free and its run's turn.

    The claim is a row lock taken with ``SKIP LOCKED``: a second worker handed the same
    chunk skips it, and a worker that dies mid-chunk rolls back, leaving the chunk pending
    for the redelivered task. The chunk's own rows and its "done" mark commit together.

    An *assess* chunk takes along the other free chunks of the same day, up to
    ``BATCH_EMPLOYEES`` employees: the day's partition is then read once for all of them.
    Their own tasks find them done.

    This is where a run's turn is asked (:func:`earlier_run_computing`), once per chunk:
    a chunk of a run whose turn it is not is left pending (not failed), and ``WAITS`` tells
    the inline loop or the task to come back to it.
    """
    started = time.perf_counter()
    # Before the chunk's transaction, not in it: other runs must see this one at work while
    # the chunk computes, not once it is committed (a long first chunk, round 19).
    _claiming(chunk_id)
    try:
        with _few_collections(), transaction.atomic():
            chunk = (
                DetectionChunk.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("run")
                .filter(pk=chunk_id)
                .exclude(status=S.DONE)
                .first()
            )
            if chunk is None:
                return Outcome.SKIPPED
            if connection.vendor == "postgresql":
                # Derived, re-computable rows: not worth a disk flush per chunk. After a
                # crash the chunk is simply pending again. The run's lock is held until the
                # chunk commits or its worker's connection ends: a chunk computing longer
                # than ``STALE_AFTER`` still holds later runs up (round 21). Taken before
                # the turn is asked: of two runs claiming at once, each sees the other.
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SET LOCAL synchronous_commit TO OFF; "
                        "SELECT pg_advisory_xact_lock_shared(%s, %s)",
                        [RUN_LOCK, _lock_key(chunk.run_id)],
                    )
            if earlier_run_computing(chunk.run, claiming=True) is not None:
                return Outcome.WAITS
            run = chunk.run
            _use_run(run)
            config = config_of(run)
            if chunk.phase == P.ASSESS and chunk.unit_id is not None and chunk.day is not None:
                batch = [chunk, *_companions(chunk)]
                results = assess_units_day(
                    units=_unit_contexts(
                        run, [c.unit_id for c in batch if c.unit_id], config, day=chunk.day
                    ),
                    day=chunk.day,
                    config=config,
                )
                seconds = round(time.perf_counter() - started, 3)
                for member in batch:
                    stats: dict[str, Any] = dict(results.get(member.unit_id or 0, {}))
                    stats["seconds"] = round(seconds / len(batch), 3)
                    stats["batch"] = len(batch)
                    _mark_done(member, stats)
                # One UPDATE for the whole batch instead of one per chunk.
                DetectionChunk.objects.bulk_update(batch, _DONE_FIELDS)
            elif chunk.phase == P.SIGNALS and not run.stats.get("dry_run"):
                # A night's chunks of a window together (they judge a few employees each);
                # a full run's up to ``BATCH_EMPLOYEES`` (a busy day's first events are then
                # read once for all their spikes: the day partition has no index by
                # employee, and a read per unit grew with the force squared).
                budget = None if _rejudges_few(run) else _budget(chunk)
                batch = [chunk, *_window_companions(chunk, budget=budget)]
                result = _raise(run, config, batch)
                result["seconds"] = round(time.perf_counter() - started, 3)
                result["batch"] = len(batch)
                _mark_done(chunk, result)
                for member in batch[1:]:
                    _mark_done(member, {"seconds": 0, "batch": len(batch)})
                DetectionChunk.objects.bulk_update(batch, _DONE_FIELDS)
            else:
                result = _compute(chunk, run, config)
                result["seconds"] = round(time.perf_counter() - started, 3)
                _done(chunk, result)
    except Exception as error:
        DetectionChunk.objects.filter(pk=chunk_id).update(
            status=S.FAILED,
            attempts=F("attempts") + 1,
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        logger.exception("detection chunk %s failed", chunk_id)
        raise
    return Outcome.COMPUTED


@contextmanager
def _few_collections() -> Iterator[None]:
    """Let the cyclic garbage collector run less often while a chunk is computed.

    A chunk allocates millions of tuples, lists and dicts — events, findings, contexts —
    that reference counting frees and that form no cycles; with Python's default threshold
    (a collection every 2,000 net allocations) the collector walked them again and again:
    11 % of a night's run. Cycles are still collected, only in larger steps.
    """
    with _GC.lock:
        if not _GC.depth:
            _GC.saved = gc.get_threshold()
            gc.set_threshold(max(_GC.saved[0], GC_ALLOCATIONS), *_GC.saved[1:])
        _GC.depth += 1
    try:
        yield
    finally:
        with _GC.lock:  # chunks in threads of one process: the last one out restores
            _GC.depth -= 1
            if not _GC.depth:
                gc.set_threshold(*_GC.saved)


# Net allocations between two collections of the youngest objects. Round 20: 50,000 left
# 35 collections in a fortnight's run at 6,000 (0.63 s of collecting, 20,000: 2.1 s); at
# 500,000 a chunk rarely collects at all — 0.19 s, the run's CPU 10.2 → 9.6 s, its peak
# 347 → 352 MiB (the garbage of a chunk is freed by reference counting, not the collector).
GC_ALLOCATIONS = 500_000


class _GC:
    lock = threading.Lock()
    depth = 0
    saved: tuple[int, ...] = ()


BATCH_EMPLOYEES = 8000  # employees per shared read of a day: bounds a worker's memory


def _budget(chunk: DetectionChunk) -> int:
    """Employees a batch led by ``chunk`` may still take along (``BATCH_EMPLOYEES``)."""
    return BATCH_EMPLOYEES - _unit_sizes().get(chunk.unit_id or 0, 0)


def _within(chunks: Iterable[DetectionChunk], budget: int | None) -> list[DetectionChunk]:
    """The chunks, in order, whose units fit in ``budget`` employees (None: all of them)."""
    if budget is None:
        return list(chunks)
    sizes = _unit_sizes()
    taken = []
    for other in chunks:
        size = sizes.get(other.unit_id or 0, 0)
        if size > budget:
            continue
        budget -= size
        taken.append(other)
    return taken


def _free_companions(
    chunk: DetectionChunk, budget: int | None, **same: object
) -> list[DetectionChunk]:
    """Other free chunks of the run's phase that share ``same`` with ``chunk``, locked for
    this worker, up to ``budget`` employees (None: all)."""
    return _within(
        DetectionChunk.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(run_id=chunk.run_id, phase=chunk.phase, **same)
        .exclude(status=S.DONE)
        .exclude(pk=chunk.pk)
        .order_by("unit_id"),
        budget,
    )


def _companions(chunk: DetectionChunk) -> list[DetectionChunk]:
    """Other free assess chunks of the same run and day, locked for this worker."""
    return _free_companions(chunk, _budget(chunk), day=chunk.day)


def _rejudges_few(run: DetectionRun) -> bool:
    """Whether the run's signal chunks judge only the few employees its new days concern.

    Then a window's chunks are taken together (:func:`_window_companions`): a night
    re-judges some dozens of employees spread over most units, and a chunk per unit paid
    its claim, its reads of the unit and its commit for one or two of them.
    """
    return bool(run.stats.get("new_days")) and not run.stats.get("dry_run")


def _window_companions(chunk: DetectionChunk, *, budget: int | None = None) -> list[DetectionChunk]:
    """Other free signal chunks of the same run and window, locked for this worker (up to
    ``budget`` employees; None: all)."""
    return _free_companions(chunk, budget, window_start=chunk.window_start)


def _unit_sizes() -> dict[int, int]:
    if _Current.sizes is None:
        _Current.sizes = dict(
            Employee.objects.values_list("unit_id")
            .annotate(n=Count("id"))
            .values_list("unit_id", "n")
        )
    return _Current.sizes


_DONE_FIELDS = ["status", "attempts", "finished_at", "stats", "error"]


# A run not worked on for this long — planned and never computed, a worker died — was
# abandoned: it holds nobody up. A run waiting its turn says so every WAIT_SECONDS (inline)
# or WAIT_FOR_EARLIER_RUN_SECONDS (its tasks); a chunk computing, however long, by its lock.
STALE_AFTER = datetime.timedelta(minutes=10)
WAIT_SECONDS = 5  # how often a waiting inline run looks again
# A run's sign of life is written at most this often: not a write of the run row per chunk.
ALIVE_EVERY = datetime.timedelta(seconds=30)


def earlier_run_computing(run: DetectionRun, *, claiming: bool = False) -> int | None:
    """The id of an earlier unfinished run still being worked on, or None.

    Runs over the same days replace each other's derived rows — the assessment's, the
    bursts', the scoped look-ups — and a signals chunk reads several of them in turn: while
    a second run re-assessed the days, the first one's signals phase read a day's rows,
    then found their ids gone (their evidence empty) or the scoped look-ups deleted, and
    withdrew live signals; the two fought over the same rows' locks (round 18: a rerun
    beside another withdrew 27 of 493 signals on the blind delivery at 6,000, development
    seed 8981). So runs are computed one after the other, oldest first: a chunk of a later
    run is not computed while an earlier unfinished run was active within ``STALE_AFTER``
    and has no failed chunk (an inline run stops at its first failure; ``detect --resume``
    takes it up again).

    Active means planned, a chunk of it claimed, or waiting its turn (``active_at``, see
    :func:`keep_alive`) — not only a chunk finished (round 19: two runs planned in the same
    second both computed, each finding no finished chunk of the other, and so did a run
    beside an earlier one whose first chunk was still computing) — or, on PostgreSQL, a
    chunk of it computing now (its worker holds the run's advisory lock until the chunk
    commits): a chunk longer than ``STALE_AFTER`` no longer makes its run look abandoned
    (round 21), and a worker that dies lets go of the lock with its connection. A run
    waiting its turn stays in the queue: when the run ahead finishes, the next in line
    computes, not every run that waited longer than ``STALE_AFTER``. Only earlier runs
    count, so the oldest run being worked on never waits for long: no two runs wait for
    each other.

    ``claiming`` (:func:`take_chunk`, its own run's lock taken): also the id of a *later*
    run a chunk of which is computing now. Else an earlier run taken up again (``detect
    --resume``, a stalled worker coming back) while a younger one computes would compute
    beside that younger run's chunk in progress (round 21); it waits for that chunk
    instead, and the younger run waits for it from its next claim (the earlier run is at
    work again). Locks of this connection do not count: one connection computes one chunk
    at a time, and a caller's own enclosing transaction — a test's — keeps the locks of
    chunks it has finished until it ends.

    One small statement, that normally finds nothing: the locks are read only for an
    earlier unfinished run whose sign of life is old, or when a later run is unfinished.
    """
    # A plain statement: asked for every chunk, the ORM's building of it cost 0.9 ms of CPU
    # each time (0.2 s of a fortnight's run at 6,000 employees).
    runs, chunks = DetectionRun._meta.db_table, DetectionChunk._meta.db_table
    active = "active_at >= %s"
    parameters: list[Any] = [run.pk, P.DONE, _moment(timezone.now() - STALE_AFTER)]
    postgresql = connection.vendor == "postgresql"
    # Run-lock entries of other connections in this database: (alias l).
    others_locks = (
        "l.locktype = 'advisory' AND l.classid = %s::oid AND l.objsubid = 2 AND l.granted "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        "AND l.pid <> pg_backend_pid()"
    )
    if postgresql:
        active = (
            f"({active} OR EXISTS (SELECT 1 FROM pg_locks AS l "  # noqa: S608 - fixed text
            f"WHERE {others_locks} AND l.objid = (r.id %% %s)::oid))"
        )
        parameters += [RUN_LOCK, _LOCK_KEYS]
    earlier = (
        f"SELECT id FROM {runs} AS r "  # noqa: S608 - our tables, fixed text
        f"WHERE id < %s AND finished_at IS NULL AND phase <> %s AND {active} "
        f"AND NOT EXISTS (SELECT 1 FROM {chunks} "
        "WHERE run_id = r.id AND status = %s) ORDER BY id LIMIT 1"
    )
    parameters.append(S.FAILED)
    if postgresql and claiming:
        # The later run's id is its lock key (ids below 2³¹). The locks are read only
        # when a later unfinished run exists (a one-time filter, checked first).
        earlier = (
            f"({earlier}) UNION ALL (SELECT l.objid::bigint FROM pg_locks AS l "  # noqa: S608
            f"WHERE EXISTS (SELECT 1 FROM {runs} "
            "WHERE id > %s AND finished_at IS NULL AND phase <> %s) "
            f"AND {others_locks} AND l.objid <> %s::oid LIMIT 1) LIMIT 1"
        )
        parameters += [run.pk, P.DONE, RUN_LOCK, _lock_key(run.pk)]
    with connection.cursor() as cursor:
        cursor.execute(earlier, parameters)
        row = cursor.fetchone()
    return row[0] if row else None


# Namespace of the per-run advisory locks a computing chunk holds (the first key of the
# two-key form): arbitrary, fixed, used nowhere else. "VKDR".
RUN_LOCK = 0x564B_4452
_LOCK_KEYS = 2**31  # the second key is an int4: a run's id modulo this


def _lock_key(run_id: int) -> int:
    """The run's second lock key (ids beyond 2³¹ share keys: at worst a run waits for one
    it need not wait for, never the other way round)."""
    return run_id % _LOCK_KEYS


def keep_alive(run_id: int) -> None:
    """Note that the run is being worked on: waiting its turn (:func:`run_inline`).

    Written outside the transaction of a chunk, so that other runs see it at once. At most
    every ``ALIVE_EVERY`` (a conditional UPDATE that usually changes nothing), and never on
    a finished run (a redelivered task of one).
    """
    _note_alive("= %s", run_id)


def _claiming(chunk_id: int) -> None:
    """:func:`keep_alive` for the run of a chunk about to be claimed (every chunk, so one
    plain statement: the ORM's building of the same UPDATE cost 0.55 ms of CPU each time,
    the statement itself a twentieth — 206 chunks in a fortnight's run at 6,000)."""
    chunks = DetectionChunk._meta.db_table
    _note_alive(f"= (SELECT run_id FROM {chunks} WHERE id = %s)", chunk_id)  # noqa: S608 - ours


def _note_alive(which: str, key: int) -> None:
    """Set ``active_at`` of the run ``id {which}`` names, unless finished or set lately."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {DetectionRun._meta.db_table} SET active_at = %s "  # noqa: S608 - our tables
            f"WHERE id {which} AND phase <> %s AND (active_at IS NULL OR active_at < %s)",
            [_moment(now), key, P.DONE, _moment(now - ALIVE_EVERY)],
        )


def _let_go(run_id: int) -> None:
    """The run is no longer worked on here (stopped by Ctrl-C, its process told to end, a
    chunk failed): later runs need not wait ``STALE_AFTER`` for it. A worker still at one
    of its chunks, or ``detect --resume``, marks it active again with its next claim."""
    DetectionRun.objects.filter(pk=run_id).exclude(phase=P.DONE).update(active_at=None)


def _moment(value: datetime.datetime) -> Any:
    """A moment as a plain statement's parameter, stored as the ORM stores it (on SQLite,
    the demo's database: naive UTC text, compared as text)."""
    return connection.ops.adapt_datetimefield_value(value)


def _mark_done(chunk: DetectionChunk, stats: dict[str, Any]) -> None:
    chunk.status = S.DONE
    chunk.attempts += 1
    chunk.finished_at = timezone.now()
    chunk.stats = stats
    chunk.error = ""


def _done(chunk: DetectionChunk, stats: dict[str, Any]) -> None:
    _mark_done(chunk, stats)
    chunk.save(update_fields=_DONE_FIELDS)


def config_of(run: DetectionRun) -> DetectionConfig:
    """The settings a run was planned with (snapshotted, so every worker agrees)."""
    cached = _Current.configs.get(run.pk)
    if cached is None:
        cached = DetectionConfig.from_snapshot(run.stats["settings"])
        _Current.configs = {run.pk: cached}
    return cached


def _compute(chunk: DetectionChunk, run: DetectionRun, config: DetectionConfig) -> dict[str, Any]:
    if chunk.phase == P.BURSTS and chunk.day is not None:
        return bursts_and_peers_for_day(day=chunk.day, config=config)
    if chunk.phase == P.SIGNALS and chunk.unit_id is not None and chunk.window_start is not None:
        window_days = int(run.stats.get("window_days", config.integer("signal.window_days")))
        last = chunk.window_start + datetime.timedelta(days=window_days - 1)
        if run.stats.get("dry_run"):
            return {
                "calibration": calibrate_window(
                    unit_id=chunk.unit_id, window=(chunk.window_start, last), config=config, run=run
                )
            }
        return _raise(run, config, [chunk])
    raise ValueError(f"malformed detection chunk {chunk.pk} ({chunk.phase})")


def _raise(
    run: DetectionRun, config: DetectionConfig, chunks: list[DetectionChunk]
) -> dict[str, Any]:
    """Phase 3 for signal chunks of one window: their units judged together."""
    window_days = int(run.stats.get("window_days", config.integer("signal.window_days")))
    first = chunks[0].window_start
    if first is None or any(c.unit_id is None or c.window_start != first for c in chunks):
        raise ValueError(f"malformed detection chunks {[c.pk for c in chunks]} (signals)")
    units = [c.unit_id for c in chunks if c.unit_id is not None]
    contexts: dict[int, EmployeeContext] = {}
    for unit_id in units:
        contexts.update(_CONTEXTS.get((run.pk, unit_id)) or {})
    return raise_signals(
        units=units,
        window=(first, first + datetime.timedelta(days=window_days - 1)),
        config=config,
        run=run,
        contexts=contexts or None,
        new_days=frozenset(
            datetime.date.fromisoformat(day) for day in run.stats.get("new_days", ())
        ),
    )


def advance(run_id: int) -> list[int]:
    """Move the run to its next phase if the current one is complete; the chunks to start.

    Exactly one caller moves the run (conditional update on the phase), and only that
    caller gets the next phase's chunk ids.
    """
    run = DetectionRun.objects.get(pk=run_id)
    if run.phase == P.DONE:
        return []
    if DetectionChunk.objects.filter(run=run, phase=run.phase).exclude(status=S.DONE).exists():
        return []
    following = NEXT_PHASE[P(run.phase)]
    if not DetectionRun.objects.filter(pk=run.pk, phase=run.phase).update(phase=following):
        return []
    if following == P.DONE:
        _finish(run)
        return []
    if following == P.SIGNALS:
        # Once per run, all bursts known: the scoped look-ups of their subjects (round 17),
        # before the night's concerned employees are named (they read them).
        found = refresh_scoped_looks(run, config_of(run))
        if found:
            run.stats = {**run.stats, **found}
            DetectionRun.objects.filter(pk=run.pk).update(stats=run.stats)
        if run.stats.get("new_days"):
            _settle_unconcerned(run)
    return chunk_ids(run, following)


def _settle_unconcerned(run: DetectionRun) -> None:
    """In a run that only adds days: mark done, in one UPDATE, the signal chunks of units
    none of whose employees the new days concern.

    Such a chunk would judge nobody and change nothing (``raise_signals`` re-judges only
    the employees :func:`signals.concerned_in_window` names); on a night that is most of
    them, each a claim, a read of the unit's staff and a commit.
    """
    config = config_of(run)
    window_days = int(run.stats.get("window_days", config.integer("signal.window_days")))
    new_days = frozenset(datetime.date.fromisoformat(day) for day in run.stats["new_days"])
    starts = set(
        DetectionChunk.objects.filter(run=run, phase=P.SIGNALS).values_list(
            "window_start", flat=True
        )
    )
    for first in sorted(day for day in starts if day is not None):
        last = first + datetime.timedelta(days=window_days - 1)
        concerned = signals_module.concerned_in_window(
            run=run, window=(first, last), config=config, new_days=new_days
        )
        units = set(
            Employee.objects.filter(id__in=context_module.many(concerned, "bigint"))
            .order_by()
            .values_list("unit_id", flat=True)
        )
        DetectionChunk.objects.filter(
            run=run, phase=P.SIGNALS, window_start=first, status=S.PENDING
        ).exclude(unit_id__in=units).update(
            status=S.DONE,
            attempts=F("attempts") + 1,
            finished_at=timezone.now(),
            stats={"rejudged": 0, "seconds": 0},
        )


def _finish(run: DetectionRun) -> None:
    totals: dict[str, Any] = dict(run.stats)
    seconds = 0.0
    for phase, stats in DetectionChunk.objects.filter(run=run).values_list("phase", "stats"):
        for key, value in (stats or {}).items():
            if key == "seconds":
                seconds += value
                totals[f"{phase}_seconds"] = round(totals.get(f"{phase}_seconds", 0) + value, 3)
            elif isinstance(value, int):
                totals[key] = totals.get(key, 0) + value
    totals["chunk_seconds"] = round(seconds, 3)
    DetectionRun.objects.filter(pk=run.pk).update(stats=totals, finished_at=timezone.now())


def run_inline(run: DetectionRun, *, processes: int = 1) -> DetectionRun:
    """Compute every chunk of a run here, phase by phase, in one or more processes.

    With ``processes > 1`` the chunks of each phase are shared by forked processes exactly
    as Celery workers share them (same claim, same idempotence): each starts on its own
    units, then helps with whatever is left.

    One run at a time over the derived rows (:func:`earlier_run_computing`): while an
    earlier run is being worked on, this one waits — and says so (:func:`keep_alive`), so
    that it keeps its place before runs planned after it.
    """
    # Taken up again (``detect --resume``): its failed chunks are retried below. Pending
    # again, they no longer mark the run as given up, and it holds later runs up like any
    # run being computed — else a later run would compute beside the resumed one.
    DetectionChunk.objects.filter(run=run, status=S.FAILED).update(status=S.PENDING)
    try:
        return _in_turn(run, processes)
    except BaseException:
        # Ctrl-C leaves no failed chunk: without this, later runs would wait for this one
        # until ``STALE_AFTER`` had passed (noticed in round 19).
        try:
            _let_go(run.pk)
        except Exception:  # the database itself gone: the run goes stale on its own
            logger.exception("detection run %s could not be let go", run.pk)
        raise


def _in_turn(run: DetectionRun, processes: int) -> DetectionRun:
    """:func:`run_inline`'s loop: the phases, each when it is the run's turn."""
    said_held = False  # the wait for chunks held elsewhere is logged once, not every second
    while True:
        run.refresh_from_db()
        if run.phase == P.DONE:
            return run
        # (Asked here once a pass, so that a waiting run neither forks nor tries each chunk;
        # each chunk's claim asks again — an older run may be taken up again meanwhile.)
        earlier = earlier_run_computing(run)
        if earlier is not None:
            keep_alive(run.pk)
            logger.info("detection run %s waits for run %s", run.pk, earlier)
            time.sleep(WAIT_SECONDS)
            continue
        ids = chunk_ids(run, run.phase)
        if processes > 1 and connection.vendor == "postgresql" and len(ids) > 1:
            _warm(run)
            _in_processes(ids, processes)
        else:
            _take_in_turn(ids)
        if not advance(run.pk):
            run.refresh_from_db()
            if run.phase != P.DONE and chunk_ids(run, run.phase):
                # Chunks of this phase are held by other workers, or it is not this run's
                # turn while a later run's chunk computes (a resumed run, round 21): wait.
                if not said_held:
                    logger.info(
                        "detection run %s waits for chunks held by other workers or runs",
                        run.pk,
                    )
                    said_held = True
                time.sleep(1)
                continue
        said_held = False


def _warm(run: DetectionRun) -> None:
    """Load what every process needs before forking: the children share it (copy on write)
    instead of each loading the same contexts and subjects again."""
    _use_run(run)
    config = config_of(run)
    sizes = _unit_sizes()
    if sum(sizes.values()) <= CONTEXT_EMPLOYEES:
        _unit_contexts(run, list(sizes), config)
    context_module.subjects_for(set())


def _in_processes(ids: list[int], processes: int) -> None:
    units = list(
        DetectionChunk.objects.filter(pk__in=ids)
        .order_by("unit_id", "day")
        .values_list("id", "unit_id")
    )
    buckets: list[list[int]] = [[] for _ in range(processes)]
    order = sorted({unit for _id, unit in units}, key=lambda u: (u is None, u))
    for chunk_id, unit in units:
        buckets[order.index(unit) % processes].append(chunk_id)
    plans = [bucket + [i for i in ids if i not in set(bucket)] for bucket in buckets]
    connections.close_all()  # a forked process must not share its parent's connection
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pool.map(_run_chunks, plans)


def _run_chunks(ids: list[int]) -> int:
    done = _take_in_turn(ids)
    connections.close_all()
    return done


def _take_in_turn(ids: list[int]) -> int:
    """Take the chunks in order until one waits for an earlier run; how many were computed.

    (The rest would wait too: :func:`run_inline` waits at the top of its loop.)
    """
    done = 0
    for chunk_id in ids:
        outcome = take_chunk(chunk_id)
        if outcome is Outcome.WAITS:
            break
        done += outcome is Outcome.COMPUTED
    return done


# --- a small per-process cache of unit contexts -----------------------------------------

_CONTEXTS: OrderedDict[tuple[int, int], dict[int, EmployeeContext]] = OrderedDict()
# Unit contexts kept per process, counted in employees: every unit of a force of this size
# stays loaded for the whole run (each is read once); a national force cycles through them.
CONTEXT_EMPLOYEES = 25_000


# From this many days a run loads the whole subject table at once (one day's events name
# about a quarter of the subjects: fetched by reference, a night's run is cheaper).
PRELOAD_SUBJECTS_DAYS = 3


class _Current:
    run_key: tuple[int, str] | None = None
    configs: dict[int, DetectionConfig] = {}  # a one-entry process cache
    sizes: dict[int, int] | None = None


def _use_run(run: DetectionRun) -> None:
    """Cached subjects and contexts are valid for one run; a new run starts clean.

    A run is known by its id *and* creation time: ids start again in a new database.
    """
    key = (run.pk, run.created_at.isoformat())
    if _Current.run_key != key:
        reset_caches()
        _Current.run_key = key
        context_module.preload_subjects(
            wanted=(run.period_end - run.period_start).days + 1 >= PRELOAD_SUBJECTS_DAYS
        )
        if _rejudges_few(run):
            context_module.use_stored_elsewhere(_assessed_before(run))


def _assessed_before(run: DetectionRun) -> set[datetime.date]:
    """The days before a run that only adds days whose assessment is complete: an assess
    chunk for the day and none unfinished (a dry run stopped half way leaves some)."""
    # The lookback of the run's days, and of the window's earlier days (the evidence of a
    # signal is explained again), is all a run asks for.
    config = config_of(run)
    reach = config.integer("practice.lookback_days") + config.integer("signal.window_days") + 1
    chunks = DetectionChunk.objects.order_by().filter(
        phase=P.ASSESS,
        day__gte=run.period_start - datetime.timedelta(days=reach),
        day__lt=run.period_start,
    )
    states = set(chunks.values_list("day", "status").distinct())
    unfinished = {day for day, status in states if status != DetectionChunk.Status.DONE}
    return {day for day, _status in states if day and day not in unfinished}


def reset_caches() -> None:
    """Forget everything cached for a run in this process (tests, benchmarks)."""
    _Current.run_key = None
    _Current.sizes = None
    _Current.configs = {}
    _CONTEXTS.clear()
    context_module.reset_caches()
    bursts_module.reset_caches()
    signals_module.reset_caches()


def _unit_contexts(
    run: DetectionRun,
    unit_ids: list[int],
    config: DetectionConfig,
    *,
    day: datetime.date | None = None,
) -> dict[int, dict[int, EmployeeContext]]:
    """The units' employee contexts for the whole run period (one load per unit per run).

    The units not loaded yet are loaded together: one set of queries for a batch of units
    instead of one per unit (a night's run loads every unit for one day, and the dozen
    queries per load were a tenth of it).

    In a run over one day, asked by that day's assessment (``day``), only the employees
    with an event that day are loaded (:func:`_active_on`): the assessment judges events
    and nobody else, and everyone else's context was built for nothing — a third or more
    of the staff on a night. Each context is built exactly as in a load of the whole unit
    (an employee's timeline reads the team's rosters whoever else is loaded), and a later
    reader that misses an employee (``WindowDetector._day_events``) loads them for the day,
    which in a one-day run is the run's period: the same context.
    """
    missing = [unit_id for unit_id in unit_ids if (run.pk, unit_id) not in _CONTEXTS]
    if missing:
        start, _ = day_bounds(run.period_start)
        _, end = day_bounds(run.period_end)
        employee_filter = Q(unit_id__in=missing)
        if day is not None and run.period_start == run.period_end == day:
            employee_filter &= Q(id__in=context_module.many(_active_on(day), "bigint"))
        loaded = load_employees(
            employee_filter=employee_filter, start=start, end=end, config=config
        )
        per_unit: dict[int, dict[int, EmployeeContext]] = {unit_id: {} for unit_id in missing}
        for employee_id, unit_id in (
            Employee.objects.filter(unit_id__in=missing).order_by("id").values_list("id", "unit_id")
        ):
            if employee_id in loaded:
                per_unit[unit_id][employee_id] = loaded[employee_id]
        for unit_id, contexts in per_unit.items():
            _CONTEXTS[(run.pk, unit_id)] = contexts
    result = {}
    for unit_id in unit_ids:
        _CONTEXTS.move_to_end((run.pk, unit_id))
        result[unit_id] = _CONTEXTS[(run.pk, unit_id)]
    # Evict the least recently used units beyond the budget, never those just asked for.
    while len(_CONTEXTS) > len(unit_ids) and (
        sum(len(c) for c in _CONTEXTS.values()) > CONTEXT_EMPLOYEES
    ):
        _CONTEXTS.popitem(last=False)
    return result


def _active_on(day: datetime.date) -> list[int]:
    """The employees with an event on ``day`` (Europe/Amsterdam): one read of its partition."""
    start, end = day_bounds(day)
    return list(
        AccessEvent.objects.filter(
            occurred_at__gte=start, occurred_at__lt=end, employee__isnull=False
        )
        .order_by()
        .values_list("employee_id", flat=True)
        .distinct()
    )
