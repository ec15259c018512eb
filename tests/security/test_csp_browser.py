"""The Content-Security-Policy in a real browser: reader pages run reader.js with no
violation, and Wagtail's admin (login, article edit page with its editor and preview)
works under the admin policy. A CSP violation is a console error in Chromium."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import User

from tests.support.factories import make_article, make_section

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "csp-browser-pass-2026"


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    page = context.new_page()
    page.problems = []
    page.on(
        "console",
        lambda m: (
            page.problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" or "Content Security Policy" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
    yield page
    context.close()


def csp_problems(page) -> list[str]:
    return [p for p in page.problems if "Content Security Policy" in p or "pageerror" in p]


def test_reader_article_page_has_no_csp_violation(live_server, page):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    article = make_article(title="새여울 다리 공사", section=make_section(code="local"))
    page.goto(f"{live_server.url}/article/{article.pk}/")
    page.wait_for_load_state("networkidle")
    # reader.js ran: it asks /reader/…/state/ for the like count and token.
    page.wait_for_function("document.querySelector('[data-likes], .like-count, form') !== null")
    assert csp_problems(page) == [], page.problems
    for url in [
        "/",
        f"/article/{article.pk}/print/",
        f"/m/article/{article.pk}/",
        "/search?q=다리",
    ]:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
    assert csp_problems(page) == [], page.problems


def test_admin_edit_page_works_under_its_policy(live_server, page):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    User.objects.create_superuser("csp-boss", "boss@example.com", PASSWORD)
    article = make_article(title="편집 화면 점검", section=make_section(code="desk"))
    base = live_server.url
    edit = f"/admin/snippets/articles/article/edit/{article.pk}/"
    # Straight to the edit page (a transactional test has no page tree for the dashboard).
    page.goto(f"{base}/admin/login/?next={edit}")
    page.fill('input[name="username"]', "csp-boss")
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form button[type="submit"]').first.click()
    page.wait_for_url(f"{base}{edit}")
    page.wait_for_load_state("networkidle")
    # Wagtail's scripts ran: the rich-text editor (Draftail) is drawn.
    page.wait_for_selector(".Draftail-Editor", timeout=15000)
    # The preview panel loads the article in a same-origin iframe (frame-ancestors 'self').
    toggle = page.locator('[data-side-panel-toggle="preview"]')
    if toggle.count():
        toggle.first.click()
        # Wagtail fills the iframe once it has posted the form; an iframe refused by
        # X-Frame-Options or frame-ancestors would stay empty.
        page.wait_for_function(
            """() => {
                const frame = document.querySelector("iframe[id*=preview]");
                const doc = frame && frame.contentDocument;
                return !!(doc && doc.body && doc.body.innerText.includes("편집 화면 점검"));
            }""",
            timeout=30000,
        )
    problems = csp_problems(page)
    # Leave the editor now: its editing-session release beacon must land before the
    # test database is flushed.
    page.goto("about:blank")
    page.wait_for_timeout(1500)
    assert problems == [], page.problems
