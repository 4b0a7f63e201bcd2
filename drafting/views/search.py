"""The search page: the header's search box lands here (drafting/search/ does the finding)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.models import StakeholderGroup
from codeofconduct.errors import InvalidInput

from .. import rules, search
from ..models import Draft, Round

PAGE_SIZE = 20


def search_page(request):
    """Hits grouped by kind, paged. A bad filter or page answers 400 (404 past the last page) with the
    form as the person filled it, so nothing typed is lost."""
    params = request.GET
    chosen = {name: (params.get(name) or "").strip() for name in ("draft", "kind", "group", "round")}
    context = {
        "search_text": params.get("q", ""),
        "kinds": search.KINDS,
        "groups": StakeholderGroup.choices,
        "drafts": rules.viewable_drafts(request.user, Draft.objects.all()).order_by("title", "id"),
        "chosen": chosen,
    }
    status = 200
    if "q" in params:
        try:
            wanted = search.search_request(request.user, params)
            number = search.page_number(params.get("page"))
        except InvalidInput as exc:
            context["error"] = {"field": exc.field or "q", "message": exc.message}
            status = 400
        else:
            chosen.update(kind=wanted.kind, group=wanted.group, round=str(wanted.round.pk) if wanted.round else "")
            found = search.search(wanted, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
            pages = max(1, -(-found.count // PAGE_SIZE))
            if number > pages:
                context["error"] = {
                    "field": "page",
                    "message": _("No such page: the %(count)d hits fill %(pages)d.")
                    % {"count": found.count, "pages": pages},
                }
                status = 404
            else:
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
                        (kind, search.KINDS[kind], count, wanted.params(kind=kind) if count else "")
                        for kind, count in found.counts.items()
                    ],
                    all_kinds=wanted.params(kind="") if wanted.kind else "",
                )
    context["rounds"] = _rounds_of(request.user, chosen["draft"])
    return render(request, "drafting/search.html", context, status=status)


def _rounds_of(user, slug: str):
    """The chosen draft's rounds for the round filter, whether or not the search itself went through."""
    try:
        draft = search.draft_param(user, slug)
    except InvalidInput:
        return []
    return list(Round.objects.filter(draft=draft).order_by("created_at", "id")) if draft else []
