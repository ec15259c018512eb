"""Settings for the test suite: fast hashing, local caches, no outside world."""

import os
import tempfile

os.environ.setdefault("SINMUN_DATA_DIR", tempfile.mkdtemp(prefix="sinmun-test-"))

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The application page cache is off by default in tests, so a test that changes a row
# without publishing still sees its change; sinmun/delivery/tests turn it on.
SINMUN_PAGE_CACHE = False
# A prepared query that cannot find its placeholders raises instead of quietly running
# the ORM on every call (sinmun/core/prepared.py).
SINMUN_PREPARED_QUERY_STRICT = True
SINMUN_PURGE_REPEAT_SECONDS = 0
CACHES["pages"] = {  # noqa: F405
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "sinmun-pages",
}
# Fragment versions in the default cache, which every test starts empty, and reread on
# every request: a test sees its own changes (sinmun/delivery/fragments.py).
SINMUN_VERSION_CACHE = "default"
SINMUN_FRAGMENT_VERSION_MEMO = 0
