import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinmun.transfer.jsonl import import_lines
from sinmun.transfer.legacy import LegacyURLError, normalise_url
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def line(**fields):
    base = {
        "id": 500,
        "title": "옛 주소가 있는 기사",
        "section": {"code": "news", "name": "뉴스"},
        "registered_at": "2020-12-31T12:50:22+09:00",
        "body_html": "<p>본문</p>",
    }
    base.update(fields)
    return json.dumps(base, ensure_ascii=False)


@pytest.fixture
def moved():
    # Old idxno 77 became article 500; article 77 is another, unrelated article.
    make_article(pk=77, title="다른 77번 기사")
    report = import_lines(
        [
            line(
                legacy_urls=[
                    "https://old.example/news/articleView.html?idxno=77",
                    "/2020/12/31/%EC%98%88%EC%82%B0-%EC%9D%98%EA%B2%B0/",
                    "/?p=123",
                    "/bbs/board.php?bo_table=news&wr_id=9",
                ]
            ),
            line(id=501, title="초안", status="draft", legacy_urls=["/?p=124"]),
        ]
    )
    assert report.errors == []


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/?p=123", "/article/500/"),
        ("/?p=123&utm_source=x", "/article/500/"),
        ("/2020/12/31/예산-의결/", "/article/500/"),
        ("/2020/12/31/%EC%98%88%EC%82%B0-%EC%9D%98%EA%B2%B0", "/article/500/"),
        ("/news/articleView.html?idxno=77", "/article/500/"),
        ("/m/news/articleView.html?idxno=77", "/m/article/500/"),
        ("/bbs/board.php?wr_id=9&bo_table=news", "/article/500/"),
    ],
)
def test_old_addresses_redirect_permanently(moved, client, url, target):
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == target


def test_the_news_solution_address_still_finds_unmoved_articles(moved, client):
    make_article(pk=88, title="번호 그대로인 기사")
    response = client.get("/news/articleView.html?idxno=88")
    assert (response.status_code, response["Location"]) == (301, "/article/88/")


def test_unknown_and_unpublished_old_addresses_are_not_redirected(moved, client):
    assert client.get("/2019/01/01/nothing-here/").status_code == 404
    assert client.get("/?p=124").status_code == 200  # a draft: the home page, no leak
    assert client.get("/?p=999").status_code == 200
    assert client.get("/news/articleView.html?idxno=999").status_code == 404


def test_reading_an_article_costs_no_legacy_lookup(moved, client):
    client.get("/article/500/")  # warm caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/article/500/").status_code == 200
    assert not any("transfer_legacyurl" in q["sql"] for q in queries.captured_queries)


def test_normalising_old_addresses():
    assert normalise_url("https://x.example/a/b/?b=2&a=1") == "/a/b?a=1&b=2"
    assert normalise_url("/%ED%95%9C/") == "/한"
    assert normalise_url("/") == "/"
    with pytest.raises(LegacyURLError):
        normalise_url("/a/../../etc/passwd")
    with pytest.raises(LegacyURLError):
        normalise_url("/" + "a" * 600)


def test_an_old_address_taken_by_another_article_is_refused():
    report = import_lines([line(legacy_urls=["/?p=1"]), line(id=502, legacy_urls=["/?p=1"])])
    assert [n for n, _ in report.errors] == [2]
    assert "이미 기사 500의 주소" in report.errors[0][1]
