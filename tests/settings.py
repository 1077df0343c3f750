"""Test settings: the production settings module, with test-only environment defaults.

Tests run with DEBUG off, as production does. Only what a test client cannot do is relaxed
(TLS redirect, the second factor — which has its own tests with it switched on).
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("VIK_REQUIRE_2FA", "false")
os.environ.setdefault("VIK_PLAIN_STATIC", "true")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from vik.settings import *  # noqa: F403

# Fast hashing: password strength is not what these tests measure.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Serve static files straight from the finders: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Fixtures and the generator use fixed dates (October 2026, with the change to winter time):
# a wide event window keeps them importable as the calendar moves on. The plausibility tests
# set the production window themselves (tests/monitoring/test_import_limits.py).
MONITORING_IMPORT_LIMITS = {
    **MONITORING_IMPORT_LIMITS,  # noqa: F405
    "event_days_before_retention": 3650,
    "reference_years_back": 20,
}
