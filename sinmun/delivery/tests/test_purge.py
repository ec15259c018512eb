"""Which pages a publish purges: exactly those that show the article."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sinmun.delivery.purge import article_cached_paths, article_purge
from tests.support.factories import make_article, make_reporter, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    local = make_section(code="local")
    sports = make_section(code="sports")
    reporter = make_reporter("박기자")
    now = timezone.now()
    older = make_article(title="전", section=local, registered_at=now - timedelta(hours=3))
    article = make_article(
        title="본",
        section=local,
        reporter=reporter,
        registered_at=now - timedelta(hours=2),
        tags=["광장"],
    )
    newer = make_article(title="후", section=local, registered_at=now - timedelta(hours=1))
    elsewhere = make_article(title="딴", section=sports, registered_at=now - timedelta(hours=2))
    return {
        "local": local,
        "sports": sports,
        "reporter": reporter,
        "older": older,
        "article": article,
        "newer": newer,
        "elsewhere": elsewhere,
    }


def test_a_publish_purges_the_article_its_lists_neighbours_home_and_feeds(scene):
    a = scene["article"]
    paths = set(article_cached_paths(article=a))
    expected = {
        f"/article/{a.pk}/",
        f"/m/article/{a.pk}/",
        f"/article/{a.pk}/print/",
        "/section/local/",
        "/m/section/local/",
        f"/reporter/{scene['reporter'].pk}/",
        "/",
        "/m/",
        "/rss/",
        "/rss/section/local/",
        "/rss/allArticle.xml",
        "/rss/local.xml",
        "/sitemap-news.xml",
        # The neighbours' 이전/다음 links show this article's title.
        f"/article/{scene['older'].pk}/",
        f"/m/article/{scene['older'].pk}/",
        f"/article/{scene['newer'].pk}/",
        f"/m/article/{scene['newer'].pk}/",
    }
    assert expected <= paths
    tag_paths = {p for p in paths if p.startswith("/tag/")}
    assert len(tag_paths) == 1


def test_nothing_unrelated_is_purged(scene):
    paths = article_cached_paths(article=scene["article"])
    elsewhere = scene["elsewhere"]
    for path in paths:
        assert f"/{elsewhere.pk}/" not in path
        assert "sports" not in path
    assert not any(p.startswith("/ranking") for p in paths)  # time-based, not purged
    assert not any(p.startswith("/search") for p in paths)


def test_moving_an_article_purges_the_old_section_too(scene):
    a = scene["article"]
    a.section = scene["sports"]
    a.save_revision(log_action=False)
    paths = article_cached_paths(article=a)
    assert "/section/sports/" in paths and "/section/local/" in paths
    assert "/m/section/local/" in paths


def test_unpublishing_also_purges_the_ranking(scene):
    paths = article_cached_paths(article=scene["article"], reason="unpublished")
    assert "/ranking/" in paths and "/m/ranking/" in paths and "/ranking/?period=week" in paths


def test_purge_runs_only_after_commit_with_absolute_urls(
    scene, settings, django_capture_on_commit_callbacks
):
    settings.SINMUN_BASE_URL = "https://news.example.kr"
    with django_capture_on_commit_callbacks() as callbacks:
        urls = article_purge(article=scene["article"])
    assert len(callbacks) == 1
    assert all(u.startswith("https://news.example.kr/") for u in urls)
