"""Settings for the test suite: the production settings module, with test-only values.

Production mode (DEBUG off) stays on; only what a throw-away test database needs
differs: a fixed secret key, a fast password hasher, plain static storage, and
permission to flush the audit table between transactional tests.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("CONTINUUM_REQUIRE_2FA", "false")
os.environ.setdefault("CONTINUUM_SSL_REDIRECT", "false")
os.environ.setdefault("CONTINUUM_SECURE_COOKIES", "false")

from continuum.settings import *  # noqa: F403
from continuum.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
AUDIT_FLUSH_ALLOWED = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared in-memory database: its table locks ignore the busy timeout,
    # so concurrent connections (the audit chain test, the live server) would fail spuriously.
    # One file per test run, so that two runs side by side do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
