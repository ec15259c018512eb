import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from sinmun.articles import selectors
from sinmun.sitesettings.selectors import site_context
from sinmun.syndication.checks import check_site_verification
from tests.support.factories import make_article, make_reporter, make_section

from .conftest import BASE, local_path
from .factories import edit_and_republish, make_hidden_articles, make_image, make_photo_article

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """Collect what a crawler reads from a page: meta tags, links and JSON-LD."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        self.json_ld: list = []
        self._in_ld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta.setdefault(a.get("property") or a["name"], []).append(a.get("content"))
        elif tag == "link":
            self.links.setdefault(a["rel"], []).append(a["href"])
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))

    def one(self, name):
        (value,) = self.meta[name]
        return value


def kst(value):
    return timezone.localtime(value).isoformat(timespec="seconds")


def page(client, path) -> Head:
    response = client.get(path)
    assert response.status_code == 200
    return Head(response.content.decode())


def test_news_article_json_ld_field_by_field(client, profile):
    section = make_section(name="정치·행정", code="S1N1")
    reporter = make_reporter("이도겸")
    registered = timezone.now() - timedelta(days=2)
    article = make_photo_article(
        title="시의회, 추경 심사 착수",
        section=section,
        reporter=reporter,
        registered_at=registered,
        tags=["추경", "시의회"],
    )
    article = edit_and_republish(article, subtitle="생활 SOC 중점")

    head = page(client, article.get_absolute_url())
    (data,) = head.json_ld
    url = BASE + article.get_absolute_url()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "시의회, 추경 심사 착수"
    assert data["alternativeHeadline"] == "생활 SOC 중점"
    assert data["description"] == "사진이 있는 기사의 첫 문단입니다."
    assert data["url"] == url
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert head.links["canonical"] == [url]
    assert data["datePublished"] == kst(registered)
    assert data["datePublished"].endswith("+09:00")
    assert data["dateModified"] == kst(article.modified_at) != data["datePublished"]
    assert data["articleSection"] == "정치·행정"
    assert sorted(data["keywords"].split(", ")) == ["시의회", "추경"]
    assert data["inLanguage"] == "ko"
    (author,) = data["author"]
    assert author == {
        "@type": "Person",
        "name": "이도겸",
        "url": BASE + f"/reporter/{reporter.pk}/",
    }
    publisher = data["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"  # schema.org's Organization for news
    assert publisher["name"] == "새여울일보"
    assert publisher["url"] == BASE + "/"
    assert publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"].endswith("/static/sinmun/logo.png")
    (image,) = data["image"]
    assert image["@type"] == "ImageObject"
    assert ".width-1200." in image["url"]
    assert (image["width"], image["height"]) == (1200, 675)
    # Every URL in the data opens on the site.
    for link in (author["url"], publisher["logo"]["url"], image["url"], data["url"]):
        assert client.get(local_path(link)).status_code == 200, link


def test_article_without_photo_or_reporter(client, profile):
    article = make_article(title="단신", reporter=None)
    (data,) = page(client, article.get_absolute_url()).json_ld
    assert "image" not in data
    assert "keywords" not in data
    assert data["author"] == [{"@type": "Organization", "name": "새여울일보", "url": BASE + "/"}]
    assert data["dateModified"] == data["datePublished"]


def test_json_ld_cannot_be_broken_out_of(client, profile):
    title = '</script><script>alert("x")</script> & <!-- 따옴표 \' "'
    article = make_article(title=title, paragraphs=["</script><b>문단</b>"])
    html = client.get(article.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    assert data["headline"] == title
    assert "<script>alert" not in html


def test_open_graph_and_twitter_tags(client, profile):
    section = make_section(name="사회")
    article = make_photo_article(title="산책로 개통", section=section, tags=["하천"])
    url = BASE + article.get_absolute_url()

    head = page(client, article.get_absolute_url())
    assert head.one("og:type") == "article"
    assert head.one("og:title") == "산책로 개통"
    assert head.one("og:description") == "사진이 있는 기사의 첫 문단입니다."
    assert head.one("description") == "사진이 있는 기사의 첫 문단입니다."
    assert head.one("og:url") == url
    assert head.one("og:site_name") == "새여울일보"
    assert head.one("og:locale") == "ko_KR"
    assert ".width-1200." in head.one("og:image")
    assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "675")
    assert head.one("og:image:alt") == "강변을 걷는 주민들"
    assert head.one("article:published_time") == kst(article.first_published_at)
    assert head.one("article:modified_time") == kst(article.first_published_at)
    assert head.one("article:section") == "사회"
    assert head.one("article:tag") == "하천"
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:title") == "산책로 개통"
    assert head.one("twitter:image") == head.one("og:image")
    assert client.get(local_path(head.one("og:image"))).status_code == 200

    # Without a photo, a share still shows the paper's logo in a small card.
    plain = page(client, make_article(title="사진 없는 기사").get_absolute_url())
    assert plain.one("og:image").endswith("/static/sinmun/logo.png")
    assert plain.one("twitter:card") == "summary"


def test_mobile_article_page_carries_the_same_meta(client, profile):
    article = make_photo_article(title="모바일 기사")
    pc = page(client, article.get_absolute_url())
    mobile = page(client, article.get_mobile_url())
    assert mobile.links["canonical"] == [BASE + article.get_absolute_url()]
    assert mobile.one("og:url") == BASE + article.get_absolute_url()
    assert mobile.json_ld == pc.json_ld


def test_home_page_organization_and_website_with_search(client, profile):
    head = page(client, "/")
    organization, website = head.json_ld
    assert organization["@context"] == "https://schema.org"
    assert organization["@type"] == "NewsMediaOrganization"
    assert organization["name"] == "새여울일보"
    assert organization["legalName"] == "(주)새여울미디어"
    assert organization["url"] == BASE + "/"
    assert organization["logo"]["url"] == BASE + "/static/sinmun/logo.png"
    assert website["@type"] == "WebSite"
    assert website["url"] == BASE + "/"
    assert website["name"] == "새여울일보"
    assert website["description"] == "우리 동네 이야기를 가장 가까이에서"
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == BASE + "/search?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    assert head.one("og:type") == "website"
    assert head.one("og:url") == BASE + "/"
    assert head.one("og:title") == "새여울일보"
    logo = client.get(local_path(organization["logo"]["url"]))
    assert logo.status_code == 200
    # The search action leads to the reader search page.
    query = action["target"]["urlTemplate"].replace("{search_term_string}", "돌봄")
    assert client.get(local_path(query)).status_code == 200


def test_site_verification_tags_on_the_home_page(client, profile, settings):
    settings.SINMUN_SITE_VERIFICATION = [
        "naver-site-verification=abc123",
        "google-site-verification=x_Y-z",
    ]
    head = page(client, "/")
    assert head.one("naver-site-verification") == "abc123"
    assert head.one("google-site-verification") == "x_Y-z"
    assert check_site_verification() == []

    settings.SINMUN_SITE_VERIFICATION = ["naver-site-verification", "<b>=x", "ok-name=fine"]
    errors = check_site_verification()
    assert [e.id for e in errors] == ["sinmun.syndication.E001"] * 2
    assert "형식이 틀렸습니다" in errors[0].msg
    head = page(client, "/")
    assert head.one("ok-name") == "fine"
    assert "naver-site-verification" not in head.meta


def test_paper_logo_replaces_the_default_and_follows_changes(client, profile):
    logo = make_image("새여울일보 로고", size=(900, 300), colour="white")
    profile.logo = logo
    profile.save()

    organization, _ = page(client, "/").json_ld
    chosen = organization["logo"]
    assert "/media/images/" in chosen["url"]
    assert (chosen["width"], chosen["height"]) == (600, 200)
    assert client.get(local_path(chosen["url"])).status_code == 200
    article = make_article()
    (data,) = page(client, article.get_absolute_url()).json_ld
    assert data["publisher"]["logo"]["url"] == chosen["url"]

    profile.logo = None
    profile.save()
    organization, _ = page(client, "/").json_ld
    assert organization["logo"]["url"] == BASE + "/static/sinmun/logo.png"


def test_hidden_articles_leave_no_trace_on_reader_pages(client, profile):
    section = make_section()
    make_article(title="공개 기사", section=section)
    hidden = make_hidden_articles(section)
    home = client.get("/").content.decode()
    for article in hidden.values():
        assert article.title not in home
        assert client.get(article.get_absolute_url()).status_code == 404


def test_meta_rendering_adds_no_query(profile, django_assert_num_queries):
    article = make_photo_article(reporter=make_reporter(), tags=["하천"])
    loaded = selectors.article_get_public(pk=article.pk)
    context = {
        "article": loaded,
        "tags": list(loaded.tags.all()),
        "site_profile": site_context()["profile"],
    }
    with django_assert_num_queries(0):
        html = render_to_string("syndication/article_meta.html", context)
    assert '"@type":"NewsArticle"' in html
