import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from sinmun.articles.models import Article
from sinmun.syndication import sitemaps
from tests.support.factories import make_article, make_reporter, make_section

from .conftest import BASE, local_path
from .factories import edit_and_republish, make_hidden_articles

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
KST_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$")


def get_xml(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "public" in response["Cache-Control"]
    return ET.fromstring(response.content)  # noqa: S314 - our own server's output


def locs(root):
    return [el.text for el in root.iterfind(".//sm:loc", NS)]


def entries(root):
    """Return {loc: lastmod text or None} of a urlset or sitemapindex."""
    result = {}
    for node in list(root):
        lastmod = node.find("sm:lastmod", NS)
        result[node.find("sm:loc", NS).text] = None if lastmod is None else lastmod.text
    return result


def kst(value: datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def url(article) -> str:
    return BASE + article.get_absolute_url()


def test_robots_names_the_index_and_every_loc_opens(client, profile):
    section = make_section(code="S1N1")
    reporter = make_reporter("이도겸")
    for i in range(3):
        make_article(title=f"기사 {i}", section=section, reporter=reporter)
    make_hidden_articles(section, reporter)

    robots = client.get("/robots.txt").content.decode().splitlines()
    assert f"Sitemap: {BASE}/sitemap.xml" in robots

    index = get_xml(client, "/sitemap.xml")
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    listed = entries(index)
    assert list(listed) == [
        BASE + "/sitemap-news.xml",
        BASE + "/sitemap-pages.xml",
        BASE + "/sitemap-reporters.xml",
        BASE + "/sitemap-articles-1.xml",
    ]
    assert all(KST_SECONDS.match(lastmod) for lastmod in listed.values())
    opened = 0
    for sitemap_url in listed:
        urlset = get_xml(client, local_path(sitemap_url))
        assert urlset.tag == f"{{{NS['sm']}}}urlset"
        for loc in locs(urlset):
            assert client.get(local_path(loc)).status_code == 200, loc
            opened += 1
    # news 3 + home + 1 section + 1 reporter + articles 3
    assert opened == 9


def test_article_pages_are_blocks_of_numbers_with_lastmod(client, profile, monkeypatch):
    monkeypatch.setattr(sitemaps, "ARTICLES_PER_SITEMAP", 3)
    section = make_section()
    old = timezone.now() - timedelta(days=30)
    by_pk = {
        pk: make_article(pk=pk, title=f"기사 {pk}", section=section, registered_at=old)
        for pk in (1, 2, 3, 4, 5, 6, 7, 25)
    }
    by_pk[4] = edit_and_republish(by_pk[4], title="고친 기사 4")
    assert by_pk[4].modified_at is not None

    index = entries(get_xml(client, "/sitemap.xml"))
    pages = [loc for loc in index if "sitemap-articles-" in loc]
    assert pages == [BASE + f"/sitemap-articles-{n}.xml" for n in (1, 2, 3, 9)]
    assert index[BASE + "/sitemap-articles-2.xml"] == kst(by_pk[4].modified_at)
    assert index[BASE + "/sitemap-articles-1.xml"] == kst(old)

    expected = {1: (1, 2), 2: (3, 4, 5), 3: (6, 7), 9: (25,)}
    for number, pks in expected.items():
        page = entries(get_xml(client, f"/sitemap-articles-{number}.xml"))
        assert list(page) == [url(by_pk[pk]) for pk in pks]
        for pk in pks:
            article = by_pk[pk]
            assert page[url(article)] == kst(article.modified_at or article.first_published_at)

    # Unpublishing an article changes its own page only: the others keep their URLs.
    page_two_before = get_xml(client, "/sitemap-articles-2.xml")
    by_pk[1].unpublish(log_action=False)
    assert locs(get_xml(client, "/sitemap-articles-1.xml")) == [url(by_pk[2])]
    assert locs(get_xml(client, "/sitemap-articles-2.xml")) == locs(page_two_before)

    for bad in (
        "/sitemap-articles-4.xml",
        "/sitemap-articles-0.xml",
        "/sitemap-articles-99999999999999999999.xml",
        "/sitemap-articles-1.xml?p=2",
        "/sitemap-articles-1.xml?p=x",
        "/sitemap-nothing.xml",
    ):
        assert client.get(bad).status_code == 404, bad


def test_default_page_size_is_ten_thousand_numbers(client, profile):
    assert sitemaps.ARTICLES_PER_SITEMAP == 10_000
    first = make_article(pk=9_999)
    second = make_article(pk=10_000)
    assert locs(get_xml(client, "/sitemap-articles-1.xml")) == [url(first)]
    assert locs(get_xml(client, "/sitemap-articles-2.xml")) == [url(second)]


def test_pages_and_reporters(client, profile):
    now = timezone.now()
    politics = make_section(name="정치", code="S1N1", order=1)
    society = make_section(name="사회", code="S1N2", order=2)
    empty = make_section(name="빈 섹션", code="S1N9", order=3)
    writer = make_reporter("이도겸")
    secretive = make_reporter("비공개 기자")
    make_article(section=politics, reporter=writer, registered_at=now - timedelta(hours=5))
    newest = make_article(section=society, reporter=writer, registered_at=now - timedelta(hours=1))
    make_hidden_articles(politics, secretive)

    pages = entries(get_xml(client, "/sitemap-pages.xml"))
    assert pages == {
        BASE + "/": kst(newest.first_published_at),
        BASE + "/section/S1N1/": kst(now - timedelta(hours=5)),
        BASE + "/section/S1N2/": kst(newest.first_published_at),
        BASE + empty.get_absolute_url(): None,
    }
    reporters = entries(get_xml(client, "/sitemap-reporters.xml"))
    assert reporters == {BASE + writer.get_absolute_url(): kst(newest.first_published_at)}


def test_news_sitemap_elements_and_48_hours(client, profile):
    now = timezone.now()
    section = make_section()
    recent = make_article(
        title="어제 & 오늘 <뉴스>", section=section, registered_at=now - timedelta(hours=1)
    )
    edge = make_article(title="이틀 안", section=section, registered_at=now - timedelta(hours=47))
    make_article(title="이틀 지난 기사", section=section, registered_at=now - timedelta(hours=49))
    hidden = make_hidden_articles(section)

    root = get_xml(client, "/sitemap-news.xml")
    urls = root.findall("sm:url", NS)
    assert [u.find("sm:loc", NS).text for u in urls] == [url(recent), url(edge)]
    first = urls[0].find("news:news", NS)
    assert first.find("news:publication/news:name", NS).text == "새여울일보"
    assert first.find("news:publication/news:language", NS).text == "ko"
    assert first.find("news:publication_date", NS).text == kst(recent.first_published_at)
    assert first.find("news:title", NS).text == "어제 & 오늘 <뉴스>"
    raw = client.get("/sitemap-news.xml").content.decode()
    assert "이틀 지난 기사" not in raw
    for article in hidden.values():
        assert article.title not in raw


def test_news_sitemap_stops_at_1000(client, profile):
    section = make_section()
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"속보 {i}",
            section=section,
            live=True,
            first_published_at=now - timedelta(minutes=i + 1),
            last_published_at=now - timedelta(minutes=i + 1),
        )
        for i in range(1_005)
    )
    root = get_xml(client, "/sitemap-news.xml")
    titles = [t.text for t in root.iterfind(".//news:title", NS)]
    assert len(titles) == 1_000
    assert titles[0] == "속보 0" and titles[-1] == "속보 999"


def test_hidden_articles_are_in_no_sitemap(client, profile):
    section = make_section()
    reporter = make_reporter()
    visible = make_article(section=section, reporter=reporter)
    hidden = make_hidden_articles(section, reporter)
    hidden_urls = {url(a) for a in hidden.values()}

    everything = []
    for sitemap_url in locs(get_xml(client, "/sitemap.xml")):
        everything += locs(get_xml(client, local_path(sitemap_url)))
    assert url(visible) in everything
    assert not hidden_urls & set(everything)
    # Hidden articles are not counted into a page's lastmod or existence either.
    for article in hidden.values():
        number = article.pk // sitemaps.ARTICLES_PER_SITEMAP + 1
        page = client.get(f"/sitemap-articles-{number}.xml")
        assert url(article) not in page.content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_sitemap_queries_do_not_grow(client, profile, django_assert_num_queries, count):
    section = make_section()
    for i in range(count):
        make_article(section=section, reporter=make_reporter(f"기자{i}"))
    client.get("/sitemap-news.xml")  # warm the site settings cache
    for path, queries in (
        ("/sitemap.xml", 1),  # one grouped query over the archive…
        ("/sitemap.xml", 0),  # …kept in the cache until the archive changes
        ("/sitemap-news.xml", 1),
        ("/sitemap-pages.xml", 1),
        ("/sitemap-reporters.xml", 2),  # count, page
        ("/sitemap-articles-1.xml", 1),
    ):
        with django_assert_num_queries(queries):
            assert client.get(path).status_code == 200


def test_a_new_paper_without_articles_has_valid_empty_sitemaps(client, profile):
    index = entries(get_xml(client, "/sitemap.xml"))
    assert list(index) == [
        BASE + "/sitemap-news.xml",
        BASE + "/sitemap-pages.xml",
        BASE + "/sitemap-reporters.xml",
    ]
    assert set(index.values()) == {None}
    for sitemap_url in index:
        get_xml(client, local_path(sitemap_url))
    assert locs(get_xml(client, "/sitemap-pages.xml")) == [BASE + "/"]


def test_cached_index_follows_publish_unpublish_and_delete(client, profile):
    old = timezone.now() - timedelta(days=3)
    first = make_article(pk=5, registered_at=old)
    lone = make_article(pk=20_005, registered_at=old)
    index = entries(get_xml(client, "/sitemap.xml"))
    assert index[BASE + "/sitemap-articles-1.xml"] == kst(old)
    assert BASE + "/sitemap-articles-3.xml" in index

    edited = edit_and_republish(first, title="고친 제목")
    index = entries(get_xml(client, "/sitemap.xml"))
    assert index[BASE + "/sitemap-articles-1.xml"] == kst(edited.modified_at)

    lone.unpublish(log_action=False)
    assert BASE + "/sitemap-articles-3.xml" not in entries(get_xml(client, "/sitemap.xml"))
    assert client.get("/sitemap-articles-3.xml").status_code == 404

    Article.objects.get(pk=5).delete()
    assert not [loc for loc in locs(get_xml(client, "/sitemap.xml")) if "articles" in loc]
