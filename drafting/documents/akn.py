"""Akoma Ntoso 3.0 (OASIS LegalDocML): a ``doc`` with ``preface`` and ``mainBody``, sections and
clauses as hierarchical elements with stable eIds."""

from lxml import etree

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
E = f"{{{AKN}}}"


def _el(parent, tag, text=None, **attrs):
    element = etree.SubElement(parent, E + tag, {k.rstrip("_"): str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _frbr(parent, level: str, uri: str, date: str, *, country=False, language=False):
    block = _el(parent, level)
    _el(block, "FRBRthis", value=f"{uri}/main")
    _el(block, "FRBRuri", value=uri)
    _el(block, "FRBRdate", date=date, name="Generation")
    _el(block, "FRBRauthor", href="#platform")
    if country:
        _el(block, "FRBRcountry", value="un")
    if language:
        _el(block, "FRBRlanguage", language="eng")


def render(document) -> bytes:
    date = f"{document.date:%Y-%m-%d}"
    work = f"/akn/un/doc/code-of-conduct/{document.draft.slug}"
    root = etree.Element(E + "akomaNtoso", nsmap={None: AKN})
    doc = _el(root, "doc", name="codeOfConduct")
    meta = _el(doc, "meta")
    identification = _el(meta, "identification", source="#platform")
    _frbr(identification, "FRBRWork", work, date, country=True)
    _frbr(identification, "FRBRExpression", f"{work}/eng@{date}", date, language=True)
    _frbr(identification, "FRBRManifestation", f"{work}/eng@{date}.akn", date)
    references = _el(meta, "references", source="#platform")
    _el(
        references,
        "TLCOrganization",
        eId="platform",
        href="/ontology/organization/codeofconduct.platform",
        showAs="Code of Conduct drafting platform",
    )

    preface = _el(doc, "preface")
    title = _el(preface, "p", class_="title")
    _el(title, "docTitle", document.title)
    stage = _el(preface, "p")
    _el(stage, "docStage", document.label)
    stage[-1].tail = " "
    _el(stage, "docDate", f"{document.date:%d %B %Y}", date=date)

    body = _el(doc, "mainBody")
    for s_number, section in enumerate(document.sections, 1):
        section_id = f"sec_{s_number}"
        element = _el(body, "section", eId=section_id)
        _el(element, "num", str(s_number))
        _el(element, "heading", section.title)
        for clause in section.clauses:
            cited = clause.label.replace(" ", "")  # 16bis: an eId has no spaces
            item = _el(element, "clause", eId=f"{section_id}__clause_{cited}", class_=clause.status)
            _el(item, "num", clause.cited)
            _el(item, "heading", clause.title)
            content = _el(item, "content")
            paragraphs = [p.strip() for p in clause.text.split("\n\n") if p.strip()] or [""]
            for index, paragraph in enumerate(paragraphs):
                if clause.bracketed:
                    paragraph = ("[" if index == 0 else "") + paragraph + ("]" if index == len(paragraphs) - 1 else "")
                _el(content, "p", paragraph)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
