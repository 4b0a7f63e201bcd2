"""The compilation of a round's proposals, read in the files a secretariat circulates: each clause in
reading order followed by its amendments, attributed to the delegation that proposed them."""

import io
import json
import re
import shutil
import subprocess
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from lxml import html as lxml_html
from pypdf import PdfReader

from drafting import demo, services
from drafting.documents.compilation_build import build_compilation
from drafting.models import Round, SectionKind, Visibility
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import client_for, need

PREAMBLE_TEXT = "Recognizing that a free and secure cyberspace serves everyone,"
OP1_TEXT = "States should not knowingly allow their territory to be used for wrongful acts."
OP1_AMENDED = "States must not allow their territory to be used for internationally wrongful acts."
OP2_TEXT = "States should protect critical infrastructure from harm."
PROPOSED_TEXT = "Companies should report vulnerabilities to the affected vendors."

BRAZIL = "Proposed by Brazil (Government)"
ACME = "Proposed by Acme Networks (Industry)"


def delegate(draft, admin, *, name: str, organization: str, group: str):
    user = UserFactory(username=name)
    MembershipFactory(user=user, organization__name=organization, organization__stakeholder_group=group)
    services.draft_member_set(draft=draft, user_id=user.id, role="participant", by=admin)
    return user


def make_scene(draft, people, *, chatham_house: bool = False) -> dict:
    """A preamble and two operative clauses; in the round, Brazil's government delegate amends OP1
    and an industry delegate proposes a new paragraph after OP2."""
    admin, moderator = people["admin"], people["moderator"]
    services.draft_update(draft=draft, by=admin, symbol="CCC/2026/L.7")
    preamble = services.section_create(draft=draft, title="Preamble", kind=SectionKind.PREAMBLE, by=admin)
    principles = services.section_create(draft=draft, title="Principles", by=admin)

    def add(section, title, text):
        return services.clause_create(
            draft=draft, section_id=section.id, title=title, text=text, status="agreed", by=admin
        )

    pp1 = add(preamble, "Purpose", PREAMBLE_TEXT)
    op1 = add(principles, "Territory", OP1_TEXT)
    op2 = add(principles, "Infrastructure", OP2_TEXT)
    round_ = services.round_create(draft=draft, by=moderator, title="First reading", chatham_house=chatham_house)
    services.round_open(round_id=round_.id, by=moderator)
    brazil = delegate(draft, admin, name="ana_brasilia", organization="Brazil", group="government")
    acme = delegate(draft, admin, name="ben_acme", organization="Acme Networks", group="industry")
    amendment = services.amendment_submit(
        clause_id=op1.id, by=brazil, kind="modify", text=OP1_AMENDED, rationale="Align with GA resolution 58/199."
    )
    proposal = services.clause_create(
        draft=draft,
        section_id=principles.id,
        title="Disclosure",
        text=PROPOSED_TEXT,
        by=acme,
        rationale="Industry practice.",
    )
    return {
        "round": round_,
        "pp1": pp1,
        "op1": op1,
        "op2": op2,
        "amendment": amendment,
        "proposal": proposal,
        "brazil": brazil,
        "acme": acme,
    }


@pytest.fixture
def scene(draft, people):
    return make_scene(draft, people)


def fetch(user, round_, fmt: str):
    return client_for(user).get(f"/api/v1/rounds/{round_.id}/compilation/?format={fmt}")


def in_order(text: str, *parts: str) -> None:
    """Each part occurs in ``text``, each after the one before."""
    at = -1
    for part in parts:
        found = text.find(part, at + 1)
        assert found > at, f"{part!r} is not after the previous part in: {text[:3000]!r}"
        at = found


def reading_order(text: str) -> None:
    in_order(
        text,
        "Preamble",
        "PP1",
        "I. Principles",
        "OP1. Territory",
        BRAZIL,
        "OP2. Infrastructure",
        "OP3. Disclosure",
        ACME,
    )
    # Brazil's amendment is OP1's, not OP2's; the proposal is OP3's.
    assert text.index(BRAZIL) < text.index("OP2. Infrastructure")
    assert text.count(BRAZIL) == 1 and text.count(ACME) == 1


@pytest.mark.django_db
def test_html_puts_each_proposal_after_its_clause_with_the_amendment_as_a_redline(scene, people):
    response = fetch(people["observer"], scene["round"], "html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = lxml_html.fromstring(response.content)
    text = " ".join(page.text_content().split())
    reading_order(text)
    assert page.findtext(".//title").startswith("Compilation of proposals — First reading")
    assert "CCC/2026/L.7/CRP.1" in page.xpath("string(//*[@data-testid='symbol'])")
    assert "Distribution: General" in text and "Original: English" in text
    amendment = page.xpath("//div[@class='amendment']")
    assert len(amendment) == 1
    deleted = " ".join(amendment[0].xpath(".//del/text()"))
    inserted = " ".join(amendment[0].xpath(".//ins/text()"))
    assert "knowingly" in deleted and "should" in deleted
    assert "internationally" in inserted and "must" in inserted
    assert "Align with GA resolution 58/199." in amendment[0].text_content()
    # The preamble's participle in italics; the new paragraph in brackets until agreed.
    assert page.xpath("//article[@id='pp1']//em/text()") == ["Recognizing"]
    assert f"[{PROPOSED_TEXT}]" in " ".join(page.xpath("string(//article[@id='op3'])").split())


@pytest.mark.django_db
def test_pdf_reads_in_the_same_order_on_a4_pages_numbered_x_of_y(scene, people):
    response = fetch(people["observer"], scene["round"], "pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    reading_order(text)
    assert "CCC/2026/L.7/CRP.1" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    # Deleted and inserted words stay apart when the text is extracted, each marked for what it is.
    assert "States {--should --}{++must++} not{-- knowingly--} allow" in text


@pytest.mark.django_db
def test_docx_has_the_attributions_in_order_and_the_redline_as_formatting(scene, people):
    response = fetch(people["observer"], scene["round"], "docx")
    assert response.status_code == 200
    word = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in word.paragraphs)
    reading_order(text)
    runs = [run for p in word.paragraphs for run in p.runs]
    struck = " ".join(r.text for r in runs if r.font.strike)
    underlined = " ".join(r.text for r in runs if r.underline and r.text not in ("inserted words",))
    assert "knowingly" in struck
    assert "internationally" in underlined
    section = word.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert "CCC/2026/L.7/CRP.1" in section.header.paragraphs[0].text
    assert "NUMPAGES" in section.footer._element.xml
    assert word.core_properties.title == "Compilation of proposals — First reading"
    assert word.core_properties.author == "Secretariat of the Code of Conduct negotiation"


@pytest.mark.django_db
def test_libreoffice_opens_the_docx_with_everything_in_place(scene, people, tmp_path):
    need(shutil.which("soffice") is not None, "LibreOffice (soffice) is not installed")
    source = tmp_path / "compilation.docx"
    source.write_bytes(fetch(people["observer"], scene["round"], "docx").content)
    profile = f"-env:UserInstallation=file:///tmp/lo-{uuid.uuid4().hex}"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    reader = PdfReader(tmp_path / "compilation.pdf")
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    reading_order(text)
    assert "CCC/2026/L.7/CRP.1" in text and f"Page 1 of {len(reader.pages)}" in text


@pytest.mark.django_db
def test_markdown_and_json_carry_the_same_record(scene, people):
    md = fetch(people["observer"], scene["round"], "md").content.decode()
    reading_order(md)
    assert "States {--should --}{++must++} not{-- knowingly--} allow" in md
    assert "for {++internationally ++}wrongful acts." in md
    data = json.loads(fetch(people["observer"], scene["round"], "json").content)
    assert data["full_symbol"] == "CCC/2026/L.7/CRP.1"
    clauses = [c for s in data["sections"] for c in s["clauses"]]
    assert [c["ref"] for c in clauses] == ["PP1", "OP1", "OP2", "OP3"]
    assert clauses[1]["amendments"][0]["proposed_by"] == "Brazil (Government)"
    assert clauses[3]["new_in_round"] and clauses[3]["proposed_by"] == "Acme Networks (Industry)"
    assert "ana_brasilia" not in json.dumps(data)  # delegations are named, people never


@pytest.mark.django_db
def test_chatham_house_round_attributes_to_the_stakeholder_group_only(draft, people):
    scene = make_scene(draft, people, chatham_house=True)
    for fmt in ("html", "json", "md"):
        content = fetch(people["observer"], scene["round"], fmt).content.decode()
        assert "Brazil" not in content and "Acme" not in content, fmt
        assert "Proposed by a government delegation" in content or "a government delegation" in content, fmt
    html = " ".join(
        lxml_html.fromstring(fetch(people["observer"], scene["round"], "html").content).text_content().split()
    )
    in_order(
        html,
        "OP1. Territory",
        "Proposed by a government delegation",
        "OP3. Disclosure",
        "Proposed by an industry representative",
    )
    word = Document(io.BytesIO(fetch(people["observer"], scene["round"], "docx").content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Proposed by a government delegation" in text and "Brazil" not in text


@pytest.mark.django_db
def test_a_withdrawn_amendment_stays_marked_as_withdrawn(scene, people):
    services.amendment_withdraw(amendment_id=scene["amendment"].id, by=scene["brazil"])
    text = " ".join(
        lxml_html.fromstring(fetch(people["observer"], scene["round"], "html").content).text_content().split()
    )
    in_order(text, "OP1. Territory", "withdrawn by its proposer", BRAZIL, "OP2. Infrastructure")


@pytest.mark.django_db
def test_members_only_draft_compilation_does_not_exist_for_an_outsider(scene, draft, people, client):
    services.draft_update(draft=draft, by=people["admin"], visibility=Visibility.MEMBERS)
    round_id = scene["round"].id
    assert fetch(people["non_member"], scene["round"], "pdf").status_code == 404
    assert fetch(None, scene["round"], "pdf").status_code == 404
    assert client_for(None).get("/api/v1/rounds/999999/compilation/?format=pdf").status_code == 404
    client.force_login(people["non_member"])
    assert client.get(f"/rounds/{round_id}/compilation/?format=pdf").status_code == 404
    client.force_login(people["observer"])
    assert client.get(f"/rounds/{round_id}/compilation/?format=html").status_code == 200
    assert fetch(people["observer"], scene["round"], "html").status_code == 200


@pytest.mark.django_db
def test_a_bad_format_is_refused(scene, people, client):
    response = fetch(people["observer"], scene["round"], "akn")
    assert response.status_code == 400
    assert "format" in response.json()
    assert client_for(people["observer"]).get(f"/api/v1/rounds/{scene['round'].id}/compilation/").status_code == 400
    client.force_login(people["observer"])
    assert client.get(f"/rounds/{scene['round'].id}/compilation/?format=exe").status_code == 400


@pytest.mark.django_db
def test_file_names_are_lower_case_ascii_with_the_round_number(scene, draft, people):
    for fmt, ext in (("pdf", "pdf"), ("docx", "docx"), ("html", "html"), ("md", "md"), ("json", "json")):
        disposition = fetch(None, scene["round"], fmt)["Content-Disposition"]
        name = re.search(r'filename="([^"]+)"', disposition).group(1)
        assert name == f"ccc-2026-l-7-crp-1-compilation.{ext}"
    services.round_start_voting(round_id=scene["round"].id, by=people["moderator"])
    services.round_close(round_id=scene["round"].id, by=people["moderator"])
    second = services.round_create(draft=draft, by=people["moderator"], title="Second reading")
    disposition = fetch(people["observer"], second, "pdf")["Content-Disposition"]
    assert 'filename="ccc-2026-l-7-crp-2-compilation.pdf"' in disposition


@pytest.mark.django_db
def test_the_round_page_links_to_the_compilation(scene, people, client):
    client.force_login(people["observer"])
    page = lxml_html.fromstring(client.get(f"/rounds/{scene['round'].id}/results/").content)
    links = {a.text: a.get("href") for a in page.xpath("//a[contains(@href, '/compilation/')]")}
    assert set(links) == {"PDF", "DOCX", "HTML"}
    response = client.get(links["DOCX"])
    assert response.status_code == 200
    Document(io.BytesIO(response.content))  # opens as Word


@pytest.mark.django_db
def test_building_it_takes_as_many_queries_for_many_proposals_as_for_few(scene, people):
    def build():
        round_ = Round.objects.select_related("draft").get(pk=scene["round"].id)
        with CaptureQueriesContext(connection) as queries:
            compilation = build_compilation(round_)
        return compilation, len(queries)

    few, few_queries = build()
    for n in range(3):
        services.amendment_submit(
            clause_id=scene["op2"].id, by=scene["acme"], kind="modify", text=f"States should protect {n} systems."
        )
    services.clause_create(
        draft=scene["round"].draft,
        section_id=scene["op2"].section_id,
        title="Help",
        text="States help.",
        by=scene["brazil"],
    )
    many, many_queries = build()
    assert (few.amendment_count, few.new_clause_count) == (1, 1)
    assert (many.amendment_count, many.new_clause_count) == (4, 2)
    assert many_queries == few_queries


def test_an_amendment_written_on_an_earlier_version_says_so(draft, people):
    """The paragraph changed after Brazil wrote its amendment: the compilation warns the reader that
    the redline is against the words it was written on, not the text printed above it."""
    from drafting.documents.compilation_formats import render_compilation

    scene = make_scene(draft, people)
    note = "written on version 1 of the paragraph, which has changed since"
    assert note not in render_compilation(build_compilation(scene["round"]), "html").decode()
    op1 = scene["op1"]
    op1.refresh_from_db()
    services.clause_update(
        clause_id=op1.id, version=op1.version, text=OP1_TEXT.replace("wrongful", "unlawful"), by=people["moderator"]
    )
    compiled = build_compilation(scene["round"])
    page = render_compilation(compiled, "html").decode()
    assert f"{BRAZIL}; {note}" in page
    assert note in render_compilation(compiled, "md").decode()


def test_a_paragraph_the_moderator_put_in_is_the_chairs_not_a_delegations(draft, people):
    scene = make_scene(draft, people)
    services.draft_update(draft=draft, by=people["admin"], chair="the Chair of the working group")
    principles = scene["op1"].section
    services.clause_create(
        draft=draft,
        section_id=principles.id,
        title="Chair's text",
        text="States should meet yearly.",
        by=people["moderator"],
    )
    compiled = build_compilation(scene["round"])
    by_title = {c.title: c for s in compiled.sections for c in s.clauses}
    assert by_title["Chair's text"].attribution == "Proposed by the Chair of the working group"
    assert by_title["Disclosure"].attribution == ACME


@pytest.mark.django_db
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
