"""The look before a move that cannot be taken back (drafting/views/confirm.py): the redlines of
reverting a clause and of closing a round (its preview) show the words people read, never Markdown."""

import pytest

from drafting import services
from tests.drafting.factories import cast, make_voters, show_tallies

pytestmark = pytest.mark.django_db


def test_confirmation_and_preview_redlines_show_words_not_markdown(client, draft, clause, people, round_):
    moderator = people["moderator"]
    show_tallies(round_)
    services.clause_update(
        clause_id=clause.id, version=clause.version, by=moderator, text="States **must** protect the core."
    )
    client.force_login(moderator)
    page = client.get(f"/clauses/{clause.id}/revert/?to_version=1&reason=Back").content.decode()
    assert "<ins>" in page or "<del>" in page
    assert "**" not in page.split('data-testid="redline"')[1].split("</p>")[0]

    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text="States **must** protect _all_ of it."
    )
    services.round_start_voting(round_id=round_.id, by=moderator)
    cast(make_voters(draft, government=1), amendment, {"government": "y"})
    preview = client.get(f"/rounds/{round_.id}/close-preview/").content.decode()
    merge = preview.split('data-testid="merge-redline"')[1].split("</p>")[0]
    assert "all" in merge.split("<ins>", 1)[1]  # what the amendment adds is marked inserted
    assert "**" not in merge and "_all_" not in merge
