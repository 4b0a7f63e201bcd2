"""The embedded default: PostgreSQL of the checkout's own (var/postgres/), no Redis, a development
secret, DEBUG on, and the mail it sends kept as files for administrators to read."""

from .base import *  # noqa: F401,F403
from .base import EMAIL_HOST, databases_or_embedded, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-secret")
# The demo's moderators and administrators sign in with their password alone here, so a newcomer can
# try every role at once; production asks them for a second factor (DJANGO_TWO_FACTOR_REQUIRED=true
# tries it here).
TWO_FACTOR_REQUIRED = env.bool("DJANGO_TWO_FACTOR_REQUIRED", default=False)

DATABASES = databases_or_embedded()

# With no SMTP server named, every email (the web process's and the workers') is kept as a file in
# EMAIL_FILE_PATH (var/mail/), which administrators read at Sent mail (notifications/sent_mail.py).
if not EMAIL_HOST:
    EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="notifications.sent_mail.EmailBackend")
