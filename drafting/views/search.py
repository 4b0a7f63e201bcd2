"""The search page: the header's search box lands here (drafting/search.py does the finding)."""

from django.shortcuts import render

from accounts.models import StakeholderGroup
from codeofconduct.errors import InvalidInput, NotFound
from codeofconduct.inputs import whole_number

from .. import rules, search
from ..models import Draft
from ..selectors.comment_filters import rounds_to_filter_by

PAGE_SIZE = 20


def search_page(request):
    """Hits grouped by kind, paged; a bad filter answers 400 with the form as the person filled it."""
    params = request.GET
    context = {
        "search_text": params.get("q", ""),
        "kinds": search.KINDS,
        "groups": StakeholderGroup.choices,
        "drafts": rules.viewable_drafts(request.user, Draft.objects.all()).order_by("title", "id"),
        "chosen": {name: params.get(name, "") for name in ("draft", "kind", "group", "round")},
    }
    status = 200
    if "q" in params:
        try:
            wanted = search.search_request(request.user, params)
            number = whole_number(params.get("page") or "1")
            if number is None or number < 1:
                raise InvalidInput("Give a page number from 1.", field="page")
        except InvalidInput as exc:
            context["error"] = {"field": exc.field or "q", "message": exc.message}
            status = 400
        else:
            found = search.search(wanted, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
            pages = max(1, -(-found.count // PAGE_SIZE))
            if number > pages:
                raise NotFound(f"No such page: the {found.count} hits fill {pages}.")
            context.update(
                wanted=wanted,
                found=found,
                page={
                    "number": number,
                    "pages": pages,
                    "previous": wanted.params(page=str(number - 1)) if number > 1 else "",
                    "next": wanted.params(page=str(number + 1)) if number < pages else "",
                },
                kind_links=[
                    (kind, search.KINDS[kind], count, wanted.params(kind=kind)) for kind, count in found.counts.items()
                ],
            )
    draft = context.get("wanted").draft if context.get("wanted") else None
    if draft is not None:
        context["rounds"] = rounds_to_filter_by(draft)
    return render(request, "drafting/search.html", context, status=status)
