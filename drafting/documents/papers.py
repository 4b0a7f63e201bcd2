"""A closed round's papers, frozen when it closes: its compilation of proposals (and the synoptic
table made from it) and the items of its report are written once, from the round's record as it
stood at the close, and every later file of the round is rendered from what was written.

A round closed before its papers were stored gets them the first time someone asks: its compilation
made from its record as its history kept it at the close (``compilation_build._record``); its report's
items from its stored results, which cite each item as voted but name paragraphs and delegations as
they are when the paper is made.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction

from codeofconduct.languages import in_default_language

from ..models import Phase, Round, RoundPaper


def freeze(round_: Round) -> None:
    """Write the closed round's papers. Call inside the closing transaction, once the revision the
    close publishes is frozen (the synoptic table sets it beside the proposals)."""
    for kind in RoundPaper.Kind.values:
        RoundPaper.objects.create(round=round_, kind=kind, data=_make(round_, kind))


def paper(round_: Round, kind: str) -> dict:
    """The closed round's paper of ``kind`` as it was written (made now for a round closed before
    papers were stored; two readers asking at once get the same one)."""
    assert round_.phase == Phase.CLOSED, "a round's papers are frozen when it closes"
    stored = RoundPaper.objects.filter(round=round_, kind=kind).values_list("data", flat=True).first()
    if stored is not None:
        return stored
    data = _make(round_, kind)
    try:
        with transaction.atomic():
            RoundPaper.objects.create(round=round_, kind=kind, data=data)
    except IntegrityError:  # another reader wrote it first: theirs is the paper
        return RoundPaper.objects.get(round=round_, kind=kind).data
    return data


@in_default_language
def _make(round_: Round, kind: str) -> dict:
    """The paper's data as the database gives it back (dates as text), so the first file rendered
    from it is the same as every later one."""
    from . import compilation, compilation_build, report

    made = (
        compilation.to_data(compilation_build.build_compilation(round_))
        if kind == "compilation"
        else report.items(round_)
    )
    return json.loads(json.dumps(made, cls=DjangoJSONEncoder))
