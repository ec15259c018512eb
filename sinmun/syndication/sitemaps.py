"""Sitemaps: the paper's pages, reporters, the article archive in stable pages, and news.

The archive is split into pages by article number: page N lists the public articles
numbered ``(N-1)*ARTICLES_PER_SITEMAP`` up to ``N*ARTICLES_PER_SITEMAP - 1``. A page
therefore never shifts when another article is published, unpublished or deleted, so
a crawler re-reads only the pages whose ``lastmod`` in the index moved, and each page
is one indexed range query. Numbers imported from an old system may leave gaps; pages
with no public article are not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.cache import cache
from django.db.models import Count, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from sinmun.articles.models import Article, Reporter, Section
from sinmun.core.versions import versioned_key

ARTICLES_PER_SITEMAP = 10_000
# Google News reads articles of the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1_000
BLOCKS_CACHE_KEY = "syndication:sitemap-blocks"
BLOCKS_CACHE_SECONDS = 600


class SiteSitemap(Sitemap):
    """A sitemap whose URLs use ``SINMUN_BASE_URL``, not the Host of the request."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SINMUN_BASE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.SINMUN_BASE_URL)
        return parts.netloc + parts.path


@dataclass(frozen=True)
class Page:
    url: str
    lastmod: datetime | None


def _newest_public(field: str) -> Subquery:
    """The newest public registered time of the row's articles, through its
    (field, live, first_published_at, id) index: one short index read per row."""
    return Subquery(
        Article.objects.public()
        .filter(**{field: OuterRef("pk")})
        .order_by("-first_published_at")
        .values("first_published_at")[:1]
    )


class PageSitemap(SiteSitemap):
    """The home page and every section page, each dated by its newest public article."""

    def items(self):
        sections = list(
            Section.objects.annotate(last=_newest_public("section")).order_by("order", "name")
        )
        newest = max((s.last for s in sections if s.last), default=None)
        return [Page(reverse("articles:home"), newest)] + [
            Page(s.get_absolute_url(), s.last) for s in sections
        ]

    def location(self, page):
        return page.url

    def lastmod(self, page):
        return page.lastmod


class ReporterSitemap(SiteSitemap):
    """Reporter pages with at least one public article."""

    def items(self):
        return (
            Reporter.objects.annotate(last=_newest_public("reporter"))
            .filter(last__isnull=False)
            .only("id")
            .order_by("id")
        )

    def lastmod(self, reporter):
        return reporter.last


def article_sitemap_rows(block: int) -> list[tuple[int, datetime]]:
    """Return (article number, lastmod) of the public articles in one block, by number.

    A range read on the primary key; lastmod is the 수정 time, else the 등록 time.
    """
    start = block * ARTICLES_PER_SITEMAP
    rows = (
        Article.objects.public()
        .filter(id__gte=start, id__lt=start + ARTICLES_PER_SITEMAP)
        .order_by("id")
        .values_list("id", "first_published_at", "modified_at")
    )
    return [(pk, modified or first) for pk, first, modified in rows]


@dataclass(frozen=True)
class ArticleBlock:
    number: int  # 1-based, as in the URL
    lastmod: datetime
    count: int


def article_sitemap_blocks() -> list[ArticleBlock]:
    """Return the archive's non-empty sitemap pages with their newest change.

    One grouped query over the public archive (about a second for 100,000 articles on
    SQLite, see bench/syndication), so the answer is kept in the cache under the ``article``
    version (renewed by every announced article change) and at most BLOCKS_CACHE_SECONDS.
    """
    key = versioned_key(BLOCKS_CACHE_KEY, "article")
    blocks = cache.get(key)
    if blocks is None:
        rows = (
            Article.objects.public()
            .annotate(block=F("id") / ARTICLES_PER_SITEMAP)
            .values("block")
            .annotate(
                last=Max(Coalesce("modified_at", "first_published_at")),
                count=Count("id"),
            )
            .order_by("block")
        )
        blocks = [ArticleBlock(row["block"] + 1, row["last"], row["count"]) for row in rows]
        cache.set(key, blocks, BLOCKS_CACHE_SECONDS)
    return blocks


def news_article_list(now: datetime | None = None) -> list[Article]:
    """Return the public articles of the last 48 hours for the news sitemap, newest first."""
    now = now or timezone.now()
    return list(
        Article.objects.public(now=now)
        .filter(first_published_at__gte=now - NEWS_WINDOW)
        .only("id", "title", "first_published_at")
        .order_by("-first_published_at", "-id")[:NEWS_LIMIT]
    )


# The sitemaps served by django.contrib.sitemaps' own view, by the name in their URL.
SITEMAPS = {"pages": PageSitemap, "reporters": ReporterSitemap}
