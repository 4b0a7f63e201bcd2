"""Dispatch a document to a format: ``(bytes, content type, file extension)``."""

from datetime import UTC

from django.conf import settings
from django.utils import timezone, translation

from . import akn, data, docx, html, md, pdf

FORMATS = {
    "md": (md.render, "text/markdown; charset=utf-8", "md"),
    "html": (html.render, "text/html; charset=utf-8", "html"),
    "pdf": (pdf.render, "application/pdf", "pdf"),
    "docx": (docx.render, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "json": (data.render, "application/json", "json"),
    "akn": (akn.render, "application/akn+xml", "xml"),
}


def render(document, fmt: str) -> tuple[bytes, str, str]:
    """In UTC and in the interface's default language, whoever asks: a file is the same for every
    reader (and cached once for all of them)."""
    renderer, content_type, extension = FORMATS[fmt]
    with timezone.override(UTC), translation.override(settings.LANGUAGE_CODE):
        return renderer(document), content_type, extension
