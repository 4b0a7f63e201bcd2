"""PDF through WeasyPrint from the HTML export: A4, tagged for accessibility (PDF/UA-1: structure
tree, language, title), fonts embedded, bookmarks for sections and paragraphs, the full symbol in
every page's header, "Page x of y" and the distribution in the footer, rationale as footnotes, and
the title, issuing body and the text's date in the document's metadata."""

import weasyprint

from . import html


def render(document) -> bytes:
    return from_html(html.render(document, for_pdf=True))


def from_html(page: bytes) -> bytes:
    """Any of our printable pages (the text, a compilation, a synoptic table) as tagged PDF/UA-1."""
    return weasyprint.HTML(string=page.decode()).write_pdf(pdf_variant="pdf/ua-1")
