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
