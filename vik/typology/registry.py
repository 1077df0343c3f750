"""Where kinds of violation are recorded: one *source* per kind of object and stage.

Each app may have a module ``<app>/typology.py`` with a list ``SOURCES`` of
:class:`ClassificationSource`. A source says which of the app's objects are classified at
one stage (investigations at triage, investigations at the outcome, complaints, screening
outcomes, monitoring conversations, advice questions), where each object's unit and date
are, and which concrete :class:`~vik.models.typology.ViolationClassification` model holds
its kinds. A source whose app has not wired its classification model yet (``classification
= None``) still counts its objects — all of them as "not yet classified" — so the trends
show what exists from the first day, and fill in as the apps record kinds.

The registry is read by :mod:`vik.typology.services` (to find the model for an object) and
:mod:`vik.typology.selectors` (to count across every source); nothing else imports the
apps' classification models.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from vik.models.typology import ClassificationStage, ViolationClassification

type Text = str | Promise


@dataclass(frozen=True)
class ClassificationSource:
    """One population of objects that get kinds of violation at one stage.

    * ``population`` returns every object that is (to be) classified at this stage — e.g.
      the investigations with an outcome — classified or not;
    * ``unit_field`` is the path from the object to the unit it counts for (its police
      unit, or a unit below it), e.g. ``"unit"`` or ``"employee__unit"``;
    * ``date_field`` is the path to the date (or date-time) in whose quarter it counts —
      the moment of the stage (triage, outcome, receipt), so a past quarter does not change;
    * ``classification`` is the concrete classification model as ``"app_label.Model"``, or
      ``None`` until the app records kinds (then every object counts as not classified);
    * ``for_works_council``: the source counts in the works council's figure of kinds (one
      stage per matter: investigations at the outcome, not also at triage).
    """

    key: str
    label: Text
    stage: ClassificationStage
    population: Callable[[], QuerySet[Any]]
    unit_field: str
    date_field: str
    classification: str | None = None
    for_works_council: bool = True
    order: int = 100

    @property
    def classification_model(self) -> type[ViolationClassification] | None:
        if self.classification is None:
            return None
        model = apps.get_model(self.classification)
        if not issubclass(model, ViolationClassification):
            raise ImproperlyConfigured(
                f"{self.key}: {self.classification} is not a ViolationClassification"
            )
        return model

    @property
    def subject_model(self) -> type[Model]:
        return self.population().model


def discover_sources() -> list[ClassificationSource]:
    """``<app>.typology.SOURCES`` of every installed app, in order."""
    found: list[ClassificationSource] = []
    for config in apps.get_app_configs():
        if config.name == "vik":
            continue  # ``vik.typology`` is this package
        name = f"{config.name}.typology"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise  # a sources module that exists but fails to import must fail loudly
            continue
        for source in getattr(module, "SOURCES", ()):
            if not isinstance(source, ClassificationSource):
                raise ImproperlyConfigured(f"{name}.SOURCES holds {source!r}")
            found.append(source)
    keys = [source.key for source in found]
    duplicates = {key for key in keys if keys.count(key) > 1}
    if duplicates:
        raise ImproperlyConfigured(f"two typology sources share the key(s) {sorted(duplicates)}")
    return sorted(found, key=lambda s: (s.order, s.key))


_override: list[list[ClassificationSource]] = []


@cache
def _discovered() -> tuple[ClassificationSource, ...]:
    return tuple(discover_sources())


def get_sources() -> list[ClassificationSource]:
    """Every classification source (discovered once per process)."""
    return list(_override[-1] if _override else _discovered())


def get_source(key: str) -> ClassificationSource:
    """The source with ``key``; ``KeyError`` when there is none."""
    return next(source for source in get_sources() if source.key == key)


def source_for(model: type[Model], stage: ClassificationStage) -> ClassificationSource:
    """The wired source that classifies objects of ``model`` at ``stage``."""
    for source in get_sources():
        if source.stage == stage and source.subject_model is model:
            if source.classification is None:
                raise ImproperlyConfigured(
                    f"{source.key} records no kinds yet: name its classification model"
                )
            return source
    raise ImproperlyConfigured(
        f"no typology source classifies {model._meta.label} at the stage {stage!r}"
    )


@contextmanager
def use_sources(*sources: ClassificationSource) -> Iterator[list[ClassificationSource]]:
    """Replace the discovered sources, for tests."""
    _override.append(list(sources))
    try:
        yield list(sources)
    finally:
        _override.pop()
