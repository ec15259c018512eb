#!/usr/bin/env python3
"""Time feeds and sitemaps on a large archive, uncached, beside Django's stock sitemaps.

sinmun pages the article sitemaps by blocks of article numbers and builds the index
with one grouped query (sinmun/syndication/sitemaps.py). The baseline is what
django.contrib.sitemaps does out of the box for the same archive: a GenericSitemap
over the public articles paged by OFFSET (limit 10,000), whose index asks every
article for its lastmod. Both run in one process on the same database, through the
Django test client / request factory (no HTTP, no page cache): the figures are the
app's own cost per request, what nginx or the page cache saves on every later hit.

    SINMUN_DATA_DIR=/tmp/sinmun-archive DJANGO_SETTINGS_MODULE=sinmun.settings.base \\
        .venv/bin/python bench/archive.py --articles 100000
    .venv/bin/python bench/syndication/sitemaps_feeds.py --data /tmp/sinmun-archive
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


def _measure(call, runs: int) -> tuple[float, float, int, int]:
    """Return median ms, p95 ms, queries of one call and the response size in bytes."""
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = call()
    if response.status_code != 200:
        raise SystemExit(f"unexpected status {response.status_code}")
    if hasattr(response, "render"):
        response.render()
    size = len(response.content)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = call()
        if hasattr(response, "render"):
            response.render()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(executed), size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="SINMUN_DATA_DIR holding the archive")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)

    os.environ["SINMUN_DATA_DIR"] = args.data
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinmun.settings.base")
    os.environ["SINMUN_PAGE_CACHE"] = "false"
    os.environ["SINMUN_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.contrib.sitemaps import GenericSitemap
    from django.contrib.sitemaps import views as stock
    from django.core.cache import cache
    from django.test import Client, RequestFactory

    from sinmun.articles.models import Article, Section
    from sinmun.syndication.sitemaps import article_sitemap_blocks

    client = Client()
    factory = RequestFactory()
    public = Article.objects.public().only("id", "first_published_at", "modified_at")
    total = public.count()
    blocks = article_sitemap_blocks()
    section = Section.objects.first()
    baseline = {
        "articles": GenericSitemap(
            {"queryset": public.order_by("id"), "date_field": "first_published_at"}
        )
    }
    baseline["articles"].limit = 10_000
    pages = baseline["articles"].paginator.num_pages

    def ours(path):
        def call():
            cache.clear()  # site settings and sitemap blocks too: every call is a cold one
            return client.get(path)

        return call

    def stock_view(view, **kwargs):
        def call():
            cache.clear()
            request = factory.get("/sitemap.xml", kwargs.pop("query", {}))
            return view(request, baseline, **kwargs)

        return call

    scenarios = [
        ("sinmun /sitemap.xml (index, one grouped query)", ours("/sitemap.xml")),
        (
            "sinmun /sitemap.xml, blocks cached (after the first crawl)",
            lambda: client.get("/sitemap.xml"),
        ),
        (
            "Django stock sitemap index (lastmod of every article)",
            stock_view(stock.index, sitemap_url_name="syndication:sitemap"),
        ),
        ("sinmun /sitemap-articles-1.xml (first block)", ours("/sitemap-articles-1.xml")),
        (
            f"sinmun /sitemap-articles-{blocks[-1].number}.xml (last block)",
            ours(f"/sitemap-articles-{blocks[-1].number}.xml"),
        ),
        (
            "Django stock sitemap page 1 (OFFSET 0)",
            stock_view(stock.sitemap, section="articles", query={"p": "1"}),
        ),
        (
            f"Django stock sitemap page {pages} (OFFSET {(pages - 1) * 10_000})",
            stock_view(stock.sitemap, section="articles", query={"p": str(pages)}),
        ),
        ("sinmun /sitemap-news.xml", ours("/sitemap-news.xml")),
        ("sinmun /sitemap-pages.xml", ours("/sitemap-pages.xml")),
        ("sinmun /sitemap-reporters.xml", ours("/sitemap-reporters.xml")),
        ("sinmun /rss/ (50 items)", ours("/rss/")),
        (f"sinmun /rss/section/{section.code}/ (50 items)", ours(f"/rss/section/{section.code}/")),
    ]
    from django.db import connection

    print(  # noqa: T201
        f"{total:,} public articles, {len(blocks)} article sitemap pages, "
        f"{connection.vendor}, {args.runs} runs each, cold app cache\n"
    )
    print("| request | median ms | p95 ms | queries | bytes |")  # noqa: T201
    print("|---|---:|---:|---:|---:|")  # noqa: T201
    for name, call in scenarios:
        median, p95, queries, size = _measure(call, args.runs)
        print(f"| {name} | {median:.1f} | {p95:.1f} | {queries} | {size:,} |")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
