"""Which pages a change purges: exactly those that show it, asked of every app."""

import copy
from datetime import timedelta

import pytest
from django.utils import timezone

from sinmun.core.changes import Change, announce, paths_showing
from tests.support.factories import make_article, make_reporter, make_section


def article_cached_paths(*, article, reason="published"):
    return paths_showing(Change("article", frozenset({article.pk}), reason))


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
    scene, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from sinmun.delivery import purge

    settings.SINMUN_BASE_URL = "https://news.example.kr"
    purged = []
    monkeypatch.setattr(purge, "urls_purge", purged.extend)
    with django_capture_on_commit_callbacks() as callbacks:
        announce("article", [scene["article"].pk], reason="published")
    assert purged == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert f"https://news.example.kr/article/{scene['article'].pk}/" in purged
    assert all(u.startswith("https://news.example.kr/") for u in purged)


def test_a_correction_purges_the_article_pages_and_the_corrections_page(scene):
    a = scene["article"]
    paths = paths_showing(Change("corrections", frozenset({a.pk}), "correction saved"))
    assert {f"/article/{a.pk}/", f"/m/article/{a.pk}/", f"/article/{a.pk}/print/"} <= set(paths)
    assert "/corrections/" in paths
    assert "/section/local/" not in paths


def test_the_home_arrangement_purges_both_homes(scene):
    assert set(paths_showing(Change("home"))) == {"/", "/m/"}


def test_a_site_change_refreshes_the_landing_pages_and_every_feed(scene):
    paths = set(paths_showing(Change("site")))
    assert {"/", "/m/", "/section/local/", "/section/sports/", "/rss/", "/corrections/"} <= paths
    assert {"/rss/section/local/", "/rss/section/sports/", "/ranking/"} <= paths
    # the latest articles' pages too (readers land on them from portals)
    assert f"/article/{scene['newer'].pk}/" in paths


def test_an_import_of_many_articles_purges_their_lists_not_each_page(scene):
    extra = [make_article(title=f"가져온 {i}", section=scene["sports"]) for i in range(51)]
    paths = paths_showing(Change("article", frozenset(a.pk for a in extra), "imported"))
    assert "/section/sports/" in paths and "/rss/section/sports/" in paths and "/" in paths
    assert not any(p.startswith("/article/") for p in paths)


def test_a_deleted_article_is_purged_from_what_it_was_in(scene):
    a, pk = scene["article"], scene["article"].pk
    gone = Change("article", frozenset({pk}), "deleted", before={"article": copy.copy(a)})
    a.delete()
    paths = set(paths_showing(gone))
    assert {f"/article/{pk}/", "/section/local/", "/ranking/", "/rss/"} <= paths
