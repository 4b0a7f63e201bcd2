"""Write sample documents as a secretariat circulates them, from the demo draft: the Rev.2 redline
against Rev.1 and the compilation of proposals of the first reading (PDF, DOCX, HTML, Markdown,
JSON, Akoma Ntoso), and a PNG of each PDF's first page where ``pdftoppm`` is installed.

Run on a throwaway database with the demo loaded (``python3 dev.py samples`` does it all): it adds
amendments, a proposal, status changes and two revisions to the demo draft.
"""

import shutil
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from drafting import demo, services
from drafting.documents import build, render
from drafting.documents.compilation import FORMATS as COMPILATION_FORMATS
from drafting.documents.compilation import build_compilation, render_compilation
from drafting.models import AmendmentKind, ClauseStatus, Draft, Phase


class Command(BaseCommand):
    help = "Write sample exports of the demo draft (a redline and a compilation of proposals)."

    def add_arguments(self, parser):
        parser.add_argument("--out", default="var/samples", help="Directory to write the files to.")

    def handle(self, *args, out, **options):
        draft = Draft.objects.filter(symbol=demo.SYMBOL).first()
        if draft is None:
            raise CommandError("Load the demo first: python manage.py load_demo")
        round_ = draft.rounds.filter(phase=Phase.OPEN).first()
        if round_ is None:
            raise CommandError("The demo's first reading is not open: run this on a fresh demo database.")
        with transaction.atomic():
            rev1, rev2 = self._negotiate(draft)
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        redline = build(draft, snapshot=rev2, redline=rev1)
        for fmt in ("pdf", "docx", "html", "md", "json", "akn"):
            content, _, extension = render(redline, fmt)
            written.append(self._write(folder, redline.filename(extension), content))
        compilation = build_compilation(round_)
        for fmt in ("pdf", "docx", "html", "md", "json"):
            extension = COMPILATION_FORMATS[fmt][1]
            written.append(self._write(folder, compilation.filename(extension), render_compilation(compilation, fmt)))
        for path in [p for p in written if p.suffix == ".pdf"]:
            self._first_page(path)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} files to {folder}/"))

    def _negotiate(self, draft):
        """A first reading as delegations run it: proposals, amendments, then two revisions."""
        people = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in demo.PEOPLE])}
        moderator = people["moderator"]
        clauses = {c.title: c for c in draft.clauses.select_related("section")}
        rev1 = services.snapshot_create(draft=draft, label="Zero draft", by=moderator)
        sovereignty = clauses["Sovereignty"]
        services.amendment_submit(
            clause_id=sovereignty.pk,
            by=people["gov_participant"],
            kind=AmendmentKind.MODIFY,
            text=sovereignty.text.replace("State sovereignty", "The sovereign equality of States"),
            rationale="Aligns the wording with Article 2(1) of the Charter.",
        )
        rights = clauses["Human rights online"]
        services.amendment_submit(
            clause_id=rights.pk,
            by=people["civil_participant"],
            kind=AmendmentKind.MODIFY,
            text=rights.text + " States should ensure that measures taken are necessary and proportionate.",
            rationale="Necessity and proportionality, as in the Human Rights Council's resolutions.",
        )
        services.amendment_submit(
            clause_id=clauses["Review conference"].pk,
            by=people["industry_participant"],
            kind=AmendmentKind.DELETE,
            rationale="Review belongs to the institutional arrangements, not to the code itself.",
        )
        services.clause_create(
            draft=draft,
            section_id=sovereignty.section_id,
            title="Due diligence",
            text="States should take reasonable steps to stop ICT activities in their territory that "
            "harm other States, once they are aware of them.",
            rationale="Corfu Channel case (United Kingdom v. Albania), ICJ Reports 1949, p. 4.",
            by=people["industry_participant"],
        )
        # Between the readings the secretariat records what was agreed and what went into brackets.
        settled = clauses["Peaceful settlement of disputes"]
        services.clause_update(clause_id=settled.pk, version=settled.version, status=ClauseStatus.AGREED, by=moderator)
        contested = clauses["Cooperation for stability"]
        services.clause_update(
            clause_id=contested.pk, version=contested.version, status=ClauseStatus.BRACKETED, by=moderator
        )
        sovereignty.refresh_from_db()
        services.clause_update(
            clause_id=sovereignty.pk,
            version=sovereignty.version,
            text=sovereignty.text.replace("State sovereignty", "The sovereign equality of States"),
            reason="Agreed in informal consultations",
            by=moderator,
        )
        rev2 = services.snapshot_create(draft=draft, label="Revised draft for the second reading", by=moderator)
        return rev1, rev2

    def _write(self, folder: Path, name: str, content: bytes) -> Path:
        path = folder / name
        path.write_bytes(content)
        self.stdout.write(f"  {path}")
        return path

    def _first_page(self, pdf: Path) -> None:
        tool = shutil.which("pdftoppm")
        if tool is None:
            return
        subprocess.run(  # noqa: S603 (a fixed tool on our own file)
            [tool, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(pdf.with_suffix(""))],
            check=True,
            timeout=60,
        )
        self.stdout.write(f"  {pdf.with_suffix('.png')}")
