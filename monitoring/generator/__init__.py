"""Synthetic monitoring data with ground truth: ``generate_monitoring_data DIR``.

Writes a complete exchange-format delivery — reference files, an access log, and
``ground_truth.json`` saying which events are injected misuse (and of which kind), which
are deliberate confounders, and which are unlabelled "grey" behaviour. Used by the demo, the
tests and the quality and scale benchmarks. Nothing in it is real.

The organisation is either generated (``employees=N``, for benchmarks) or the one already
in the database (``use_existing=True``, for the demo).
"""

from monitoring.generator.core import GeneratorConfig, GroundTruth, generate

__all__ = ["GeneratorConfig", "GroundTruth", "generate"]
