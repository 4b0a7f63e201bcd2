"""A large, shared piece of a page, kept ready to send: as UTF-8 and compressed once.

The draft page is the same text for every reader with a few personal lines around it (who is
signed in, their role, a form token). A ``Fragment`` holds the shared text both as bytes and as a
raw deflate stream ended with a full flush, which may stand anywhere inside a gzip stream. A page is
then sent gzip-compressed by compressing only its personal lines, each request (``page_with``):
the text's own compression was done once with it. Readers whose browser does not accept gzip get it
spliced in as it is. Every other text answer is compressed by ``codeofconduct.compression``.
"""

import struct
import zlib
from dataclasses import dataclass

from django.utils.cache import patch_vary_headers

from .compression import accepts_gzip

# Compressing smaller pieces gains too little to be worth the work.
GZIP_FROM = 16 * 1024
MARK = "<!--fragment-->"
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, unknown OS


@dataclass(frozen=True)
class Fragment:
    data: bytes
    deflated: bytes  # raw deflate (no header), full-flushed: no reference reaches outside it

    @classmethod
    def of(cls, html: str) -> "Fragment":
        data = html.encode()
        return cls(data, _deflate(data, zlib.Z_FULL_FLUSH))


def _deflate(data: bytes, mode: int) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(mode)


def gzip_around(head: bytes, fragment: Fragment, tail: bytes) -> bytes:
    """One gzip stream of head + fragment + tail, compressing only head and tail. (The checksum
    reads the whole page, about half a millisecond for a megabyte.)"""
    crc = zlib.crc32(tail, zlib.crc32(fragment.data, zlib.crc32(head)))
    size = (len(head) + len(fragment.data) + len(tail)) & 0xFFFFFFFF
    return b"".join(
        (
            _GZIP_HEADER,
            _deflate(head, zlib.Z_FULL_FLUSH),
            fragment.deflated,
            _deflate(tail, zlib.Z_FINISH),
            struct.pack("<II", crc, size),
        )
    )


def page_with(request, response, fragment: Fragment):
    """Put ``fragment`` where the rendered page holds ``MARK``, gzip-compressed if the client takes it."""
    head, tail = response.content.split(MARK.encode(), 1)
    if len(fragment.data) >= GZIP_FROM and accepts_gzip(request):
        response.content = gzip_around(head, fragment, tail)
        response["Content-Encoding"] = "gzip"
    else:
        response.content = head + fragment.data + tail
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
