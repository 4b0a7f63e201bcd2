"""Per clause: its amendments and comments and, while the round votes, the reader's own votes.

The draft's text is shared by every reader and cached as it is (``drafts.draft_text``), so what
changes without changing the text (a comment, an amendment) or differs per reader (a vote) is not
in it: each clause card there has an empty placeholder, which the draft page fills by asking this
view once (htmx, out-of-band swaps). Without JavaScript the same view is a page of its own, linked
from the draft page.
"""

from django.shortcuts import render

from ..selectors import reading
from ..selectors.overview import clause_summaries


def draft_overview(request, slug):
    draft, standing, round_ = reading.draft_reading(request.user, slug)
    clauses = clause_summaries(request.user, draft, round_, standing)
    template = "drafting/_clause_summaries.html" if request.htmx else "drafting/overview.html"
    return render(request, template, {"draft": draft, "round": round_, "clauses": clauses, "standing": standing})
