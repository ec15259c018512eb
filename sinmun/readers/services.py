"""Writes for reader features: e-mailing an article, likes, view counting and flushing.

See readers/README.md for the counting design and what a crash can lose.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sinmun.articles.models import Article
from sinmun.core.versions import versioned_key

from .mail import EmailRefused, article_email_send  # noqa: F401 - the readers' services
from .models import (
    ArticleCounter,
    ArticleLike,
    ArticleViewHour,
    ArticleViewSeen,
    ViewAddressCount,
    ViewFlushBatch,
)
from .ratelimit import Limit, LimitUnavailable, hit

logger = logging.getLogger(__name__)

VIEW_WINDOW = timedelta(minutes=30)


# --- 추천 (likes) ---------------------------------------------------------------


def article_counter_create(*, article_id: int, views: int = 0, likes: int = 0) -> ArticleCounter:
    """The reader counts of a new article, starting where an imported archive left them."""
    return ArticleCounter.objects.create(article_id=article_id, views=views, likes=likes)


class LikeRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LikeResult:
    added: bool
    likes: int


LIKES_PER_ADDRESS = 5
LIKE_RATE = Limit("like-addr", 60, 3600)


def like_add(*, article_id: int, visitor: str, address: str) -> LikeResult:
    """Add one like by ``visitor``; a second like by the same visitor changes nothing.

    The article's counter row is locked for the transaction, so concurrent likes are
    applied one after another and the count equals the number of like rows.
    """
    try:
        allowed = hit(LIKE_RATE, address)
    except LimitUnavailable:
        raise LikeRefused(_("지금은 추천할 수 없습니다. 잠시 뒤 다시 시도해 주세요.")) from None
    if not allowed:
        raise LikeRefused(_("추천이 너무 많습니다. 잠시 뒤 다시 시도해 주세요."))
    per_address = getattr(settings, "SINMUN_LIKES_PER_ADDRESS", LIKES_PER_ADDRESS)
    ArticleCounter.objects.get_or_create(article_id=article_id)
    with transaction.atomic():
        counter = ArticleCounter.objects.select_for_update().get(article_id=article_id)
        if ArticleLike.objects.filter(article_id=article_id, visitor=visitor).exists():
            return LikeResult(added=False, likes=counter.likes)
        if (
            ArticleLike.objects.filter(article_id=article_id, address=address).count()
            >= per_address
        ):
            # Several people behind one address (a household, an office) may each
            # like; one machine cycling user agents may not go on for ever.
            return LikeResult(added=False, likes=counter.likes)
        ArticleLike.objects.create(article_id=article_id, visitor=visitor, address=address)
        ArticleCounter.objects.filter(article_id=article_id).update(likes=F("likes") + 1)
    return LikeResult(added=True, likes=counter.likes + 1)


def like_exists(*, article_id: int, visitor: str) -> bool:
    return ArticleLike.objects.filter(article_id=article_id, visitor=visitor).exists()


# --- view counting --------------------------------------------------------------

# One visitor once per article per 30 minutes, and one address (however many user agents
# it cycles) at most ARGV[3] views of the article per 30-minute window and ARGV[4] views
# in all per hour: all checked and counted in one atomic script. A capped view leaves no
# trace, so it is not counted later either.
SEEN_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
if tonumber(redis.call('GET', KEYS[4]) or '0') >= tonumber(ARGV[3])
   or tonumber(redis.call('GET', KEYS[5]) or '0') >= tonumber(ARGV[4]) then
  return 0
end
redis.call('SET', KEYS[1], '1', 'EX', ARGV[1])
redis.call('INCR', KEYS[4])
redis.call('EXPIRE', KEYS[4], ARGV[5])
redis.call('INCR', KEYS[5])
redis.call('EXPIRE', KEYS[5], ARGV[6])
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
redis.call('SADD', KEYS[3], KEYS[2])
return 1
"""

# Move an hour's counts aside under a unique batch name, atomically with forgetting
# the hour in the index; beacons arriving later start a fresh hash for the hour.
CLAIM_SCRIPT = """
redis.call('SREM', KEYS[1], KEYS[2])
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('RENAME', KEYS[2], KEYS[3])
  redis.call('SADD', KEYS[4], KEYS[3])
  return 1
end
return 0
"""

_redis_clients: dict[str, object] = {}


def _redis():
    import redis

    url = settings.REDIS_URL
    client = _redis_clients.get(url)
    if client is None:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        _redis_clients[url] = client
    return client


def _prefix() -> str:
    return getattr(settings, "SINMUN_VIEW_REDIS_PREFIX", "sinmun:readers:views:")


def _hour_start(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _article_is_public(article_id: int) -> bool:
    key = versioned_key(f"readers:public:{article_id}", "article")
    known = cache.get(key)
    if known is None:
        known = Article.objects.public().filter(pk=article_id).exists()
        cache.set(key, known, 300)
    return known


# One address may add at most this many views to one article per 30-minute window, and
# this many in all per hour (settings SINMUN_VIEWS_PER_ADDRESS and
# SINMUN_VIEWS_PER_ADDRESS_HOUR; readers/README.md explains the numbers). Each visitor
# (address + user agent) still counts once per article per 30 minutes below the caps.
VIEWS_PER_ADDRESS = 20
VIEWS_PER_ADDRESS_HOUR = 240
ADDRESS_ARTICLE_WINDOW = VIEW_WINDOW
ADDRESS_TOTAL_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class AddressWindows:
    """The two fixed windows a view from one address at ``now`` falls in, and their caps."""

    article_start: datetime
    total_start: datetime
    per_article: int
    total: int


def address_windows(now: datetime) -> AddressWindows:
    """Fixed windows (as ratelimit.py's), the same on every path and every machine."""
    epoch = now.timestamp()
    article_seconds = int(ADDRESS_ARTICLE_WINDOW.total_seconds())
    total_seconds = int(ADDRESS_TOTAL_WINDOW.total_seconds())
    return AddressWindows(
        article_start=datetime.fromtimestamp(epoch // article_seconds * article_seconds, tz=UTC),
        total_start=datetime.fromtimestamp(epoch // total_seconds * total_seconds, tz=UTC),
        per_article=getattr(settings, "SINMUN_VIEWS_PER_ADDRESS", VIEWS_PER_ADDRESS),
        total=getattr(settings, "SINMUN_VIEWS_PER_ADDRESS_HOUR", VIEWS_PER_ADDRESS_HOUR),
    )


def view_record(
    *, article_id: int, visitor: str, address: str | None = None, now: datetime | None = None
) -> bool:
    """Count one view of ``article_id`` by ``visitor`` (from ``address``, a keyed hash of
    the client address) unless that visitor was counted in the last 30 minutes or the
    address has reached its caps; return whether it counted. Bots, prefetches and
    cross-site beacons are filtered by the view. A caller that knows no address (a
    script, a test) passes none and each visitor is capped as its own address."""
    now = now or timezone.now()
    address = address if address is not None else visitor
    if not _article_is_public(article_id):
        return False
    if settings.REDIS_URL:
        try:
            return _view_record_redis(article_id, visitor, address, now)
        except Exception as exc:  # noqa: BLE001 - Redis down: count in the database instead
            logger.warning("view counting fell back to the database: %s", exc)
    return _view_record_db(article_id, visitor, address, now)


def _view_record_redis(article_id: int, visitor: str, address: str, now: datetime) -> bool:
    prefix = _prefix()
    hour = int(_hour_start(now).timestamp())
    windows = address_windows(now)
    article_key = f"{prefix}addr:{address}:{article_id}:{int(windows.article_start.timestamp())}"
    total_key = f"{prefix}addr:{address}:all:{int(windows.total_start.timestamp())}"
    result = _redis().eval(
        SEEN_SCRIPT,
        5,
        f"{prefix}seen:{article_id}:{visitor}",
        f"{prefix}hour:{hour}",
        f"{prefix}hours",
        article_key,
        total_key,
        int(VIEW_WINDOW.total_seconds()),
        article_id,
        windows.per_article,
        windows.total,
        # A minute past the window's end, so a clock a little behind still finds it.
        int(ADDRESS_ARTICLE_WINDOW.total_seconds()) + 60,
        int(ADDRESS_TOTAL_WINDOW.total_seconds()) + 60,
    )
    return bool(result)


def _view_record_db(article_id: int, visitor: str, address: str, now: datetime) -> bool:
    with transaction.atomic():
        renewed = ArticleViewSeen.objects.filter(
            article_id=article_id, visitor=visitor, seen_at__lte=now - VIEW_WINDOW
        ).update(seen_at=now)
        if not renewed:
            try:
                with transaction.atomic():
                    ArticleViewSeen.objects.create(
                        article_id=article_id, visitor=visitor, seen_at=now
                    )
            except IntegrityError:
                return False  # counted less than 30 minutes ago
        windows = address_windows(now)
        if not (
            _address_take(address, article_id, windows.article_start, windows.per_article)
            and _address_take(address, 0, windows.total_start, windows.total)
        ):
            # Capped: undo the visitor's window too, as the Redis script never sets it.
            transaction.set_rollback(True)
            return False
        _views_add(article_id, _hour_start(now), 1)
    return True


def _address_take(address: str, article_id: int, window: datetime, cap: int) -> bool:
    """Use one view of the address's allowance in ``window`` (inside a transaction); return
    whether there was one left. The guarded UPDATE is atomic, so concurrent beacons from
    one address cannot pass the cap together."""
    rows = ViewAddressCount.objects.filter(address=address, article_id=article_id, window=window)
    if rows.filter(views__lt=cap).update(views=F("views") + 1):
        return True
    if cap < 1 or rows.exists():
        return False
    try:
        with transaction.atomic():
            ViewAddressCount.objects.create(
                address=address, article_id=article_id, window=window, views=1
            )
    except IntegrityError:
        # Another beacon from the address created it first: take from that row.
        return bool(rows.filter(views__lt=cap).update(views=F("views") + 1))
    return True


def _views_add(article_id: int, hour: datetime, count: int) -> None:
    """Add ``count`` views to the hour bucket and the lifetime total (inside a
    transaction; each write is a single atomic UPDATE or a guarded INSERT)."""
    if not ArticleViewHour.objects.filter(article_id=article_id, hour=hour).update(
        views=F("views") + count
    ):
        try:
            with transaction.atomic():
                ArticleViewHour.objects.create(article_id=article_id, hour=hour, views=count)
        except IntegrityError:
            ArticleViewHour.objects.filter(article_id=article_id, hour=hour).update(
                views=F("views") + count
            )
    if not ArticleCounter.objects.filter(article_id=article_id).update(views=F("views") + count):
        try:
            with transaction.atomic():
                ArticleCounter.objects.create(article_id=article_id, views=count)
        except IntegrityError:
            ArticleCounter.objects.filter(article_id=article_id).update(views=F("views") + count)


@dataclass
class FlushReport:
    batches: int = 0
    views: int = 0
    skipped: int = 0


def flush_view_counts(*, now: datetime | None = None) -> FlushReport:
    """Move view counts from Redis into the database, exactly once; prune old dedupe
    rows. Safe to run every minute from several machines at the same time."""
    now = now or timezone.now()
    report = FlushReport()
    if settings.REDIS_URL:
        _flush_redis(report)
    if getattr(settings, "SINMUN_VIEW_LOG", ""):
        # Beacons nginx answered itself (deploy/nginx, sinmun/readers/viewlog.py).
        from .viewlog import ingest_view_log

        report.views += ingest_view_log().views
    ArticleViewSeen.objects.filter(seen_at__lt=now - VIEW_WINDOW).delete()
    # Every address window has ended an hour after it started; one more hour for view log
    # lines counted late.
    ViewAddressCount.objects.filter(window__lt=now - 2 * ADDRESS_TOTAL_WINDOW).delete()
    ViewFlushBatch.objects.filter(applied_at__lt=now - timedelta(days=7)).delete()
    return report


def _flush_redis(report: FlushReport) -> None:
    client = _redis()
    prefix = _prefix()
    hours_index, batches_index = f"{prefix}hours", f"{prefix}batches"
    for raw in client.smembers(hours_index):
        hour_key = raw.decode()
        hour = hour_key.rsplit(":", 1)[1]
        batch_key = f"{prefix}batch:{hour}:{uuid.uuid4().hex}"
        client.eval(CLAIM_SCRIPT, 4, hours_index, hour_key, batch_key, batches_index)
    # Batches left by a flusher that died are applied here too (or found applied).
    for raw in client.smembers(batches_index):
        batch_key = raw.decode()
        counts = {int(k): int(v) for k, v in client.hgetall(batch_key).items()}
        if counts and _apply_batch(batch_key, counts):
            report.batches += 1
            report.views += sum(counts.values())
        else:
            report.skipped += 1
        client.delete(batch_key)
        client.srem(batches_index, batch_key)


def _apply_batch(batch_key: str, counts: dict[int, int]) -> bool:
    hour = datetime.fromtimestamp(int(batch_key.split(":")[-2]), tz=UTC)
    try:
        with transaction.atomic():
            ViewFlushBatch.objects.create(name=batch_key)
            existing = set(Article.objects.filter(pk__in=list(counts)).values_list("pk", flat=True))
            for article_id in sorted(existing):
                _views_add(article_id, hour, counts[article_id])
    except IntegrityError:
        return False  # already applied by another flusher (or before a crash)
    return True
