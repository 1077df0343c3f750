"""A real OpenID Connect provider for the tests: ``scripts/oidc-test-provider`` (Node.js).

Installed with ``npm ci`` from its lock file (the npm registry is the only thing it needs)
and started on 127.0.0.1:8152 for the tests that use it; stopped afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROVIDER_DIR = Path(__file__).resolve().parents[2] / "scripts" / "oidc-test-provider"
PORT = int(os.environ.get("VIK_TEST_OIDC_PORT", "8152"))
ISSUER = f"http://127.0.0.1:{PORT}"
CLIENT_ID = "vik-tests"
CLIENT_SECRET = "vik-tests-secret-not-a-real-one"


@dataclass(frozen=True)
class RunningProvider:
    issuer: str
    client_id: str
    client_secret: str


def ensure_installed() -> None:
    """``npm ci`` when the provider's packages are missing (make test does it up front)."""
    if (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed for the OpenID provider tests (scripts/ensure-system.sh)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=PROVIDER_DIR, check=True)


@contextmanager
def running_provider(
    *, accounts: dict[str, Any], redirect_uri: str, post_logout_uri: str, workdir: Path
) -> Iterator[RunningProvider]:
    ensure_installed()
    accounts_file = workdir / "oidc-accounts.json"
    accounts_file.write_text(json.dumps(accounts), encoding="utf-8")
    env = {
        **os.environ,
        "OIDC_TEST_PORT": str(PORT),
        "OIDC_TEST_CLIENT_ID": CLIENT_ID,
        "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_TEST_REDIRECT_URI": redirect_uri,
        "OIDC_TEST_POST_LOGOUT_URI": post_logout_uri,
        "OIDC_TEST_ACCOUNTS": str(accounts_file),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    node = shutil.which("node") or "node"
    log = (workdir / "oidc-provider.log").open("w")
    process = subprocess.Popen(
        [node, "provider.mjs"], cwd=PROVIDER_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                discovery = f"{ISSUER}/.well-known/openid-configuration"
                with urllib.request.urlopen(discovery, timeout=1):  # noqa: S310 - our own provider
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError(
                        "the test OpenID provider did not start: "
                        + (workdir / "oidc-provider.log").read_text()
                    ) from None
                time.sleep(0.2)
        yield RunningProvider(issuer=ISSUER, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
