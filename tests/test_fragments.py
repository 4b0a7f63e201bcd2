"""A draft's text sent inside a gzip stream without compressing it again (codeofconduct/fragments.py)."""

import gzip
import os
import struct
import zlib

import pytest

from codeofconduct.fragments import Compressed, gzip_around
from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory

pytestmark = pytest.mark.django_db


def _whole(body: bytes) -> bytes:
    """Decompressed as a strict single-member gzip stream: nothing may be left over or missing."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = inflater.decompress(body) + inflater.flush()
    assert inflater.eof and not inflater.unused_data
    return data


def test_a_stream_made_of_pieces_is_one_valid_gzip_stream():
    text = "<p>é " + "States should cooperate. " * 5000 + "</p>"
    body = gzip_around(b"<html><body>", Compressed.of(text.encode()), b"</body></html>")
    expected = b"<html><body>" + text.encode() + b"</body></html>"
    assert _whole(body) == gzip.decompress(body) == expected
    assert len(body) < len(expected) / 20
    assert _whole(gzip_around(b"", Compressed.of(b""), b"")) == b""


@pytest.mark.parametrize("size", [1, 7, 4096, 100_003])
def test_the_checksum_of_the_whole_is_worked_out_without_the_text(size):
    """gzip's CRC-32 covers the page's bytes in order; the text's part is taken from its own CRC,
    for any head before it (random bytes: no text could make the rule look right by chance)."""
    text, head, tail = os.urandom(size), os.urandom(size % 97 + 1), os.urandom(13)
    body = gzip_around(head, Compressed.of(text), tail)
    assert _whole(body) == head + text + tail
    assert struct.unpack("<I", body[-8:-4])[0] == zlib.crc32(head + text + tail)


def test_the_texts_checksum_moves_with_any_starting_checksum():
    data = os.urandom(5000)
    text = Compressed.of(data)
    starts = [0, 1, 0x80000000, 0xFFFFFFFF] + [int.from_bytes(os.urandom(4)) for _ in range(200)]
    for start in starts:
        assert text.crc_after(start) == zlib.crc32(data, start)


@pytest.fixture
def long_draft(draft, section):
    for number in range(1, 41):
        ClauseFactory(section=section, number=number, text=f"Clause {number}: " + "States should cooperate. " * 40)
    return draft


def test_the_draft_page_comes_gzipped_to_browsers_and_plain_to_others(long_draft, people):
    client = client_for(people["participant"])
    client.force_login(people["participant"])
    plain = client.get(f"/drafts/{long_draft.slug}/")
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    zipped = client.get(f"/drafts/{long_draft.slug}/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped["Content-Encoding"] == "gzip" and int(zipped["Content-Length"]) == len(zipped.content)
    page = _whole(zipped.content).decode()
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "Clause 40: States should cooperate." in page and "Clause 1: " in page
    # The same page but for the form tokens, which differ per request.
    assert len(page) == len(plain.content.decode())
    refused = client.get(f"/drafts/{long_draft.slug}/", HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    assert "Content-Encoding" not in refused


def test_a_short_draft_is_compressed_by_the_middleware_like_any_page(draft, clause, people):
    """Below the size worth splicing, the page goes through GZipMiddleware whole (codeofconduct/compression.py)."""
    response = client_for(None).get(f"/drafts/{draft.slug}/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert clause.title in gzip.decompress(response.content).decode()


def test_a_browser_taking_gzip_costs_the_cache_only_the_compressed_text(long_draft, people):
    from django.conf import settings
    from django.core.cache import caches

    from drafting.views.drafts import draft_text

    client = client_for(people["participant"])
    client.get(f"/drafts/{long_draft.slug}/", HTTP_ACCEPT_ENCODING="gzip")  # rendered and kept, both forms
    key, cache = draft_text(long_draft).key, caches[settings.RENDERS]
    assert cache.get(f"{key}:plain") is not None and cache.get(f"{key}:gzip") is not None
    cache.delete(f"{key}:plain")
    zipped = client.get(f"/drafts/{long_draft.slug}/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Clause 40: States should cooperate." in _whole(zipped.content).decode()
    assert cache.get(f"{key}:plain") is None  # neither read nor rendered again
    plain = client.get(f"/drafts/{long_draft.slug}/")
    assert "Clause 40: States should cooperate." in plain.content.decode()
