"""Every text answer compressed, by Django's own ``GZipMiddleware`` (which adds random bytes to each
answer against BREACH); files compressed already (PDF, DOCX, images) go as they are. The draft
page's text comes compressed from ``codeofconduct.fragments`` and is left alone here (an answer
with a ``Content-Encoding`` is never compressed again)."""

import re

from django.middleware.gzip import GZipMiddleware

# "gzip" in Accept-Encoding, unless refused with q=0 (which Django's middleware does not read).
_ACCEPTS_GZIP = re.compile(r"\bgzip\b(?!\s*;\s*q=0(?:\.0*)?\b)")


def accepts_gzip(request) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def is_text(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind.startswith("text/") or kind.endswith(("json", "xml", "javascript"))


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not is_text(response.get("Content-Type", "")) or not accepts_gzip(request):
            return response
        return super().process_response(request, response)
