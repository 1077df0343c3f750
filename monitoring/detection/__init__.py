"""Detection: from access events to explainable signals, in chunks any worker can take.

See docs/monitoring.md for the method. The modules, in the order a run uses them:

* :mod:`.config` — the thresholds and weights, read from the database;
* :mod:`.duty` — what the roster says about a moment (on duty, on call, leave, sick,
  off duty, unknown);
* :mod:`.context` — everything needed to judge an employee's accesses;
* :mod:`.assess` — phase 1, per unit and day: is each access explained, and which
  per-event indicators does it fire;
* :mod:`.bursts` — phase 2, per day across units: bursts and peer baselines;
* :mod:`.signals` — phase 3, per unit and window: indicators, score, signals, evidence;
* :mod:`.runner` — planning a run, claiming chunks, moving between phases.
"""
