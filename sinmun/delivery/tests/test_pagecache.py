"""The application page cache: what is stored, for whom, and what a publish removes."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from sinmun.delivery.pagecache import page_cache, page_key
from tests.support.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.SINMUN_PAGE_CACHE = True
    page_cache().clear()
    yield
    page_cache().clear()


@pytest.fixture
def article():
    return make_article(title="시청 앞 광장 새단장", section=make_section(code="local"))


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("desk", "desk@example.com", "password-for-test")
    client.force_login(user)
    return client


def publish_title(article, title, on_commit):
    article.title = title
    with on_commit(execute=True):
        article.save_revision(log_action=False).publish()


def test_anonymous_reader_page_is_stored_then_served_from_the_cache(client, article):
    first = client.get(article.get_absolute_url())
    assert first.status_code == 200 and first["X-Page-Cache"] == "MISS"
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    assert not first.cookies
    second = client.get(article.get_absolute_url())
    assert second["X-Page-Cache"] == "HIT"
    assert second.content == first.content
    assert second["Cache-Control"] == first["Cache-Control"]
    # The security headers are added to cached answers too.
    assert second["X-Content-Type-Options"] == "nosniff"
    assert second["X-Frame-Options"] == "DENY"


def test_a_changed_row_stays_cached_until_purged(client, article):
    """Proves the cache really answers: a row changed without publishing is not seen."""
    client.get(article.get_absolute_url())
    type(article).objects.filter(pk=article.pk).update(title="몰래 바뀐 제목")
    assert "시청 앞 광장 새단장" in client.get(article.get_absolute_url()).content.decode()


def test_staff_never_get_a_cached_page(client, staff_client, article):
    from django.test import Client

    anonymous = Client()
    assert anonymous.get(article.get_absolute_url())["X-Page-Cache"] == "MISS"
    assert anonymous.get(article.get_absolute_url())["X-Page-Cache"] == "HIT"

    staff = staff_client.get(article.get_absolute_url())
    assert staff.status_code == 200
    assert "X-Page-Cache" not in staff
    assert "private" in staff["Cache-Control"] and "no-store" in staff["Cache-Control"]
    assert 'data-testid="edit-link"' in staff.content.decode()


def test_readers_never_get_a_staff_page(client, staff_client, article):
    from django.test import Client

    staff = staff_client.get(article.get_absolute_url())
    assert 'data-testid="edit-link"' in staff.content.decode()
    assert "X-Page-Cache" not in staff
    assert page_cache().get(page_key(article.get_absolute_url())) is None

    reader = Client().get(article.get_absolute_url())
    assert reader["X-Page-Cache"] == "MISS"
    assert 'data-testid="edit-link"' not in reader.content.decode()
    assert (
        'data-testid="edit-link"' not in Client().get(article.get_absolute_url()).content.decode()
    )


def test_admin_and_reader_endpoints_are_never_stored(client, article):
    for _ in range(2):
        assert "X-Page-Cache" not in client.get("/admin/login/")
        assert "X-Page-Cache" not in client.get(f"/reader/article/{article.pk}/state/")
    assert "X-Page-Cache" not in client.post(f"/reader/article/{article.pk}/view/")


def test_not_found_pages_are_not_stored(client):
    assert "X-Page-Cache" not in client.get("/article/999999/")


def test_tracking_parameters_share_the_entry_other_parameters_do_not(client, article):
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url + "?utm_source=naver&utm_medium=news")["X-Page-Cache"] == "HIT"
    assert client.get(url + "?fbclid=abc")["X-Page-Cache"] == "HIT"
    section = article.section.get_absolute_url()
    assert client.get(section)["X-Page-Cache"] == "MISS"
    assert client.get(section + "?page=1")["X-Page-Cache"] == "MISS"
    assert client.get(section + "?page=1")["X-Page-Cache"] == "HIT"


def test_publishing_an_edit_purges_the_article_and_its_lists(
    client, article, django_capture_on_commit_callbacks
):
    pages = [
        article.get_absolute_url(),
        article.get_mobile_url(),
        f"/article/{article.pk}/print/",
        article.section.get_absolute_url(),
        f"/m/section/{article.section.code}/",
        "/",
        "/m/",
    ]
    for url in pages:
        assert client.get(url)["X-Page-Cache"] == "MISS", url
        assert client.get(url)["X-Page-Cache"] == "HIT", url

    publish_title(article, "광장 새단장 끝나", django_capture_on_commit_callbacks)

    for url in pages:
        response = client.get(url)
        assert response["X-Page-Cache"] == "MISS", url
        assert "광장 새단장 끝나" in response.content.decode(), url


def test_an_edit_leaves_other_articles_and_sections_cached(
    client, article, django_capture_on_commit_callbacks
):
    other_section = make_section(code="sports")
    other = make_article(title="다른 섹션 기사", section=other_section)
    urls = [other.get_absolute_url(), other_section.get_absolute_url()]
    for url in urls:
        client.get(url)
    publish_title(article, "광장 새단장 끝나", django_capture_on_commit_callbacks)
    for url in urls:
        assert client.get(url)["X-Page-Cache"] == "HIT", url


def test_unpublishing_removes_the_cached_page(client, article, django_capture_on_commit_callbacks):
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_scheduled_publish_purges_the_pages(client, article, django_capture_on_commit_callbacks):
    """An embargo lift is a scheduled publish run by the scheduler: it purges the same way."""
    from sinmun.newsroom.services import article_publish_due

    client.get(article.get_absolute_url())
    article.title = "엠바고 풀린 제목"
    revision = article.save_revision(log_action=False)
    revision.approved_go_live_at = timezone.now() - timedelta(seconds=5)
    revision.save(update_fields=["approved_go_live_at"])
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        report = article_publish_due()
    assert report.published == [article.pk]
    response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "MISS"
    assert "엠바고 풀린 제목" in response.content.decode()


def test_a_refresh_from_loopback_renders_afresh(client, article):
    url = article.get_absolute_url()
    client.get(url)
    type(article).objects.filter(pk=article.pk).update(title="새로 고친 제목")
    refreshed = client.get(url, HTTP_X_SINMUN_REFRESH="1", REMOTE_ADDR="127.0.0.1")
    assert refreshed["X-Page-Cache"] == "MISS"
    assert "새로 고친 제목" in refreshed.content.decode()
    # …and stores what it rendered for the next reader.
    assert "새로 고친 제목" in client.get(url).content.decode()


def test_a_refresh_header_from_outside_is_ignored(client, article):
    url = article.get_absolute_url()
    client.get(url)
    response = client.get(url, HTTP_X_SINMUN_REFRESH="1", REMOTE_ADDR="203.0.113.9")
    assert response["X-Page-Cache"] == "HIT"


def test_page_cache_off_stores_nothing(client, article, settings):
    settings.SINMUN_PAGE_CACHE = False
    client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in client.get(article.get_absolute_url())
