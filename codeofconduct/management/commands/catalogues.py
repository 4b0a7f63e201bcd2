from django.core.management.base import BaseCommand

from codeofconduct import catalogues


class Command(BaseCommand):
    help = "Bring the interface's translation catalogues (locale/) up to date with the code, and compile them."

    def handle(self, *args, **options):
        catalogues.update()
        for locale in catalogues.LOCALES:
            for domain in catalogues.DOMAINS:
                self.stdout.write(f"{catalogues.catalogue_path(locale, domain)}")
