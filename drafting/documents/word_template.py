"""The secretariat's Word template, ``secretariat.dotx`` beside this module: every DOCX the platform
writes starts from it (``word_files.new_document``), so a documents officer can open the template in Word,
see the styles the files use, and attach it to their own documents.

What it holds: A4 pages with 2.5 cm margins and a header and footer with a right-aligned tab stop;
one typeface (Times New Roman) in black; British English as the language; named paragraph styles
for the two kinds of paragraph of a UN text, *Preambular Paragraph* (first line indented) and
*Operative Paragraph* (numbered "1.", "2." by Word's own list numbering, with a hanging indent),
beside Word's headings, footnote and contents styles; and no request to update fields when a file
is opened.

``build()`` makes it; ``python manage.py word_template`` writes it, and a test checks that the file
in the repository is exactly what ``build()`` makes.
"""

import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor, Twips

TEMPLATE = Path(__file__).with_name("secretariat.dotx")

FONT = "Times New Roman"
# A4 as Word writes it, in twentieths of a point.
A4 = (Twips(11906), Twips(16838))
MARGIN = Cm(2.5)
TEXT_WIDTH = Twips(11906) - 2 * MARGIN
LANGUAGE = "en-GB"

PREAMBULAR = "Preambular Paragraph"
OPERATIVE = "Operative Paragraph"
# The list Word numbers operative paragraphs with ("1.", "2." ... through the whole text).
OPERATIVE_LIST = 10

DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
# The template's parts carry this date, so building it twice gives the same bytes.
BUILT = datetime(2026, 1, 1)

STYLES = f"""<w:styles {nsdecls("w")}>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="PreambularParagraph"><w:name w:val="{PREAMBULAR}"/>
<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="120"/><w:ind w:firstLine="709"/><w:jc w:val="both"/>
</w:pPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="OperativeParagraph"><w:name w:val="{OPERATIVE}"/>
<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:numPr><w:numId w:val="{OPERATIVE_LIST}"/></w:numPr>
<w:spacing w:after="120"/><w:ind w:left="709" w:hanging="709"/><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/>
<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>
<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/>
<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="100"/></w:pPr></w:style>
</w:styles>"""

NUMBERING = f"""<w:numbering {nsdecls("w")}>
<w:abstractNum w:abstractNumId="{OPERATIVE_LIST}"><w:multiLevelType w:val="singleLevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="OperativeParagraph"/>
<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="709" w:hanging="709"/></w:pPr></w:lvl>
</w:abstractNum>
<w:num w:numId="{OPERATIVE_LIST}"><w:abstractNumId w:val="{OPERATIVE_LIST}"/></w:num>
</w:numbering>"""


def build() -> bytes:
    """The template's bytes."""
    word = Document()
    _styles(word)
    _numbering(word)
    section = word.sections[0]
    section.page_width, section.page_height = A4
    section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = MARGIN
    section.header_distance = section.footer_distance = Cm(1.25)
    settings = word.settings.element
    for name in ("w:updateFields", "w:savePreviewPicture"):
        for element in settings.findall(qn(name)):
            settings.remove(element)
    properties = word.core_properties
    properties.author = properties.last_modified_by = properties.title = properties.comments = ""
    properties.created = properties.modified = BUILT
    properties.revision = 1
    buffer = io.BytesIO()
    word.save(buffer)
    return repackaged(buffer.getvalue(), DOCUMENT_TYPE, TEMPLATE_TYPE, when=BUILT)


def document_from_template():
    """A new python-docx document made from the template (read once)."""
    return Document(io.BytesIO(_as_document()))


_cached: bytes | None = None


def _as_document() -> bytes:
    global _cached
    if _cached is None:
        _cached = repackaged(TEMPLATE.read_bytes(), TEMPLATE_TYPE, DOCUMENT_TYPE)
    return _cached


def set_language(word, language: str) -> None:
    """The language of the text (spelling, hyphenation), for every style that does not set its own."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    lang = run.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f"<w:lang {nsdecls('w')}/>")
        run.append(lang)
    lang.set(qn("w:val"), language)


def word_language(code: str) -> str:
    """A draft's language as Word names it: English is British English in UN documents."""
    regions = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "ru": "ru-RU", "ar": "ar-SA", "zh": "zh-CN"}
    base = (code or "en").split("-")[0].lower()
    return code if "-" in (code or "") else regions.get(base, code or LANGUAGE)


def repackaged(package: bytes, old_type: str, new_type: str, *, when: datetime | None = None) -> bytes:
    """The package with its main part's content type changed (a template and a document differ by
    that alone); with ``when``, every part dated then."""
    source, out = zipfile.ZipFile(io.BytesIO(package)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(old_type.encode(), new_type.encode())
            part = zipfile.ZipInfo(info.filename, date_time=(when or datetime(1980, 1, 1)).timetuple()[:6])
            part.compress_type, part.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            target.writestr(part, content)
    return out.getvalue()


def _styles(word) -> None:
    styles = word.styles
    for style in parse_xml(STYLES).findall(qn("w:style")):
        if styles.element.get_by_id(style.get(qn("w:styleId"))) is None:
            styles.element.append(style)
    # One typeface throughout, in black: theme fonts and colours are python-docx's, not a secretariat's.
    for fonts in styles.element.iter(qn("w:rFonts")):
        for name in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(name), None)
        for name in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(name), FONT)
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "TOC Heading"):
        styles[name].font.color.rgb = RGBColor(0, 0, 0)
    for name in ("Heading 1", "Heading 2"):
        styles[name].paragraph_format.keep_with_next = True  # never stranded at the foot of a page
    styles["Normal"].font.size = Pt(11)
    styles["Title"].font.size = Pt(20)
    for name in ("Header", "Footer"):
        stops = styles[name].paragraph_format.tab_stops
        stops.clear_all()
        stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    set_language(word, LANGUAGE)


def _numbering(word) -> None:
    numbering = word.part.numbering_part.element
    ours = parse_xml(NUMBERING)
    first_num = numbering.find(qn("w:num"))
    for abstract in ours.findall(qn("w:abstractNum")):
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
    for num in ours.findall(qn("w:num")):
        numbering.append(num)
