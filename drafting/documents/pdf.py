"""PDF through WeasyPrint: title page, contents, numbered sections and clauses, page numbers and
the snapshot's label and date in every footer."""

import weasyprint

from . import html


def render(document) -> bytes:
    return weasyprint.HTML(string=html.render(document, for_pdf=True).decode()).write_pdf()
