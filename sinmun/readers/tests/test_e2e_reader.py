"""A reader in headless Chromium: e-mails the article (it arrives at a real SMTP server),
likes it once, opens the print view and the mobile edition."""

from __future__ import annotations

import pytest

from sinmun.readers.models import ArticleCounter
from tests.support.factories import make_article, make_reporter

# A desktop browser's user agent: HeadlessChrome would be treated as a bot.
DESKTOP_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36"
)
TITLE = "망원동 작은 도서관, 밤 10시까지 문 연다"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(locale="ko-KR", user_agent=DESKTOP_UA)
    yield context, context.new_page()
    context.close()


def test_reader_emails_likes_prints_and_goes_mobile(live_server, smtp_server, browser_page):
    from playwright.sync_api import expect

    context, page = browser_page
    article = make_article(
        title=TITLE,
        reporter=make_reporter("서하늘"),
        paragraphs=["망원동 작은 도서관이 다음 달부터 평일 밤 10시까지 문을 연다.", "둘째."],
        likes=2,
    )
    url = live_server.url + article.get_absolute_url()

    # Reading: the page sets no cookie, and the beacon counts this reader once.
    page.goto(url)
    expect(page.get_by_test_id("article-title")).to_have_text(TITLE)
    assert context.cookies() == []
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some(e => e.name.includes('/view/'))"
    )
    page.wait_for_timeout(300)
    assert ArticleCounter.objects.get(article=article).views == 1

    # 기사 메일전송 through the form.
    page.get_by_test_id("email-link").click()
    expect(page.get_by_test_id("email-form")).to_be_visible()
    page.get_by_label("보내는 사람 이름").fill("박독자")
    page.get_by_label("보내는 사람 이메일").fill("reader@example.org")
    page.get_by_label("받는 사람 이메일").fill("friend@example.net")
    page.get_by_label("짧은 메시지").fill("우리 동네 소식이에요")
    page.get_by_test_id("email-submit").click()
    expect(page.get_by_test_id("email-sent")).to_contain_text("friend@example.net")
    assert smtp_server.arrived.wait(5)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert str(message["Subject"]).strip().endswith(TITLE)
    assert "reader@example.org" in str(message["Reply-To"])
    assert "reader@example.org" not in str(message["From"])
    assert "우리 동네 소식이에요" in message.get_content()
    # The link is the public address (SINMUN_BASE_URL), not the address we browsed.
    assert f"https://news.sinmun.test/article/{article.pk}/" in message.get_content()

    # 추천: once; a second press changes nothing.
    page.goto(url)
    count = page.get_by_test_id("like-count")
    expect(count).to_have_text("2")
    page.get_by_test_id("like-button").click()
    expect(count).to_have_text("3")
    expect(page.get_by_test_id("like-button")).to_have_attribute("aria-pressed", "true")
    page.get_by_test_id("like-button").click()
    expect(page.get_by_test_id("like-status")).to_have_text("이미 추천한 기사입니다.")
    expect(count).to_have_text("3")
    assert ArticleCounter.objects.get(article=article).likes == 3
    # The CSRF cookie exists only for /reader/, never for article pages.
    assert {(c["name"], c["path"]) for c in context.cookies()} == {("csrftoken", "/reader/")}

    # 인쇄.
    page.get_by_test_id("print-link").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    page.emulate_media(media="print")
    expect(page.locator(".print__url")).to_contain_text(f"/article/{article.pk}/")
    expect(page.locator(".print__info")).to_contain_text("서하늘 기자")
    page.emulate_media(media="screen")

    # 모바일 버전.
    page.goto(url)
    page.get_by_test_id("mobile-link").click()
    expect(page).to_have_url(live_server.url + article.get_mobile_url())
    expect(page.get_by_test_id("article-title")).to_have_text(TITLE)
    expect(page.get_by_test_id("like-count")).to_have_text("3")
    expect(page.get_by_test_id("pc-link")).to_have_attribute("href", article.get_absolute_url())
