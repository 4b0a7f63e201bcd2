from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(using="default", **kwargs):
    """The embedded default keeps its cache (rate-limit counters) in the database: ``migrate``
    makes the table, as it makes every other, whenever the settings name a database cache."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CodeOfConductConfig(AppConfig):
    name = "codeofconduct"
    verbose_name = _("Platform")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from .history import set_history_fields

        post_migrate.connect(create_cache_table, sender=self)
        pre_create_historical_record.connect(set_history_fields, dispatch_uid="history-own-fields")
