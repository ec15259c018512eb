"""Reads for reader features: the most-viewed ranking."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from sinmun.articles.models import Article
from sinmun.core.versions import versioned_key

from .models import ArticleCounter, ArticleViewHour

PERIOD_DAYS = {"day": 1, "week": 7, "month": 30}
# Where a window has too few viewed articles, the list is topped up from longer ones,
# ending with lifetime totals (which include counts imported from an older system).
FALLBACK = {"day": (1, 7, 30, None), "week": (7, 30, None), "month": (30, None)}


def _ranked_ids(*, days: int | None, limit: int, now) -> list[tuple[int, int]]:
    if days is None:
        rows = (
            ArticleCounter.objects.filter(
                views__gt=0, article__live=True, article__first_published_at__lte=now
            )
            .order_by("-views", "-article_id")
            .values_list("article_id", "views")[:limit]
        )
        return list(rows)
    since = now - timedelta(days=days)
    rows = (
        ArticleViewHour.objects.filter(
            hour__gte=since, article__live=True, article__first_published_at__lte=now
        )
        .values("article_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-article_id")
        .values_list("article_id", "total")[:limit]
    )
    return list(rows)


def most_viewed_article_list(*, period: str = "day", limit: int = 7) -> list[dict]:
    """Return the most-viewed public articles for ``period`` as dicts with the article
    and its view count, cached for a short while (never a heavy query per page view)."""
    if period not in FALLBACK:
        raise ValueError(f"unknown period {period!r}")
    # Under the article version: renewed for every period and limit when an article is
    # published, unpublished or deleted (sinmun/core/changes.py); views move it with time.
    key = versioned_key(f"readers:most-viewed:{period}:{limit}", "article")
    cached = cache.get(key)
    if cached is not None:
        return cached
    now = timezone.now()
    ranked: dict[int, int] = {}
    for days in FALLBACK[period]:
        for article_id, views in _ranked_ids(days=days, limit=limit, now=now):
            if article_id not in ranked and len(ranked) < limit:
                ranked[article_id] = views
        if len(ranked) >= limit:
            break
    articles = Article.objects.for_listing().in_bulk(list(ranked))
    result = [
        {"article": articles[article_id], "views": views}
        for article_id, views in ranked.items()
        if article_id in articles
    ]
    cache.set(key, result, settings.SINMUN_RANKING_CACHE_SECONDS)
    return result
