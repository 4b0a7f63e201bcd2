from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from .tokens import tokens_end_with_session

        user_logged_out.connect(tokens_end_with_session, dispatch_uid="accounts.tokens_end_with_session")
