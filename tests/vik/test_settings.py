"""Production settings pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Test-only variables (tests/settings.py, the browser tests) must not leak into "production".
TEST_ONLY = {
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "VIK_REQUIRE_2FA",
    "VIK_PLAIN_STATIC",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECRET_KEY",
}


def production_env(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    env["DJANGO_SETTINGS_MODULE"] = "vik.settings"
    env.update(overrides)
    return env


@pytest.mark.parametrize("behind_proxy", ["false", "true"])
def test_check_deploy_is_clean_with_production_settings(behind_proxy: str) -> None:
    env = production_env(
        SECRET_KEY="x" * 30 + "a-long-random-production-secret-value-" + "y" * 20,
        ALLOWED_HOSTS="vik.politie.example",
        VIK_BEHIND_TLS_PROXY=behind_proxy,
        # As docs/deployment.md prescribes behind nginx.
        VIK_TRUSTED_PROXY_COUNT="1" if behind_proxy == "true" else "0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_behind_a_proxy_whose_forwarded_address_is_not_trusted() -> None:
    """Every client would have the proxy's address: lockouts, the access log and /metrics."""
    env = production_env(
        SECRET_KEY="x" * 30 + "a-long-random-production-secret-value-" + "y" * 20,
        ALLOWED_HOSTS="vik.politie.example",
        VIK_BEHIND_TLS_PROXY="true",
        VIK_TRUSTED_PROXY_COUNT="0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "vik.W001" in result.stdout + result.stderr


def test_without_a_secret_key_production_refuses_to_start() -> None:
    env = production_env()
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_requires_the_second_factor() -> None:
    env = {
        key: value for key, value in os.environ.items() if key not in {"DEBUG", "VIK_REQUIRE_2FA"}
    }
    env.update(DJANGO_SETTINGS_MODULE="vik.settings", SECRET_KEY="s" * 60)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.VIK_REQUIRE_2FA)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "True", result.stderr
