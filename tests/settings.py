"""Test settings: the real settings, with a fixed key and a fast password hasher.

Tests run on DATABASE_URL when it is set (CI sets it to PostgreSQL for the second run) and on the
embedded SQLite default otherwise. A developer's ``.env`` is never read: the tests see the
environment alone (``config.env.env_file``), and so do the commands they run as subprocesses.
"""

import os

os.environ["REGISTRY_ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from config.settings import *  # noqa: F403  (the one place settings are layered)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
# Rate limits would make tests depend on their order and speed; the throttling tests turn them on.
THROTTLING_ENABLED = False
# Always the in-process cache: the throttling tests clear it (on Redis: FLUSHDB).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each test process keeps its search index in memory and follows the change log itself, its own
# test's uncommitted lines included (registry.search.follower.ensure_current).
SEARCH_INDEX_DIR = ""
