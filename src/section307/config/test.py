"""Test profile: fast hashing, tasks run immediately, no in-process worker."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SECTION307_INPROCESS_WORKER = False
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="section307-test-media-"))
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    },
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Off in tests (a page cached in one test must not answer another); tests of the cache switch it on.
    "public": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
SECTION307_PUBLIC_VERSION_SECONDS = 0
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# The statistics' rate limit would count every test's requests from 127.0.0.1; its own test sets it low.
METRICS_STATISTICS_RATE = "100000/m"
