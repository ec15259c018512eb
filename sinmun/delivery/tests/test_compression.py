"""gzip without nginx: pages and page-cache hits compressed once, binary answers untouched."""

import gzip

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from sinmun.delivery import pagecache
from sinmun.delivery.compression import CompressionMiddleware
from tests.support.factories import make_article, make_section

pytestmark = pytest.mark.django_db
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.SINMUN_PAGE_CACHE = True
    settings.SINMUN_GZIP = True
    pagecache.page_cache().clear()
    pagecache.forget_local()
    yield
    pagecache.page_cache().clear()
    pagecache.forget_local()


@pytest.fixture
def url():
    article = make_article(title="강변 산책로 개통", section=make_section(code="local"))
    return article.get_absolute_url()


def test_a_reader_page_is_compressed_for_a_browser_that_asks(client, url):
    miss = client.get(url, **GZIP)
    assert miss["X-Page-Cache"] == "MISS" and miss["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in miss["Vary"]
    page = gzip.decompress(miss.content).decode()
    assert "강변 산책로 개통" in page
    hit = client.get(url, **GZIP)
    assert hit["X-Page-Cache"] == "HIT" and hit["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in hit["Vary"] and "Cookie" in hit["Vary"]
    assert int(hit["Content-Length"]) == len(hit.content) < len(page.encode()) / 2
    assert gzip.decompress(hit.content).decode() == page


def test_a_cached_page_is_compressed_once_not_per_reader(client, url, monkeypatch):
    calls = []
    real = pagecache.compress
    monkeypatch.setattr(pagecache, "compress", lambda content: calls.append(1) or real(content))
    client.get(url, **GZIP)  # the miss: compressed by the middleware on its way out
    answers = {client.get(url, **GZIP).content for _ in range(5)}
    assert len(calls) == 1 and len(answers) == 1


def test_a_client_that_does_not_ask_gets_the_page_as_it_is(client, url):
    client.get(url, **GZIP)  # stored uncompressed, whatever the first reader accepted
    plain = client.get(url)
    assert plain["X-Page-Cache"] == "HIT" and not plain.has_header("Content-Encoding")
    assert "강변 산책로 개통" in plain.content.decode()
    assert "Accept-Encoding" in plain["Vary"]


def test_hits_are_not_compressed_when_gzip_is_off(client, url, settings):
    settings.SINMUN_GZIP = False
    client.get(url)
    hit = client.get(url, **GZIP)
    assert hit["X-Page-Cache"] == "HIT" and not hit.has_header("Content-Encoding")


@pytest.mark.parametrize(
    ("content_type", "compressed"),
    [
        ("text/html; charset=utf-8", True),
        ("application/rss+xml; charset=utf-8", True),
        ("application/json", True),
        ("image/jpeg", False),
        ("image/webp", False),
        ("application/octet-stream", False),
    ],
)
def test_only_text_answers_are_compressed(content_type, compressed):
    body = b"\x00\x01 sinmun " * 200
    middleware = CompressionMiddleware(lambda request: HttpResponse(body, content_type))
    response = middleware(RequestFactory().get("/x", **GZIP))
    assert response.has_header("Content-Encoding") is compressed
    assert (gzip.decompress(response.content) if compressed else response.content) == body
