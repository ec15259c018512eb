"""Scheduled publishing and embargo, with a controlled clock, across every public surface.

An article approved for 10:00 must be absent everywhere at 09:59 (even to someone who
guesses its number) and present everywhere once the minute job has run after 10:00.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import ModelLogEntry

from sinmun.articles.models import Article
from sinmun.newsroom.models import LatePublication
from sinmun.ops.jobs import run_scheduled_jobs
from sinmun.readers.models import ArticleCounter
from tests.support.factories import make_article

from .conftest import admin_url, article_form, make_draft

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
TITLE = "해오름다리 개통 첫날 풍경"
WORD = "해오름다리"


def at(hour, minute, second=0):
    return datetime(2031, 3, 2, hour, minute, second, tzinfo=SEOUL)


@pytest.fixture
def newsroom(client, reporter, desk, section):
    """At 09:00 the desk approves the reporter's article for 10:00 (optionally embargoed)."""

    def schedule(*, embargo=False, due=None):
        due = due or at(10, 0)
        with time_machine.travel(at(8, 0), tick=False):
            neighbour = make_article(title="이웃 기사", section=section, registered_at=at(8, 0))
        with time_machine.travel(at(9, 0), tick=False):
            article = make_draft(reporter, section=section, title=TITLE)
            client.force_login(desk)
            response = client.post(
                admin_url("edit", article.pk),
                article_form(
                    article,
                    title=TITLE,
                    paragraph=f"<p>{WORD}가 오늘 문을 열었다.</p>",
                    tags="해오름",
                    go_live_at=due.strftime("%Y-%m-%d %H:%M"),
                    embargo=embargo,
                    **{"action-publish": "publish"},
                ),
            )
            assert response.status_code == 302, response.content[:2000]
            client.logout()
        article.refresh_from_db()
        assert not article.live and article.first_published_at is None
        # Readers would rank it first if it were public.
        ArticleCounter.objects.update_or_create(article=article, defaults={"views": 10_000})
        return article, neighbour

    return schedule


def public_surfaces(article, neighbour, section, reporter):
    """(url, how to tell the article is there) for every public surface that exists."""
    number = article.pk
    return [
        (f"/article/{number}/", "status"),
        (f"/article/{number}/print/", "status"),
        (f"/m/article/{number}/", "status"),
        (f"/news/articleView.html?idxno={number}", "status"),
        (f"/m/news/articleView.html?idxno={number}", "status"),
        (f"/section/{section.code}/", "title"),
        (f"/m/section/{section.code}/", "title"),
        ("/", "title"),
        ("/m/", "title"),
        ("/tag/해오름/", "title"),
        (f"/reporter/{reporter.reporter.pk}/", "title"),
        ("/ranking/", "title"),
        ("/m/ranking/", "title"),
        (neighbour.get_absolute_url(), "title"),  # 다음 기사 보기
        ("/rss/", "title"),
        (f"/rss/section/{section.code}/", "title"),
        ("/sitemap-news.xml", "url"),
        # search: test_scheduled_article_reaches_search (it needs a working index)
    ]


def is_present(client, url, how, article) -> bool:
    response = client.get(url)
    if how == "status":
        assert response.status_code in (200, 301, 404), (url, response.status_code)
        return response.status_code in (200, 301)
    if response.status_code == 404:
        return False
    assert response.status_code == 200, (url, response.status_code)
    text = response.content.decode()
    if how == "url":
        return article.get_absolute_url() in text
    return TITLE in text


def check_everywhere(client, article, neighbour, section, reporter, *, present: bool):
    cache.clear()  # nothing may hide behind an app cache in either direction
    wrong = [
        url
        for url, how in public_surfaces(article, neighbour, section, reporter)
        if is_present(client, url, how, article) is not present
    ]
    assert not wrong, f"{'absent' if present else 'present'} on {wrong}"


def test_scheduled_article_goes_public_everywhere_at_its_time(client, newsroom, section, reporter):
    article, neighbour = newsroom()
    with time_machine.travel(at(9, 59), tick=False):
        assert run_scheduled_jobs().published == []
        check_everywhere(client, article, neighbour, section, reporter, present=False)
    with time_machine.travel(at(10, 0, 20), tick=False):
        report = run_scheduled_jobs()
        assert report.published == [article.pk] and report.late == []
        check_everywhere(client, article, neighbour, section, reporter, present=True)
        # running the job again (or a second scheduler) publishes nothing more
        assert run_scheduled_jobs().published == []
    article.refresh_from_db()
    assert article.live and article.first_published_at == at(10, 0, 20)
    assert article.modified_at is None  # the first edition, not a 수정
    publishes = ModelLogEntry.objects.filter(
        object_id=str(article.pk), action="wagtail.publish.scheduled"
    )
    assert publishes.count() == 1
    assert not LatePublication.objects.exists()


def test_overdue_article_is_published_once_and_shown_to_the_desk_as_late(
    client, newsroom, section, reporter, desk
):
    article, neighbour = newsroom()
    # The scheduler was down from 09:58 to 10:40.
    with time_machine.travel(at(10, 40), tick=False):
        check_everywhere(client, article, neighbour, section, reporter, present=False)
        report = run_scheduled_jobs()
        assert report.published == [article.pk] and report.late == [article.pk]
        assert run_scheduled_jobs().published == []
        check_everywhere(client, article, neighbour, section, reporter, present=True)
        late = LatePublication.objects.get()
        assert late.article == article and late.due_at == at(10, 0)
        assert late.delay.total_seconds() == 40 * 60

        client.force_login(desk)
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "늦게 발행됨" in home and TITLE in home


def test_embargoed_article_is_absent_everywhere_until_its_time(client, newsroom, section, reporter):
    article, neighbour = newsroom(embargo=True, due=at(12, 0))
    article.refresh_from_db()
    assert article.embargo
    with time_machine.travel(at(11, 59, 59), tick=False):
        run_scheduled_jobs()
        check_everywhere(client, article, neighbour, section, reporter, present=False)
    with time_machine.travel(at(12, 0, 30), tick=False):
        assert run_scheduled_jobs().published == [article.pk]
        check_everywhere(client, article, neighbour, section, reporter, present=True)


def test_embargo_cannot_be_published_early_without_lifting_it(client, newsroom, desk):
    article, _ = newsroom(embargo=True, due=at(12, 0))
    with time_machine.travel(at(10, 0), tick=False):
        client.force_login(desk)
        # "Publish now" with the time cleared while the embargo stands: refused with a reason
        response = client.post(
            admin_url("edit", article.pk),
            article_form(article, go_live_at="", embargo=True, **{"action-publish": "publish"}),
        )
        assert response.status_code == 200
        assert "엠바고 기사에는 발행 예약 시각을 정해야 합니다" in response.content.decode()
        article.refresh_from_db()
        assert not article.live


def test_scheduling_mail_and_listing_status(client, newsroom, desk):
    article, _ = newsroom(embargo=True, due=at(12, 0))
    client.force_login(desk)
    listing = client.get(admin_url("list") + "?status=embargoed").content.decode()
    assert TITLE in listing
    assert TITLE not in client.get(admin_url("list") + "?status=scheduled").content.decode()
    assert TITLE not in client.get(admin_url("list") + "?status=published").content.decode()
    assert mail.outbox is not None


def test_reporter_cannot_touch_an_approved_scheduled_article(client, newsroom, reporter):
    article, _ = newsroom()
    client.force_login(reporter)
    response = client.post(admin_url("edit", article.pk), article_form(article, title="고친 제목"))
    assert response.status_code in (302, 403)
    article.refresh_from_db()
    assert article.get_latest_revision().content["title"] == TITLE
    assert Article.objects.get(pk=article.pk).title == TITLE


def test_scheduled_article_reaches_search_at_its_time(client, newsroom):
    article, neighbour = newsroom()
    # Control: the search finds an ordinary published article (else the index is broken,
    # which is the search app's business, and this test says so).
    with time_machine.travel(at(9, 59), tick=False):
        # (titles come back highlighted, so look for the article's address)
        control = client.get("/search?q=이웃").content.decode()
        assert f'"{neighbour.get_absolute_url()}"' in control, "search finds no published article"
        run_scheduled_jobs()
        found = client.get(f"/search?q={WORD}").content.decode()
        assert f'"{article.get_absolute_url()}"' not in found
    with time_machine.travel(at(10, 0, 20), tick=False):
        run_scheduled_jobs()
        cache.clear()
        found = client.get(f"/search?q={WORD}").content.decode()
        assert f'"{article.get_absolute_url()}"' in found
