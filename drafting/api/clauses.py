"""Clauses: the text, its versions, diffs and reverts (API.md "Clauses")."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from codeofconduct.inputs import LARGEST_ID, whole_number

from .. import selectors, services
from ..diff import word_diff
from ..models import (
    Clause,
    ClauseStatus,
    CosponsorAdmission,
    Phase,
    number_label,
    paragraph_ref,
)
from ..naming import Naming, naming_for, reader_of
from ..selectors import reading
from ..selectors.cosponsors import name_cosponsors
from .common import DiffChangeSerializer, required_id, timestamps, validated
from .speaking import SpeakingForSerializer, named_in, speaking_as_field, speaking_context, version_named_in
from .translations import TranslationDetailSerializer, TranslationSerializer, translation_asked, translations_asked


class ClauseSerializer(serializers.ModelSerializer):
    """A clause in the API: its fields declare the schema; every answer, from the ORM or from the hot
    reads (``selectors.reading``), is written by ``clause_data``."""

    proposer = serializers.SerializerMethodField(
        help_text="Who proposed it; null for the zero draft, and under the Chatham House rule (but to the proposer)."
    )
    speaking_for = serializers.SerializerMethodField(help_text="What the proposer spoke for when proposing it.")
    draft = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    label = serializers.CharField(read_only=True, help_text="The number as cited: “16”, “16 bis”.")
    ref = serializers.CharField(
        read_only=True, help_text="The paragraph as cited in UN style: “PP2” (preambular), “OP16 bis” (operative)."
    )
    tally = serializers.SerializerMethodField()
    my_vote = serializers.SerializerMethodField()

    class Meta:
        model = Clause
        fields = [
            "id",
            "draft",
            "section",
            "number",
            "number_suffix",
            "label",
            "ref",
            "title",
            "text",
            "text_html",
            "rationale",
            "status",
            "proposer",
            "speaking_for",
            "round",
            "version",
            "tally",
            "my_vote",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _named(self, clause):
        username = clause.proposer.username if clause.proposer_id else None
        return named_in(
            self.context,
            lambda: clause.draft_id,
            clause.proposer_id,
            username,
            clause.created_at,
            round_id=clause.round_id,
            as_chair=clause.proposed_as_chair,
        )

    def get_proposer(self, clause) -> str | None:
        return self._named(clause).name

    def get_speaking_for(self, clause) -> SpeakingForSerializer:
        return self._named(clause).data()

    def get_tally(self, clause) -> dict | None:
        """Yes / no / abstain in the current round, when the round lets this reader see them."""
        return tally_for(self.context, ("clause", clause.id))

    def get_my_vote(self, clause) -> str | None:
        return self.context.get("my_votes", {}).get(("clause", clause.id))

    def to_representation(self, clause) -> dict:
        return clause_data(
            clause,
            draft_slug=clause.draft.slug,
            tally=self.get_tally(clause),
            my_vote=self.get_my_vote(clause),
            named=self._named(clause),
        )


class ClauseDetailSerializer(ClauseSerializer):
    """A clause read alone: with its co-sponsors (the clause list leaves them out, as it does a
    clause's history: one read per page more on the platform's hottest list)."""

    cosponsorship = serializers.ChoiceField(
        choices=CosponsorAdmission.choices,
        read_only=True,
        help_text="The proponent's setting: co-sponsors join at once (`open`) or on its acceptance.",
    )
    cosponsors = SpeakingForSerializer(
        many=True,
        read_only=True,
        help_text="The delegations co-sponsoring it, oldest first; groups only under the Chatham House rule.",
    )
    # Not read-only, so that the schema does not require it: it comes with ``?lang=`` only.
    translation = TranslationDetailSerializer(
        required=False, help_text="With `?lang=`: the paragraph in that language and its standing."
    )

    class Meta(ClauseSerializer.Meta):
        fields = [*ClauseSerializer.Meta.fields, "cosponsorship", "cosponsors", "translation"]
        read_only_fields = fields

    def to_representation(self, clause) -> dict:
        """As ``ClauseDetailView`` answers from the hot read (``tests/drafting/test_reading.py``)."""
        answer = super().to_representation(clause)
        return answer | cosponsor_fields(
            naming_for(self.context, reader_of(self.context), lambda: clause.draft_id), clause
        )


def cosponsor_fields(naming: Naming, proposal) -> dict:
    """A proposal's ``cosponsorship`` and ``cosponsors`` as the API gives them (one query, none for
    the Chair's proposal, which takes no co-sponsors)."""
    name_cosponsors(naming, [proposal])
    return {"cosponsorship": proposal.cosponsorship, "cosponsors": proposal.cosponsors.data()}


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 1, "description": "The id of a paragraph of the text in the section."},
            {"type": "string", "enum": [services.AT_START], "description": "Before the section's first paragraph."},
        ]
    }
)
class PlaceField(serializers.Field):
    """Where a new clause goes in its section: after the paragraph with this id, or at the start;
    null or left out, at the end. Which paragraphs qualify is the service's rule."""

    # Translators: {start} is the word "start", sent as it is.
    default_error_messages = {"invalid": gettext_lazy("Give the id of a paragraph of the section, or “{start}”.")}

    def to_internal_value(self, data):
        if data == services.AT_START:
            return data
        value = None
        if isinstance(data, int) and not isinstance(data, bool):
            value = data
        elif isinstance(data, str):  # a form-encoded body's, or JSON's "12"
            value = whole_number(data)
        if value is None or not 1 <= value <= LARGEST_ID:
            self.fail("invalid", start=services.AT_START)
        return value

    def to_representation(self, value):
        return value


class ClauseCreateSerializer(serializers.Serializer):
    section = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True, trim_whitespace=False)
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    speaking_as = speaking_as_field()
    after = PlaceField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Where the clause goes in its section: after the paragraph with this id (after OP16 it is "
        "“16 bis”; “16 A” when 16 bis already follows 16), `start` for before the section's first paragraph, "
        "or null (the default) for the end. Cited numbers never move: a revision renumbers the text.",
    )


class ClauseUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    title = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ClauseStatus.choices, required=False)
    section = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    on_proposal_of = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**62,
        help_text="Moderators: the organization whose proposal the change takes, as the Chair edits in the room; "
        "the version is then the Chair's, “on the proposal of” that delegation.",
    )


class ClauseRevertSerializer(serializers.Serializer):
    to_version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=1000)


class ClauseVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    number = serializers.IntegerField()
    number_suffix = serializers.IntegerField()
    label = serializers.SerializerMethodField(help_text="The clause's number as cited then: “16 bis”.")
    ref = serializers.SerializerMethodField(help_text="The paragraph as cited then in UN style: “OP16 bis”.")
    title = serializers.CharField()
    text = serializers.CharField()
    status = serializers.CharField()
    changed_by = serializers.SerializerMethodField()
    speaking_for = serializers.SerializerMethodField(help_text="What the person who made the change spoke for then.")
    on_proposal_of = serializers.SerializerMethodField(
        help_text="The delegation on whose proposal the Chair made the change (a live session's edit); only its "
        "group under the Chatham House rule; null when the Chair acted alone or it was not the Chair."
    )
    changed_at = serializers.DateTimeField(source="history_date")
    reason = serializers.CharField(source="history_change_reason", allow_null=True)

    def _named(self, record):
        return version_named_in(self.context, lambda: record.draft_id, record)

    def get_changed_by(self, record) -> str | None:
        return self._named(record).name

    def get_speaking_for(self, record) -> SpeakingForSerializer:
        return self._named(record).data()

    @extend_schema_field(SpeakingForSerializer(allow_null=True))
    def get_on_proposal_of(self, record):
        return self._named(record).proposed_by_data()

    def get_label(self, record) -> str:
        return number_label(record.number, record.number_suffix)

    def get_ref(self, record) -> str:
        return paragraph_ref(record.number, record.number_suffix, preambular=record.preambular)


# Built with type() because one of the contract's field names, "from", is a Python keyword.
DiffSerializer = type(
    "DiffSerializer",
    (serializers.Serializer,),
    {
        "from": serializers.IntegerField(),
        "to": serializers.IntegerField(),
        "changes": DiffChangeSerializer(many=True),
    },
)


def clause_data(clause, *, draft_slug: str, tally: dict | None, my_vote: str | None, named, times=None) -> dict:
    """A clause as the API gives it (``ClauseSerializer``'s fields), without DRF's per-field
    machinery, which the hot reads cannot afford; ``times``: the answer's ``timestamps()``, for a list."""
    times = times or timestamps()
    return {
        "id": clause.id,
        "draft": draft_slug,
        "section": clause.section_id,
        "number": clause.number,
        "number_suffix": clause.number_suffix,
        "label": clause.label,
        "ref": clause.ref,
        "title": clause.title,
        "text": clause.text,
        "text_html": clause.text_html,
        "rationale": clause.rationale,
        "status": clause.status,
        "proposer": named.name,
        "speaking_for": named.data(),
        "round": clause.round_id,
        "version": clause.version,
        "tally": tally,
        "my_vote": my_vote,
        "created_at": times.to_representation(clause.created_at),
        "updated_at": times.to_representation(clause.updated_at),
    }


def proposer_named(naming: Naming, clause):
    """The proposer of a clause read by ``selectors.reading`` (``proposer_name`` and what they spoke
    for beside the row)."""
    return naming.person(
        clause.proposer_id,
        clause.proposer_name,
        clause.created_at,
        round_id=clause.round_id,
        spoke=reading.proposer_speaking(clause),
        as_chair=clause.proposed_as_chair,
    )


def reading_tallies(round_, standing: str, *, clauses):
    """``clause -> tally or None``, as ``vote_context`` and ``tally_for`` decide it, in at most one query."""
    if not selectors.tallies_visible(round_, standing):
        return lambda clause: None
    counted = {}
    if round_.phase in (Phase.VOTING, Phase.CLOSED):
        counted = selectors.tallies(round_, clauses=clauses)
    return lambda clause: counted.get(("clause", clause.id), {"yes": 0, "no": 0, "abstain": 0})


class ClausePages:
    """The draft's clauses in reading order, as a paginator slices them: a count and one page, one query each."""

    def __init__(self, user, draft, round_):
        self.user, self.draft, self.round = user, draft, round_

    def count(self) -> int:
        return reading.clause_count(self.draft)

    def __getitem__(self, window: slice) -> list:
        return reading.clause_page(
            self.user, self.draft, self.round, limit=window.stop - window.start, offset=window.start
        )


def tally_for(context, key):
    if not context.get("tallies_visible"):
        return None
    return context.get("tallies", {}).get(key, {"yes": 0, "no": 0, "abstain": 0})


class ClauseInLanguageSerializer(ClauseSerializer):
    """A clause of the list, with its translation when ``?lang=`` asks for one."""

    # Not read-only, so that the schema does not require it: it comes with ``?lang=`` only.
    translation = TranslationSerializer(
        required=False,
        help_text="With `?lang=`: the paragraph in that language and its standing (its redline since the "
        "version translated is in the clause's own read).",
    )

    class Meta(ClauseSerializer.Meta):
        fields = [*ClauseSerializer.Meta.fields, "translation"]
        read_only_fields = fields


class DraftClausesView(GenericAPIView):
    serializer_class = ClauseSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "lang",
                str,
                description="A language of the six (`fr`, `fr-CA`): each clause adds `translation`, the paragraph in "
                "it with its standing, unless it is the original's language; the text itself stays the original. "
                "Another language: 400.",
            )
        ],
        responses=ClauseInLanguageSerializer(many=True),
    )
    def get(self, request, slug: str):
        draft, standing, round_ = reading.draft_reading(request.user, slug)
        page = self.paginate_queryset(ClausePages(request.user, draft, round_))
        translated = translations_asked(draft, page, request.GET["lang"]) if request.GET.get("lang") else None
        tallies = reading_tallies(round_, standing, clauses=page)
        naming = Naming(request.user, draft.pk, chair=draft.chair_name).rounds()
        times = timestamps()
        clauses = [
            clause_data(
                clause,
                draft_slug=draft.slug,
                tally=tallies(clause),
                my_vote=clause.reader_vote,
                named=proposer_named(naming, clause),
                times=times,
            )
            for clause in page
        ]
        if translated is not None:
            clauses = [
                data | {"translation": translated[clause.pk]} for data, clause in zip(clauses, page, strict=True)
            ]
        return self.get_paginated_response(clauses)

    @extend_schema(
        request=ClauseCreateSerializer,
        responses={
            201: ClauseSerializer,
            409: OpenApiResponse(description="Participants propose clauses only while a round is open."),
        },
    )
    def post(self, request, slug: str):
        draft, _standing = selectors.draft_for(request.user, slug)
        data = validated(ClauseCreateSerializer, request.data)
        clause = services.clause_create(
            draft=draft,
            section_id=data["section"],
            title=data["title"],
            text=data["text"],
            rationale=data["rationale"],
            speaking_as=data.get("speaking_as"),
            after=data["after"],
            by=request.user,
        )
        return Response(ClauseSerializer(clause, context={"request": request}).data, status=status.HTTP_201_CREATED)


class ClauseDetailView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "lang",
                str,
                description="A language of the six (`fr`, `fr-CA`): the answer adds `translation`, the paragraph in "
                "it with its standing (`GET /api/v1/clauses/{id}/translations/{lang}/`), unless it is the "
                "original's language; the text itself stays the original. Another language: 400.",
            )
        ],
        responses=ClauseDetailSerializer,
    )
    def get(self, request, clause_id: int):
        clause, standing, round_, my_vote = reading.clause_reading(request.user, clause_id)
        tallies = reading_tallies(round_, standing, clauses=[clause])
        # The round read with the clause settles the rule when the clause was proposed in it (or in none).
        naming = Naming(request.user, clause.draft_id, known=[round_])
        named = proposer_named(naming, clause)
        data = clause_data(clause, draft_slug=clause.draft_slug, tally=tallies(clause), my_vote=my_vote, named=named)
        data |= cosponsor_fields(naming, clause)
        if request.GET.get("lang") and (found := translation_asked(request.user, clause_id, request.GET["lang"])):
            data["translation"] = found
        return Response(data)

    @extend_schema(
        request=ClauseUpdateSerializer,
        responses={
            200: ClauseSerializer,
            409: OpenApiResponse(
                description="The version is stale (the body has `current_version`), or the round's phase forbids it."
            ),
        },
    )
    def patch(self, request, clause_id: int):
        selectors.clause_for(request.user, clause_id)  # 404 before field errors for what they can't see
        data = validated(ClauseUpdateSerializer, request.data)
        clause = services.clause_update(
            clause_id=clause_id,
            version=data["version"],
            by=request.user,
            title=data.get("title"),
            text=data.get("text"),
            status=data.get("status"),
            section_id=data.get("section"),
            reason=data["reason"],
            on_proposal_of=data.get("on_proposal_of"),
        )
        return Response(ClauseSerializer(clause, context={"request": request}).data)


class ClauseHistoryView(GenericAPIView):
    serializer_class = ClauseVersionSerializer

    @extend_schema(responses=ClauseVersionSerializer(many=True))
    def get(self, request, clause_id: int):
        clause, _standing = selectors.clause_for(request.user, clause_id)
        page = self.paginate_queryset(selectors.clause_history(clause))
        context = {"request": request, "naming": Naming(request.user, clause.draft_id)}
        context |= speaking_context((record.history_user_id, record.history_date) for record in page)
        return self.get_paginated_response(ClauseVersionSerializer(page, many=True, context=context).data)


class ClauseDiffView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("from", int, required=True), OpenApiParameter("to", int, required=True)],
        responses=DiffSerializer,
    )
    def get(self, request, clause_id: int):
        clause, _standing = selectors.clause_for(request.user, clause_id)
        versions = {name: required_id(request, name, message=_("Give a version number.")) for name in ("from", "to")}
        old = selectors.clause_version(clause, versions["from"])
        new = selectors.clause_version(clause, versions["to"])
        return Response({"from": old.version, "to": new.version, "changes": word_diff(old.text, new.text)})


class ClauseRevertView(APIView):
    @extend_schema(
        request=ClauseRevertSerializer,
        responses={
            200: ClauseSerializer,
            409: OpenApiResponse(description="The clause is at that version already, or the round's phase forbids it."),
        },
    )
    def post(self, request, clause_id: int):
        selectors.clause_for(request.user, clause_id)
        data = validated(ClauseRevertSerializer, request.data)
        clause = services.clause_revert(clause_id=clause_id, by=request.user, **data)
        return Response(ClauseSerializer(clause, context={"request": request}).data)
