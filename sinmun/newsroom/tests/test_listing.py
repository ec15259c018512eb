"""The desk's article listing: each filter finds exactly its articles, pages stay in
order, and a page costs the same number of queries wherever it is in the archive.

(Speed is measured by bench/desk.py on 100,000 articles; the query plans are checked in
tests/performance/test_query_plans.py.)
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from sinmun.articles.models import Article, Reporter
from tests.support.factories import make_article, make_section

from .conftest import admin_url, article_form, make_draft

pytestmark = pytest.mark.django_db


def _row_ids(html: str) -> list[int]:
    # Only the listing's table (success messages above it link to articles too).
    start = html.find('<table class="listing')
    if start < 0:
        return []  # nothing found: Wagtail shows a message instead of the table
    html = html[start : html.find("</table>", start)]
    return [int(n) for n in re.findall(r"/admin/snippets/articles/article/edit/(\d+)/", html)]


def _titles_in_order(html: str) -> list[str]:
    seen, titles = set(), []
    by_id = dict(Article.objects.values_list("pk", "title"))
    for pk in _row_ids(html):
        if pk not in seen:
            seen.add(pk)
            titles.append(by_id[pk])
    return titles


@pytest.fixture
def desk_day(client, desk, reporter, other_reporter, section):
    """One article in each state, as the desk's admin views leave them."""
    now = timezone.localtime()  # the admin's form reads times in Asia/Seoul
    economy = make_section(name="경제", code="economy")
    mine = Reporter.objects.get(user=reporter)
    make_article(
        title="옛 KTX 개통 기사",
        section=economy,
        reporter=mine,
        registered_at=now - timedelta(days=400),
    )
    make_article(title="어제 발행 기사", section=section, registered_at=now - timedelta(days=1))
    make_draft(reporter, section=section, title="작성 중인 초고")
    make_draft(other_reporter, section=economy, title="남의 초고")
    waiting = make_draft(reporter, section=section, title="데스크 기다리는 기사")
    client.force_login(reporter)
    response = client.post(
        admin_url("edit", waiting.pk), article_form(waiting, **{"action-submit": "submit"})
    )
    assert response.status_code == 302
    client.force_login(desk)
    for title, embargo in (("예약된 기사", False), ("엠바고 기사", True)):
        draft = make_draft(reporter, section=economy, title=title)
        response = client.post(
            admin_url("edit", draft.pk),
            article_form(
                draft,
                go_live_at=(now + timedelta(hours=5)).strftime("%Y-%m-%d %H:%M"),
                embargo=embargo,
                **{"action-publish": "publish"},
            ),
        )
        assert response.status_code == 302, response.content[:1000]
    return {"economy": economy, "mine": mine}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=draft", {"작성 중인 초고", "남의 초고"}),
        ("?status=in_review", {"데스크 기다리는 기사"}),
        ("?status=scheduled", {"예약된 기사"}),
        ("?status=embargoed", {"엠바고 기사"}),
        ("?status=published", {"옛 KTX 개통 기사", "어제 발행 기사"}),
        ("?q=ktx", {"옛 KTX 개통 기사"}),  # any case
        ("?q=초고", {"작성 중인 초고", "남의 초고"}),  # drafts too
        ("?q=없는제목", set()),
        ("?status=draft&q=남의", {"남의 초고"}),
    ],
)
def test_each_status_and_the_title_search_find_exactly_their_articles(
    client, desk_day, query, expected
):
    assert set(_titles_in_order(client.get(admin_url("list") + query).content.decode())) == (
        expected
    )


def test_section_reporter_date_and_mine_filters(client, desk_day, reporter):
    economy, mine = desk_day["economy"], desk_day["mine"]
    html = client.get(admin_url("list") + f"?section={economy.pk}").content.decode()
    assert set(_titles_in_order(html)) == {
        "옛 KTX 개통 기사",
        "남의 초고",
        "예약된 기사",
        "엠바고 기사",
    }
    html = client.get(admin_url("list") + f"?reporter={mine.pk}").content.decode()
    assert set(_titles_in_order(html)) >= {"옛 KTX 개통 기사", "작성 중인 초고"}
    assert "남의 초고" not in _titles_in_order(html)
    since = (timezone.localdate() - timedelta(days=3)).isoformat()
    html = client.get(admin_url("list") + f"?registered_from={since}").content.decode()
    assert _titles_in_order(html) == ["어제 발행 기사"]
    client.force_login(reporter)
    html = client.get(admin_url("list") + "?mine=true").content.decode()
    titles = set(_titles_in_order(html))
    assert {"작성 중인 초고", "데스크 기다리는 기사", "옛 KTX 개통 기사"} <= titles
    assert "남의 초고" not in titles and "어제 발행 기사" not in titles


def test_pages_run_in_order_and_cost_the_same_queries_deep_in_the_archive(
    client, desk, section, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()
    articles = [
        Article(
            title=f"기사 {n:03d}",
            section=section,
            live=True,
            first_published_at=now - timedelta(hours=n),
            last_published_at=now - timedelta(hours=n),
        )
        for n in range(130)
    ]
    Article.objects.bulk_create(articles)
    client.force_login(desk)
    client.get(admin_url("list"))  # warm: content types, permissions
    pages = []
    counts = []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(admin_url("list") + f"?p={number}").content.decode()
        counts.append(len(queries.captured_queries))
        pages.append(_titles_in_order(html))
    assert [len(p) for p in pages] == [50, 50, 30]
    everything = pages[0] + pages[1] + pages[2]
    assert everything == [f"기사 {n:03d}" for n in range(130)]  # newest first, no gaps
    assert max(counts) - min(counts) <= 1  # a deep page is no dearer than the first
    # A page past the end shows the last one, as Wagtail's own listings do.
    html = client.get(admin_url("list") + "?p=99").content.decode()
    assert _titles_in_order(html) == pages[2]
