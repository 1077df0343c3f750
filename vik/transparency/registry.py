"""The transparency provider protocol: how every app contributes what it holds.

Transparency is owed for all of VIK, but each app knows its own data. So each app may have a
module ``<app>/transparency.py`` with one attribute, ``PROVIDER``, a :class:`Provider`. The
registry finds them in every installed app (:func:`get_registry`) and this app does the rest:
small-cell suppression, the works council's dashboards, "Mijn gegevens", the export for a
data-access request, the annual logging report and the retention runs.

A provider contributes any of:

* **measures** (:class:`Measure`) — raw counts of one population of events per top-level
  unit, quarter and category. Providers count; they never suppress (this app does).
* **own data** (:attr:`Provider.own_data`) — what the app holds about one employee, as
  :class:`OwnDataSection` s, for the overview and for the export. The app decides what may
  be disclosed and when (signals once closed or escalated to a conversation; investigations
  once the written notification went out) and honours disclosure deferrals through
  :attr:`OwnDataRequest.deferrals`.
* **disclosure categories** (:class:`DisclosureCategory`) — the kinds of its data a
  commissioner may defer disclosing, and which access-log object types belong to each (so
  "who looked at my data" hides the same things).
* **closed matters** (:attr:`Provider.closed_matters`) — which of its objects are closed,
  so the names of those who looked at them may be shown to the employee.
* **retention categories** (:class:`RetentionCategory`) — key, label, default period,
  rationale and the function that purges what has expired.
* **threshold changes** (:attr:`Provider.threshold_changes`) — changes to detection
  settings in a period, for the annual logging report.
* **reveal reasons** (:attr:`Provider.reveal_reasons`) — the app's identity reveals in a
  period counted by the kind of reason recorded, for the annual logging report.

The shared core (app ``vik``) cannot have a ``vik/transparency.py``: that name is this app's
package. Its provider — the access log, the employee record — is built in
(:mod:`vik.transparency.core`). This app's own provider is ``vik/transparency/transparency.py``
by the ordinary rule. The full protocol, with examples, is in ``docs/privacy.md``.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from vik.models import Employee

type Text = str | Promise

# The shared core's provider, which cannot live at vik/transparency.py (this package).
BUILT_IN_PROVIDERS = ("vik.transparency.core",)


# --- Periods ----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, the unit of publication for aggregate figures."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"no quarter {self.number}")

    @classmethod
    def containing(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, key: str) -> Quarter:
        """From ``"2026-3"`` (the form used in URLs and CSV files)."""
        year, _sep, number = key.partition("-")
        return cls(int(year), int(number))

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def label(self) -> str:
        return _("Q%(number)s %(year)s") % {"number": self.number, "year": self.year}

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        """The first day after the quarter."""
        return self.next().start

    @property
    def start_at(self) -> datetime.datetime:
        """Midnight at the start, in the project's time zone (Europe/Amsterdam)."""
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def end_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.end, datetime.time.min))

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    @classmethod
    def of_year(cls, year: int) -> list[Quarter]:
        return [cls(year, number) for number in (1, 2, 3, 4)]


# --- Aggregate figures ------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    """One column of a measure's tables."""

    key: str
    label: Text


@dataclass(frozen=True)
class Count:
    """A raw count for one top-level unit (``None``: not tied to a unit) and category."""

    unit_id: int | None
    category: str
    value: int


@dataclass(frozen=True)
class Measure:
    """Counts of one population of events, by top-level unit, quarter and category.

    * ``population`` names what is counted. **Each event is counted by one measure only**,
      in exactly one category, in the quarter in which it happened: two breakdowns of the
      same events could be subtracted from each other and undo the suppression. The
      registry refuses two measures with one population.
    * ``count(quarter)`` returns the raw counts for that quarter (zeros may be left out).
      Count events by the date they happened, so that a past quarter does not change:
      figures are published once per completed quarter and then frozen.
    * ``unit_id`` is a top-level unit (``Employee.unit``); a lower unit is mapped to its
      top. A measure whose events need not belong to a unit names the extra row with
      ``unattributed``; otherwise a count without a unit is an error.
    """

    key: str
    population: str
    section: Text
    title: Text
    description: Text
    categories: Sequence[Category] | Callable[[], Sequence[Category]]
    count: Callable[[Quarter], Iterable[Count]]
    unattributed: Text | None = None
    order: int = 100

    def category_list(self) -> list[Category]:
        return list(self.categories() if callable(self.categories) else self.categories)


# --- Own data and disclosure ------------------------------------------------------------


class ObjectRef(NamedTuple):
    """An object as the access log names it: ``("monitoring.signal", "17")``."""

    object_type: str
    object_id: str


class Audience(StrEnum):
    """Who the own data is put together for."""

    OVERVIEW = "overview"  # the employee's own page, "Mijn gegevens"
    ACCESS_REQUEST = "access_request"  # the export for a GDPR art. 15 request


@dataclass(frozen=True)
class DisclosureCategory:
    """A kind of data whose disclosure to the employee a commissioner may defer.

    ``object_types`` are the access-log object types that belong to it: while disclosure of
    the category (or of one object in it) is deferred, "who looked at my data" hides those
    entries too.
    """

    key: str
    label: Text
    description: Text = ""
    object_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeferralSet:
    """The disclosure deferrals in force for one employee, as providers consult them."""

    categories: frozenset[str] = frozenset()
    objects: frozenset[tuple[str, ObjectRef]] = frozenset()

    def covers(self, category: str, object_ref: ObjectRef | None = None) -> bool:
        """Whether disclosure of ``category`` (or of ``object_ref`` in it) is deferred."""
        if category in self.categories:
            return True
        return object_ref is not None and (category, object_ref) in self.objects


@dataclass(frozen=True)
class OwnDataField:
    """One fact in an item. ``key`` is stable (the JSON export uses it)."""

    key: str
    label: Text
    value: str | int | datetime.date | datetime.datetime | None


@dataclass(frozen=True)
class OwnDataItem:
    """One record about the employee: a signal, an investigation, a screening, ..."""

    title: Text
    fields: tuple[OwnDataField, ...] = ()
    date: datetime.date | datetime.datetime | None = None
    object_ref: ObjectRef | None = None


NOTHING_HELD = _("VIK holds nothing of this kind about you.")


@dataclass(frozen=True)
class OwnDataSection:
    """What one app holds about the employee in one category, with why and for how long."""

    key: str
    category: str  # a DisclosureCategory key
    title: Text
    description: Text
    items: tuple[OwnDataItem, ...] = ()
    empty_text: Text = NOTHING_HELD
    order: int = 100


@dataclass(frozen=True)
class OwnDataRequest:
    """What a provider's ``own_data`` is asked for."""

    employee: Employee
    audience: Audience
    deferrals: DeferralSet


# --- Retention ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeRequest:
    """What a purge function is asked to do: remove what is older than ``cutoff``.

    ``cutoff_at`` is midnight at the start of ``cutoff`` in the project's time zone; records
    dated before it have expired. Records about the employees in ``held_employee_ids`` are
    under a legal hold and must be kept. The function runs inside the transaction that
    also writes the purge record, and returns how many records it removed — or, when a
    database retention function wrote the purge record itself (the append-only tables:
    ``vik.integrity``), that record (``None``: nothing was removed). ``run_by_id`` is the
    user who started the run, for such a record.
    """

    category: str
    cutoff: datetime.date
    held_employee_ids: frozenset[int] = frozenset()
    run_by_id: int | None = None

    @property
    def cutoff_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.cutoff, datetime.time.min))


class PurgeRefusedError(Exception):
    """A purge function cannot honour the request (e.g. a legal hold it cannot exclude)."""


@dataclass(frozen=True)
class RetentionCategory:
    """A category of data with its own retention period.

    ``purge`` is ``None`` for a category whose app has not landed yet: the period is
    documented and configurable, and purging starts when the app registers the function.
    ``max_months`` caps what the administrator may set; ``follows`` names the category
    whose period this one shares (it has no period of its own to set).
    """

    key: str
    label: Text
    default_months: int
    rationale: Text
    purge: Callable[[PurgeRequest], Any] | None = None
    # The longest period the administrator may set (the union's conditions cap some
    # categories at six months: seed 003); see ``vik.transparency.retention``.
    max_months: int = 600
    # The key of another category whose period (and category-wide legal hold) this one
    # follows: data that must go when the data it rests on goes. Not set separately.
    follows: str = ""


# --- The annual logging report ----------------------------------------------------------


@dataclass(frozen=True)
class ThresholdChange:
    """A change to a detection setting, for the annual logging report."""

    changed_at: datetime.datetime
    changed_by: str  # the user's name; the works council's version shows the role only
    role: str
    setting: str
    old_value: str
    new_value: str
    reason: str = ""


@dataclass(frozen=True)
class ProtocolChangeRow:
    """A proposed material change to the protocol and its fate, for the annual report."""

    proposed_at: datetime.datetime
    proposed_by: str  # the user's name; the works council's version shows the role only
    role: str
    kind: str
    setting: str
    old_value: str
    new_value: str
    rationale: str
    status: str
    decided_on: datetime.date | None = None
    letter_reference: str = ""


# ``reveal_reasons(start, end)``: the provider's identity reveals from ``start`` up to ``end``
# (aware datetimes), counted by kind of reason — every kind, zeros included, in a fixed
# order (a kind that appears only when counted would itself be a figure). The reveals are
# those the access log records as ``reveal`` entries in the provider's own part of VIK (its
# ``app_label``), at the same moment, so the report can check the kinds against the log's
# count (see ``vik.transparency.reveal_reasons``).
type RevealReasons = Callable[
    [datetime.datetime, datetime.datetime], Sequence[tuple[Category, int]]
]


# --- Providers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    """Everything one app contributes; every part is optional."""

    app_label: str
    measures: Sequence[Measure] = ()
    disclosure_categories: Sequence[DisclosureCategory] = ()
    own_data: Callable[[OwnDataRequest], Iterable[OwnDataSection]] | None = None
    closed_matters: Callable[[Employee, Collection[ObjectRef]], Collection[ObjectRef]] | None = None
    retention: Sequence[RetentionCategory] = ()
    threshold_changes: (
        Callable[[datetime.datetime, datetime.datetime], Iterable[ThresholdChange]] | None
    ) = None
    reveal_reasons: RevealReasons | None = None
    # ``hold_store_counts(hold_ids)``: per legal hold, how many records the app copied aside
    # for it (monitoring's hold store of access events), for the privacy officer's page.
    hold_store_counts: Callable[[Collection[int]], Mapping[int, int]] | None = None
    # Every proposed protocol change open at some moment in [start, end), with its fate.
    protocol_changes: (
        Callable[[datetime.datetime, datetime.datetime], Iterable[ProtocolChangeRow]] | None
    ) = None


@dataclass(frozen=True)
class Registry:
    """All providers, checked for clashes, with the questions this app asks across them."""

    providers: tuple[Provider, ...]
    planned_retention: tuple[RetentionCategory, ...] = ()
    _measures: dict[str, Measure] = field(init=False, repr=False)
    _disclosure: dict[str, DisclosureCategory] = field(init=False, repr=False)
    _type_owner: dict[str, Provider] = field(init=False, repr=False)
    _retention: dict[str, RetentionCategory] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        measures: dict[str, Measure] = {}
        populations: dict[str, str] = {}
        disclosure: dict[str, DisclosureCategory] = {}
        type_owner: dict[str, Provider] = {}
        retention: dict[str, RetentionCategory] = {}
        for provider in self.providers:
            for measure in provider.measures:
                _unique(measures, measure.key, measure, "measure")
                if measure.population in populations:
                    raise ImproperlyConfigured(
                        f"measures {populations[measure.population]!r} and {measure.key!r} "
                        f"count the same population {measure.population!r}; one population, "
                        "one measure (two breakdowns could be subtracted)"
                    )
                populations[measure.population] = measure.key
            for category in provider.disclosure_categories:
                _unique(disclosure, category.key, category, "disclosure category")
                for object_type in category.object_types:
                    _unique(type_owner, object_type, provider, "access-log object type")
            for retention_category in provider.retention:
                _unique(retention, retention_category.key, retention_category, "retention category")
        # Planned categories stand in until the app that owns them registers its own.
        for planned in self.planned_retention:
            retention.setdefault(planned.key, planned)
        object.__setattr__(
            self, "_measures", dict(sorted(measures.items(), key=lambda kv: kv[1].order))
        )
        object.__setattr__(self, "_disclosure", disclosure)
        object.__setattr__(self, "_type_owner", type_owner)
        object.__setattr__(self, "_retention", retention)

    # Measures

    def measures(self) -> list[Measure]:
        return list(self._measures.values())

    def measure(self, key: str) -> Measure:
        """The measure with ``key``; ``KeyError`` when there is none."""
        return self._measures[key]

    # Disclosure

    def disclosure_categories(self) -> list[DisclosureCategory]:
        return list(self._disclosure.values())

    def disclosure_category(self, key: str) -> DisclosureCategory:
        return self._disclosure[key]

    def category_of_object_type(self, object_type: str) -> DisclosureCategory | None:
        return next((c for c in self._disclosure.values() if object_type in c.object_types), None)

    def own_data(self, request: OwnDataRequest) -> list[OwnDataSection]:
        sections = [
            section
            for provider in self.providers
            if provider.own_data is not None
            for section in provider.own_data(request)
        ]
        return sorted(sections, key=lambda s: s.order)

    def closed_matters(
        self, employee: Employee, refs: Collection[ObjectRef]
    ) -> tuple[set[ObjectRef], set[ObjectRef]]:
        """(closed, claimed): which refs their owning app calls closed, and which it owns.

        A ref whose object type no provider claims is not part of a matter; the caller
        decides what that means (see ``PrivacySettings``).
        """
        by_owner: dict[int, list[ObjectRef]] = {}
        owners: dict[int, Provider] = {}
        for ref in refs:
            owner = self._type_owner.get(ref.object_type)
            if owner is not None and owner.closed_matters is not None:
                by_owner.setdefault(id(owner), []).append(ref)
                owners[id(owner)] = owner
        closed: set[ObjectRef] = set()
        claimed: set[ObjectRef] = set()
        for key, owned in by_owner.items():
            claimed.update(owned)
            callback = owners[key].closed_matters
            assert callback is not None  # noqa: S101 - filtered above
            closed.update(ref for ref in callback(employee, owned) if ref in owned)
        return closed, claimed

    # Retention

    def retention_categories(self) -> list[RetentionCategory]:
        return sorted(self._retention.values(), key=lambda c: c.key)

    def retention_category(self, key: str) -> RetentionCategory:
        return self._retention[key]

    def hold_store_counts(self, hold_ids: Collection[int]) -> dict[int, int]:
        """Per legal hold, the records every app copied aside for it (zero when none)."""
        counts = dict.fromkeys(hold_ids, 0)
        for provider in self.providers:
            if provider.hold_store_counts is not None and hold_ids:
                for hold_id, count in provider.hold_store_counts(hold_ids).items():
                    counts[hold_id] = counts.get(hold_id, 0) + count
        return counts

    # The annual logging report

    def threshold_changes(
        self, start: datetime.datetime, end: datetime.datetime
    ) -> list[ThresholdChange]:
        changes = [
            change
            for provider in self.providers
            if provider.threshold_changes is not None
            for change in provider.threshold_changes(start, end)
        ]
        return sorted(changes, key=lambda c: c.changed_at)

    def protocol_changes(
        self, start: datetime.datetime, end: datetime.datetime
    ) -> list[ProtocolChangeRow]:
        changes = [
            change
            for provider in self.providers
            if provider.protocol_changes is not None
            for change in provider.protocol_changes(start, end)
        ]
        return sorted(changes, key=lambda c: c.proposed_at)

    @property
    def has_threshold_source(self) -> bool:
        return any(p.threshold_changes is not None for p in self.providers)

    def reveal_reason_providers(self) -> list[Provider]:
        """The providers that count their identity reveals by kind of reason."""
        return [p for p in self.providers if p.reveal_reasons is not None]


def _unique[T](registry: dict[str, T], key: str, value: T, what: str) -> None:
    if key in registry:
        raise ImproperlyConfigured(f"two providers register the {what} {key!r}")
    registry[key] = value


# --- Discovery ----------------------------------------------------------------------------


def discover_providers() -> list[Provider]:
    """The built-in providers, then ``<app>.transparency.PROVIDER`` of every installed app."""
    modules = list(BUILT_IN_PROVIDERS)
    for config in apps.get_app_configs():
        if config.name == "vik":
            continue  # ``vik.transparency`` is this app's package; see BUILT_IN_PROVIDERS
        modules.append(f"{config.name}.transparency")
    found: list[Provider] = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise  # a provider that exists but fails to import must fail loudly
            continue
        provider = getattr(module, "PROVIDER", None)
        if provider is None:
            continue
        if not isinstance(provider, Provider):
            raise ImproperlyConfigured(f"{name}.PROVIDER is not a Provider")
        found.append(provider)
    return found


_override: list[Registry] = []


@cache
def _discovered() -> Registry:
    from vik.transparency.retention import PLANNED_CATEGORIES

    return Registry(tuple(discover_providers()), PLANNED_CATEGORIES)


def get_registry() -> Registry:
    """The registry of all providers (discovered once per process)."""
    return _override[-1] if _override else _discovered()


def retention_category(key: str) -> RetentionCategory:
    """The retention category ``key``, from its own app's provider when that holds it.

    The importers ask for one category at the start of every import; discovering every
    provider imports every app's transparency module (about 0.13 s in a fresh process, a
    fifth of importing a night's access log). The full registry, with its clash checks,
    answers once it is built, and for every key its app's provider does not hold.
    """
    if not _override and not _discovered.cache_info().currsize:
        app = key.split(".", 1)[0]
        if app != "vik" and apps.is_installed(app):
            name = f"{app}.transparency"
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as error:
                if error.name != name:
                    raise  # as in discovery: a provider that fails to import fails loudly
                module = None
            provider = getattr(module, "PROVIDER", None)
            if isinstance(provider, Provider):
                for category in provider.retention:
                    if category.key == key:
                        return category
    return get_registry().retention_category(key)


@contextmanager
def use_providers(*providers: Provider, planned: bool = False) -> Iterator[Registry]:
    """Replace the discovered providers, for tests (small fake providers)."""
    from vik.transparency.retention import PLANNED_CATEGORIES

    registry = Registry(tuple(providers), PLANNED_CATEGORIES if planned else ())
    _override.append(registry)
    try:
        yield registry
    finally:
        _override.pop()
