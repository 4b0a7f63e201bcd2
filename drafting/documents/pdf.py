"""PDF through WeasyPrint from the HTML export: A4, tagged for accessibility (PDF/UA-1: structure
tree, language, title), fonts embedded, bookmarks for sections and paragraphs, the full symbol in
every page's header, "Page x of y" and the distribution in the footer, rationale as footnotes, and
the title, issuing body and the text's date in the document's metadata."""

import weasyprint

from . import html


def render(document) -> bytes:
    return weasyprint.HTML(string=html.render(document, for_pdf=True).decode()).write_pdf(pdf_variant="pdf/ua-1")
