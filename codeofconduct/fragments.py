"""A large, shared piece of a page, kept ready to send: as UTF-8 and compressed once, in the cache.

The draft page is the same text for every reader with a few personal lines around it (who is
signed in, their role, a form token). ``SharedText`` keeps that text in the shared cache twice: as
bytes, and as a raw deflate stream ended with a full flush, which may stand anywhere inside a gzip
stream, with the text's length and CRC-32. A page is then sent gzip-compressed by compressing only
its personal lines, each request (``page_with``), and a reader whose browser takes gzip (every
browser) costs the cache only the compressed text, about a seventh of it (a text under
``GZIP_FROM`` goes as it is, so its reader needs both). Readers whose browser
does not take gzip get the bytes spliced in as they are. Every other text answer is compressed by
``codeofconduct.compression``.
"""

import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.cache import patch_vary_headers

from .compression import accepts_gzip

# Compressing smaller pieces gains too little to be worth the work.
GZIP_FROM = 16 * 1024
MARK = "<!--fragment-->"
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, unknown OS


@dataclass(frozen=True)
class Compressed:
    """A text as a gzip stream takes it: raw deflate (no header), full-flushed so no reference
    reaches outside it, with the length and CRC-32 of the text it holds."""

    deflated: bytes
    size: int
    crc: int
    # What each bit of a starting CRC changes in the text's CRC, worked out once by zlib (``crc_after``).
    shifts: tuple[int, ...]

    @classmethod
    def of(cls, data: bytes) -> "Compressed":
        zeros = bytes(len(data))
        from_zero = zlib.crc32(zeros)
        shifts = tuple(zlib.crc32(zeros, 1 << bit) ^ from_zero for bit in range(32))
        return cls(_deflate(data, zlib.Z_FULL_FLUSH), len(data), zlib.crc32(data), shifts)

    def crc_after(self, crc: int) -> int:
        """The CRC-32 of what ``crc`` was computed over followed by this text, without the text.

        CRC-32 is linear: starting the computation from ``crc`` instead of 0 moves the text's CRC by
        the same amount whatever the text's bytes are, and by the sum (XOR) of what each set bit of
        ``crc`` moves it alone. zlib computed those 32 moves over as many zeros when the text was
        stored, so a page needs 32 XORs, not a pass over a megabyte (storing pays the 32 passes once,
        about 10 ms a megabyte, beside the far longer rendering of the text).
        """
        moved = self.crc
        for bit, shift in enumerate(self.shifts):
            if crc >> bit & 1:
                moved ^= shift
        return moved


def _deflate(data: bytes, mode: int) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(mode)


def gzip_around(head: bytes, text: Compressed, tail: bytes) -> bytes:
    """One gzip stream of head + text + tail, compressing only head and tail."""
    crc = zlib.crc32(tail, text.crc_after(zlib.crc32(head)))
    size = (len(head) + text.size + len(tail)) & 0xFFFFFFFF
    return b"".join(
        (
            _GZIP_HEADER,
            _deflate(head, zlib.Z_FULL_FLUSH),
            text.deflated,
            _deflate(tail, zlib.Z_FINISH),
            struct.pack("<II", crc, size),
        )
    )


class SharedText:
    """A rendered text in ``cache`` under ``key``, as bytes and compressed: each read fetches only
    the form it needs, and a miss renders it (``render``) and stores both."""

    def __init__(self, cache, key: str, render: Callable[[], str], timeout: int):
        self.cache, self.key, self.render, self.timeout = cache, key, render, timeout

    def plain(self) -> bytes:
        data = self.cache.get(f"{self.key}:plain")
        return data if data is not None else self._store()[0]

    def compressed(self) -> Compressed:
        compressed = self.cache.get(f"{self.key}:gzip")
        return compressed if compressed is not None else self._store()[1]

    def _store(self) -> tuple[bytes, Compressed]:
        data = self.render().encode()
        compressed = Compressed.of(data)
        self.cache.set_many({f"{self.key}:plain": data, f"{self.key}:gzip": compressed}, timeout=self.timeout)
        return data, compressed


def page_with(request, response, text: SharedText):
    """Put ``text`` where the rendered page holds ``MARK``, gzip-compressed if the client takes it."""
    head, tail = response.content.split(MARK.encode(), 1)
    compressed = text.compressed() if accepts_gzip(request) else None
    if compressed is not None and compressed.size >= GZIP_FROM:
        response.content = gzip_around(head, compressed, tail)
        response["Content-Encoding"] = "gzip"
    else:
        response.content = head + text.plain() + tail
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
