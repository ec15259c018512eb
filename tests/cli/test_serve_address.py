"""``sinmun serve --port P`` without SINMUN_BASE_URL: feeds, canonical links, sitemaps
and e-mails carry the address it serves, not the settings' default of port 8000."""

from __future__ import annotations

import os
import re

import pytest

from sinmun.ops.cli import export_base_url, served_base_url
from tests.support.servers import LiveSinmun, free_port, http_get


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 9000, "http://127.0.0.1:9000"),
        ("localhost", 8080, "http://localhost:8080"),
        ("news.example.kr", 80, "http://news.example.kr"),
        ("0.0.0.0", 8080, "http://127.0.0.1:8080"),  # noqa: S104 - a bind address, as typed
        ("::", 8080, "http://[::1]:8080"),
        ("[::]", 8080, "http://[::1]:8080"),
        ("::1", 9000, "http://[::1]:9000"),
    ],
)
def test_the_served_address_is_the_base_url(host, port, expected):
    assert served_base_url(host, port) == expected


def test_an_explicit_base_url_wins(monkeypatch):
    monkeypatch.setenv("SINMUN_BASE_URL", "https://news.example.kr")
    assert export_base_url("0.0.0.0", 9000) is False  # noqa: S104
    assert export_base_url("127.0.0.1", 9000) is False
    monkeypatch.setenv("SINMUN_BASE_URL", "")
    assert export_base_url("127.0.0.1", 9000) is True
    assert os.environ["SINMUN_BASE_URL"] == "http://127.0.0.1:9000"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``sinmun serve --port <free port>`` on a fresh data folder (the demo paper), with
    no SINMUN_BASE_URL and e-mail written to files."""
    root = tmp_path_factory.mktemp("serve-address")
    port = free_port()
    assert port != 8000
    server = LiveSinmun(
        data_dir=root / "data",
        port=port,
        workers=1,
        env={"EMAIL_URL": f"file://{root / 'mail'}", "SINMUN_KIWI_PRELOAD": "0"},
    )
    del server.env["SINMUN_BASE_URL"]  # the helper sets it; a newcomer does not
    server.start()
    try:
        yield server, root / "mail"
    finally:
        server.stop()


def first_article(server) -> str:
    status, _, body = http_get(server.url + "/")
    assert status == 200
    return re.search(r'href="(/article/\d+/)"', body)[1]


def test_feed_canonical_link_sitemap_and_robots_use_the_served_port(served):
    server, _ = served
    base = server.url  # http://127.0.0.1:<port>
    article = first_article(server)

    status, _, rss = http_get(base + "/rss/")
    assert status == 200
    links = re.findall(r"<link>([^<]+)</link>", rss)
    assert links and all(link.startswith(base + "/") for link in links), links[:3]

    _, _, page = http_get(base + article)
    assert f'<link rel="canonical" href="{base}{article}">' in page

    _, _, index = http_get(base + "/sitemap.xml")
    locations = re.findall(r"<loc>([^<]+)</loc>", index)
    assert locations and all(loc.startswith(base + "/") for loc in locations)
    articles = next(loc for loc in locations if "sitemap-articles-" in loc)
    _, _, urlset = http_get(articles)
    assert f"<loc>{base}{article}</loc>" in urlset

    _, _, robots = http_get(base + "/robots.txt")
    assert f"Sitemap: {base}/sitemap.xml" in robots
    for text in (rss, page, index, urlset, robots):
        assert ":8000" not in text


def test_an_emailed_article_links_to_the_served_port(served):
    import requests

    server, mail = served
    article = first_article(server)
    url = f"{server.url}/reader{article}email/"
    session = requests.Session()
    form = session.get(url, timeout=30).text
    field = lambda name: re.search(rf'name="{name}" value="([^"]+)"', form)[1]  # noqa: E731
    sent = session.post(
        url,
        data={
            "csrfmiddlewaretoken": field("csrfmiddlewaretoken"),
            "nonce": field("nonce"),
            "sender_name": "김독자",
            "sender_email": "reader@example.org",
            "recipient": "friend@example.net",
            "message": "이 기사 읽어 보세요",
        },
        timeout=30,
    )
    assert sent.status_code == 200, sent.text[:2000]
    messages = list(mail.iterdir())
    assert len(messages) == 1
    text = messages[0].read_text(encoding="utf-8")
    assert f"{server.url}{article}" in text
    assert ":8000" not in text
