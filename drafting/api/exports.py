"""The consolidated draft as a file, export jobs, and importing a draft (API.md "Exports")."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from codeofconduct.errors import Conflict, InvalidInput
from codeofconduct.responses import attachment

from .. import documents, selectors
from ..documents import import_jobs
from ..documents import jobs as export_jobs
from ..models import (
    ExportJob,
    ImportJob,
    Visibility,
)
from .common import export_file_responses
from .drafts import DraftListSerializer


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
    person: 202 with the job to follow, and a notification with the link when it is ready. An
    anonymous reader gets such a file from the cache, or a 202 with Retry-After while a worker
    renders it; anonymous exports are rate-limited per address.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, required=True, enum=list(documents.FORMATS)),
            OpenApiParameter("snapshot", int, description="A snapshot of this draft; none means the current text"),
            OpenApiParameter("redline", int, description="An earlier snapshot to show the changes against"),
            OpenApiParameter(
                "Retry-After", int, OpenApiParameter.HEADER, response=[202, 429], description="Seconds to wait"
            ),
        ],
        responses={
            **export_file_responses(),
            202: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="ExportAccepted",
                    serializers=[
                        ExportJobSerializer,
                        inline_serializer(
                            "ExportPreparing",
                            {"detail": serializers.CharField(), "retry_after": serializers.IntegerField()},
                        ),
                    ],
                    resource_type_field_name=None,
                ),
                description="A large export: the job to follow (signed in), or ask again after Retry-After.",
            ),
            429: OpenApiResponse(
                description="Too many exports asked for from this address without signing in, or (signed in) "
                "as many of your exports being made as one person may have."
            ),
        },
    )
    def get(self, request, slug: str):
        draft, _standing = selectors.draft_for(request.user, slug)
        fmt, snapshot, redline = export_jobs.export_choice(request.query_params, draft)
        try:
            made = export_jobs.export_for_reader(request, draft, fmt, snapshot=snapshot, redline=redline)
        except export_jobs.Preparing as preparing:
            body = {"detail": _("The file is being prepared; ask again shortly."), "retry_after": preparing.retry_after}
            return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Retry-After": str(preparing.retry_after)})
        if isinstance(made, ExportJob):
            return Response(ExportJobSerializer(made).data, status=status.HTTP_202_ACCEPTED)
        return attachment(*made)


class ExportJobView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ExportJobSerializer)
    def get(self, request, job_id: int):
        return Response(ExportJobSerializer(selectors.export_job_for(request.user, job_id)).data)


class ExportDownloadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            **export_file_responses(),
            409: OpenApiResponse(description="The export is not ready (the body has its status)."),
        }
    )
    def get(self, request, job_id: int):
        job = selectors.export_job_for(request.user, job_id)
        if job.status != ExportJob.Status.DONE:
            not_ready = {
                ExportJob.Status.QUEUED: _("The export is queued (%(progress)d%%)."),
                ExportJob.Status.RUNNING: _("The export is running (%(progress)d%%)."),
                ExportJob.Status.FAILED: _("The export is failed (%(progress)d%%)."),
            }
            raise Conflict(not_ready[job.status] % {"progress": job.progress}, status=job.status)
        return attachment(*export_jobs.export_job_file(job, request.user))


class ImportJobSerializer(serializers.ModelSerializer):
    draft = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ImportJob
        fields = ["id", "filename", "status", "progress", "stage", "draft", "error", "created_at", "finished_at"]
        read_only_fields = fields


class NewSymbolSerializer(serializers.Serializer):
    new_symbol = serializers.BooleanField(default=False)


class DraftImportView(APIView):
    """Create a draft from a Markdown file or a JSON export (multipart ``file``).

    A file over IMPORT_IN_WORKER_BYTES is built by a worker: 202 with the job to follow
    (``/api/v1/imports/{id}/``), and a notification when the draft is ready or the file refused.
    """

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "DraftImport",
                {
                    "file": serializers.FileField(),
                    "visibility": serializers.ChoiceField(choices=Visibility.choices, required=False),
                    "new_symbol": serializers.BooleanField(
                        required=False,
                        default=False,
                        help_text="Where another draft holds the file's symbol, give the draft the next free"
                        " one (else 409).",
                    ),
                },
            )
        },
        responses={
            201: DraftListSerializer,
            202: OpenApiResponse(ImportJobSerializer, description="A large file: the job building it in the worker."),
            409: OpenApiResponse(description="Another draft holds the file's symbol (the body names it)."),
            413: OpenApiResponse(description="The file is over the limit (the body says its size and the limit)."),
            429: OpenApiResponse(description="As many of your imports being built as one person may have."),
        },
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(_("Attach the file to import."), field="file")
        options = NewSymbolSerializer(data={"new_symbol": request.data.get("new_symbol", False)})
        options.is_valid(raise_exception=True)
        new_symbol = options.validated_data["new_symbol"]
        made = import_jobs.draft_import_start(
            upload=upload, by=request.user, visibility=request.data.get("visibility") or None, new_symbol=new_symbol
        )
        if isinstance(made, ImportJob):
            response = Response(ImportJobSerializer(made).data, status=status.HTTP_202_ACCEPTED)
            response["Location"] = f"/api/v1/imports/{made.id}/"
            return response
        return Response(DraftListSerializer(made).data, status=status.HTTP_201_CREATED)


class ImportJobView(APIView):
    """A large import's stage; the person who sent the file only (404 for anyone else)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ImportJobSerializer)
    def get(self, request, job_id: int):
        return Response(ImportJobSerializer(import_jobs.import_job_for(request.user, job_id)).data)
