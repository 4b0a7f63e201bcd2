"""Every text answer goes compressed to a client that takes gzip (codeofconduct/compression.py),
by Django's GZipMiddleware; files compressed already go as they are."""

import gzip
import json

import pytest

from tests.conftest import client_for
from tests.drafting.factories import ClauseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_list(section):
    for number in range(2, 30):
        ClauseFactory(section=section, number=number, text="States should cooperate in good faith. " * 10)
    return section.draft


def test_an_api_answer_is_compressed_for_a_client_that_takes_gzip(long_list, people):
    url = f"/api/v1/drafts/{long_list.slug}/clauses/"
    plain = client_for(people["participant"]).get(url)
    zipped = client_for(people["participant"]).get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert "Content-Encoding" not in plain and "Accept-Encoding" in zipped["Vary"]
    assert zipped["Content-Encoding"] == "gzip" and len(zipped.content) < len(plain.content) / 3
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()


def test_two_answers_of_the_same_page_differ_in_length_against_breach(long_list, people):
    """Django's random bytes in each gzip header: an attacker cannot read a secret off the length."""
    client = client_for(people["participant"])
    lengths = {
        len(client.get(f"/api/v1/drafts/{long_list.slug}/clauses/", HTTP_ACCEPT_ENCODING="gzip").content)
        for _ in range(8)
    }
    assert len(lengths) > 1


def test_a_pdf_goes_as_it_is(long_list, people):
    response = client_for(people["participant"]).get(
        f"/api/v1/drafts/{long_list.slug}/export/", {"format": "pdf"}, HTTP_ACCEPT_ENCODING="gzip"
    )
    assert response.status_code == 200, response.content[:300]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert "Content-Encoding" not in response and body.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("header", "takes"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("gzip;q=0.8, br", True),
        ("gzip; q=0.5", True),
        ("br, GZIP;q=1.0", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0, identity", False),
        ("identity", False),
        ("", False),
    ],
)
def test_a_quality_above_zero_takes_gzip(header, takes):
    from django.test import RequestFactory

    from codeofconduct.compression import accepts_gzip

    assert accepts_gzip(RequestFactory().get("/", HTTP_ACCEPT_ENCODING=header)) is takes


def test_a_static_file_keeps_its_etag_and_ranges(client):
    """Static files are WhiteNoise's: revalidated by their ETag (304) and served in ranges."""
    first = client.get("/static/css/site.css", HTTP_ACCEPT_ENCODING="gzip")
    assert first.status_code == 200
    etag = first["ETag"]
    assert client.get("/static/css/site.css", HTTP_IF_NONE_MATCH=etag, HTTP_ACCEPT_ENCODING="gzip").status_code == 304
    ranged = client.get("/static/css/site.css", HTTP_RANGE="bytes=0-99", HTTP_ACCEPT_ENCODING="gzip")
    assert ranged.status_code == 206 and "Content-Encoding" not in ranged
    assert len(b"".join(ranged.streaming_content) if ranged.streaming else ranged.content) == 100
