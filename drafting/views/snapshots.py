"""Snapshots (Rev.N): the list, publishing one, reading one, and comparing two."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from codeofconduct.errors import DomainError
from codeofconduct.forms import add_domain_error
from codeofconduct.inputs import whole_number

from .. import rules, selectors, services
from ..forms import SnapshotForm
from ..models import SectionNumerals


def snapshots(request, slug):
    draft, standing = selectors.draft_for(request.user, slug)
    can_publish = rules.allowed("snapshot_publish", rules.Subject(standing))
    if request.method == "POST":
        rules.check("snapshot_publish", rules.Subject(standing))
    form = SnapshotForm(request.POST or None) if can_publish else None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                snapshot = services.snapshot_create(draft=draft, label=form.cleaned_data["label"], by=request.user)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("Snapshot %(rev)s “%(label)s” published.") % {"rev": snapshot.rev, "label": snapshot.label},
                )
                return redirect("snapshot-detail", snapshot_id=snapshot.id)
    listed = Paginator(draft.snapshots.select_related("round").order_by("-created_at", "-id"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request, "drafting/snapshots.html", {"draft": draft, "snapshots": listed, "form": form}, status=status
    )


def snapshot_detail(request, snapshot_id):
    snapshot, _standing = selectors.snapshot_for(request.user, snapshot_id)
    sections, numerals = [], SectionNumerals()
    for clause in snapshot.clauses.all():
        if not sections or sections[-1]["title"] != clause.section_title:
            numeral = numerals.next(clause.preambular)
            sections.append(
                {"title": clause.section_title, "is_preamble": clause.preambular, "numeral": numeral, "clauses": []}
            )
        sections[-1]["clauses"].append(clause)
    others = snapshot.draft.snapshots.exclude(pk=snapshot.pk).order_by("-created_at")
    return render(
        request,
        "drafting/snapshot_detail.html",
        {"snapshot": snapshot, "draft": snapshot.draft, "sections": sections, "others": others},
    )


def compare(request, slug):
    draft, _standing = selectors.draft_for(request.user, slug)
    all_snapshots = list(draft.snapshots.order_by("created_at", "id"))
    by_id = {s.id: s for s in all_snapshots}
    chosen = [by_id.get(whole_number(request.GET.get(name))) for name in ("from", "to")]
    asked = "from" in request.GET or "to" in request.GET
    if not asked and len(all_snapshots) >= 2:
        chosen = all_snapshots[-2:]  # by default, what changed in the latest snapshot
    rows, error = None, None
    if all(chosen):
        rows = selectors.compare_snapshots(*chosen)
    elif asked:
        error = _("Choose two snapshots of this draft.")
    context = {"draft": draft, "snapshots": all_snapshots, "old": chosen[0], "new": chosen[1], "rows": rows}
    return render(request, "drafting/compare.html", {**context, "error": error}, status=404 if error else 200)
