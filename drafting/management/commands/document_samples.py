"""Write the papers of a negotiation as a secretariat circulates them, from the demo draft run
through two readings end to end: the original (L.1), Rev.1 and Rev.2, the working text after an
editorial change, the comparison of Rev.1 and Rev.2, and each round's compilation of proposals
(CRP.1, CRP.2), synoptic table and report, in every format each has, and a PNG of each PDF's first
page where ``pdftoppm`` is installed.

Run on a throwaway database with the demo loaded (``python3 dev.py samples`` does it all): it adds
amendments, proposals, votes, two closes and an editorial change to the demo draft.
"""

import shutil
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from drafting import demo, services
from drafting.documents import build, compilation_formats, render, report, synoptic
from drafting.models import AmendmentKind, ClauseStatus, Draft, Phase, VotingRule


class Command(BaseCommand):
    help = "Write every paper of the demo draft run through two readings (texts, comparison, compilations, reports)."

    def add_arguments(self, parser):
        parser.add_argument("--out", default="var/samples", help="Directory to write the files to.")

    def handle(self, *args, out, **options):
        draft = Draft.objects.filter(symbol=demo.SYMBOL).first()
        if draft is None:
            raise CommandError("Load the demo first: python manage.py load_demo")
        first = draft.rounds.filter(phase=Phase.OPEN).first()
        if first is None:
            raise CommandError("The demo's first reading is not open: run this on a fresh demo database.")
        with transaction.atomic():
            second = self._negotiate(draft, first)
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        snapshots = {s.revision: s for s in draft.snapshots.all()}
        texts = [
            (build(draft, snapshot=snapshots[0]), ("pdf", "docx", "html", "md", "akn")),
            (build(draft, snapshot=snapshots[2]), ("pdf", "docx", "html", "md", "json", "akn")),
            (build(draft), ("pdf", "docx")),
            (build(draft, snapshot=snapshots[2], redline=snapshots[1]), ("pdf", "docx", "html", "md", "json", "akn")),
        ]
        for document, formats in texts:
            for fmt in formats:
                content, _, extension = render(document, fmt)
                written.append(self._write(folder, document.filename(extension), content))
        for round_ in (first, second):
            round_.refresh_from_db()
            for form, formats in (("compilation", compilation_formats.FORMATS), ("synoptic", synoptic.FORMATS)):
                for fmt in formats:
                    content, _, name = compilation_formats.compilation_file(round_, fmt, form=form)
                    written.append(self._write(folder, name, content))
            paper = report.build(round_)
            written.append(self._write(folder, report.filename(round_, "json"), report.to_json(paper)))
            written.append(self._write(folder, report.filename(round_, "csv"), report.to_csv(paper)))
        for path in [p for p in written if p.suffix == ".pdf"]:
            self._first_page(path)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} files to {folder}/"))

    def _negotiate(self, draft, first):
        """Two readings as delegations run them: proposals and amendments, votes, the close that
        publishes Rev.1; a second round that brackets a paragraph, and Rev.2; then an editorial change."""
        people = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in demo.PEOPLE])}
        moderator = people["moderator"]
        voters = [people[name] for name in demo.PEOPLE_WHO_VOTE]
        clauses = {c.title: c for c in draft.clauses.select_related("section")}
        sovereignty = clauses["Sovereignty"]
        ballot = [
            services.amendment_submit(
                clause_id=sovereignty.pk,
                by=people["gov_participant"],
                kind=AmendmentKind.MODIFY,
                text=sovereignty.text.replace("State sovereignty", "The sovereign equality of States"),
                rationale="Aligns the wording with Article 2(1) of the Charter.",
            ),
            services.amendment_submit(
                clause_id=clauses["Human rights online"].pk,
                by=people["civil_participant"],
                kind=AmendmentKind.MODIFY,
                text=clauses["Human rights online"].text
                + " States should ensure that measures taken are necessary and proportionate.",
                rationale="Necessity and proportionality, as in the Human Rights Council's resolutions.",
            ),
            services.clause_create(
                draft=draft,
                section_id=sovereignty.section_id,
                title="Due diligence",
                text="States should take reasonable steps to stop ICT activities in their territory that "
                "harm other States, once they are aware of them.",
                rationale="Corfu Channel case (United Kingdom v. Albania), ICJ Reports 1949, p. 4.",
                by=people["industry_participant"],
            ),
        ]
        rejected = services.amendment_submit(
            clause_id=clauses["Review conference"].pk,
            by=people["industry_participant"],
            kind=AmendmentKind.DELETE,
            rationale="Review belongs to the institutional arrangements, not to the code itself.",
        )
        services.round_start_voting(round_id=first.pk, by=moderator)
        self._vote(voters, ballot, "yes")
        self._vote(voters, [rejected], "no")
        services.round_close(round_id=first.pk, by=moderator)  # Rev.1

        second = services.round_create(
            draft=draft, by=moderator, title="Second reading", voting_rule=VotingRule.MULTISTAKEHOLDER, quorum=2
        )
        services.round_open(round_id=second.pk, by=moderator)
        diligence = draft.clauses.get(title="Due diligence")
        brackets = services.amendment_submit(
            clause_id=diligence.pk,
            by=people["gov_participant"],
            kind=AmendmentKind.MODIFY,
            text=diligence.text.replace("reasonable steps", "[reasonable] [all feasible] steps"),
            rationale="Two views remain on the standard of care.",
        )
        # A new paragraph nobody votes on: short of the quorum, it stays proposed, in brackets, in Rev.2.
        services.clause_create(
            draft=draft,
            section_id=sovereignty.section_id,
            title="Capacity building",
            text="States should help each other build the capacity to apply these norms.",
            by=people["academia_participant"],
        )
        services.round_start_voting(round_id=second.pk, by=moderator)
        self._vote(voters, [brackets], "yes")
        services.round_close(round_id=second.pk, by=moderator)  # Rev.2

        # After Rev.2 the secretariat records an agreement reached in informal consultations.
        settled = draft.clauses.get(title="Peaceful settlement of disputes")
        services.clause_update(clause_id=settled.pk, version=settled.version, status=ClauseStatus.AGREED, by=moderator)
        return second

    @staticmethod
    def _vote(voters, items, choice):
        for item in items:
            kind = "clause_id" if item.__class__.__name__ == "Clause" else "amendment_id"
            for voter in voters:
                services.vote_cast(by=voter, choice=choice, **{kind: item.pk})

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
