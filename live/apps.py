from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live pages")

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from . import access
        from .services import recorded

        post_create_historical_record.connect(recorded, dispatch_uid="live-recorded")
        access.connect()
