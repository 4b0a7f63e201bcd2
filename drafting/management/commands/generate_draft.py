"""Generate a realistic draft at a given scale for the performance benchmark (bench/scale/).

manage.py generate_draft --scale 1 --slug bench-1x
manage.py generate_draft --scale 10 --slug bench-10x --replace

The generator is the benchmark's own (bench/scale/); this command only reads its options and prints
what it made.
"""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug

from bench.scale.generate import DEFAULT_VOTERS, generate_draft
from codeofconduct.errors import DomainError
from drafting.models import Draft


class Command(BaseCommand):
    help = "Generate a draft with clauses, versions, comments, amendments, a voting round and votes at a given scale."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, required=True, help="1 is 100 clauses; fractions such as 0.05 are allowed."
        )
        parser.add_argument("--slug", required=True, help="The new draft's address, /drafts/<slug>/.")
        parser.add_argument("--voters", type=int, default=DEFAULT_VOTERS, help="voter001... (default: %(default)s).")
        parser.add_argument("--replace", action="store_true", help="Delete a draft with this slug first.")

    def handle(self, *args, **options):
        slug = options["slug"]
        if len(slug) > Draft._meta.get_field("slug").max_length:
            raise CommandError("The slug is too long.")
        try:
            validate_slug(slug)
        except ValidationError as exc:
            raise CommandError("The slug is letters, digits, hyphens and underscores.") from exc

        start = time.perf_counter()
        try:
            made = generate_draft(
                slug=slug,
                scale=options["scale"],
                voters=options["voters"],
                replace=options["replace"],
                on_stage=lambda name, seconds: self.stdout.write(f"  {name}: {seconds:.1f} s"),
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        headline, *counts = made.summary(time.perf_counter() - start)
        self.stdout.write(self.style.SUCCESS(headline))
        for line in counts:
            self.stdout.write(line)
