"""A reader opens a demo article in Chromium, reads it, and follows its links."""

import re

import pytest
from playwright.sync_api import expect

from sinmun.articles.models import Article
from sinmun.transfer.demo import load_demo

from .pages import ArticlePage

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_reads_a_demo_article_and_follows_its_links(live_server, page, artifacts):
    assert load_demo().errors == []
    # An article in the middle of its section, so both neighbours exist.
    middle = Article.objects.public().order_by("first_published_at")[8]
    reader = ArticlePage(page, live_server.url).open(middle.pk)

    expect(reader.title).to_have_text(middle.title)
    expect(reader.byline).to_contain_text(f"{middle.reporter.name} 기자")
    expect(reader.registered).to_have_text(re.compile(r"등록 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"))
    expect(reader.body.locator("p").first).to_be_visible()
    expect(reader.most_viewed_items).to_have_count(7)
    assert page.locator("html").get_attribute("lang") == "ko"
    expect(page.get_by_text("기사수정")).to_have_count(0)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "article-page.png"), full_page=True)

    following = (
        Article.objects.public()
        .filter(section=middle.section, first_published_at__gt=middle.first_published_at)
        .order_by("first_published_at")
        .first()
    )
    if following is not None:
        reader.go_next()
        expect(page).to_have_url(f"{live_server.url}/article/{following.pk}/")
        expect(reader.title).to_have_text(following.title)

    reader.go_to_list()
    expect(page).to_have_url(f"{live_server.url}/section/{middle.section.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(middle.section.name)
    expect(page.get_by_test_id("section-list").locator("li").first).to_be_visible()


def test_article_page_on_a_phone(live_server, page, artifacts):
    load_demo()
    article = Article.objects.public().first()
    page.set_viewport_size({"width": 390, "height": 844})
    ArticlePage(page, live_server.url).open(article.pk)
    # Nothing wider than the screen: no sideways scrolling on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=str(artifacts / "article-page-phone.png"), full_page=True)
    page.get_by_test_id("mobile-link").click()
    expect(page).to_have_url(f"{live_server.url}/m/article/{article.pk}/")
    expect(page.get_by_test_id("article-title")).to_have_text(article.title)
