"""The shared typology of integrity violations: sources, recording, trends.

* :mod:`vik.models.typology` — the kinds (administrator-maintained, with history) and the
  abstract classification model each app makes concrete with a direct foreign key;
* :mod:`vik.typology.registry` — the *sources*: each app's ``<app>/typology.py`` declares
  which of its objects get kinds (investigations at triage and at outcome, complaints,
  screening outcomes, monitoring conversations, ...) and where their unit and date are;
* :mod:`vik.typology.services` — :func:`record_violation_kinds`, the one write;
* :mod:`vik.typology.selectors` — counts per unit, quarter and kind across every source,
  with "not yet classified" for what nobody classified (yet).
"""
