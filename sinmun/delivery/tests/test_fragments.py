"""Per-process caches of the reader pages: site fragments, the page cache's memory tier,
prepared queries and fast URL reversing — each proven to serve, and to let go."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinmun.articles.models import Article, Section
from sinmun.articles.selectors import article_get_public, article_neighbours, article_tag_list
from sinmun.core.urls import fast_reverse
from sinmun.delivery.pagecache import page_cache
from sinmun.sitesettings.models import Banner, SiteProfile
from tests.support.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def other_process_bumps(group):
    """What a bump in another process leaves here: only the shared version changed."""
    import uuid

    from django.conf import settings

    caches[settings.SINMUN_VERSION_CACHE].set(f"fragment-version:{group}", uuid.uuid4().hex)


@pytest.fixture
def article():
    return make_article(title="광장 새단장", section=make_section(name="지역", code="local"))


def test_navigation_is_rendered_once_then_served_until_the_site_version_changes(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert ">지역</a>" in page
    # Changed behind the app's back (no signal): the fragment keeps the old name…
    Section.objects.filter(pk=article.section_id).update(name="동네")
    assert ">지역</a>" in client.get(article.get_absolute_url()).content.decode()
    # …until another process bumps the shared version.
    other_process_bumps("site")
    assert ">동네</a>" in client.get(article.get_absolute_url()).content.decode()


def test_a_saved_setting_or_banner_shows_at_once(client, article):
    client.get(article.get_absolute_url())
    profile = SiteProfile.load()
    profile.name = "새여울일보"
    profile.registration_number = "서울 아 00001"
    profile.save()
    Banner.objects.create(label="역사왜곡 바로잡기", url="/campaign/")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "서울 아 00001" in page and 'class="masthead__name"' in page
    assert ">새여울일보</a>" in page
    assert "역사왜곡 바로잡기" in page
    Section.objects.create(name="스포츠", code="sports")
    assert ">스포츠</a>" in client.get(article.get_absolute_url()).content.decode()


def test_the_current_section_is_marked_in_its_own_navigation(client, article):
    other = make_section(name="경제", code="economy")
    page = client.get(other.get_absolute_url()).content.decode()
    assert f'href="{other.get_absolute_url()}" aria-current="page"' in page
    page = client.get(article.section.get_absolute_url()).content.decode()
    assert f'href="{other.get_absolute_url()}" aria-current' not in page
    assert f'href="{article.section.get_absolute_url()}" aria-current="page"' in page


def test_most_viewed_box_follows_publishing(client, article, django_capture_on_commit_callbacks):
    from sinmun.readers.models import ArticleCounter

    ArticleCounter.objects.update_or_create(article=article, defaults={"views": 50})
    newer = make_article(title="새로 뜬 기사", section=article.section)
    ArticleCounter.objects.update_or_create(article=newer, defaults={"views": 10})
    first = client.get(article.get_absolute_url()).content.decode()
    box = first[first.index('data-testid="most-viewed"') :]
    assert "광장 새단장" in box
    newer.title = "제목 고친 기사"
    with django_capture_on_commit_callbacks(execute=True):
        newer.save_revision(log_action=False).publish()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "제목 고친 기사" in page[page.index('data-testid="most-viewed"') :]


def test_page_cache_memory_tier_serves_and_is_dropped_by_a_purge_anywhere(
    client, settings, article
):
    settings.SINMUN_PAGE_CACHE = True
    url = article.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "MISS"
    # The shared store emptied behind the app's back: this process still answers from
    # its memory…
    page_cache().clear()
    assert client.get(url)["X-Page-Cache"] == "HIT"
    # …until a purge in another process bumps the shared version.
    other_process_bumps("pages")
    assert client.get(url)["X-Page-Cache"] == "MISS"
    assert client.get(url)["X-Page-Cache"] == "HIT"
    # With the memory tier off, the shared store answers alone.
    settings.SINMUN_PAGE_CACHE_LOCAL_SECONDS = 0
    other_process_bumps("pages")
    page_cache().clear()
    assert client.get(url)["X-Page-Cache"] == "MISS"


def test_page_cache_memory_tier_never_serves_staff(settings, article, admin_user):
    settings.SINMUN_PAGE_CACHE = True
    anonymous = Client()
    anonymous.get(article.get_absolute_url())
    assert anonymous.get(article.get_absolute_url())["X-Page-Cache"] == "HIT"
    staff = Client()
    staff.force_login(admin_user)
    response = staff.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert 'data-testid="edit-link"' in response.content.decode()


def test_prepared_queries_match_the_orm(article):
    section = article.section
    now = timezone.now()
    # Same registered time (ties broken by id), a whole second (no microseconds), a
    # future one (not public yet) and one in another section.
    when = (now - timedelta(hours=3)).replace(microsecond=0)
    a = make_article(title="A", section=section, registered_at=when)
    b = make_article(title="B", section=section, registered_at=when)
    make_article(title="미래", section=section, registered_at=now + timedelta(hours=1))
    make_article(title="딴 섹션", section=make_section(), registered_at=when)
    for item in (a, b, article):
        loaded = article_get_public(pk=item.pk)
        expected = Article.objects.public().select_related("section", "reporter").get(pk=item.pk)
        assert loaded == expected and loaded.title == expected.title
        assert loaded.first_published_at == expected.first_published_at
        assert loaded.section.name == section.name
        base = Article.objects.public().filter(section=section)
        older = base.filter(first_published_at__lte=item.first_published_at).exclude(pk=item.pk)
        older = [
            x
            for x in older.order_by("-first_published_at", "-id")
            if (x.first_published_at, x.pk) < (item.first_published_at, item.pk)
        ]
        newer = [
            x
            for x in base.order_by("first_published_at", "id")
            if (x.first_published_at, x.pk) > (item.first_published_at, item.pk)
        ]
        previous, following = article_neighbours(article=loaded)
        assert previous == (older[0] if older else None)
        assert following == (newer[0] if newer else None)
    assert article_get_public(pk=999_999) is None
    tagged = make_article(title="태그", section=section, tags=["지방선거", "예산", "가나다"])
    assert article_tag_list(pk=tagged.pk) == list(tagged.tags.all())
    assert [t.name for t in article_tag_list(pk=tagged.pk)] == ["지방선거", "예산", "가나다"]
    assert article_tag_list(pk=a.pk) == []


def test_fast_reverse_matches_reverse():
    assert fast_reverse("articles:article", 1234) == reverse("articles:article", args=[1234])
    assert fast_reverse("articles:section", "S1N1") == reverse("articles:section", args=["S1N1"])
    assert fast_reverse("articles:mobile_article", 7) == "/m/article/7/"
    # Not plain: falls back to reverse(), which quotes it.
    assert fast_reverse("articles:tag", "지방 선거") == reverse("articles:tag", args=["지방 선거"])
