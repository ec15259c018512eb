from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sinmun.articles.models import Article
from sinmun.articles.selectors import article_neighbours
from tests.support.factories import make_article, make_reporter, make_section

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def at(hours_ago):
    return NOW - timedelta(hours=hours_ago)


@pytest.fixture
def section():
    return make_section(name="사회", code="S1N2")


@pytest.fixture
def row(section):
    """Four public articles in one section, oldest first, plus noise that must be skipped."""
    articles = [
        make_article(title=f"기사{i}", section=section, registered_at=at(40 - i * 10))
        for i in range(4)
    ]
    make_article(title="초안", section=section, registered_at=at(25), live=False)
    make_article(title="다른 섹션", registered_at=at(25))
    make_article(title="예약", section=section, registered_at=NOW + timedelta(hours=2))
    return articles


def test_previous_and_next_follow_time_within_the_section(row):
    first, second, third, last = row
    assert article_neighbours(article=first) == (None, second)
    assert article_neighbours(article=second) == (first, third)
    assert article_neighbours(article=last) == (third, None)


def test_neighbours_break_ties_on_the_same_second_by_number(section):
    same = at(5)
    a, b, c = (make_article(title=t, section=section, registered_at=same) for t in "가나다")
    assert article_neighbours(article=a) == (None, b)
    assert article_neighbours(article=b) == (a, c)
    assert article_neighbours(article=c) == (b, None)


def test_article_page_links_previous_and_next(client, row):
    html = client.get(row[1].get_absolute_url()).content.decode()
    assert f'href="/article/{row[0].pk}/"' in html and "이전 기사 보기" in html
    assert f'href="/article/{row[2].pk}/"' in html and "다음 기사 보기" in html
    edge = client.get(row[0].get_absolute_url()).content.decode()
    assert "이전 기사 보기" not in edge and "다음 기사 보기" in edge


@pytest.mark.parametrize(
    "path",
    [
        "/article/999999/",
        "/m/article/999999/",
        "/article/999999/print/",
        "/section/nope/",
        "/reporter/999999/",
        "/tag/없는태그/",
        "/section/S1N2/?page=abc",
        "/section/S1N2/?page=50",
        "/ranking/?period=year",
        "/news/articleView.html?idxno=abc",
        "/news/articleView.html?idxno=999999",
        "/news/articleList.html?sc_section_code=nope",
    ],
)
def test_missing_things_are_a_korean_404(client, section, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.content.decode()


def test_unpublished_and_future_articles_are_404_everywhere(client, row):
    draft = Article.objects.get(title="초안")
    future = Article.objects.get(title="예약")
    for article in (draft, future):
        for path in (
            f"/article/{article.pk}/",
            f"/m/article/{article.pk}/",
            f"/article/{article.pk}/print/",
            f"/news/articleView.html?idxno={article.pk}",
        ):
            assert client.get(path).status_code == 404, path
        assert article.title not in client.get("/section/S1N2/").content.decode()
        assert article.title not in client.get("/").content.decode()


def test_legacy_news_solution_urls_redirect_permanently(client, row, section):
    response = client.get(f"/news/articleView.html?idxno={row[0].pk}")
    assert response.status_code == 301 and response["Location"] == f"/article/{row[0].pk}/"
    response = client.get(f"/m/news/articleView.html?idxno={row[0].pk}")
    assert response.status_code == 301 and response["Location"] == f"/m/article/{row[0].pk}/"
    response = client.get("/news/articleList.html?sc_section_code=S1N2")
    assert response.status_code == 301 and response["Location"] == "/section/S1N2/"
    response = client.get("/news/articleList.html")
    assert response.status_code == 301 and response["Location"] == "/"


def test_anonymous_article_page_sets_no_cookie_and_is_cacheable(client, row):
    response = client.get(row[0].get_absolute_url())
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Set-Cookie" not in response
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_article_page_query_count_is_small_and_fixed(client, row, django_assert_num_queries):
    client.get(row[1].get_absolute_url())  # warm the site-settings and ranking caches
    # 1 article (+section, reporter, counter), 1 tags, 1 previous, 1 next
    with django_assert_num_queries(4):
        client.get(row[1].get_absolute_url())
    with django_assert_num_queries(4):
        client.get(row[2].get_absolute_url())


def test_listing_pages_query_counts(client, row):
    for path, expected in (("/section/S1N2/", 3), ("/", None), ("/ranking/", 0)):
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        if expected is not None:
            # section lookup, count for pagination, the page of articles
            assert len(queries) == expected, [q["sql"] for q in queries]
        else:
            # home: latest + one query per section with articles
            assert len(queries) <= 2 + 2, [q["sql"] for q in queries]


def test_edit_link_only_for_staff_who_may_edit(client, row):
    url = row[0].get_absolute_url()
    assert "기사수정" not in client.get(url).content.decode()

    reader = User.objects.create_user("reader", password="pw-for-tests-only")
    client.force_login(reader)
    assert "기사수정" not in client.get(url).content.decode()

    # A published article is the desk's (publish permission): a reporter with only
    # change_article gets no link (sinmun/newsroom/policies.py, tests in newsroom/tests).
    editor = User.objects.create_user("editor", password="pw-for-tests-only")
    editor.user_permissions.add(
        Permission.objects.get(codename="change_article"),
        Permission.objects.get(codename="publish_article"),
        Permission.objects.get(codename="access_admin"),
    )
    client.force_login(editor)
    response = client.get(url)
    html = response.content.decode()
    assert "기사수정" in html and f"/admin/snippets/articles/article/edit/{row[0].pk}/" in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_registered_and_modified_times_are_shown_in_seoul_time(client, section):
    article = make_article(
        section=section, registered_at=datetime(2020, 12, 31, 3, 50, 22, tzinfo=UTC)
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "등록 <time" in html and "2020-12-31 12:50:22" in html
    assert "수정" not in html.split('data-testid="article-body"')[0].split("article__info")[1]
    Article.objects.filter(pk=article.pk).update(
        modified_at=datetime(2021, 1, 1, 0, 0, 1, tzinfo=UTC)
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "2021-01-01 09:00:01" in html


def test_publishing_an_edit_records_the_modified_time(section):
    article = make_article(section=section, registered_at=at(3))
    assert article.modified_at is None
    article.title = "고친 제목"
    revision = article.save_revision(log_action=False)
    revision.publish(log_action=False)
    article.refresh_from_db()
    assert article.title == "고친 제목"
    assert article.first_published_at == at(3)
    assert article.modified_at is not None and article.modified_at > at(3)


def test_home_section_reporter_tag_print_and_mobile_pages_render(client, section):
    reporter = make_reporter(name="한아름")
    article = make_article(title="시장 개장", section=section, reporter=reporter, tags=["시장"])
    for path in (
        "/",
        "/m/",
        f"/section/{section.code}/",
        f"/m/section/{section.code}/",
        f"/reporter/{reporter.pk}/",
        "/tag/시장/",
        f"/article/{article.pk}/print/",
        f"/m/article/{article.pk}/",
        "/ranking/",
        "/m/ranking/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "시장 개장" in response.content.decode() or path.endswith("ranking/"), path
    mobile = client.get(f"/m/article/{article.pk}/").content.decode()
    assert f'href="/article/{article.pk}/"' in mobile and "PC 버전" in mobile
    printed = client.get(f"/article/{article.pk}/print/").content.decode()
    assert f"/article/{article.pk}/" in printed and "한아름 기자" in printed
