"""View counting in process: database path and the real Redis path with the flusher."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinmun.readers import services
from sinmun.readers.models import ArticleCounter, ArticleViewHour, ArticleViewSeen, ViewFlushBatch
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1"


def beacon(article, ua=UA, ip="203.0.113.30", **headers):
    client = Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=ua, **headers)
    response = client.post(reverse("readers:article_view", args=[article.pk]))
    assert response.status_code == 204
    return response


def totals(article):
    hours = ArticleViewHour.objects.filter(article=article).aggregate(s=Sum("views"))["s"] or 0
    return ArticleCounter.objects.get(article=article).views, hours


def test_db_path_counts_once_per_visitor_per_window():
    article = make_article(views=10)
    beacon(article)
    beacon(article)
    beacon(article, ua=UA + " other")
    assert totals(article) == (12, 2)


def test_db_path_counts_again_after_30_minutes():
    article = make_article()
    now = timezone.now()
    assert services.view_record(article_id=article.pk, visitor="v1", now=now)
    assert not services.view_record(
        article_id=article.pk, visitor="v1", now=now + timedelta(minutes=29)
    )
    assert services.view_record(
        article_id=article.pk, visitor="v1", now=now + timedelta(minutes=31)
    )
    assert totals(article) == (2, 2)


def test_views_go_into_hourly_buckets():
    article = make_article()
    start = timezone.now().replace(minute=10, second=0, microsecond=0)
    services.view_record(article_id=article.pk, visitor="a", now=start)
    services.view_record(article_id=article.pk, visitor="b", now=start + timedelta(minutes=5))
    services.view_record(article_id=article.pk, visitor="c", now=start + timedelta(hours=1))
    buckets = list(
        ArticleViewHour.objects.filter(article=article)
        .order_by("hour")
        .values_list("views", flat=True)
    )
    assert buckets == [2, 1]
    assert all(
        h.minute == 0 and h.second == 0
        for h in ArticleViewHour.objects.values_list("hour", flat=True)
    )


@pytest.mark.parametrize(
    ("ua", "headers"),
    [
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", {}),
        ("Mozilla/5.0 (compatible; Yeti/1.1; +http://naver.me/spd)", {}),
        ("", {}),
        (UA, {"HTTP_SEC_PURPOSE": "prefetch"}),
        (UA, {"HTTP_PURPOSE": "prefetch"}),
    ],
)
def test_bots_and_prefetches_do_not_count(ua, headers):
    article = make_article()
    beacon(article, ua=ua, **headers)
    assert totals(article) == (0, 0)


def test_beacon_rejects_get_and_unknown_articles():
    article = make_article()
    assert Client().get(reverse("readers:article_view", args=[article.pk])).status_code == 405
    Client(HTTP_USER_AGENT=UA).post(reverse("readers:article_view", args=[987654]))
    draft = make_article(live=False)
    beacon(draft)
    assert ArticleViewHour.objects.count() == 0


def test_flush_prunes_old_dedupe_rows():
    article = make_article()
    old = timezone.now() - timedelta(hours=2)
    services.view_record(article_id=article.pk, visitor="old", now=old)
    services.view_record(article_id=article.pk, visitor="new")
    services.flush_view_counts()
    assert list(ArticleViewSeen.objects.values_list("visitor", flat=True)) == ["new"]


# --- the Redis path, against the real server -------------------------------------


def test_redis_path_counts_in_redis_then_flushes_exactly(redis_views, settings):
    article = make_article(views=100)
    for n in range(5):
        beacon(article, ua=f"{UA} {n}")
    beacon(article, ua=f"{UA} 0")  # repeat: not counted
    beacon(article, ua="Googlebot/2.1")  # bot: not counted
    # Nothing in the database yet: the beacon only touched Redis.
    assert totals(article) == (100, 0)
    hour_keys = list(redis_views.scan_iter(match=settings.SINMUN_VIEW_REDIS_PREFIX + "hour:*"))
    assert len(hour_keys) == 1
    assert int(redis_views.hget(hour_keys[0], str(article.pk))) == 5
    assert not ArticleViewSeen.objects.exists()

    call_command("flush_view_counts", verbosity=0)
    assert totals(article) == (105, 5)
    # Flushing again adds nothing.
    report = services.flush_view_counts()
    assert report.views == 0
    assert totals(article) == (105, 5)
    # Counting goes on after a flush, into a fresh hash for the hour.
    beacon(article, ua=f"{UA} 9")
    services.flush_view_counts()
    assert totals(article) == (106, 6)


def test_redis_dedupe_key_expires_after_30_minutes(redis_views, settings):
    article = make_article()
    beacon(article)
    keys = list(redis_views.scan_iter(match=settings.SINMUN_VIEW_REDIS_PREFIX + "seen:*"))
    assert len(keys) == 1
    assert 1790 <= redis_views.ttl(keys[0]) <= 1800


def test_flusher_crash_after_commit_does_not_double_count(redis_views, settings, monkeypatch):
    """A flusher that dies between the database commit and deleting the batch in Redis
    leaves the batch behind; the next flush finds it applied and drops it."""
    article = make_article()
    for n in range(3):
        beacon(article, ua=f"{UA} {n}")

    real_delete = type(redis_views).delete

    def crash(self, *keys):
        raise ConnectionError("flusher killed")

    monkeypatch.setattr(type(redis_views), "delete", crash)
    with pytest.raises(ConnectionError):
        services.flush_view_counts()
    monkeypatch.setattr(type(redis_views), "delete", real_delete)
    assert totals(article) == (3, 3)
    assert ViewFlushBatch.objects.count() == 1

    report = services.flush_view_counts()
    assert report.skipped == 1 and report.views == 0
    assert totals(article) == (3, 3)
    assert not list(redis_views.scan_iter(match=settings.SINMUN_VIEW_REDIS_PREFIX + "batch:*"))


def test_flusher_crash_before_commit_loses_nothing(redis_views, settings, monkeypatch):
    article = make_article()
    for n in range(4):
        beacon(article, ua=f"{UA} {n}")

    def crash(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_views_add", crash)
    with pytest.raises(RuntimeError):
        services.flush_view_counts()
    monkeypatch.undo()
    assert totals(article) == (0, 0)
    # Beacons keep arriving meanwhile.
    beacon(article, ua=f"{UA} new")
    services.flush_view_counts()
    assert totals(article) == (5, 5)


def test_redis_down_falls_back_to_the_database(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    services._redis_clients.clear()
    article = make_article()
    beacon(article)
    assert totals(article) == (1, 1)
    services._redis_clients.clear()


def test_flush_drops_counts_for_deleted_articles(redis_views):
    article = make_article()
    gone = make_article()
    beacon(article)
    beacon(gone)
    gone.delete()
    report = services.flush_view_counts()
    assert report.views == 2  # read from Redis; the deleted article's count is dropped
    assert totals(article) == (1, 1)
