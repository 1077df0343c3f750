"""The production-mode stack, started once for the whole suite (``make production``).

These tests are marked ``production`` and deselected from the ordinary pytest run
(``-m "not production"`` in pyproject); ``make production`` runs them with ``-m production``.
PostgreSQL (a throwaway cluster), Redis, gunicorn and the Celery worker are all the suite's
own: it needs no running service and touches none.
"""

from __future__ import annotations

import datetime
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.production.client import Browser
from tests.production.stack import Stack, running_stack, wait_for

# The demo logins the suite signs in as (seed_demo creates them; DEBUG off leaves them
# without a password, so the suite sets one and gives each a sheet of backup codes).
PEOPLE = ("analist", "teamchef", "onderzoeker", "hoofdvik", "privacy", "cor", "klachten")
CODES_PER_PERSON = 120

_ACCOUNTS_SCRIPT = """
import json, sys
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
spec = json.loads(__SPEC__)
for username, codes in spec["codes"].items():
    user = get_user_model().objects.get(username=username)
    user.set_password(spec["password"])
    user.save(update_fields=["password"])
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup codes")
    device.confirmed = True
    device.save()
    device.token_set.all().delete()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
"""


@dataclass
class Accounts:
    """Passwords and unused backup codes of the people the suite signs in as."""

    password: str
    codes: dict[str, list[str]]

    def browser(self, stack: Stack, username: str) -> Browser:
        browser = Browser(stack.base_url)
        browser.sign_in(username, self.password, self.codes[username].pop())
        return browser


def prepare_accounts(stack: Stack, people: tuple[str, ...], codes_per_person: int) -> Accounts:
    """A password and a sheet of one-time backup codes per person, set as the owner role."""
    accounts = Accounts(
        password=secrets.token_urlsafe(18),
        codes={
            name: [f"{secrets.randbelow(10**8):08d}" for _ in range(codes_per_person)]
            for name in people
        },
    )
    spec = json.dumps({"password": accounts.password, "codes": accounts.codes})
    stack.manage("shell", "-c", _ACCOUNTS_SCRIPT.replace("__SPEC__", repr(spec)), as_owner=True)
    return accounts


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Migrated, granted, collected, seeded, served (gunicorn) and worked (Celery)."""
    workdir: Path = tmp_path_factory.mktemp("production")
    with running_stack(workdir) as stack:
        stack.manage("seed_demo", as_owner=True, timeout=900)
        stack.start_web(workers=2)
        stack.start_worker(concurrency=2)
        yield stack


@pytest.fixture(scope="session")
def accounts(stack: Stack) -> Accounts:
    return prepare_accounts(stack, PEOPLE, CODES_PER_PERSON)


DAYS = 4


def period() -> tuple[datetime.date, datetime.date]:
    """Recent days, inside the production plausibility window of the importers."""
    end = datetime.datetime.now(tz=datetime.UTC).date() - datetime.timedelta(days=3)
    return end - datetime.timedelta(days=DAYS - 1), end


@pytest.fixture(scope="session")
def delivery(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated delivery for the demo organisation (reference files and events)."""
    directory = tmp_path_factory.mktemp("delivery")
    start, _end = period()
    stack.manage(
        "generate_monitoring_data",
        str(directory),
        "--use-existing",
        "--start",
        start.isoformat(),
        "--days",
        str(DAYS),
        "--events-scale",
        "0.3",
        timeout=600,
    )
    assert (directory / "events.csv").exists()
    return directory


def wait_for_run(stack: Stack, run_id: int, timeout: float = 300) -> None:
    def done() -> bool:
        rows = stack.database.query(
            "SELECT phase FROM monitoring_detectionrun WHERE id = %s", [run_id]
        )
        return bool(rows) and rows[0][0] == "done"

    wait_for(done, f"detection run {run_id} to finish", timeout=timeout, step=1)


def duplicate_signals(stack: Stack) -> list[tuple[object, ...]]:
    return stack.database.query(
        "SELECT employee_id, window_start, window_end, count(*) FROM monitoring_signal "
        "GROUP BY employee_id, window_start, window_end HAVING count(*) > 1"
    )
