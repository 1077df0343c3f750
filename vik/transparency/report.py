"""The annual logging report: the logging control the works council is shown each year.

Seed 003 asks that at the first consultative meeting of the year the logging control of the
past year is presented: who accessed which system when, and for what reason. This report
covers VIK itself: by role and function, which part of VIK was used how often and for what
purpose; identity reveals and their reasons by kind (:mod:`vik.transparency.reveal_reasons`);
changes to detection thresholds; the retention purges carried out; the checks of the access
log's hash chain; and every grant and revoke
of a role (who asked, who approved as the second person, why).

Two versions. The works council's is aggregate: it consists of the published (protected,
frozen) figures, and two tables for the whole year — looks by role × part of VIK, and by
function × part — protected *together with* the published quarters they add up to, so no
small figure anywhere can be worked out by combining them. It covers completed years; for the
running year it is an interim report of the completed quarters. The privacy officer's version
has the names, the same figures unprotected, and every identity reveal with its reason.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count as CountOf
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vik import names
from vik.models import (
    AccessAction,
    AccessLogChainCheck,
    AccessLogEntry,
    Employee,
    RoleAssignment,
    RoleGrantRequest,
)
from vik.pdf import layout_document, render_pdf
from vik.roles import Role
from vik.selectors import role_changes
from vik.transparency.core import part_categories, part_label, part_of, role_categories
from vik.transparency.dashboard import MeasurePage, measure_page
from vik.transparency.figures import Figure, protected_table, protected_totals
from vik.transparency.models import Publication, PurgeRecord
from vik.transparency.registry import Quarter, ThresholdChange, get_registry
from vik.transparency.reveal_reasons import report_tables as reveal_reason_tables
from vik.transparency.services import first_quarter_in_use, publish_due
from vik.transparency.suppression import (
    CellState,
    ProtectedTotals,
    ProtectionError,
    is_sensitive,
    year_network,
)

LOOKS_MEASURE = "vik.access_log_by_role"
ACCESS_BY_PART = "logging_report.access_by_part"
OTHER_FUNCTION = "other"


def available_years(*, today: datetime.date | None = None) -> list[int]:
    """The years VIK has been in use, latest first."""
    first = first_quarter_in_use()
    if first is None:
        return []
    today = today or timezone.localdate()
    return list(range(today.year, first.year - 1, -1))


@dataclass
class Report:
    """Which report: the year, and whether it is the privacy officer's detailed version."""

    year: int
    detailed: bool
    today: datetime.date = field(default_factory=timezone.localdate)

    @property
    def complete(self) -> bool:
        return self.year < self.today.year

    @property
    def start_at(self) -> datetime.datetime:
        return Quarter(self.year, 1).start_at

    @property
    def end_at(self) -> datetime.datetime:
        return Quarter(self.year, 4).end_at


@dataclass(frozen=True)
class CrossTable:
    """A printed table: row labels, column labels, figures, totals."""

    title: str
    row_header: str
    columns: list[str]
    rows: list[tuple[str, list[Figure], Figure]]
    totals: list[Figure]
    total: Figure


# --- Looks by role × part and function × part (the works council's version) -----------


def function_rows() -> list[tuple[str, str]]:
    """The functions of the users who hold a role in VIK now, then "other".

    Taken from the role assignments, not from the log: rows that appear only when someone
    looked would themselves say that someone did.
    """
    staff = RoleAssignment.objects.exclude(role=Role.EMPLOYEE).values("user_id")
    functions = (
        Employee.objects.filter(user_id__in=staff, function__isnull=False)
        .values_list("function__code", "function__name")
        .distinct()
        .order_by("function__name")
    )
    return [*functions, (OTHER_FUNCTION, _("Other or unknown function"))]


def _actor_functions() -> dict[int, str]:
    return dict(
        Employee.objects.filter(user__isnull=False, function__isnull=False).values_list(
            "user_id", "function__code"
        )
    )


def _looks_in(year: int) -> Any:
    """The year's entries that the looks-by-role measure counts (identity reveals are not)."""
    return AccessLogEntry.objects.filter(
        occurred_at__gte=Quarter(year, 1).start_at, occurred_at__lt=Quarter(year, 4).end_at
    ).exclude(action=AccessAction.REVEAL)


def _raw_access_by_part(year: int, functions: list[str]) -> tuple[Counter, Counter]:
    by_role: Counter[tuple[str, str]] = Counter()
    by_function: Counter[tuple[str, str]] = Counter()
    actor_functions = _actor_functions()
    known = set(functions)
    rows = (
        _looks_in(year)
        .order_by()
        .values_list("actor_role", "object_type", "actor_id")
        .annotate(n=CountOf("id"))
    )
    for role, object_type, actor_id, n in rows:
        part = part_of(object_type)
        by_role[(role, part)] += n
        function = actor_functions.get(actor_id, OTHER_FUNCTION)
        by_function[(function if function in known else OTHER_FUNCTION, part)] += n
    return by_role, by_function


def protect_access_by_part(year: int) -> dict[str, Any]:
    """Protect the two year tables together with the published looks-by-role figures.

    The role × part table's row totals are the year's totals per role of the published
    measure, and its column totals are the function × part table's column totals: the two
    tables and the four quarters form one network (see :mod:`vik.transparency.suppression`),
    protected as a whole with the published figures fixed.
    """
    quarters = list(
        Publication.objects.filter(key=LOOKS_MEASURE, year=year, quarter__gte=1).order_by("quarter")
    )
    year_publication = Publication.objects.filter(key=LOOKS_MEASURE, year=year, quarter=0).first()
    if len(quarters) < 4 or year_publication is None:
        return {"withheld": True}
    parts = [protected_table(q.payload) for q in quarters]
    roles = list(parts[0].table.cols)
    year_values = tuple(sum(p.table.col_totals[c] for p in parts) for c in range(len(roles)))
    if year_publication.payload.get("withheld"):
        w = CellState.WITHHELD
        year_states = ProtectedTotals(
            tuple(roles), year_values, (w,) * len(roles), sum(year_values), w
        )
    else:
        year_states = protected_totals(year_publication.payload)
    function_list = function_rows()
    functions = [key for key, _label in function_list]
    part_keys = [c.key for c in part_categories()]
    by_role, by_function = _raw_access_by_part(year, functions)
    # The quarters were counted when they were published; if the log changed since (a purge,
    # or a category that no longer exists), the tables would not add up to them.
    if any(
        sum(by_role[(role, part)] for part in part_keys) != year_values[i]
        for i, role in enumerate(roles)
    ) or {r for r, _p in by_role} - set(roles):
        return {"withheld": True}
    network = year_network(parts, year_states=year_states, col_head=lambda role: ("P", "R", role))
    part_totals = {part: sum(by_role[(role, part)] for role in roles) for part in part_keys}
    function_totals = {f: sum(by_function[(f, part)] for part in part_keys) for f in functions}
    for role in roles:
        for part in part_keys:
            network.add(
                ("P", role, part), ("P", "R", role), ("P", "J", part), by_role[(role, part)]
            )
    for part in part_keys:
        network.add(("PT", part), ("P", "J", part), ("F", "J", part), part_totals[part])
    for function in functions:
        for part in part_keys:
            network.add(
                ("F", function, part),
                ("F", "J", part),
                ("F", "U", function),
                by_function[(function, part)],
            )
        network.add(("FT", function), ("F", "U", function), ("Z",), function_totals[function])
    network.add(("year", "total"), ("Z",), ("S",), year_states.total, state=year_states.total_state)
    try:
        states = network.protect()
    except ProtectionError:
        return {"withheld": True}
    return {
        "roles": roles,
        "parts": part_keys,
        "functions": [list(f) for f in function_list],
        "by_role": [[by_role[(r, p)] for p in part_keys] for r in roles],
        "by_role_states": [[states[("P", r, p)] for p in part_keys] for r in roles],
        "role_totals": list(year_values),
        "role_total_states": list(year_states.col_states),
        "by_function": [[by_function[(f, p)] for p in part_keys] for f in functions],
        "by_function_states": [[states[("F", f, p)] for p in part_keys] for f in functions],
        "function_totals": [function_totals[f] for f in functions],
        "function_total_states": [states[("FT", f)] for f in functions],
        "part_totals": [part_totals[p] for p in part_keys],
        "part_total_states": [states[("PT", p)] for p in part_keys],
        "total": year_states.total,
        "total_state": year_states.total_state,
    }


def access_by_part(year: int) -> dict[str, Any]:
    """The frozen publication of the two year tables (protected on first use)."""
    existing = Publication.objects.filter(key=ACCESS_BY_PART, year=year, quarter=0).first()
    if existing is not None:
        return existing.payload
    payload = protect_access_by_part(year)
    publication, _created = Publication.objects.get_or_create(
        key=ACCESS_BY_PART, year=year, quarter=0, defaults={"payload": payload}
    )
    return publication.payload


def _figures(values: list[int], states: list[str]) -> list[Figure]:
    return [Figure.of(v, CellState(s)) for v, s in zip(values, states, strict=True)]


def protected_cross_tables(payload: dict[str, Any]) -> list[CrossTable]:
    parts = [part_label(p) for p in payload["parts"]]
    role_labels = {c.key: str(c.label) for c in role_categories()}
    part_totals = _figures(payload["part_totals"], payload["part_total_states"])
    total = Figure.of(payload["total"], CellState(payload["total_state"]))
    by_role = CrossTable(
        _("Looks by role and part of VIK"),
        _("Role"),
        parts,
        [
            (role_labels.get(role, role), _figures(values, states), Figure.of(t, CellState(ts)))
            for role, values, states, t, ts in zip(
                payload["roles"],
                payload["by_role"],
                payload["by_role_states"],
                payload["role_totals"],
                payload["role_total_states"],
                strict=True,
            )
        ],
        part_totals,
        total,
    )
    by_function = CrossTable(
        _("Looks by function and part of VIK"),
        _("Function"),
        parts,
        [
            (label, _figures(values, states), Figure.of(t, CellState(ts)))
            for (_key, label), values, states, t, ts in zip(
                payload["functions"],
                payload["by_function"],
                payload["by_function_states"],
                payload["function_totals"],
                payload["function_total_states"],
                strict=True,
            )
        ],
        part_totals,
        total,
    )
    return [by_role, by_function]


# --- The privacy officer's version ------------------------------------------------------


def _shown(value: int) -> Figure:
    return Figure(str(value), CellState.SHOWN, value)


def raw_cross_tables(year: int) -> list[CrossTable]:
    """The same two tables, unprotected (the privacy officer's version)."""
    function_list = function_rows()
    part_keys = [c.key for c in part_categories()]
    by_role, by_function = _raw_access_by_part(year, [k for k, _l in function_list])
    roles = [c for c in role_categories() if any(by_role[(c.key, p)] for p in part_keys)]

    def table(title: str, header: str, rows: list[tuple[str, str]], counts: Counter) -> CrossTable:
        body = [
            (
                label,
                [_shown(counts[(key, p)]) for p in part_keys],
                _shown(sum(counts[(key, p)] for p in part_keys)),
            )
            for key, label in rows
        ]
        return CrossTable(
            title,
            header,
            [part_label(p) for p in part_keys],
            body,
            [_shown(sum(counts[(k, p)] for k, _l in rows)) for p in part_keys],
            _shown(sum(counts.values())),
        )

    return [
        table(
            _("Looks by role and part of VIK"),
            _("Role"),
            [(c.key, str(c.label)) for c in roles],
            by_role,
        ),
        table(_("Looks by function and part of VIK"), _("Function"), function_list, by_function),
    ]


@dataclass(frozen=True)
class UserActivity:
    name: str
    username: str
    roles: str
    function: str
    by_action: dict[str, int]
    total: int
    parts: str
    purposes: list[tuple[str, int]]


def user_activity(report: Report) -> list[UserActivity]:
    """Per user: how often, what, where, and the purposes they recorded (most frequent)."""
    entries = AccessLogEntry.objects.filter(
        occurred_at__gte=report.start_at, occurred_at__lt=report.end_at
    ).order_by()
    actions: dict[tuple[int | None, str], Counter[str]] = defaultdict(Counter)
    parts: dict[tuple[int | None, str], set[str]] = defaultdict(set)
    for actor_id, username, action, object_type, n in entries.values_list(
        "actor_id", "actor_username", "action", "object_type"
    ).annotate(n=CountOf("id")):
        actions[(actor_id, username)][action] += n
        parts[(actor_id, username)].add(part_label(part_of(object_type)))
    purposes: dict[int | None, Counter[str]] = defaultdict(Counter)
    for actor_id, purpose, n in (
        entries.exclude(purpose="").values_list("actor_id", "purpose").annotate(n=CountOf("id"))
    ):
        # VIK's own purpose codes ("history", "name shown") in words (vik.names).
        purposes[actor_id][names.purpose(purpose).label] += n
    users = get_user_model().objects.in_bulk([a for a, _u in actions if a is not None])
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role in RoleAssignment.objects.filter(user_id__in=users).values_list(
        "user_id", "role"
    ):
        roles[user_id].add(str(Role(role).label))
    functions = dict(
        Employee.objects.filter(user_id__in=users).values_list("user_id", "function__name")
    )
    result = []
    for (actor_id, username), counted in actions.items():
        user = users.get(actor_id) if actor_id is not None else None
        result.append(
            UserActivity(
                name=(user.get_full_name() if user else "") or username or _("VIK (automatic)"),
                username=username,
                roles=", ".join(sorted(roles.get(actor_id or 0, set()))),
                function=functions.get(actor_id or 0) or "",
                by_action={a.value: counted.get(a.value, 0) for a in AccessAction},
                total=sum(counted.values()),
                parts=", ".join(sorted(parts[(actor_id, username)])),
                purposes=purposes[actor_id].most_common(3),
            )
        )
    return sorted(result, key=lambda a: (-a.total, a.name))


def reveals(report: Report) -> list[AccessLogEntry]:
    return list(
        AccessLogEntry.objects.filter(
            occurred_at__gte=report.start_at,
            occurred_at__lt=report.end_at,
            action=AccessAction.REVEAL,
        )
        .select_related("actor")
        .order_by("occurred_at")
    )


# --- Role grants and revokes ----------------------------------------------------------------


@dataclass(frozen=True)
class RoleChange:
    """One grant or revoke of a role, as the privacy officer's version prints it."""

    when: datetime.datetime
    granted: bool
    account: str
    role: str
    unit: str
    requested_by: str
    approved_by: str
    done_by: str
    reason: str


def _username(user: Any) -> str:
    return user.get_username() if user is not None else ""


def role_changes_in(report: Report) -> list[RoleChange]:
    """Every grant and revoke of the year (the employee role aside), from the history trail.

    Read from the history rather than from the assignments, so that a grant made outside the
    services (an ORM write in a shell) is listed too; a revoked grant is still there.
    """
    records = role_changes().filter(
        history_date__gte=report.start_at, history_date__lt=report.end_at
    )
    return [
        RoleChange(
            when=record.history_date,
            granted=record.history_type == "+",
            account=_username(_or_none(record, "user")),
            role=str(Role(record.role).label),
            unit=str(_or_none(record, "unit") or ""),
            requested_by=_username(_or_none(record, "granted_by")),
            approved_by=_username(_or_none(record, "approved_by")),
            done_by=_username(record.history_user) or _("VIK (system)"),
            reason=record.history_change_reason or "",
        )
        for record in records.order_by("history_date", "history_id")
    ]


def _or_none(record: Any, name: str) -> Any:
    """A related object of a history row, or None when it has been removed since."""
    try:
        return getattr(record, name)
    except ObjectDoesNotExist:
        return None


def role_change_summary(changes: list[RoleChange]) -> list[tuple[str, Figure, Figure]]:
    """Per role: how many grants and revokes (1 to 4 hidden as "×", no names)."""
    grants: Counter[str] = Counter(c.role for c in changes if c.granted)
    revokes: Counter[str] = Counter(c.role for c in changes if not c.granted)
    roles = [str(role.label) for role in Role if str(role.label) in grants | revokes]
    return [
        (
            role,
            Figure.of(grants[role], _state(grants[role])),
            Figure.of(revokes[role], _state(revokes[role])),
        )
        for role in roles
    ]


def refused_role_requests(report: Report) -> int:
    """Role requests the second person refused in the year."""
    return RoleGrantRequest.objects.filter(
        status=RoleGrantRequest.Status.REFUSED,
        decided_at__gte=report.start_at,
        decided_at__lt=report.end_at,
    ).count()


# --- Both versions ------------------------------------------------------------------------


def purges(report: Report) -> list[PurgeRecord]:
    return list(
        PurgeRecord.objects.filter(ran_at__gte=report.start_at, ran_at__lt=report.end_at)
        .select_related("run_by")
        .order_by("ran_at")
    )


def purge_summary(records: list[PurgeRecord]) -> list[tuple[str, int, Figure]]:
    """Per category: how many runs removed data, and how much (1 to 4 hidden as "×")."""
    registry = get_registry()
    labels = {c.key: str(c.label) for c in registry.retention_categories()}
    runs: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    for record in records:
        if record.outcome == PurgeRecord.Outcome.PURGED:
            runs[record.category] += 1
            removed[record.category] += record.purged
    return [
        (labels.get(key, key), runs[key], Figure.of(removed[key], _state(removed[key])))
        for key in sorted(runs)
    ]


def chain_checks(report: Report) -> dict[str, Any]:
    """The nightly checks of the access log's hash chain in the report's year."""
    checks = AccessLogChainCheck.objects.filter(
        checked_at__gte=report.start_at, checked_at__lt=report.end_at
    )
    failures = list(checks.filter(ok=False).order_by("checked_at"))
    return {
        "checks": checks.count(),
        "intact": checks.filter(ok=True).count(),
        "broken": len(failures),
        "failures": failures,
        "last": checks.order_by("-checked_at", "-id").first(),
    }


def _state(value: int) -> CellState:
    """A figure printed on its own (no totals link it to others): hidden when 1 to 4."""
    return CellState.SMALL if is_sensitive(value) else CellState.SHOWN


def report_context(report: Report) -> dict[str, Any]:
    """Everything the report template shows. Publishes completed quarters first (idempotent)."""
    publish_due(today=report.today)
    registry = get_registry()
    publications = Publication.objects.filter(year=report.year)
    pages: list[MeasurePage] = [
        measure_page(measure, publications) for measure in registry.measures()
    ]
    changes: list[ThresholdChange] = registry.threshold_changes(report.start_at, report.end_at)
    records = purges(report)
    grants_and_revokes = role_changes_in(report)
    context: dict[str, Any] = {
        "report": report,
        "pages": pages,
        "changes": changes,
        "has_threshold_source": registry.has_threshold_source,
        "protocol_changes": registry.protocol_changes(report.start_at, report.end_at),
        "reveal_reason_tables": reveal_reason_tables(report.year, detailed=report.detailed),
        "has_reveal_reason_source": bool(registry.reveal_reason_providers()),
        "purge_summary": purge_summary(records),
        "role_change_summary": role_change_summary(grants_and_revokes),
        "role_requests_refused": refused_role_requests(report),
        "chain": chain_checks(report),
        "generated_at": timezone.now(),
        "document_title": _("Annual logging report %(year)s") % {"year": report.year},
        "document_reference": _("Logging control %(year)s") % {"year": report.year},
        "classification": _("Police — confidential")
        if report.detailed
        else _("For the works council"),
    }
    if report.detailed:
        context.update(
            cross_tables=raw_cross_tables(report.year),
            users=user_activity(report),
            reveals=[(entry, part_label(part_of(entry.object_type))) for entry in reveals(report)],
            purges=records,
            role_changes=grants_and_revokes,
        )
    elif report.complete and LOOKS_MEASURE in {m.key for m in registry.measures()}:
        payload = access_by_part(report.year)
        context["cross_tables"] = [] if payload.get("withheld") else protected_cross_tables(payload)
        context["cross_withheld"] = bool(payload.get("withheld"))
    return context


def render_report(report: Report) -> bytes:
    """The report as PDF, in Dutch whoever asks (the caller logs the detailed version)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            template_name="transparency/pdf/logging_report.html", context=report_context(report)
        )


def render_report_in_steps(
    report: Report, *, progress: Callable[[int, str], None]
) -> tuple[bytes, int]:
    """The report as PDF and its page count, telling ``progress`` how far it got.

    For the background rendering (``render_logging_report_job``): the figures are gathered,
    the pages laid out, then the PDF written — the three steps the page shows.
    """
    with translation.override(settings.LANGUAGE_CODE):
        progress(5, "Cijfers verzamelen")
        context = report_context(report)
        progress(40, "Pagina's opmaken")
        document = layout_document(
            template_name="transparency/pdf/logging_report.html", context=context
        )
        progress(85, "PDF schrijven")
        pdf = document.write_pdf()
        assert pdf is not None  # noqa: S101 - write_pdf without a target returns bytes
        return pdf, len(document.pages)
