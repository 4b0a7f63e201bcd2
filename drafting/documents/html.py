"""Standalone, printable HTML (also the source of the PDF)."""

from django.template.loader import render_to_string


def render(document, *, for_pdf: bool = False) -> bytes:
    return render_to_string("exports/document.html", {"doc": document, "for_pdf": for_pdf}).encode()
