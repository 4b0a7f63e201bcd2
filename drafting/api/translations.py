"""A draft's text in the other official languages: its translators, and each paragraph's
translation with its standing (``current``, ``outdated`` since version N, ``missing``).

Votes are on the original only: a translation is for reading and is never on a ballot.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from codeofconduct.errors import InvalidInput
from codeofconduct.inputs import LARGEST_ID

from .. import rules, selectors, services
from ..models import Language, Translator, primary_language
from ..selectors.translations import (
    CURRENT,
    OUTDATED,
    STATES,
    Standing,
    changes_since,
    clause_translation,
    clause_translations,
    target_languages,
    text_translations,
    translators_of,
)
from ..services.translations import target_language
from .common import DiffChangeSerializer, validated


class TranslationStandingSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices)
    state = serializers.ChoiceField(choices=STATES)
    of_version = serializers.IntegerField(allow_null=True, help_text="The version of the original it translates.")
    outdated_since = serializers.IntegerField(
        allow_null=True, help_text="When outdated: the first version of the original it does not translate."
    )


class TranslationSerializer(TranslationStandingSerializer):
    title = serializers.CharField(allow_null=True)
    text = serializers.CharField(allow_null=True)
    text_html = serializers.CharField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True)
    original_version = serializers.IntegerField(help_text="The original's current version.")
    original_title = serializers.CharField(
        help_text="The original's current title (its changes are not in the redline)."
    )
    votes_on = serializers.CharField(help_text="Votes are always on the original, in this language.")


class TranslationDetailSerializer(TranslationSerializer):
    changes_since = DiffChangeSerializer(
        many=True,
        allow_null=True,
        help_text="When outdated: the original's changes, word by word, since the version it translates.",
    )


class TranslationWriteSerializer(serializers.Serializer):
    of_version = serializers.IntegerField(
        min_value=1, max_value=LARGEST_ID, help_text="The original's version translated: its current one, else 409."
    )
    title = serializers.CharField(trim_whitespace=False)  # its limit told by the service (413)
    text = serializers.CharField(trim_whitespace=False)


class TranslatorSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Translator
        fields = ["id", "user", "language", "created_at"]
        read_only_fields = fields


class TranslatorCreateSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, max_value=LARGEST_ID, help_text="The id of a member of the draft.")
    language = serializers.ChoiceField(choices=Language.choices)


def translation_data(clause, translation, standing, *, votes_on: str | None = None) -> dict:
    return {
        **standing.as_data(),
        "title": translation.title if translation else None,
        "text": translation.text if translation else None,
        "text_html": translation.text_html if translation else None,
        "updated_at": translation.updated_at if translation else None,
        "original_version": clause.version,
        "original_title": clause.title,
        "votes_on": votes_on or clause.draft.original_language,
    }


def translation_in(user, clause_id: int, language: str) -> dict:
    """The paragraph in ``language`` with its standing, as ``GET .../translations/{lang}/`` answers
    (404 for a language it is not translated into)."""
    clause, _standing = selectors.clause_for(user, clause_id)
    return _translation_of(clause, target_language(clause.draft, language))


def asked_language(lang: str) -> str:
    """``?lang=``'s language of the six (``fr-CA`` is French); 400 for another."""
    language = primary_language(lang)
    if language not in Language.values:
        raise InvalidInput(
            _("Ask for one of the six languages: %(codes)s.") % {"codes": ", ".join(Language.values)}, field="lang"
        )
    return language


def translations_asked(draft, clauses: list, lang: str) -> dict[int, dict] | None:
    """What ``?lang=`` adds to each clause of a list, by clause id: its translation and standing
    (two queries for the page; the redline since is the clause's own read). None for the
    original's own language; 400 for a language not of the six."""
    language = asked_language(lang)
    if language not in target_languages(draft):
        return None
    found = text_translations(clauses, language)
    return {
        clause.pk: translation_data(clause, *found[clause.pk], votes_on=draft.original_language) for clause in clauses
    }


def translation_asked(user, clause_id: int, lang: str) -> dict | None:
    """What ``?lang=`` adds to a read of the clause: its translation into that language (``fr-CA``
    is French), None for the original's own language; 400 for a language not of the six."""
    language = asked_language(lang)
    clause, _standing = selectors.clause_for(user, clause_id)
    if language not in target_languages(clause.draft):  # the original's own
        return None
    return _translation_of(clause, language)


def _translation_of(clause, language: str) -> dict:
    translation, standing = clause_translation(clause, language)
    since = standing.of_version if standing.state == OUTDATED else None
    return translation_data(clause, translation, standing) | {"changes_since": changes_since(clause, since)}


class ClauseTranslationsView(APIView):
    @extend_schema(
        summary="A paragraph in each language its draft is translated into, with each one's standing",
        responses=TranslationSerializer(many=True),
    )
    def get(self, request, clause_id: int):
        clause, _standing = selectors.clause_for(request.user, clause_id)
        return Response([translation_data(clause, *found) for found in clause_translations(clause)])


class ClauseTranslationView(APIView):
    @extend_schema(
        summary="A paragraph's translation into one language, its standing and the original's changes since",
        responses={200: TranslationDetailSerializer, 404: OpenApiResponse(description="Not a language it is in.")},
    )
    def get(self, request, clause_id: int, language: str):
        return Response(translation_in(request.user, clause_id, language))

    @extend_schema(
        summary="Write a paragraph's translation of the original's current version (its translators, moderators)",
        request=TranslationWriteSerializer,
        responses={
            200: TranslationDetailSerializer,
            201: TranslationDetailSerializer,
            409: OpenApiResponse(description="The original has moved on: the body has `current_version`."),
        },
    )
    def put(self, request, clause_id: int, language: str):
        selectors.clause_for(request.user, clause_id)  # 404 before field errors for what they can't see
        data = validated(TranslationWriteSerializer, request.data)
        translation, created = services.translation_save(
            clause_id=clause_id, language=language, by=request.user, **data
        )
        # Saved against the original's current version: current, with no changes since.
        standing = Standing(translation.language, CURRENT, translation.of_version)
        body = translation_data(translation.clause, translation, standing) | {"changes_since": None}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class DraftTranslatorsView(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = TranslatorSerializer
    queryset = Translator.objects.none()  # read through selectors; this names the model for the schema
    pagination_class = None

    @extend_schema(
        summary="Who translates the draft, and into what (moderators)", responses=TranslatorSerializer(many=True)
    )
    def get(self, request, slug: str):
        draft, standing = selectors.draft_for(request.user, slug)
        rules.check("translator_appoint", rules.Subject(standing))
        return Response(TranslatorSerializer(translators_of(draft), many=True).data)

    @extend_schema(
        summary="Appoint a member of the draft to translate it into a language (moderators)",
        request=TranslatorCreateSerializer,
        responses={
            201: TranslatorSerializer,
            200: OpenApiResponse(TranslatorSerializer, description="Appointed already: nothing changed."),
        },
    )
    def post(self, request, slug: str):
        draft, _standing = selectors.draft_for(request.user, slug)
        data = validated(TranslatorCreateSerializer, request.data)
        translator, created = services.translator_appoint(
            draft=draft, user_id=data["user"], language=data["language"], by=request.user
        )
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(TranslatorSerializer(translator).data, status=answer)


class DraftTranslatorView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="End an appointment to translate (moderators)", responses={204: None})
    def delete(self, request, slug: str, translator_id: int):
        draft, _standing = selectors.draft_for(request.user, slug)
        services.translator_remove(draft=draft, translator_id=translator_id, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
