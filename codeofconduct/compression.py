"""Every text answer compressed, by Django's own ``GZipMiddleware`` (which adds random bytes to each
answer against BREACH); files compressed already (PDF, DOCX, images) go as they are, and static
files are WhiteNoise's (its own pre-compressed copies, ahead of this middleware). The draft page's
text comes compressed from ``codeofconduct.fragments`` and is left alone here (an answer with a
``Content-Encoding`` is never compressed again)."""

from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers


def accepts_gzip(request) -> bool:
    """Whether Accept-Encoding takes gzip: named with a quality above zero (``gzip;q=0`` refuses it,
    which Django's middleware does not read)."""
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, *params = (part.strip() for part in coding.split(";"))
        if name.lower() != "gzip":
            continue
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    return float(value) > 0
                except ValueError:
                    return False
        return True
    return False


def is_text(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "text/event-stream":
        return False  # each event must leave at once; compressed, it would wait for the next
    return kind.startswith("text/") or kind.endswith(("json", "xml", "javascript"))


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not is_text(response.get("Content-Type", "")) or response.has_header("Content-Range"):
            return response
        if not accepts_gzip(request):
            patch_vary_headers(response, ("Accept-Encoding",))  # another client's copy may be compressed
            return response
        return super().process_response(request, response)
