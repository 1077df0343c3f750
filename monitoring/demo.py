"""Demo data for Protective Monitoring: two weeks of generated logs for the demo organisation.

``manage.py seed_demo`` calls :func:`seed` after the core has built the organisation. The
generator uses that organisation as it is (``use_existing``), writes a delivery, and the
real importers and detection run on it — so a newcomer sees a realistic queue: signals for
every indicator, a burst, and confounders that did *not* become signals. The demo's plain
employee ("medewerker") is among those signalled, so the review journey has someone to
follow from analyst to team chief to employee. Nothing here is real.
"""

from __future__ import annotations

import datetime
import random
import tempfile
from pathlib import Path
from typing import TextIO

from monitoring import services
from monitoring.generator import GeneratorConfig, generate
from monitoring.models import AccessEvent
from vik.demo import DEMO_LOGINS

DEMO_PREFIX = "DEMO-"
DEMO_START = datetime.date(2026, 10, 19)  # a signal window, with the change to winter time
DEMO_DAYS = 14
# The demo login "medewerker" (see vik/demo.py): the employee whose signal the demo follows.
DEMO_FOCUS = ("900008",)


def seed(*, stdout: TextIO, rng: random.Random) -> None:
    """Generate, import and detect (idempotent: a second run finds the events and stops)."""
    if AccessEvent.objects.filter(event_id__startswith=DEMO_PREFIX).exists():
        stdout.write("monitoring: demo data already present\n")
        return
    logins = tuple(f"9000{index:02d}" for index in range(len(DEMO_LOGINS)))
    config = GeneratorConfig(
        seed=rng.randrange(1, 2**31),
        start=DEMO_START,
        days=DEMO_DAYS,
        events_scale=0.5,
        misuse_per_scenario=2,
        use_existing=True,
        focus=DEMO_FOCUS,
        exclude=tuple(number for number in logins if number not in DEMO_FOCUS),
        event_prefix=DEMO_PREFIX,
    )
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        truth = generate(config, directory)
        reference, _batch = services.import_reference_data(directory=directory, acting_user=None)
        events = services.import_access_logs(paths=[directory / "events.csv"], acting_user=None)
    run = services.start_detection(
        start=DEMO_START,
        end=DEMO_START + datetime.timedelta(days=DEMO_DAYS - 1),
        acting_user=None,
        inline=True,
    )
    stdout.write(
        f"monitoring: reference {reference.summary()}; events {events.summary()}; "
        f"{len(truth.misuse)} injected misuse; signals created={run.stats.get('created', 0)}\n"
    )
