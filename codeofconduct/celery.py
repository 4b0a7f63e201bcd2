"""The Celery application.

With ``REDIS_URL`` set the broker is Redis; without it (the embedded default) the broker is
kombu's filesystem transport under ``var/broker``, so a worker and beat run with no server at all.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codeofconduct.settings.local")

app = Celery("codeofconduct")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
