from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from .tokens import tokens_end_with_session

        user_logged_out.connect(tokens_end_with_session, dispatch_uid="accounts.tokens_end_with_session")
