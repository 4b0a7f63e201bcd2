from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "Live pages"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from . import access
        from .services import recorded

        post_create_historical_record.connect(recorded, dispatch_uid="live-recorded")
        access.connect()
