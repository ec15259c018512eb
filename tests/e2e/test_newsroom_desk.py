"""A day at the desk in Chromium: a reporter writes and submits, the desk approves, a reader
reads it on the site."""

import os

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core import mail
from playwright.sync_api import expect

from sinmun.articles.models import Article, Reporter
from sinmun.newsroom.roles import DESK, REPORTER
from tests.support.factories import make_section

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "e2e-newsroom-pass-1234"
TITLE = "달빛공원 야간 개장 첫날"


def _roles():
    # Transactional tests flush the database between tests, data migrations included:
    # put the roles and the workflow back exactly as the migration makes them.
    migration = __import__(
        "sinmun.newsroom.migrations.0002_roles_and_workflow", fromlist=["create"]
    )
    migration.create_roles_and_workflow(apps, None)


def _user(username, role, email):
    user = User.objects.create_user(username, email=email, password=PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    return user


def _login(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form button[type="submit"]').first.click()
    page.wait_for_url(f"{base}/admin/")


def _choose(page, field, label):
    """Pick a snippet (section, reporter) through its chooser modal, as an editor does."""
    chooser = page.locator(f"input#id_{field}").locator("xpath=..")
    chooser.locator("button[data-chooser-action-choose]:visible").first.click()
    modal = page.locator(".modal.show, .modal[aria-hidden=false]").first
    modal.get_by_role("link", name=label).first.click()
    expect(page.locator(f"input#id_{field}")).not_to_have_value("")


def _press(page, selector):
    # Footer actions live in a dropdown; click the real button through the page's JS.
    page.locator(selector).first.evaluate("button => button.click()")


def test_reporter_submits_desk_approves_reader_reads(live_server, page, artifacts, settings):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Autosave stays on, as in production: choosing the section lets Wagtail 8's autosave
    # create the article in the background while the reporter presses "submit" at once;
    # sinmun/newsroom/static/newsroom/autosave_guard.js makes the press wait for it, so
    # there is exactly one article (docs/newsroom.md, "Autosave").
    assert getattr(settings, "WAGTAIL_AUTOSAVE_INTERVAL", 500) > 0
    _roles()
    make_section(name="지역", code="local")
    reporter = _user("reporter", REPORTER, "reporter@example.com")
    Reporter.objects.create(name="한기자", email=reporter.email, user=reporter)
    _user("desk", DESK, "desk@example.com")
    base = live_server.url

    # The reporter writes and submits.
    _login(page, base, "reporter")
    page.goto(f"{base}/admin/snippets/articles/article/add/")
    page.fill("#id_title", TITLE)
    _choose(page, "section", "지역")
    _choose(page, "reporter", "한기자")
    _press(page, '[name="action-submit"]')
    page.wait_for_url("**/admin/snippets/articles/article/**")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts / "reporter-submitted.png"), full_page=True)
    expect(page.locator(".messages .success")).to_be_visible()
    article = Article.objects.get(title=TITLE)  # exactly one
    assert article.owner == reporter and article.workflow_in_progress and not article.live
    assert any("desk@example.com" in m.to for m in mail.outbox)
    page.goto(f"{base}/article/{article.pk}/")
    assert page.locator("[data-testid=article-title]").count() == 0  # not public yet
    page.context.clear_cookies()

    # The desk sees it waiting and approves it.
    _login(page, base, "desk")
    expect(page.get_by_text(TITLE).first).to_be_visible()
    page.goto(f"{base}/admin/snippets/articles/article/edit/{article.pk}/")
    _press(page, '[data-workflow-action-name="approve"]')
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts / "desk-approved.png"), full_page=True)
    article.refresh_from_db()
    assert article.live
    page.context.clear_cookies()

    # A reader finds it on the home page and reads it.
    page.goto(f"{base}/")
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_test_id("article-title")).to_have_text(TITLE)
    expect(page.get_by_test_id("byline")).to_contain_text("한기자 기자")


def test_autosave_then_the_reporters_own_save_is_not_refused(live_server, page, artifacts):
    """Autosave writes a revision in the background; pressing "save" afterwards must save
    (the autosaved revision is this browser's own, not a colleague's newer version)."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    _roles()
    section = make_section(name="지역", code="local")
    reporter = _user("reporter", REPORTER, "reporter@example.com")
    article = Article(title="자동 저장 전 제목", section=section, owner=reporter, live=False)
    article.save()
    article.save_revision(user=reporter, log_action=False, clean=False)
    revisions_before = article.revisions.count()
    base = live_server.url

    _login(page, base, "reporter")
    page.goto(f"{base}/admin/snippets/articles/article/edit/{article.pk}/")
    # Wagtail starts watching the form for edits two seconds after it loads.
    page.wait_for_timeout(2500)
    page.fill("#id_title", "자동 저장된 제목")
    # Wait for the autosave indicator (not the database: the live server's SQLite
    # in-memory database is shared with this thread and locks while it writes).
    expect(page.locator("[data-w-autosave-state-value=saved]").first).to_be_attached(timeout=30_000)
    page.fill("#id_subtitle", "저장 단추로 저장한 부제")
    with page.expect_navigation(timeout=30_000):
        # "저장" (save draft), the form's main button.
        page.locator('form[data-edit-form] footer button[type="submit"]').first.evaluate(
            "button => button.click()"
        )
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts / "reporter-saved-after-autosave.png"), full_page=True)
    assert "다른 사람이 먼저" not in page.content()
    expect(page.locator(".messages .success")).to_be_visible()
    assert article.revisions.count() > revisions_before + 1  # the autosave, then the save
    content = Article.objects.get(pk=article.pk).get_latest_revision().content
    assert content["title"] == "자동 저장된 제목"
    assert content["subtitle"] == "저장 단추로 저장한 부제"
