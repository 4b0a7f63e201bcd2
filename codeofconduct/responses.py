"""Responses both doors send alike."""

from django.http import HttpResponse


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A file to download under ``filename`` (exports, export jobs, consultation reports)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
