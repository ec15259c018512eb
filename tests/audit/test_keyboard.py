"""Keyboard-only journeys in Chromium (Tab, Enter and typing; no mouse): the skip link,
reading an article, moving to the next one, opening the ranking, and sending the article
by e-mail (it arrives at a real SMTP server on loopback). Every control that takes focus on
the way shows a visible focus indicator."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sinmun.articles.models import Article
from sinmun.transfer.demo import load_demo

pytestmark = pytest.mark.django_db(transaction=True)

# What has focus, and whether it shows it (an outline or a box shadow).
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id,
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60),
    testid: el.getAttribute('data-testid') || '', href: el.getAttribute('href') || '',
    rel: el.getAttribute('rel') || '', inMain: !!el.closest('main'),
    indicator: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
               || (s.boxShadow && s.boxShadow !== 'none'),
    shown: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
  };
}"""


def tab_to(page, wanted, what: str, limit: int = 60) -> dict:
    """Press Tab until the focused control is the wanted one, checking on the way that
    every focused control is on screen and shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        assert state is not None, f"focus left the page while looking for {what}"
        assert state["indicator"], f"no visible focus indicator on {state}"
        assert state["shown"], f"the focused control is off screen: {state}"
        if wanted(state):
            return state
    raise AssertionError(f"{what} not reached in {limit} presses of Tab")


@pytest.fixture
def keyboard_page(ko_context):
    return ko_context.new_page()


def test_skip_link_read_next_and_ranking_by_keyboard(live_server, keyboard_page):
    page = keyboard_page
    assert load_demo().errors == []
    page.goto(live_server.url + "/")

    # The first Tab shows the skip link; Enter moves focus into the main content.
    page.keyboard.press("Tab")
    state = page.evaluate(FOCUS_STATE)
    assert state["text"] == "본문 바로가기" and state["shown"] and state["indicator"], state
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    state = tab_to(page, lambda s: True, "the first control after the skip link")
    assert state["inMain"], f"after the skip link, Tab went to {state}"

    # Read the top story.
    top = page.locator(".top-story__title a")
    top_href = top.get_attribute("href")
    tab_to(page, lambda s: s["href"] == top_href and s["inMain"], "the top story")
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + top_href)
    expect(page.get_by_test_id("article-body")).to_be_visible()
    title = page.get_by_test_id("article-title").inner_text()

    # Move to the next (or, for the newest of a section, the previous) article.
    if page.get_by_test_id("next-link").count():
        tab_to(page, lambda s: s["testid"] == "next-link", "다음 기사 보기")
    else:
        tab_to(page, lambda s: s["testid"] == "prev-link", "이전 기사 보기")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/article/\d+/$"))
    expect(page.get_by_test_id("article-title")).not_to_have_text(title)

    # Open the ranking from the 가장 많이 본 뉴스 box, then the weekly one.
    tab_to(page, lambda s: s["href"] == "/ranking/", "the ranking link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/ranking/")
    expect(page.get_by_role("heading", level=1)).to_have_text("많이 본 뉴스")
    tab_to(page, lambda s: s["href"] == "?period=week", "the 주간 tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/ranking/\?period=week$"))
    expect(page.get_by_test_id("ranking").locator("li").first).to_be_visible()


def test_send_an_article_by_email_by_keyboard(live_server, keyboard_page, smtp_inbox):
    page = keyboard_page
    assert load_demo().errors == []
    article = Article.objects.public().order_by("first_published_at")[5]
    page.goto(live_server.url + article.get_absolute_url())

    tab_to(page, lambda s: s["testid"] == "email-link", "기사 메일전송")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("email-form")).to_be_visible()

    # Sent empty: the errors are announced and tied to their fields.
    tab_to(page, lambda s: s["testid"] == "email-submit", "보내기")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("form-error")).to_be_visible()
    name_input = page.get_by_test_id("input-sender_name")
    expect(name_input).to_have_attribute("aria-invalid", "true")
    described = name_input.get_attribute("aria-describedby")
    assert described, "the field's error is not tied to it"
    expect(page.locator(f"#{described.split()[0]}")).not_to_be_empty()

    # Filled in by keyboard, field after field, and sent.
    entries = [
        ("input-sender_name", "박독자"),
        ("input-sender_email", "reader@example.org"),
        ("input-recipient", "friend@example.net"),
        ("input-message", "키보드로 보냅니다"),
    ]
    for testid, text in entries:
        tab_to(page, lambda s, t=testid: s["testid"] == t, testid)
        page.keyboard.type(text)
    tab_to(page, lambda s: s["testid"] == "email-submit", "보내기")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("email-sent")).to_contain_text("friend@example.net")
    assert smtp_inbox.arrived.wait(5)
    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert str(message["Subject"]).strip().endswith(article.title)
    assert "키보드로 보냅니다" in message.get_content()
