import re
from datetime import timedelta
from email.utils import parsedate_to_datetime

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.support.factories import make_article, make_reporter, make_section

from .conftest import BASE, local_path
from .factories import edit_and_republish, make_hidden_articles, make_photo_article

pytestmark = pytest.mark.django_db


def fetch(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    return response, parsed


def test_site_feed_items_carry_every_field(client, profile):
    section = make_section(name="정치·행정", code="S1N1")
    reporter = make_reporter("이도겸")
    when = timezone.now() - timedelta(hours=2)
    article = make_article(
        title="시의회 & 예산 <심사> 착수",
        section=section,
        reporter=reporter,
        registered_at=when,
        paragraphs=["시의회가 예산안 심사에 들어갔다.", "둘째 문단."],
    )

    response, parsed = fetch(client, "/rss/")

    assert parsed.feed.title == "새여울일보"
    assert parsed.feed.link == BASE + "/"
    assert parsed.feed.language == "ko"
    (entry,) = parsed.entries
    url = BASE + f"/article/{article.pk}/"
    assert entry.title == "시의회 & 예산 <심사> 착수"
    assert entry.link == url
    assert entry.id == url
    assert entry.summary == "시의회가 예산안 심사에 들어갔다."
    assert entry.author == "이도겸"
    assert [t.term for t in entry.tags] == ["정치·행정"]
    # pubDate is written in Korea time and names the registered instant exactly.
    raw = response.content.decode()
    pub = re.search(r"<pubDate>([^<]+)</pubDate>", raw).group(1)
    assert pub.endswith("+0900")
    assert parsedate_to_datetime(pub) == when.replace(microsecond=0)
    assert re.search(r"<lastBuildDate>[^<]+\+0900</lastBuildDate>", raw)
    assert '<guid isPermaLink="true">' in raw
    # No photo in this article, so no enclosure.
    assert not entry.get("enclosures")


def test_lead_photo_is_an_enclosure_and_media_content(client, profile):
    article = make_photo_article(title="사진 기사", reporter=make_reporter())

    _, parsed = fetch(client, "/rss/")

    (entry,) = parsed.entries
    assert entry.link == BASE + article.get_absolute_url()
    (enclosure,) = entry.enclosures
    assert enclosure.type == "image/webp"
    assert ".width-1200." in enclosure.href
    assert int(enclosure.length) > 0
    (media,) = entry.media_content
    assert media["url"] == enclosure.href
    assert media["medium"] == "image"
    assert media["width"] == "1200"
    assert media["height"] == "675"
    # The photo file really is where the feed says, and its size is the stated length.
    photo = client.get(local_path(enclosure.href))
    assert photo.status_code == 200
    assert len(b"".join(photo.streaming_content)) == int(enclosure.length)


def test_full_text_setting_puts_the_body_with_absolute_urls(client, profile, settings):
    make_photo_article(title="본문 전체 기사")

    _, excerpt_feed = fetch(client, "/rss/")
    assert excerpt_feed.entries[0].summary == "사진이 있는 기사의 첫 문단입니다."

    settings.SINMUN_FEED_FULL_TEXT = True
    _, full_feed = fetch(client, "/rss/")
    body = full_feed.entries[0].summary
    assert "<p>사진이 있는 기사의 첫 문단입니다.</p>" in body
    assert "<figure" in body and "새여울천 산책로" in body
    srcs = re.findall(r'src="([^"]+)"', body)
    assert srcs and all(src.startswith(BASE + "/media/") for src in srcs)
    assert 'src="/' not in body and ", /media" not in body


def test_section_feed_and_news_solution_addresses(client, profile):
    politics = make_section(name="정치", code="S1N1")
    society = make_section(name="사회", code="S1N2")
    a = make_article(title="정치 기사", section=politics)
    b = make_article(title="사회 기사", section=society)

    _, section_feed = fetch(client, "/rss/section/S1N1/")
    _, legacy_section = fetch(client, "/rss/S1N1.xml")
    _, legacy_all = fetch(client, "/rss/allArticle.xml")
    _, site = fetch(client, "/rss/")

    assert [e.id for e in section_feed.entries] == [BASE + a.get_absolute_url()]
    assert section_feed.feed.title == "새여울일보 - 정치"
    assert section_feed.feed.link == BASE + "/section/S1N1/"
    assert [e.id for e in legacy_section.entries] == [BASE + a.get_absolute_url()]
    assert {e.id for e in site.entries} == {e.id for e in legacy_all.entries}
    assert {e.id for e in site.entries} == {BASE + x.get_absolute_url() for x in (a, b)}


def test_unknown_section_feed_is_404(client, profile):
    assert client.get("/rss/section/nope/").status_code == 404
    assert client.get("/rss/nope.xml").status_code == 404


def test_feed_holds_the_latest_50_newest_first(client, profile):
    section = make_section()
    now = timezone.now()
    articles = [
        make_article(
            title=f"기사 {i}", section=section, registered_at=now - timedelta(minutes=i + 1)
        )
        for i in range(55)
    ]

    _, parsed = fetch(client, "/rss/")
    _, by_section = fetch(client, f"/rss/section/{section.code}/")

    expected = [BASE + a.get_absolute_url() for a in articles[:50]]
    assert [e.id for e in parsed.entries] == expected
    assert [e.id for e in by_section.entries] == expected


def test_guid_survives_an_edit_and_republish(client, profile):
    article = make_article(title="처음 제목", registered_at=timezone.now() - timedelta(hours=5))
    _, before = fetch(client, "/rss/")

    edited = edit_and_republish(article, title="고친 제목")
    assert edited.modified_at is not None  # really a 수정, not a first publish
    _, after = fetch(client, "/rss/")

    (old,), (new,) = before.entries, after.entries
    assert new.id == old.id == BASE + f"/article/{article.pk}/"
    assert new.title == "고친 제목" and old.title == "처음 제목"
    assert new.published == old.published  # the registered time does not move


def test_hidden_articles_are_in_no_feed(client, profile):
    section = make_section(code="S9")
    reporter = make_reporter()
    visible = make_article(title="공개 기사", section=section, reporter=reporter)
    hidden = make_hidden_articles(section, reporter)

    for path in ("/rss/", "/rss/allArticle.xml", "/rss/section/S9/", "/rss/S9.xml"):
        response, parsed = fetch(client, path)
        assert [e.id for e in parsed.entries] == [BASE + visible.get_absolute_url()]
        raw = response.content.decode()
        for article in hidden.values():
            assert article.title not in raw
            assert f"/article/{article.pk}/" not in raw


def test_every_item_link_opens(client, profile):
    for i in range(3):
        make_article(title=f"링크 {i}")
    make_photo_article()
    _, parsed = fetch(client, "/rss/")
    assert len(parsed.entries) == 4
    for entry in parsed.entries:
        assert client.get(local_path(entry.link)).status_code == 200


def test_feed_is_cacheable_like_a_reader_page(client, profile, settings):
    make_article()
    response = client.get("/rss/")
    assert "public" in response["Cache-Control"]
    assert f"max-age={settings.SINMUN_PAGE_MAX_AGE}" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert not response.cookies
    client.cookies[settings.SESSION_COOKIE_NAME] = "someone"
    assert "private" in client.get("/rss/")["Cache-Control"]
    assert client.post("/rss/").status_code == 405


def test_feed_queries_do_not_grow_with_items(client, profile):
    section = make_section(code="S7")
    make_photo_article(section=section, reporter=make_reporter())
    client.get("/rss/section/S7/")  # warm the site settings cache

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/rss/section/S7/").status_code == 200
        return len(queries)

    few = count()
    for i in range(10):
        make_photo_article(section=section, reporter=make_reporter(f"기자{i}"))
    assert count() == few <= 2


def test_pages_advertise_their_feeds(client, profile):
    section = make_section(name="경제", code="S1N3")
    article = make_article(section=section)
    alternates = re.compile(
        r'<link rel="alternate" type="application/rss\+xml" title="([^"]+)" href="([^"]+)">'
    )

    home = alternates.findall(client.get("/").content.decode())
    assert home == [("새여울일보", BASE + "/rss/")]
    section_links = alternates.findall(client.get("/section/S1N3/").content.decode())
    assert section_links == [
        ("새여울일보", BASE + "/rss/"),
        ("새여울일보 - 경제", BASE + "/rss/section/S1N3/"),
    ]
    assert alternates.findall(client.get(article.get_absolute_url()).content.decode()) == home
    for _, href in section_links:
        fetch(client, local_path(href))


def test_a_new_paper_has_an_empty_but_valid_feed(client, profile):
    response, parsed = fetch(client, "/rss/")
    assert parsed.entries == []
    assert re.search(r"<lastBuildDate>[^<]+\+0900</lastBuildDate>", response.content.decode())
