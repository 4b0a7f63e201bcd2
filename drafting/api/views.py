from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from codeofconduct.errors import Conflict, InvalidInput, NotFound

from .. import exports, permissions, selectors, services
from ..competing import competing_amendments
from ..diff import word_diff
from ..models import Comment, ExportJob, Phase, Visibility
from ..services import export_jobs
from .serializers import (
    AmendmentCreateSerializer,
    AmendmentDetailSerializer,
    AmendmentSerializer,
    ClauseCreateSerializer,
    ClauseRevertSerializer,
    ClauseSerializer,
    ClauseUpdateSerializer,
    ClauseVersionSerializer,
    CommentCreateSerializer,
    CommentEditSerializer,
    CommentSerializer,
    CommentVersionSerializer,
    CompareRowSerializer,
    DiffSerializer,
    DispositionCreateSerializer,
    DispositionSerializer,
    DraftCreateSerializer,
    DraftDetailSerializer,
    DraftListSerializer,
    DraftMemberCreateSerializer,
    DraftMemberSerializer,
    ReasonSerializer,
    ResultSerializer,
    RoundCreateSerializer,
    RoundSerializer,
    SectionCreateSerializer,
    SectionSerializer,
    SnapshotCreateSerializer,
    SnapshotDetailSerializer,
    SnapshotSerializer,
    VoteResultSerializer,
    VoteSerializer,
)


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class DraftListView(GenericAPIView):
    serializer_class = DraftListSerializer

    def get_queryset(self):
        return selectors.drafts_visible_to(self.request.user)

    @extend_schema(operation_id="drafts_list")
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DraftListSerializer(page, many=True).data)

    @extend_schema(request=DraftCreateSerializer, responses={201: DraftListSerializer})
    def post(self, request):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        data = _validated(DraftCreateSerializer, request.data)
        draft = services.draft_create(**data, by=request.user)
        return Response(DraftListSerializer(draft).data, status=status.HTTP_201_CREATED)


class DraftDetailView(APIView):
    @extend_schema(responses=DraftDetailSerializer)
    def get(self, request, slug: str):
        draft, standing = selectors.draft_for(request.user, slug)
        draft = selectors.draft_with_text(draft)
        draft.standing = standing
        return Response(DraftDetailSerializer(draft).data)


class DraftMembersView(GenericAPIView):
    serializer_class = DraftMemberSerializer

    def get(self, request, slug: str):
        draft, _ = selectors.draft_for(request.user, slug)
        page = self.paginate_queryset(selectors.draft_members(draft))
        return self.get_paginated_response(DraftMemberSerializer(page, many=True).data)

    @extend_schema(request=DraftMemberCreateSerializer, responses={201: DraftMemberSerializer})
    def post(self, request, slug: str):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        draft, _ = selectors.draft_for(request.user, slug)
        data = _validated(DraftMemberCreateSerializer, request.data)
        membership = services.draft_member_set(draft=draft, user_id=data["user"], role=data["role"], by=request.user)
        return Response(DraftMemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class SectionCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=SectionCreateSerializer, responses={201: SectionSerializer})
    def post(self, request, slug: str):
        draft, _ = selectors.draft_for(request.user, slug)
        data = _validated(SectionCreateSerializer, request.data)
        section = services.section_create(draft=draft, by=request.user, **data)
        return Response(
            {"id": section.id, "title": section.title, "position": section.position, "clauses": []}, status=201
        )


class DraftClausesView(GenericAPIView):
    serializer_class = ClauseSerializer

    def get(self, request, slug: str):
        draft, standing = selectors.draft_for(request.user, slug)
        clauses = draft.clauses.select_related("proposer", "draft").order_by("number")
        page = self.paginate_queryset(clauses)
        context = vote_context(request, draft, standing, clauses=page)
        return self.get_paginated_response(ClauseSerializer(page, many=True, context=context).data)

    @extend_schema(request=ClauseCreateSerializer, responses={201: ClauseSerializer})
    def post(self, request, slug: str):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        draft, _ = selectors.draft_for(request.user, slug)
        data = _validated(ClauseCreateSerializer, request.data)
        clause = services.clause_create(
            draft=draft,
            section_id=data["section"],
            title=data["title"],
            text=data["text"],
            rationale=data["rationale"],
            by=request.user,
        )
        return Response(ClauseSerializer(clause).data, status=status.HTTP_201_CREATED)


class ClauseDetailView(APIView):
    @extend_schema(responses=ClauseSerializer)
    def get(self, request, clause_id: int):
        clause, standing = selectors.clause_for(request.user, clause_id)
        return Response(
            ClauseSerializer(clause, context=vote_context(request, clause.draft, standing, clauses=[clause])).data
        )

    @extend_schema(request=ClauseUpdateSerializer, responses={200: ClauseSerializer})
    def patch(self, request, clause_id: int):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        selectors.clause_for(request.user, clause_id)  # 404 before field errors for what they can't see
        data = _validated(ClauseUpdateSerializer, request.data)
        clause = services.clause_update(
            clause_id=clause_id,
            version=data["version"],
            by=request.user,
            title=data.get("title"),
            text=data.get("text"),
            status=data.get("status"),
            section_id=data.get("section"),
            reason=data["reason"],
        )
        return Response(ClauseSerializer(clause).data)


class ClauseHistoryView(GenericAPIView):
    serializer_class = ClauseVersionSerializer

    def get(self, request, clause_id: int):
        clause, _ = selectors.clause_for(request.user, clause_id)
        page = self.paginate_queryset(selectors.clause_history(clause))
        return self.get_paginated_response(ClauseVersionSerializer(page, many=True).data)


class ClauseDiffView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("from", int, required=True), OpenApiParameter("to", int, required=True)],
        responses=DiffSerializer,
    )
    def get(self, request, clause_id: int):
        clause, _ = selectors.clause_for(request.user, clause_id)
        versions = {}
        for name in ("from", "to"):
            raw = request.query_params.get(name, "")
            if not raw.isdigit():
                raise InvalidInput("Give a version number.", field=name)
            versions[name] = int(raw)
        old = selectors.clause_version(clause, versions["from"])
        new = selectors.clause_version(clause, versions["to"])
        return Response({"from": old.version, "to": new.version, "changes": word_diff(old.text, new.text)})


class ClauseRevertView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ClauseRevertSerializer, responses={200: ClauseSerializer})
    def post(self, request, clause_id: int):
        selectors.clause_for(request.user, clause_id)
        data = _validated(ClauseRevertSerializer, request.data)
        clause = services.clause_revert(clause_id=clause_id, by=request.user, **data)
        return Response(ClauseSerializer(clause).data)


def vote_context(request, draft, standing, *, clauses=(), amendments=()) -> dict:
    """Tallies (when this reader may see them) and the reader's own votes in the draft's current round."""
    round_ = selectors.current_round(draft)
    context = {"request": request, "tallies_visible": selectors.tallies_visible(round_, standing)}
    if round_ is not None and round_.phase in (Phase.VOTING, Phase.CLOSED):
        if context["tallies_visible"]:
            context["tallies"] = selectors.tallies(round_, clauses=clauses, amendments=amendments)
        context["my_votes"] = selectors.my_votes(request.user, round_, clauses=clauses, amendments=amendments)
    return context


class DraftRoundsView(GenericAPIView):
    serializer_class = RoundSerializer

    def get(self, request, slug: str):
        draft, _ = selectors.draft_for(request.user, slug)
        page = self.paginate_queryset(draft.rounds.select_related("draft").order_by("created_at", "id"))
        return self.get_paginated_response(RoundSerializer(page, many=True).data)

    @extend_schema(request=RoundCreateSerializer, responses={201: RoundSerializer})
    def post(self, request, slug: str):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        draft, _ = selectors.draft_for(request.user, slug)
        data = _validated(RoundCreateSerializer, request.data)
        round_ = services.round_create(draft=draft, by=request.user, **data)
        return Response(RoundSerializer(round_).data, status=status.HTTP_201_CREATED)


class RoundDetailView(APIView):
    @extend_schema(responses=RoundSerializer)
    def get(self, request, round_id: int):
        round_, _ = selectors.round_for(request.user, round_id)
        return Response(RoundSerializer(round_).data)


def _round_move(service):
    class RoundMoveView(APIView):
        permission_classes = [IsAuthenticated]

        @extend_schema(request=None, responses=RoundSerializer)
        def post(self, request, round_id: int):
            return Response(RoundSerializer(service(round_id=round_id, by=request.user)).data)

    return RoundMoveView


RoundOpenView = _round_move(services.round_open)
RoundStartVotingView = _round_move(services.round_start_voting)
RoundCloseView = _round_move(services.round_close)


class ClauseAmendmentsView(GenericAPIView):
    serializer_class = AmendmentSerializer

    def get(self, request, clause_id: int):
        clause, standing = selectors.clause_for(request.user, clause_id)
        amendments = list(selectors.amendments_of(clause))
        page = self.paginate_queryset(amendments)
        context = vote_context(request, clause.draft, standing, amendments=page)
        context["competing"] = competing_amendments(amendments, clause.text)
        return self.get_paginated_response(AmendmentSerializer(page, many=True, context=context).data)

    @extend_schema(request=AmendmentCreateSerializer, responses={201: AmendmentDetailSerializer})
    def post(self, request, clause_id: int):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        selectors.clause_for(request.user, clause_id)
        data = _validated(AmendmentCreateSerializer, request.data)
        amendment = services.amendment_submit(clause_id=clause_id, by=request.user, **data)
        return Response(AmendmentDetailSerializer(amendment).data, status=status.HTTP_201_CREATED)


class AmendmentDetailView(APIView):
    @extend_schema(responses=AmendmentDetailSerializer)
    def get(self, request, amendment_id: int):
        amendment, standing = selectors.amendment_for(request.user, amendment_id)
        context = vote_context(request, amendment.clause.draft, standing, amendments=[amendment])
        siblings = list(selectors.amendments_of(amendment.clause))
        context["competing"] = competing_amendments(siblings, amendment.clause.text)
        return Response(AmendmentDetailSerializer(amendment, context=context).data)


class AmendmentWithdrawView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=AmendmentDetailSerializer)
    def post(self, request, amendment_id: int):
        amendment = services.amendment_withdraw(amendment_id=amendment_id, by=request.user)
        return Response(AmendmentDetailSerializer(amendment).data)


def _id_param(request, name):
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not raw.isdigit():
        raise InvalidInput("Give an id.", field=name)
    return int(raw)


class CommentsView(GenericAPIView):
    serializer_class = CommentSerializer
    queryset = Comment.objects.none()  # the reads go through selectors; this names the model for the schema

    @extend_schema(
        parameters=[OpenApiParameter("clause", int), OpenApiParameter("amendment", int)],
        responses=CommentSerializer(many=True),
    )
    def get(self, request):
        clause_id, amendment_id = _id_param(request, "clause"), _id_param(request, "amendment")
        if (clause_id is None) == (amendment_id is None):
            raise InvalidInput("Give ?clause=ID or ?amendment=ID.", field="clause")
        if clause_id is not None:
            clause, standing = selectors.clause_for(request.user, clause_id)
            comments = selectors.comments_on(clause=clause)
        else:
            amendment, standing = selectors.amendment_for(request.user, amendment_id)
            comments = selectors.comments_on(amendment=amendment)
        page = self.paginate_queryset(comments)
        context = {"request": request, "can_moderate": permissions.can_moderate(standing)}
        return self.get_paginated_response(CommentSerializer(page, many=True, context=context).data)

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer})
    def post(self, request):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        data = _validated(CommentCreateSerializer, request.data)
        comment = services.comment_post(
            by=request.user,
            clause_id=data.get("clause"),
            amendment_id=data.get("amendment"),
            parent_id=data.get("parent"),
            body=data["body"],
            stance=data["stance"],
            quote=data["quote"],
        )
        return Response(CommentSerializer(comment, context={"request": request}).data, status=status.HTTP_201_CREATED)


class CommentDetailView(APIView):
    @extend_schema(responses=CommentSerializer)
    def get(self, request, comment_id: int):
        comment, standing = selectors.comment_for(request.user, comment_id)
        context = {"request": request, "can_moderate": permissions.can_moderate(standing)}
        return Response(CommentSerializer(comment, context=context).data)

    @extend_schema(request=CommentEditSerializer, responses=CommentSerializer)
    def patch(self, request, comment_id: int):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        selectors.comment_for(request.user, comment_id)
        data = _validated(CommentEditSerializer, request.data)
        comment = services.comment_edit(comment_id=comment_id, by=request.user, **data)
        return Response(CommentSerializer(comment, context={"request": request}).data)


class CommentHistoryView(GenericAPIView):
    """Earlier wordings of a comment; a hidden one's are for its author and the moderators."""

    serializer_class = CommentVersionSerializer

    def get(self, request, comment_id: int):
        comment, standing = selectors.comment_for(request.user, comment_id)
        if comment.hidden and not (permissions.can_moderate(standing) or comment.author_id == request.user.id):
            raise NotFound("This comment is hidden.")
        records = comment.history.select_related("history_user").order_by("history_id")
        page = self.paginate_queryset(records)
        return self.get_paginated_response(CommentVersionSerializer(page, many=True).data)


def _comment_moderation(service, *, reason_required: bool):
    class CommentModerationView(APIView):
        permission_classes = [IsAuthenticated]

        @extend_schema(request=ReasonSerializer, responses=CommentSerializer)
        def post(self, request, comment_id: int):
            selectors.comment_for(request.user, comment_id)
            reason = request.data.get("reason", "") if hasattr(request.data, "get") else ""
            if reason_required and not str(reason).strip():
                raise InvalidInput("Give a reason; it stays on record.", field="reason")
            comment = service(comment_id=comment_id, by=request.user, reason=str(reason))
            return Response(CommentSerializer(comment, context={"request": request, "can_moderate": True}).data)

    return CommentModerationView


CommentHideView = _comment_moderation(services.comment_hide, reason_required=True)
CommentRestoreView = _comment_moderation(services.comment_restore, reason_required=False)


def _vote_view(item: str):
    class VoteView(APIView):
        permission_classes = [IsAuthenticated]

        @extend_schema(request=VoteSerializer, responses=VoteResultSerializer)
        def put(self, request, item_id: int):
            data = _validated(VoteSerializer, request.data)
            vote = services.vote_cast(by=request.user, choice=data["choice"], **{f"{item}_id": item_id})
            return Response(VoteResultSerializer(vote).data)

    return VoteView


ClauseVoteView = _vote_view("clause")
AmendmentVoteView = _vote_view("amendment")


class RoundResultsView(APIView):
    @extend_schema(responses=ResultSerializer(many=True))
    def get(self, request, round_id: int):
        round_, standing = selectors.round_for(request.user, round_id)
        rows, final = selectors.round_results(round_, standing_=standing)
        return Response(rows, headers={"X-Results-Final": "true" if final else "false"})


def _author_groups(records) -> dict[int, str]:
    """The stakeholder group each comment author spoke for (first verified membership)."""
    from accounts.models import Membership

    authors = {r.comment.author_id for r in records}
    groups = {}
    for user_id, group in (
        Membership.objects.filter(user_id__in=authors)
        .order_by("user_id", "-status", "created_at")
        .values_list("user_id", "organization__stakeholder_group")
    ):
        groups.setdefault(user_id, group)
    return groups


class RoundDispositionsView(GenericAPIView):
    serializer_class = DispositionSerializer

    def get(self, request, round_id: int):
        round_, standing = selectors.round_for(request.user, round_id)
        if round_.phase != Phase.CLOSED and not permissions.can_moderate(standing):
            raise Conflict("Dispositions are published with the round's results, at close.", phase=round_.phase)
        page = self.paginate_queryset(selectors.round_dispositions(round_))
        context = {"groups": _author_groups(page)}
        return self.get_paginated_response(DispositionSerializer(page, many=True, context=context).data)


class CommentDispositionView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=DispositionCreateSerializer, responses=DispositionSerializer)
    def post(self, request, comment_id: int):
        selectors.comment_for(request.user, comment_id)
        data = _validated(DispositionCreateSerializer, request.data)
        record = services.comment_dispose(comment_id=comment_id, by=request.user, **data)
        return Response(DispositionSerializer(record, context={"groups": _author_groups([record])}).data)


class DraftSnapshotsView(GenericAPIView):
    serializer_class = SnapshotSerializer

    def get(self, request, slug: str):
        draft, _ = selectors.draft_for(request.user, slug)
        page = self.paginate_queryset(draft.snapshots.select_related("draft").order_by("created_at", "id"))
        return self.get_paginated_response(SnapshotSerializer(page, many=True).data)

    @extend_schema(request=SnapshotCreateSerializer, responses={201: SnapshotDetailSerializer})
    def post(self, request, slug: str):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        draft, _ = selectors.draft_for(request.user, slug)
        data = _validated(SnapshotCreateSerializer, request.data)
        snapshot = services.snapshot_create(draft=draft, label=data["label"], by=request.user)
        return Response(SnapshotDetailSerializer(snapshot).data, status=status.HTTP_201_CREATED)


class SnapshotDetailView(APIView):
    @extend_schema(responses=SnapshotDetailSerializer)
    def get(self, request, snapshot_id: int):
        snapshot, _ = selectors.snapshot_for(request.user, snapshot_id)
        snapshot = type(snapshot).objects.prefetch_related("clauses").select_related("draft").get(pk=snapshot.pk)
        return Response(SnapshotDetailSerializer(snapshot).data)


class CompareView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("from", int, required=True), OpenApiParameter("to", int, required=True)],
        responses=CompareRowSerializer(many=True),
    )
    def get(self, request, slug: str):
        draft, _ = selectors.draft_for(request.user, slug)
        snapshots = []
        for name in ("from", "to"):
            raw = request.query_params.get(name, "")
            if not raw.isdigit():
                raise InvalidInput("Give a snapshot id.", field=name)
            snapshot = draft.snapshots.filter(pk=int(raw)).first()
            if snapshot is None:
                raise NotFound(f"This draft has no snapshot {raw}.")
            snapshots.append(snapshot)
        return Response(
            {
                "from": SnapshotSerializer(snapshots[0]).data,
                "to": SnapshotSerializer(snapshots[1]).data,
                "clauses": selectors.compare_snapshots(*snapshots),
            }
        )


def export_choice(request, draft):
    """The format and snapshots asked for in the query string, checked: ``(fmt, snapshot, redline)``."""
    fmt = request.GET.get("format", "")
    if fmt not in exports.FORMATS:
        raise InvalidInput(f"Choose a format: {', '.join(exports.FORMATS)}.", field="format")
    chosen = {}
    for name in ("snapshot", "redline"):
        raw = request.GET.get(name)
        if raw is None:
            chosen[name] = None
            continue
        if not raw.isdigit():
            raise InvalidInput("Give a snapshot id.", field=name)
        chosen[name] = draft.snapshots.filter(pk=int(raw)).first()
        if chosen[name] is None:
            raise NotFound(f"This draft has no snapshot {raw}.")
    return fmt, chosen["snapshot"], chosen["redline"]


def file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ExportJobSerializer(serializers.ModelSerializer):
    draft = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "draft",
            "format",
            "snapshot",
            "redline",
            "status",
            "progress",
            "stage",
            "download",
            "created_at",
        ]
        read_only_fields = fields

    def get_download(self, job) -> str | None:
        return f"/api/v1/exports/{job.id}/download/" if job.status == ExportJob.Status.DONE else None


class ExportView(APIView):
    """The consolidated draft as a file: current text or a snapshot, optionally a redline.

    A draft with more clauses than EXPORT_ASYNC_CLAUSES is exported by a worker for a signed-in
    person: 202 with the job to follow, and a notification with the link when it is ready.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, required=True, enum=list(exports.FORMATS)),
            OpenApiParameter("snapshot", int, description="A snapshot of this draft; none means the current text"),
            OpenApiParameter("redline", int, description="An earlier snapshot to show the changes against"),
        ],
        responses={(200, "application/octet-stream"): bytes, 202: ExportJobSerializer},
    )
    def get(self, request, slug: str):
        draft, _ = selectors.draft_for(request.user, slug)
        fmt, snapshot, redline = export_choice(request, draft)
        if request.user.is_authenticated and export_jobs.export_is_large(draft, snapshot):
            job = export_jobs.export_job_create(
                draft=draft, by=request.user, fmt=fmt, snapshot=snapshot, redline=redline
            )
            return Response(ExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        return file_response(*export_jobs.export_file(draft, fmt, snapshot=snapshot, redline=redline))


def _own_job(request, job_id: int) -> ExportJob:
    job = ExportJob.objects.select_related("draft").filter(pk=job_id, requested_by=request.user).first()
    if job is None:
        raise NotFound("No such export.")
    return job


class ExportJobView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ExportJobSerializer)
    def get(self, request, job_id: int):
        return Response(ExportJobSerializer(_own_job(request, job_id)).data)


class ExportDownloadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, job_id: int):
        job = _own_job(request, job_id)
        if job.status != ExportJob.Status.DONE:
            raise Conflict(f"The export is {job.get_status_display().lower()} ({job.progress}%).", status=job.status)
        with job.file.open("rb") as handle:
            return file_response(handle.read(), job.content_type, job.filename)


class RoundReportView(APIView):
    """The consultation report of a closed round: ?format=csv or json."""

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["csv", "json"])],
        responses={(200, "text/csv"): bytes, (200, "application/json"): dict},
    )
    def get(self, request, round_id: int):
        from ..exports import report

        round_, standing = selectors.round_for(request.user, round_id)
        fmt = request.query_params.get("format", "json")
        if fmt not in ("csv", "json"):
            raise InvalidInput("Choose a format: csv or json.", field="format")
        if round_.phase != Phase.CLOSED:
            raise Conflict("The report is published when the round closes.", phase=round_.phase)
        content = report.build(round_, standing_=standing)
        body, content_type = (
            (report.to_csv(content), "text/csv; charset=utf-8")
            if fmt == "csv"
            else (report.to_json(content), "application/json")
        )
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{round_.draft.slug}-round-{round_.id}-report.{fmt}"'
        return response


class DraftImportView(APIView):
    """Create a draft from a Markdown file or a JSON export (multipart ``file``)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "DraftImport",
                {
                    "file": serializers.FileField(),
                    "visibility": serializers.ChoiceField(choices=Visibility.choices, required=False),
                },
            )
        },
        responses={201: DraftListSerializer},
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("Attach the file to import.", field="file")
        draft = import_upload(upload, by=request.user, visibility=request.data.get("visibility") or None)
        return Response(DraftListSerializer(draft).data, status=status.HTTP_201_CREATED)


def import_upload(upload, *, by, visibility=None):
    """Markdown or JSON by the file's name (or its first character)."""
    from ..services import imports

    content = upload.read(imports.MAX_IMPORT_BYTES + 1)
    if visibility is not None and visibility not in Visibility.values:
        raise InvalidInput(f"Choose one of: {', '.join(Visibility.values)}.", field="visibility")
    as_json = upload.name.lower().endswith(".json") or content.lstrip()[:1] == b"{"
    if as_json:
        return imports.draft_import_json(content=content, by=by, visibility=visibility)
    return imports.draft_import_markdown(content=content, by=by, visibility=visibility or Visibility.MEMBERS)
