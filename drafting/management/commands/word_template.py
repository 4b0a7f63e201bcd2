"""Write the secretariat's Word template (drafting/documents/secretariat.dotx) from its builder."""

from django.core.management.base import BaseCommand

from drafting.documents import word_template


class Command(BaseCommand):
    help = "Write drafting/documents/secretariat.dotx, the Word template every DOCX starts from."

    def handle(self, *args, **options):
        word_template.TEMPLATE.write_bytes(word_template.build())
        self.stdout.write(self.style.SUCCESS(f"Wrote {word_template.TEMPLATE}"))
