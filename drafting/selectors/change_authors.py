"""Who made each change in the catch-up (``changes.changes_since``), named as the round it was made
in allows: the Chair as the Chair, nobody for the schedule or an import, everyone else as
``naming.Naming.published`` lets the reader know them."""

from datetime import datetime

from accounts.selectors import speaking_for_data

from ..models import Phase, Round
from ..naming import Naming


class _Acts:
    """Who made each change, named as the round it was made in allows (``Naming.published``): ``name``
    notes an act on its item, ``name_everyone`` then asks what everyone spoke for, for all acts in one
    query."""

    def __init__(self, draft, rounds: list[Round]):
        started = [r for r in rounds if r.phase != Phase.SCHEDULED]
        self.naming = Naming.published(draft.pk, known=rounds, started=started, chair=draft.chair_name)
        self.waiting: list[tuple[dict, int, str | None, datetime, dict]] = []

    def name(
        self,
        item: dict,
        user_id,
        user,
        when: datetime,
        *,
        round_id=None,
        published_in=None,
        recorded=None,
        as_chair=False,
        on_proposal_of=None,
    ):
        """``recorded``: the organization the act recorded (an amendment's), told as a claim until
        the membership is verified; ``published_in``: a round whose rule applies too (a history row's
        ``act_round``); ``as_chair``: the act is the Chair's, ``on_proposal_of`` the delegation it
        was made on the proposal of (an organization, or None)."""
        if as_chair:
            named = self.naming.chair_on_proposal_of(on_proposal_of, when, round_id=published_in)
            item["by"] = {"name": named.name, "speaking_for": named.data(), "on_proposal_of": named.proposed_by_data()}
            item["who"] = named.sentence
            return
        if user_id is None:
            self.nobody(item)
            return
        username = user.username if user is not None else None
        act = {"round_id": round_id, "published_in": published_in, "recorded": recorded}
        self.waiting.append((item, user_id, username, when, act))

    @staticmethod
    def nobody(item: dict) -> None:
        """No person made it (the schedule, an import): nobody to name."""
        item["by"] = {"name": None, "speaking_for": speaking_for_data(None)}
        item["who"] = ""

    def name_everyone(self) -> None:
        naming = self.naming
        naming.load((user_id, when) for _, user_id, _, when, _ in self.waiting)
        for item, user_id, username, when, act in self.waiting:
            recorded = act["recorded"]
            spoke = naming.recorded(user_id, when, recorded) if recorded else naming.speaking.get((user_id, when))
            named = naming.person(
                user_id, username, when, round_id=act["round_id"], published_in=act["published_in"], spoke=spoke
            )
            item["by"] = {"name": named.name, "speaking_for": named.data()}
            item["who"] = named.sentence
