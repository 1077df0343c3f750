"""The detection settings as one immutable object, read from the database once per chunk."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from monitoring.indicators import IndicatorCode
from monitoring.models import IndicatorSetting, MonitoringParameter, RegionNeighbour
from monitoring.parameters import PARAMETER_SPECS


@dataclass(frozen=True)
class DetectionConfig:
    """Parameters, enabled indicators with their weights, and which regions border."""

    params: dict[str, Decimal]
    weights: dict[str, Decimal]
    neighbours: frozenset[tuple[str, str]]

    def number(self, key: str) -> float:
        return float(self.params[key])

    def integer(self, key: str) -> int:
        return int(self.params[key])

    def enabled(self, code: IndicatorCode | str) -> bool:
        return str(code) in self.weights

    def snapshot(self) -> dict[str, Any]:
        """JSON-able copy, stored with a run (which settings produced its signals)."""
        return {
            "params": {key: str(value) for key, value in sorted(self.params.items())},
            "weights": {code: str(weight) for code, weight in sorted(self.weights.items())},
            "neighbours": sorted([list(pair) for pair in self.neighbours]),
        }

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> DetectionConfig:
        return cls(
            params={key: Decimal(value) for key, value in data["params"].items()},
            weights={code: Decimal(value) for code, value in data["weights"].items()},
            neighbours=frozenset((a, b) for a, b in data["neighbours"]),
        )

    def is_far(self, home: str, other: str) -> bool:
        """Whether ``other`` is a region other than ``home`` and not bordering it."""
        if not home or not other or home == other:
            return False
        return (min(home, other), max(home, other)) not in self.neighbours


class MissingSettingError(RuntimeError):
    """A parameter has no row in the database (``ensure_detection_settings`` adds it)."""


def load_config() -> DetectionConfig:
    """Read the settings; every registered parameter must be present."""
    params = dict(MonitoringParameter.objects.values_list("key", "value"))
    missing = sorted(set(PARAMETER_SPECS) - set(params))
    if missing:
        raise MissingSettingError(f"detection parameters missing: {', '.join(missing)}")
    weights = {
        code: weight
        for code, weight, enabled in IndicatorSetting.objects.values_list(
            "code", "weight", "enabled"
        )
        if enabled
    }
    neighbours = frozenset(RegionNeighbour.objects.values_list("region", "neighbour"))
    return DetectionConfig(params=params, weights=weights, neighbours=neighbours)
