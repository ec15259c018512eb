"""가장 많이 본 뉴스: order by window, topped up from longer windows, cached."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sinmun.readers.models import ArticleViewHour
from sinmun.readers.selectors import most_viewed_article_list
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def views(article, count, hours_ago):
    hour = (timezone.now() - timedelta(hours=hours_ago)).replace(minute=0, second=0, microsecond=0)
    row, _ = ArticleViewHour.objects.get_or_create(article=article, hour=hour)
    row.views += count
    row.save()


def titles(items):
    return [item["article"].title for item in items]


def test_day_ranking_orders_by_last_24_hours_and_tops_up():
    a = make_article(title="A", views=5)
    b = make_article(title="B", views=1)
    c = make_article(title="C", views=1)
    make_article(title="D", views=900)  # lifetime only (imported)
    e = make_article(title="E", views=0)
    views(a, 5, hours_ago=1)
    views(b, 9, hours_ago=2)
    views(b, 100, hours_ago=48)  # old views do not count for the day
    views(c, 50, hours_ago=72)  # 7-day window only
    make_article(title="draft", live=False)
    items = most_viewed_article_list(period="day", limit=4)
    # B and A from the day; C topped up from the week; D from lifetime totals.
    assert titles(items) == ["B", "A", "C", "D"]
    assert [i["views"] for i in items[:2]] == [9, 5]
    assert e.title not in titles(items)


def test_week_and_month_windows():
    a = make_article(title="A")
    b = make_article(title="B")
    views(a, 10, hours_ago=24 * 10)  # inside 30 days, outside 7
    views(b, 3, hours_ago=24 * 3)
    assert titles(most_viewed_article_list(period="week", limit=1)) == ["B"]
    assert titles(most_viewed_article_list(period="month", limit=2)) == ["A", "B"]


def test_ties_break_by_newer_article_and_no_duplicates():
    a = make_article(title="A", views=10)
    b = make_article(title="B", views=10)
    views(a, 4, hours_ago=1)
    views(b, 4, hours_ago=1)
    items = most_viewed_article_list(period="day", limit=7)
    assert titles(items) == ["B", "A"]


def test_cached_so_a_page_view_runs_no_ranking_query(settings):
    a = make_article(title="A")
    views(a, 3, hours_ago=1)
    most_viewed_article_list(period="day", limit=7)
    with CaptureQueriesContext(connection) as queries:
        assert titles(most_viewed_article_list(period="day", limit=7)) == ["A"]
    assert len(queries) == 0


def test_ranking_page_shows_30_with_periods(client):
    for n in range(35):
        article = make_article(title=f"기사{n:02d}")
        views(article, n + 1, hours_ago=1)
    response = client.get(reverse("articles:ranking"))
    html = response.content.decode()
    assert html.count('class="ranked__title"') == 30
    assert html.index("기사34") < html.index("기사33")
    assert "기사04" not in html
    for period in ("day", "week", "month"):
        assert client.get(reverse("articles:ranking"), {"period": period}).status_code == 200
    assert client.get(reverse("articles:ranking"), {"period": "year"}).status_code == 404
    assert client.get(reverse("articles:mobile_ranking")).status_code == 200


def test_article_page_shows_top_seven_with_excerpts(client):
    target = make_article(title="대상")
    for n in range(9):
        article = make_article(title=f"많이{n}", paragraphs=[f"요약 문장 {n}번입니다."])
        views(article, n + 1, hours_ago=1)
    html = client.get(target.get_absolute_url()).content.decode()
    box = html.split('data-testid="most-viewed"')[1].split("</section>")[0]
    assert box.count("<li>") == 7
    assert "많이8" in box and "요약 문장 8번입니다." in box
    assert "많이1" not in box
