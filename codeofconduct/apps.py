from django.apps import AppConfig


class CodeOfConductConfig(AppConfig):
    name = "codeofconduct"
    verbose_name = "Platform"
