"""The secretariat's Word template (drafting/documents/secretariat.dotx): what it holds, and that the
file in the repository is exactly what its builder makes."""

import io
import zipfile

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from drafting.documents import word_template


def test_the_template_in_the_repository_is_what_the_builder_makes():
    assert word_template.TEMPLATE.read_bytes() == word_template.build()


def test_it_is_a_word_template_with_the_secretariats_styles_page_and_language():
    package = zipfile.ZipFile(io.BytesIO(word_template.TEMPLATE.read_bytes()))
    assert word_template.TEMPLATE_TYPE.encode() in package.read("[Content_Types].xml")  # a .dotx, not a .docx
    settings = package.read("word/settings.xml")
    assert b"updateFields" not in settings  # no "update fields?" prompt when a file made from it opens
    document = word_template.document_from_template()
    names = {style.name for style in document.styles}
    assert {"Preambular Paragraph", "Operative Paragraph", "Heading 1", "footnote text", "toc 1"} <= names
    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    lang = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-GB"
    operative = document.styles["Operative Paragraph"].element
    assert operative.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val")) == str(
        word_template.OPERATIVE_LIST
    )
    assert document.styles["Heading 1"].paragraph_format.keep_with_next


def test_a_document_takes_its_texts_language():
    word = word_template.document_from_template()
    word_template.set_language(word, word_template.word_language("fr"))
    saved = io.BytesIO()
    word.save(saved)
    assert b'w:lang w:val="fr-FR"' in zipfile.ZipFile(saved).read("word/styles.xml")
    assert Document(io.BytesIO(saved.getvalue())).styles["Operative Paragraph"]
