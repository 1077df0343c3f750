"""The short load test: ten people for thirty seconds, and not one failed request.

The full one (50 people, 5 minutes, p95 per page kind) is a benchmark:
``python -m benchmarks.load_test`` (docs/performance.md). Timing is not asserted here: the
machine running the tests may be busy with anything.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.load_test import PEOPLE, report, run_locust, write_accounts
from tests.production.conftest import Accounts
from tests.production.stack import Stack

pytestmark = [pytest.mark.production]

USERS = 10


def test_ten_people_for_thirty_seconds_without_an_error(
    stack: Stack, accounts: Accounts, tmp_path: Path
) -> None:
    codes = {name: [accounts.codes[name].pop() for _ in range(USERS)] for name in PEOPLE}
    rows = run_locust(
        host=stack.base_url,
        accounts=write_accounts(tmp_path / "accounts.json", accounts.password, codes),
        users=USERS,
        spawn_rate=5,
        duration="30s",
        csv_prefix=tmp_path / "locust",
    )
    table = report(rows)
    kinds = {row["kind"] for row in rows}
    assert {"queue", "signal", "case list", "case"} <= kinds, table
    assert all(row["failures"] == 0 for row in rows), table
