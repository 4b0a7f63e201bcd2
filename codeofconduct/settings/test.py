"""Test settings: same as base, with a fast password hasher and in-memory email."""

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, RELEASE, databases_or_embedded, env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-not-secret")
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In memory, unless a test's worker process is pointed at a real SMTP server.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SIGNUP_ADDRESS_RATE = "1000/min"  # many tests sign up from one address
# Tests act as moderators without an authenticator app; tests/accounts/test_two_factor.py and the
# browser test switch it on and go through the second factor as people do.
TWO_FACTOR_REQUIRED = False
# Serve static files straight from the source folders: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "renders": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renders",
        "KEY_PREFIX": RELEASE,
    },
}
# As production has it with Redis, whether or not REDIS_URL is set: the pinned query counts are
# the same everywhere.
SESSION_ENGINE = "accounts.sessions"

# Tasks run in-process unless a test starts a real worker (it sets this false for the worker and
# switches the app to publish); then after-commit work is visible to the test at once.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = False
MEDIA_ROOT = BASE_DIR / "var" / "test-media"

DATABASES = databases_or_embedded()
# Pages served by pytest-django's live_server (WSGI) have no stream to open; the asgi_server
# fixture serves it, and turns this on (tests/conftest.py).
LIVE_UPDATES = False
