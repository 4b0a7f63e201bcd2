"""Pages of a round after the ballot: results, the moderator console, snapshots and compare."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from codeofconduct.errors import Conflict, DomainError, NotAllowed
from codeofconduct.forms import add_domain_error

from .. import permissions, selectors, services
from ..competing import competing_amendments
from ..forms import DispositionForm, SnapshotForm
from ..models import Amendment, AmendmentStatus, Comment, Phase
from .participation import _or_404

MOVES_FROM = {Phase.SCHEDULED: "open", Phase.OPEN: "start-voting", Phase.VOTING: "close"}


def results(request, round_id):
    round_, standing = _or_404(selectors.round_for, request.user, round_id)
    try:
        rows, final = selectors.round_results(round_, standing_=standing)
        hidden = False
    except Conflict:
        rows, final, hidden = [], False, True
    dispositions = []
    if round_.phase == Phase.CLOSED or permissions.can_moderate(standing):
        dispositions = list(selectors.round_dispositions(round_))
    snapshot = getattr(round_, "snapshot", None) if round_.phase == Phase.CLOSED else None
    context = {
        "round": round_,
        "draft": round_.draft,
        "rows": rows,
        "final": final,
        "hidden": hidden,
        "dispositions": dispositions,
        "snapshot": snapshot,
        "can_moderate": permissions.can_moderate(standing),
    }
    return render(request, "drafting/results.html", context)


@login_required
def console(request, round_id):
    round_, standing = _or_404(selectors.round_for, request.user, round_id)
    if not permissions.can_moderate(standing):
        return render(request, "403.html", {"message": "The console is for the draft's moderators."}, status=403)
    draft = round_.draft
    if request.htmx and request.GET.get("part") == "participation":
        # The live counts refresh on their own while the round is open or voting.
        context = {"round": round_, "participation": selectors.round_participation(round_)}
        return render(request, "drafting/_participation.html", context)
    comments = Comment.objects.filter(Q(clause__draft=draft) | Q(amendment__clause__draft=draft)).select_related(
        "author", "clause", "amendment__clause", "disposition"
    )
    queue = Paginator(comments.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
    amendments = list(
        Amendment.objects.filter(
            clause__draft=draft, status__in=(AmendmentStatus.SUBMITTED, AmendmentStatus.CONFLICTED)
        )
        .select_related("clause", "author", "organization")
        .order_by("clause__number", "created_at")
    )
    by_clause = {}
    for amendment in amendments:
        by_clause.setdefault(amendment.clause_id, []).append(amendment)
    competing = []
    for clause_amendments in by_clause.values():
        clause = clause_amendments[0].clause
        pairs = competing_amendments(clause_amendments, clause.text)
        competing += [a for a in clause_amendments if pairs[a.id]]
    context = {
        "round": round_,
        "draft": draft,
        "next_move": MOVES_FROM.get(round_.phase),
        "participation": selectors.round_participation(round_),
        "queue": queue,
        "competing": competing,
        "conflicted": [a for a in amendments if a.status == AmendmentStatus.CONFLICTED],
        "disposition_form": DispositionForm(),
    }
    return render(request, "drafting/console.html", context)


@login_required
@require_POST
def comment_disposition(request, comment_id):
    comment, _ = _or_404(selectors.comment_for, request.user, comment_id)
    form = DispositionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("Choose a disposition.", field="disposition")
        services.comment_dispose(comment_id=comment.id, by=request.user, **form.cleaned_data)
    except NotAllowed as exc:
        return render(request, "403.html", {"message": exc.message}, status=403)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Disposition recorded; it is published with the round's results.")
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "/")


def snapshots(request, slug):
    draft, standing = _or_404(selectors.draft_for, request.user, slug)
    can_moderate = permissions.can_moderate(standing)
    form = SnapshotForm(request.POST or None) if can_moderate else None
    status = 200
    if request.method == "POST":
        if not can_moderate:
            return render(request, "403.html", {"message": "Only a moderator can publish snapshots."}, status=403)
        if form.is_valid():
            try:
                snapshot = services.snapshot_create(draft=draft, label=form.cleaned_data["label"], by=request.user)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                messages.success(request, f"Snapshot “{snapshot.label}” published.")
                return redirect("snapshot-detail", snapshot_id=snapshot.id)
        else:
            status = 400
    listed = Paginator(draft.snapshots.select_related("round").order_by("-created_at", "-id"), 25).get_page(
        request.GET.get("page")
    )
    context = {"draft": draft, "snapshots": listed, "form": form}
    return render(request, "drafting/snapshots.html", context, status=status)


def snapshot_detail(request, snapshot_id):
    snapshot, _ = _or_404(selectors.snapshot_for, request.user, snapshot_id)
    sections = []
    for clause in snapshot.clauses.all():
        if not sections or sections[-1]["title"] != clause.section_title:
            sections.append({"title": clause.section_title, "clauses": []})
        sections[-1]["clauses"].append(clause)
    others = snapshot.draft.snapshots.exclude(pk=snapshot.pk).order_by("-created_at")
    return render(
        request,
        "drafting/snapshot_detail.html",
        {"snapshot": snapshot, "draft": snapshot.draft, "sections": sections, "others": others},
    )


def compare(request, slug):
    draft, _ = _or_404(selectors.draft_for, request.user, slug)
    all_snapshots = list(draft.snapshots.order_by("created_at", "id"))
    by_id = {s.id: s for s in all_snapshots}
    chosen = []
    for name in ("from", "to"):
        raw = request.GET.get(name, "")
        chosen.append(by_id.get(int(raw)) if raw.isdigit() else None)
    asked = "from" in request.GET or "to" in request.GET
    if not asked and len(all_snapshots) >= 2:
        chosen = all_snapshots[-2:]  # by default, what changed in the latest snapshot
    rows, error = None, None
    if all(chosen):
        rows = selectors.compare_snapshots(*chosen)
    elif asked:
        error = "Choose two snapshots of this draft."
    context = {
        "draft": draft,
        "snapshots": all_snapshots,
        "old": chosen[0],
        "new": chosen[1],
        "rows": rows,
        "error": error,
    }
    return render(request, "drafting/compare.html", context, status=404 if error else 200)


@login_required
def draft_import(request):
    from ..api.views import import_upload
    from ..services.imports import may_import

    if not may_import(request.user):
        return render(request, "403.html", {"message": "Only administrators and moderators import drafts."}, status=403)
    error, status = None, 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError("Choose a Markdown or JSON file.", field="file")
            draft = import_upload(upload, by=request.user, visibility=request.POST.get("visibility") or None)
        except DomainError as exc:
            error, status = exc.message, exc.status_code
        else:
            messages.success(request, f"“{draft.title}” imported with {draft.clauses.count()} clauses.")
            return redirect("draft-detail", slug=draft.slug)
    return render(request, "drafting/import.html", {"error": error}, status=status)


def draft_export(request, slug):
    """Download at once, or for a large draft start a worker and show its progress."""
    from ..api.views import export_choice, file_response
    from ..services import export_jobs

    draft, _ = _or_404(selectors.draft_for, request.user, slug)
    try:
        fmt, snapshot, redline = export_choice(request, draft)
    except DomainError as exc:
        return render(request, "403.html", {"message": exc.message}, status=exc.status_code)
    if request.user.is_authenticated and export_jobs.export_is_large(draft, snapshot):
        job = export_jobs.export_job_create(draft=draft, by=request.user, fmt=fmt, snapshot=snapshot, redline=redline)
        return redirect("export-job", job_id=job.id)
    return file_response(*export_jobs.export_file(draft, fmt, snapshot=snapshot, redline=redline))


@login_required
def export_job(request, job_id):
    from ..models import ExportJob

    job = ExportJob.objects.select_related("draft").filter(pk=job_id, requested_by=request.user).first()
    if job is None:
        return render(request, "404.html", status=404)
    template = "drafting/_export_job.html" if request.htmx else "drafting/export_job.html"
    return render(request, template, {"job": job, "draft": job.draft})
