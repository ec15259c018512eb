"""Views cannot be inflated from one address by changing the User-Agent, nor counted from
another site's page: the beacon through HTTP, on the database path and the real Redis
path (issue: bugs a new user meets in the first hour, item 6). The nginx view log path
is in test_view_log.py."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinmun.readers import services
from sinmun.readers.models import ArticleCounter, ArticleViewHour, ViewAddressCount
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
OFFICE = "203.0.113.40"  # one NAT address, many people (or one machine cycling agents)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.ALLOWED_HOSTS = ["news.sinmun.test", "testserver"]
    settings.SINMUN_BASE_URL = "https://www.sinmun.test"


def beacon(article, *, ua=UA, ip=OFFICE, **headers):
    client = Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=ua, **headers)
    response = client.post(reverse("readers:article_view", args=[article.pk]))
    # Refused or not, the beacon answers 204: a reader's page never sees an error.
    assert response.status_code == 204
    assert response.content == b""
    return response


def counted(article):
    """Views in the database, flushing Redis first when the Redis path is on."""
    services.flush_view_counts()
    hours = ArticleViewHour.objects.filter(article=article).aggregate(s=Sum("views"))["s"] or 0
    lifetime = ArticleCounter.objects.get(article=article).views
    assert lifetime == hours
    return lifetime


@pytest.fixture(params=["database", "redis"])
def path(request, settings):
    """Each test runs on the default (database) path and on the real Redis path."""
    if request.param == "redis":
        request.getfixturevalue("redis_views")
    else:
        settings.REDIS_URL = ""
    return request.param


# --- (a) a cap per address ---------------------------------------------------------


def test_one_address_cycling_user_agents_is_capped_per_article(path, settings):
    settings.SINMUN_VIEWS_PER_ADDRESS = 3
    article = make_article()
    for n in range(10):
        beacon(article, ua=f"{UA} agent/{n}")
    assert counted(article) == 3
    # Another address is not affected by the first one's cap.
    beacon(article, ip="198.51.100.9")
    assert counted(article) == 4


def test_one_address_has_a_total_per_hour_over_all_articles(path, settings):
    settings.SINMUN_VIEWS_PER_ADDRESS = 3
    settings.SINMUN_VIEWS_PER_ADDRESS_HOUR = 5
    articles = [make_article() for _ in range(4)]
    for article in articles:
        for n in range(3):
            beacon(article, ua=f"{UA} agent/{n}")
    assert [counted(a) for a in articles] == [3, 2, 0, 0]


def test_a_reader_reloading_does_not_use_up_the_address(path, settings):
    settings.SINMUN_VIEWS_PER_ADDRESS = 3
    article = make_article()
    for _ in range(10):
        beacon(article)  # the same reader: counted once, one of the three used
    for n in range(1, 5):
        beacon(article, ua=f"{UA} agent/{n}")
    assert counted(article) == 3


def test_the_defaults_count_an_office_of_twenty_on_one_article(path):
    """Twenty colleagues behind one NAT reading the story everyone talks about in the same
    half hour all count (SINMUN_VIEWS_PER_ADDRESS = 20); a 21st agent does not."""
    article = make_article()
    for n in range(25):
        beacon(article, ua=f"{UA} desk/{n}")
    assert counted(article) == 20


def test_the_address_counts_again_in_the_next_window(settings):
    settings.REDIS_URL = ""
    settings.SINMUN_VIEWS_PER_ADDRESS = 2
    article = make_article()
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)

    def view(visitor, minutes):
        return services.view_record(
            article_id=article.pk,
            visitor=visitor,
            address="office",
            now=start + timedelta(minutes=minutes),
        )

    assert [view(f"v{n}", 1) for n in range(3)] == [True, True, False]
    assert view("v9", 29) is False  # still the first half hour
    assert [view(f"w{n}", 31) for n in range(3)] == [True, True, False]
    # Capped views left nothing behind: v2 counts in the next window.
    assert view("v2", 61) is True


def test_a_capped_view_does_not_start_the_visitors_window(settings):
    """The database path rolls back the visitor's 30-minute row with a capped view, as
    the Redis script never sets its key: otherwise the visitor would be 'seen' uncounted."""
    settings.REDIS_URL = ""
    settings.SINMUN_VIEWS_PER_ADDRESS = 1
    article = make_article()
    now = timezone.now()
    assert services.view_record(article_id=article.pk, visitor="a", address="x", now=now)
    assert not services.view_record(article_id=article.pk, visitor="b", address="x", now=now)
    assert services.view_record(article_id=article.pk, visitor="b", address="y", now=now)


def test_old_address_windows_are_pruned(settings):
    settings.REDIS_URL = ""
    article = make_article()
    old = timezone.now() - timedelta(hours=3)
    services.view_record(article_id=article.pk, visitor="old", address="a", now=old)
    services.view_record(article_id=article.pk, visitor="new", address="b")
    assert ViewAddressCount.objects.filter(address="a").count() == 2
    services.flush_view_counts()
    assert set(ViewAddressCount.objects.values_list("address", flat=True)) == {"b"}


def test_redis_address_keys_expire_after_their_window(redis_views, settings):
    article = make_article()
    beacon(article)
    prefix = settings.SINMUN_VIEW_REDIS_PREFIX
    (per_article,) = redis_views.scan_iter(match=f"{prefix}addr:*:{article.pk}:*")
    (total,) = redis_views.scan_iter(match=f"{prefix}addr:*:all:*")
    assert 1800 < redis_views.ttl(per_article) <= 1860
    assert 3600 < redis_views.ttl(total) <= 3660
    assert int(redis_views.get(per_article)) == int(redis_views.get(total)) == 1


def test_redis_down_the_database_fallback_caps_too(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.SINMUN_VIEWS_PER_ADDRESS = 2
    services._redis_clients.clear()
    try:
        article = make_article()
        for n in range(5):
            beacon(article, ua=f"{UA} agent/{n}")
        settings.REDIS_URL = ""
        assert counted(article) == 2
    finally:
        services._redis_clients.clear()


# --- (b) beacons from another site's page --------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://news.sinmun.test"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "https://blog.sinmun.test"},
        {"HTTP_ORIGIN": "https://views-for-sale.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://views-for-sale.example/page.html"},
        {"HTTP_REFERER": "https://news.sinmun.test.views-for-sale.example/"},
    ],
    ids=[
        "sec-fetch-cross-site",
        "cross-site-with-own-origin",
        "same-site-sibling",
        "foreign-origin",
        "null-origin",
        "foreign-referer",
        "lookalike-referer",
    ],
)
def test_cross_site_beacons_are_answered_but_not_counted(path, headers):
    article = make_article()
    beacon(article, **headers)
    assert counted(article) == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_SEC_FETCH_SITE": "none"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "https://news.sinmun.test"},
        {"HTTP_ORIGIN": "https://news.sinmun.test"},
        {"HTTP_ORIGIN": "https://www.sinmun.test"},  # SINMUN_BASE_URL's host
        {"HTTP_ORIGIN": "http://testserver:8000"},
        {"HTTP_REFERER": "https://news.sinmun.test/article/1/"},
        {},  # a browser that sends none of them: nothing to judge by
    ],
    ids=[
        "same-origin",
        "none",
        "same-site-own-host",
        "own-origin",
        "base-url-origin",
        "origin-with-port",
        "own-referer",
        "no-headers",
    ],
)
def test_own_pages_beacons_count(path, headers):
    article = make_article()
    beacon(article, **headers)
    assert counted(article) == 1
