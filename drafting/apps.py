from django.apps import AppConfig
from django.db.backends.signals import connection_created


class DraftingConfig(AppConfig):
    name = "drafting"

    def ready(self):
        from .search import register_sqlite_functions

        # Search on the embedded default matches words in Python (drafting/search.py).
        connection_created.connect(register_sqlite_functions, dispatch_uid="drafting-search-sqlite")
