"""A large, shared piece of a page, kept ready to send: as UTF-8 and compressed once.

The draft page is the same text for every reader with a few personal lines around it (who is
signed in, their role, a form token). A ``Fragment`` holds the shared text both as bytes and as a
raw deflate stream ended with a full flush, which may stand anywhere inside a gzip stream. A page is
then sent gzip-compressed by compressing only its personal lines, each request (``page_with``):
the text's own compression and CRC were worked out with it, so 1 MB costs about what 1 kB does. Readers whose browser does not accept gzip get it
spliced in as it is.
"""

import re
import struct
import zlib
from dataclasses import dataclass

from django.utils.cache import patch_vary_headers

# Compressing smaller pieces gains too little to be worth the work.
GZIP_FROM = 16 * 1024
MARK = "<!--fragment-->"
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, unknown OS
_ACCEPTS_GZIP = re.compile(r"\bgzip\b(?!\s*;\s*q=0(?:\.0*)?\b)")


@dataclass(frozen=True)
class Fragment:
    data: bytes
    deflated: bytes  # raw deflate (no header), full-flushed: no reference reaches outside it
    crc: int  # CRC-32 of data
    # The CRC-32 of whatever comes before the fragment, carried across its length: a linear map over
    # GF(2), kept as its 32 columns, so a page's CRC never reads the fragment's bytes again.
    carry: tuple[int, ...]

    @classmethod
    def of(cls, html: str) -> "Fragment":
        data = html.encode()
        return cls(data, _deflate(data, zlib.Z_FULL_FLUSH), zlib.crc32(data), _shift_by(len(data)))

    def crc_after(self, crc_before: int) -> int:
        """CRC-32 of (what came before + data), from the CRC-32 of what came before: zlib's crc32_combine."""
        return _times(self.carry, crc_before) ^ self.crc


def _times(matrix, vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _product(a, b) -> list[int]:
    return [_times(a, column) for column in b]


def _shift_by(length: int) -> tuple[int, ...]:
    """The map taking a CRC-32 to the CRC-32 after ``length`` more zero bytes (zlib's crc32_combine,
    with the matrix kept instead of applied)."""
    one_bit = [0xEDB88320] + [1 << n for n in range(31)]  # one zero bit
    square = _product(_product(one_bit, one_bit), _product(one_bit, one_bit))  # four zero bits
    step = _product(square, square)  # one zero byte
    result = [1 << n for n in range(32)]  # identity
    while length:
        if length & 1:
            result = _product(step, result)
        length >>= 1
        if length:
            step = _product(step, step)
    return tuple(result)


def _deflate(data: bytes, mode: int) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(mode)


def gzip_around(head: bytes, fragment: Fragment, tail: bytes) -> bytes:
    """One gzip stream of head + fragment + tail, compressing only head and tail."""
    crc = zlib.crc32(tail, fragment.crc_after(zlib.crc32(head)))
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
    if len(fragment.data) >= GZIP_FROM and _ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response.content = gzip_around(head, fragment, tail)
        response["Content-Encoding"] = "gzip"
    else:
        response.content = head + fragment.data + tail
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
