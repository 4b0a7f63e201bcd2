"""Akoma Ntoso 3.0 (OASIS LegalDocML): a ``doc`` named by the AKN naming convention, its identity in
the ``preface``, the preambular paragraphs as ``recital`` in the ``preamble`` and the operative ones
as ``paragraph`` in numbered ``section`` of the ``mainBody``.

Every paragraph has an ``eId`` from where it stands ("sec_I__para_OP3") and a ``wId`` from the
clause it is ("para_c42"), which stays the same from one revision to the next while its number
changes. A clause's status is its ``class``; square brackets are only ever the text's own. Sources
are ``authorialNote`` footnotes. A redline marks changes with the inline ``ins`` and ``del``; a
paragraph removed since the earlier revision is kept, all in ``del``, with ``status="removed"``.
"""

from datetime import UTC

from lxml import etree

from .document import Edition
from .style import language_name, safe_name

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
E = f"{{{AKN}}}"
# FRBRlanguage takes ISO 639-2 codes; drafts record BCP 47 ones ("en", "fr-CA").
LANGUAGES = {"en": "eng", "fr": "fra", "es": "spa", "ar": "ara", "zh": "zho", "ru": "rus"}
ISSUING_BODY = "issuingBody"


def _el(parent, tag, text=None, **attrs):
    element = etree.SubElement(parent, E + tag, {k.rstrip("_"): str(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def language_code(language: str) -> str:
    """The three-letter code of a BCP 47 tag: "en" -> "eng"; a three-letter tag stays as it is."""
    base = (language or "en").split("-")[0].lower()
    return LANGUAGES.get(base, base if len(base) == 3 else "und")


def identity(document) -> dict:
    """The FRBR names of the document (AKN naming convention ``/akn/<country>/<type>/<subtype>/<date>/<number>``):
    the Work is the draft, dated when it was created; each Expression is one text of it, in its
    original language and dated as that text is, with its Rev.N (or "working") so two revisions of
    one day differ; the Manifestation is this XML file of it."""
    draft = document.draft
    work_date = f"{draft.created_at:%Y-%m-%d}"
    text_date = f"{document.date:%Y-%m-%d}"
    language = language_code(document.language)
    work = f"/akn/un/doc/draft/{work_date}/{safe_name(document.symbol)}"
    expression = _expression(work, language, document.date, document.revision)
    if document.edition == Edition.WORKING:
        # The working text changes within a day: its time tells two of one day apart.
        expression = f"{expression}-{document.date.astimezone(UTC):%H%M%S}"
    names = {"work": work, "work_date": work_date, "subtype": "draft", "compares": []}
    if document.edition == Edition.COMPARISON:
        # A comparison is a work of its own, made for convenience: dated as the newer text, named by
        # the two texts it compares, whose Expressions it refers to.
        compared = [
            _expression(work, language, document.redline_date or document.date, document.redline_revision),
            expression,
        ]
        pair = f"{safe_name(document.redline_rev)}-{safe_name(document.name)}"
        work = f"/akn/un/doc/comparison/{text_date}/{safe_name(document.symbol)}-{pair}"
        expression = f"{work}/{language}@{text_date}"
        names.update(work=work, work_date=text_date, subtype="comparison", compares=compared)
    return {
        **names,
        "expression": expression,
        "text_date": text_date,
        "language": language,
        "manifestation": f"{expression}.akn",
    }


def _expression(work: str, language: str, date, revision: int | None) -> str:
    """One text of the draft: "<work>/eng@2026-12-07;rev-2" (the original "orig", the working text "working")."""
    version = "working" if revision is None else (f"rev-{revision}" if revision else "orig")
    return f"{work}/{language}@{date:%Y-%m-%d};{version}"


def _frbr(parent, level: str, this: str, uri: str, date: str, date_name: str):
    block = _el(parent, level)
    _el(block, "FRBRthis", value=this)
    _el(block, "FRBRuri", value=uri)
    _el(block, "FRBRdate", date=date, name=date_name)
    _el(block, "FRBRauthor", href=f"#{ISSUING_BODY}")
    return block


def _meta(doc, document, names: dict) -> None:
    meta = _el(doc, "meta")
    identification = _el(meta, "identification", source=f"#{ISSUING_BODY}")
    work = _frbr(identification, "FRBRWork", f"{names['work']}/!main", names["work"], names["work_date"], "creation")
    _el(work, "FRBRcountry", value="un")
    _el(work, "FRBRsubtype", value=names["subtype"])
    _el(work, "FRBRnumber", value=document.full_symbol if names["compares"] else document.symbol)
    _el(work, "FRBRname", value=document.title)
    text_kind = {Edition.COMPARISON: "comparison", Edition.WORKING: "workingText"}.get(document.edition, "revision")
    expression = _frbr(
        identification,
        "FRBRExpression",
        f"{names['expression']}/!main",
        names["expression"],
        names["text_date"],
        text_kind,
    )
    if document.edition == Edition.CIRCULATED:
        _el(expression, "FRBRversionNumber", value=document.rev or "original")
    _el(expression, "FRBRlanguage", language=names["language"])
    _frbr(
        identification,
        "FRBRManifestation",
        f"{names['expression']}/!main.akn",
        names["manifestation"],
        names["text_date"],
        text_kind,
    )
    references = _el(meta, "references", source=f"#{ISSUING_BODY}")
    # The texts a comparison compares, then who issued it (references list documents before concepts).
    compared = zip(names["compares"], (document.redline_rev, document.name), strict=False)
    for number, (uri, shown) in enumerate(compared, 1):
        _el(references, "activeRef", eId=f"compared_{number}", href=uri, showAs=shown)
    _el(
        references,
        "TLCOrganization",
        eId=ISSUING_BODY,
        href=f"/ontology/organization/un/{safe_name(document.issuing_body)}",
        showAs=document.issuing_body,
    )


def _preface(doc, document) -> None:
    preface = _el(doc, "preface")
    _el(_el(preface, "p", "", class_="title"), "docTitle", document.title)
    _el(_el(preface, "p", "", class_="symbol"), "docNumber", document.full_symbol)
    stage = _el(preface, "p", "", class_="stage")
    _el(stage, "docStage", document.stage)
    stage[-1].tail = ", "
    _el(stage, "docDate", f"{document.date.day} {document.date:%B %Y}", date=f"{document.date:%Y-%m-%d}")
    _el(preface, "p", f"Distribution: {document.distribution}", class_="distribution")
    _el(preface, "p", f"Original: {language_name(document.language)}", class_="language")
    _el(_el(preface, "p", "", class_="issuingBody"), "organization", document.issuing_body, refersTo=f"#{ISSUING_BODY}")
    if document.notice:
        _el(preface, "p", document.notice, class_="notice")
    if document.redline_label:
        _el(preface, "p", f"Changes since {document.redline_rev}", class_="redline")


def _eid_number(text: str) -> str:
    """An eId part has no spaces: "OP16 bis" -> "OP16bis"."""
    return text.replace(" ", "")


class _Notes:
    """Footnote markers numbered through the document."""

    def __init__(self):
        self.count = 0

    def add(self, paragraph_p, owner_eid: str, rationale: str) -> None:
        self.count += 1
        note = _el(
            paragraph_p,
            "authorialNote",
            marker=str(self.count),
            placement="bottom",
            eId=f"{owner_eid}__authorialNote_{self.count}",
        )
        for line in [p.strip() for p in rationale.split("\n\n") if p.strip()]:
            _el(note, "p", line)


def _redline_paragraphs(ops: list[dict]) -> list[list[tuple[str, str]]]:
    """The redline's changes split into paragraphs at blank lines: ``[[(op, text), ...], ...]``."""
    paragraphs: list[list[tuple[str, str]]] = [[]]
    for change in ops:
        for index, part in enumerate(change["text"].split("\n\n")):
            if index:
                paragraphs.append([])
            if part:
                paragraphs[-1].append((change["op"], part))
    return [p for p in paragraphs if any(text.strip() for _, text in p)] or [[]]


def _append_text(element, text: str) -> None:
    """Text after ``element``'s last child (or in it when it has none)."""
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _content(container, clause, eid: str, notes: _Notes, document) -> None:
    """The clause's text as ``p`` blocks, with its rationale as a footnote at the end."""
    blocks = []
    if clause.redline is not None:
        for paragraph in _redline_paragraphs(clause.redline):
            p = _el(container, "p", "")  # mixed content: no indentation may be added inside it
            for op, text in paragraph:
                if op == "equal":
                    _append_text(p, text)
                else:
                    _el(p, "ins" if op == "insert" else "del", text)
            blocks.append(p)
    else:
        paragraphs = clause.paragraphs
        for index, paragraph in enumerate(paragraphs):
            if clause.bracketed:
                paragraph = ("[" if index == 0 else "") + paragraph + ("]" if index == len(paragraphs) - 1 else "")
            blocks.append(_el(container, "p", paragraph))
    if document.cites_note(clause):
        notes.add(blocks[-1], eid, clause.rationale)


def _wid(clause) -> str:
    return f"para_c{clause.clause_id}"


def _classes(clause) -> str:
    return " ".join(filter(None, [clause.status, *(c["kind"] for c in clause.changes)]))


def render(document) -> bytes:
    names = identity(document)
    root = etree.Element(E + "akomaNtoso", nsmap={None: AKN})
    doc = _el(root, "doc", name="codeOfConduct")
    _meta(doc, document, names)
    _preface(doc, document)
    notes = _Notes()

    preamble_sections = [s for s in document.sections if s.is_preamble]
    if preamble_sections:
        preamble = _el(doc, "preamble")
        for index, section in enumerate(preamble_sections, 1):
            recitals = _el(preamble, "recitals", eId=f"recitals_{index}")
            _el(recitals, "heading", section.title)
            for clause in section.clauses:
                eid = f"recitals_{index}__rec_{_eid_number(clause.ref)}"
                # Preambular paragraphs carry no number in the text (UN style): the eId cites them.
                recital = _el(recitals, "recital", eId=eid, wId=_wid(clause), class_=_classes(clause))
                _content(recital, clause, eid, notes, document)

    body = _el(doc, "mainBody")
    for section in (s for s in document.sections if not s.is_preamble):
        section_id = f"sec_{section.numeral}"
        element = _el(body, "section", eId=section_id)
        _el(element, "num", section.numeral)
        _el(element, "heading", section.title)
        for clause in section.clauses:
            eid = f"{section_id}__para_{_eid_number(clause.ref)}"
            paragraph = _el(element, "paragraph", eId=eid, wId=_wid(clause), class_=_classes(clause))
            # "3." in a circulated text, "OP3." elsewhere; the title only where the edition prints it.
            number = document.number(clause)
            _el(paragraph, "num", number if number.endswith(".") else f"{clause.ref}.")
            if document.shows_titles and clause.title:
                _el(paragraph, "heading", clause.title)
            if clause.previous_ref and document.redline_label:  # a circulated text cites its own numbers only
                _el(paragraph, "subheading", f"Formerly {clause.previous_ref}", class_="formerly")
            _content(_el(paragraph, "content"), clause, eid, notes, document)
    if document.removed:
        element = _el(body, "section", eId="sec_removed", class_="removed")
        _el(element, "heading", f"Paragraphs removed since {document.redline_rev}")
        for clause in document.removed:
            eid = f"sec_removed__para_{_eid_number(clause.ref)}"
            paragraph = _el(element, "paragraph", eId=eid, wId=_wid(clause), status="removed", class_=_classes(clause))
            _el(paragraph, "num", f"{clause.ref}.")
            if clause.title:
                _el(paragraph, "heading", clause.title)
            _content(_el(paragraph, "content"), clause, eid, notes, document)
    if not len(body):
        _el(body, "p")  # a mainBody is never empty
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
