"""Moving existing records to the Chair loses nothing (issue 23, point 1).

Runs the real migrations on the test database: back to before the Chair, rows written as they were
then (a moderator who also speaks for a government put in the zero draft, bracketed a paragraph,
amended and commented; a participant proposed, amended and voted), forward again: the moderator's
acts are the Chair's, the participant's stay theirs, and every row, vote and organization is kept.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from drafting.models import Amendment, Clause, Comment, Vote

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("drafting", "0013_item_result_reason")]


def migrate(targets):
    MigrationExecutor(connection).migrate(targets)


def write_rows() -> dict:
    loader = MigrationExecutor(connection).loader
    apps = loader.project_state(list(loader.applied_migrations)).apps
    User = apps.get_model("accounts", "User")
    chair, delegate = User.objects.create(username="chairperson"), User.objects.create(username="delegate")
    org = apps.get_model("accounts", "Organization").objects.create(
        name="Brazil", name_key="brazil", stakeholder_group="government"
    )
    draft = apps.get_model("drafting", "Draft").objects.create(title="Code", slug="code", created_by=chair)
    Membership = apps.get_model("drafting", "DraftMembership")
    Membership.objects.create(draft=draft, user=chair, role="moderator")
    Membership.objects.create(draft=draft, user=delegate, role="participant")
    section = apps.get_model("drafting", "Section").objects.create(draft=draft, title="Norms", position=1)
    Clause = apps.get_model("drafting", "Clause")
    zero = Clause.objects.create(
        draft=draft, section=section, number=1, title="Zero", text="T.", text_html="<p>T.</p>", proposer=chair
    )
    proposal = Clause.objects.create(
        draft=draft, section=section, number=2, title="P", text="P.", text_html="<p>P.</p>", proposer=delegate
    )
    History = apps.get_model("drafting", "HistoricalClause")
    now = timezone.now()
    common = {"draft_id": draft.pk, "section_id": section.pk, "text_html": "", "history_type": "~"}
    common |= {"created_at": now, "updated_at": now}
    bracketed = History.objects.create(
        id=zero.pk, number=1, title="Zero", text="T.", status="bracketed", version=2, history_date=now,
        history_user=chair, history_change_reason="Bracketed", **common,
    )  # fmt: skip
    proposed = History.objects.create(
        id=proposal.pk, number=2, title="P", text="P.", status="proposed", version=1, history_date=now,
        history_user=delegate, history_change_reason="Clause proposed", **common,
    )  # fmt: skip
    round_ = apps.get_model("drafting", "Round").objects.create(draft=draft, title="R", created_by=chair)
    Amendment = apps.get_model("drafting", "Amendment")
    theirs = Amendment.objects.create(
        clause=zero, round=round_, kind="modify", text="U.", base_version=1, base_text="T.", author=delegate
    )
    chairs = Amendment.objects.create(
        clause=zero, round=round_, kind="modify", text="V.", base_version=1, base_text="T.", author=chair,
        organization=org,
    )  # fmt: skip
    Comment = apps.get_model("drafting", "Comment")
    said = Comment.objects.create(clause=zero, author=chair, body="As Chair.")
    asked = Comment.objects.create(amendment=theirs, author=delegate, body="Why?")
    vote = apps.get_model("drafting", "Vote").objects.create(
        round=round_, voter=chair, clause=proposal, choice="yes", stakeholder_group="government", organization=org
    )
    return {
        "zero": zero.pk, "proposal": proposal.pk, "bracketed": bracketed.pk, "proposed": proposed.pk,
        "theirs": theirs.pk, "chairs": chairs.pk, "said": said.pk, "asked": asked.pk, "vote": vote.pk,
        "org": org.pk,
    }  # fmt: skip


def test_a_moderators_existing_acts_become_the_chairs_and_nothing_is_lost():
    try:
        migrate(BEFORE)
        ids = write_rows()
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

        assert Clause.objects.get(pk=ids["zero"]).proposed_as_chair
        assert not Clause.objects.get(pk=ids["proposal"]).proposed_as_chair
        assert Clause.history.get(pk=ids["bracketed"]).history_as_chair
        assert not Clause.history.get(pk=ids["proposed"]).history_as_chair
        chairs = Amendment.objects.get(pk=ids["chairs"])
        assert chairs.as_chair and chairs.organization_id == ids["org"]  # what it recorded is kept
        assert not Amendment.objects.get(pk=ids["theirs"]).as_chair
        assert Comment.objects.get(pk=ids["said"]).as_chair and not Comment.objects.get(pk=ids["asked"]).as_chair
        vote = Vote.objects.get(pk=ids["vote"])  # counted for the government it was cast for
        assert (vote.stakeholder_group, vote.organization_id, vote.choice) == ("government", ids["org"], "yes")
        assert Clause.objects.count() == 2 and Amendment.objects.count() == 2 and Comment.objects.count() == 2
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
