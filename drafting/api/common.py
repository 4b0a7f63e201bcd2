"""What every resource's API views share: input checks and the vote context.

Who may call what is the default permission class (read: anyone, write: signed in; see settings)
and, past that, the rules the services check (drafting/rules.py).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers

from codeofconduct.errors import InvalidInput
from codeofconduct.inputs import whole_number

from .. import selectors
from ..documents import FORMATS
from ..models import Phase


def validated(serializer_class, data) -> dict:
    """The request body's fields, shape-checked (400 naming the field); rules are the services' job."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def timestamps() -> serializers.DateTimeField:
    """DRF's ``DateTimeField`` for one answer, in the reader's time zone read once: DRF reads it from
    a context-local for every value otherwise, which cost a list of fifty clauses a tenth of its time."""
    return serializers.DateTimeField(default_timezone=timezone.get_current_timezone())


def id_param(request, name: str, *, message: str | None = None) -> int | None:
    """An optional id in the query string; 400 naming it when it is not a number (``message``, by
    default "Give an id.")."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    value = whole_number(raw)
    if value is None:
        raise InvalidInput(message or _("Give an id."), field=name)
    return value


def required_id(request, name: str, *, message: str) -> int:
    value = id_param(request, name, message=message)
    if value is None:
        raise InvalidInput(message, field=name)
    return value


def export_file_responses() -> dict:
    """The 200 answers of an export download, one per content type its formats send (for the schema)."""
    responses = {}
    for _renderer, content_type, _extension in FORMATS.values():
        media_type = content_type.split(";")[0]
        responses[(200, media_type)] = OpenApiTypes.OBJECT if media_type == "application/json" else OpenApiTypes.BINARY
    return responses


def vote_context(request, draft, standing, *, clauses=(), amendments=()) -> dict:
    """Tallies (when this reader may see them) and the reader's own votes in the draft's current round."""
    round_ = selectors.current_round(draft)
    context = {"request": request, "tallies_visible": selectors.tallies_visible(round_, standing)}
    if round_ is not None and round_.phase in (Phase.VOTING, Phase.CLOSED):
        if context["tallies_visible"]:
            context["tallies"] = selectors.tallies(round_, clauses=clauses, amendments=amendments)
        context["my_votes"] = selectors.my_votes(request.user, round_, clauses=clauses, amendments=amendments)
    return context


class DiffChangeSerializer(serializers.Serializer):
    """One piece of a word-level diff (``drafting.diff.word_diff``)."""

    op = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()
