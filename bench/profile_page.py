#!/usr/bin/env python3
"""In-process cost of one reader page: milliseconds per page, SQL queries, reverse() calls.

    SINMUN_DATA_DIR=/tmp/perf-data DJANGO_SETTINGS_MODULE=sinmun.settings.base \
        .venv/bin/python bench/profile_page.py /article/1/ --requests 300 [--profile 25]
    # the page cache's hit path (no view, no template):
    .venv/bin/python bench/profile_page.py /article/1/ --page-cache

Goes through the whole WSGI handler (middleware, URL routing, view, templates) with
Django's test client in one process, after a warm-up request. Wall-clock times on a
shared machine are noisy; the reverse() and query counts are not. ``--profile N`` prints
cProfile's N most expensive functions (cumulative).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinmun.settings.base")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default=None, help="default: the newest article")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--page-cache", action="store_true", help="measure cache hits")
    args = parser.parse_args(argv)

    import django

    django.setup()
    import django.urls.base as urls_base
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from sinmun.articles.models import Article

    path = args.path or Article.objects.public().order_by("-pk").first().get_absolute_url()
    reverses = 0
    original_reverse = urls_base.reverse

    def counting_reverse(*a, **k):
        nonlocal reverses
        reverses += 1
        return original_reverse(*a, **k)

    with override_settings(SINMUN_PAGE_CACHE=args.page_cache, ALLOWED_HOSTS=["*"]):
        client = Client()
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path}: HTTP {response.status_code}")
        client.get(path)
        queries = []
        with connection.execute_wrapper(lambda run, sql, *a: queries.append(sql) or run(sql, *a)):
            client.get(path)
        urls_base.reverse = counting_reverse
        import django.urls as urls_pkg

        urls_pkg.reverse = counting_reverse
        client.get(path)
        urls_base.reverse = urls_pkg.reverse = original_reverse
        profiler = cProfile.Profile() if args.profile else None
        start, cpu_start = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        for _ in range(args.requests):
            client.get(path)
        if profiler:
            profiler.disable()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(
        f"{path}: {1000 * elapsed / args.requests:.2f} ms/page "
        f"({1000 * cpu / args.requests:.2f} ms CPU) over {args.requests} requests, "
        f"{len(queries)} SQL queries, {reverses} reverse() calls (module-level only), "
        f"{len(response.content):,} bytes, page cache {'on' if args.page_cache else 'off'}"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
