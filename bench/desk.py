#!/usr/bin/env python3
"""Time the desk's article listing in the admin on a large archive.

Logs in as a 데스크 editor with Django's test client (the whole request: middleware,
permission checks, filters, pagination, template) and requests each listing URL N times:
first page, a deep page, each status, section, reporter, date range, "mine", title
search, and filters combined. Prints p50/p95 in milliseconds and the SQL queries of one
request (count and time) as a Markdown table. "CPU ms" is this process's CPU time per
request (SQLite runs in-process, so it includes the queries): on a machine shared with
other work it moves much less than the wall-clock figures.

First fill a database with the archive, then run this on the same data:

    export SINMUN_DATA_DIR=/tmp/sinmun-newsroom-100k DJANGO_SETTINGS_MODULE=sinmun.settings.base
    .venv/bin/python bench/archive.py --articles 100000
    .venv/bin/python bench/desk.py --repeat 20

(``DATABASE_URL=postgres://postgres@127.0.0.1:5432/sinmun_newsroom`` for PostgreSQL.)

The archive holds only published articles; the first run turns a few hundred recent
ones into the desk's day (drafts, articles waiting for the desk, scheduled, embargoed)
through Wagtail's own revision and workflow APIs, once.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
DESK_USER = "bench-desk"

# How many of the newest articles become each kind of unfinished work.
DAY_OF_WORK = {"draft": 300, "in_review": 120, "scheduled": 40, "embargoed": 15}


def prepare_desk_day(log=print, day: dict[str, int] | None = None) -> None:
    """Make the desk user and a realistic day of unfinished work (idempotent)."""
    day = day or DAY_OF_WORK
    from django.contrib.auth.models import Group, User
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import WorkflowState

    from sinmun.articles.models import Article, Reporter
    from sinmun.newsroom.roles import DESK, REPORTER

    desk, created = User.objects.get_or_create(
        username=DESK_USER, defaults={"email": "bench-desk@example.com"}
    )
    if created:
        desk.groups.add(Group.objects.get(name=DESK))
    reporter_user, created = User.objects.get_or_create(
        username="bench-reporter", defaults={"email": "bench-reporter@example.com"}
    )
    if created:
        reporter_user.groups.add(Group.objects.get(name=REPORTER))
        byline = Reporter.objects.order_by("id").first()
        if byline is not None and byline.user_id is None:
            byline.user = reporter_user
            byline.save(update_fields=["user"])
    if WorkflowState.objects.exists() or Article.objects.filter(live=False).exists():
        return
    started = time.monotonic()
    newest = list(
        Article.objects.order_by("-first_published_at", "-id")[: sum(DAY_OF_WORK.values())]
    )
    workflow = Article.get_default_workflow()
    now = timezone.now()
    position = 0
    for kind, count in day.items():
        for article in newest[position : position + count]:
            with transaction.atomic():
                Article.objects.filter(pk=article.pk).update(
                    live=False,
                    first_published_at=None,
                    last_published_at=None,
                    has_unpublished_changes=True,
                    owner=reporter_user if kind == "draft" else None,
                    embargo=kind == "embargoed",
                )
                article.refresh_from_db()
                revision = article.save_revision(user=reporter_user, log_action=False, clean=False)
                if kind == "in_review":
                    workflow.start(article, reporter_user)
                elif kind in ("scheduled", "embargoed"):
                    article.go_live_at = now + timedelta(hours=6)
                    revision = article.save_revision(user=desk, log_action=False, clean=False)
                    revision.publish(user=desk)  # a future go_live_at: approved, not live
        position += count
    log(f"desk day prepared in {time.monotonic() - started:.1f} s: {day}")


def listing_urls() -> dict[str, str]:
    from django.contrib.auth.models import User
    from django.db.models import Count
    from django.urls import reverse

    from sinmun.articles.models import Article, Reporter, Section

    base = reverse("wagtailsnippets_articles_article:list")
    section = Section.objects.annotate(n=Count("articles")).order_by("-n").first()
    reporter = Reporter.objects.order_by("id").first()
    desk_user = User.objects.get(username=DESK_USER)
    assert desk_user  # noqa: S101 - prepared above

    def url(**params):
        return base + ("?" + urlencode(params) if params else "")

    return {
        "first page": url(),
        "deep page (p=1000)": url(p=1000),
        "last page": url(p=Article.objects.count() // 50),
        "status: draft": url(status="draft"),
        "status: in review": url(status="in_review"),
        "status: scheduled": url(status="scheduled"),
        "status: embargoed": url(status="embargoed"),
        "status: published": url(status="published"),
        "status: published, p=200": url(status="published", p=200),
        "section": url(section=section.pk),
        "section, p=200": url(section=section.pk, p=200),
        "reporter": url(reporter=reporter.pk),
        "date range (one month)": url(registered_from="2020-03-01", registered_to="2020-03-31"),
        "mine (desk)": url(mine="true"),
        "title search (common word)": url(q="시장"),
        "title search (rare phrase)": url(q="예산 심의"),
        "title search, no match": url(q="존재하지않는제목"),
        "combined: section+status+date+search": url(
            section=section.pk,
            status="published",
            registered_from="2019-01-01",
            registered_to="2023-12-31",
            q="시장",
        ),
        "combined: reporter+draft": url(reporter=reporter.pk, status="draft"),
    }


def measure(repeat: int, only: str | None = None) -> list[dict]:
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(User.objects.get(username=DESK_USER))
    rows = []
    for name, url in listing_urls().items():
        if only and only not in name:
            continue
        response = client.get(url)  # warm: templates, content types, permissions
        assert response.status_code == 200, (name, url, response.status_code)  # noqa: S101
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        captured = list(queries.captured_queries)
        sql_ms = sum(float(q["time"]) for q in captured) * 1000
        slowest = max(captured, key=lambda q: float(q["time"]), default=None)
        times, cpu = [], []
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            reset_queries()
        times.sort()
        rows.append(
            {
                "name": name,
                "url": url,
                "p50": statistics.median(times),
                "p95": times[max(0, round(0.95 * len(times)) - 1)],
                "cpu50": statistics.median(cpu),
                "queries": len(captured),
                "sql_ms": sql_ms,
                "slowest_sql": slowest["sql"][:300] if slowest else "",
                "slowest_ms": float(slowest["time"]) * 1000 if slowest else 0.0,
            }
        )
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="requests per URL (timed)")
    parser.add_argument("--only", help="run only the URLs whose name contains this")
    parser.add_argument("--slowest", action="store_true", help="print each URL's slowest SQL")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the admin's assets

    from sinmun.articles.models import Article

    prepare_desk_day(log=lambda m: print(m, file=sys.stderr))
    total = Article.objects.count()
    print(
        f"{total:,} articles, {connection.vendor}, {args.repeat} requests per URL "
        "(Django test client, logged in as 데스크)\n"
    )
    rows = measure(args.repeat, args.only)
    print("| listing | p50 ms | p95 ms | CPU ms p50 | SQL queries | SQL ms (one request) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['name']} | {row['p50']:.0f} | {row['p95']:.0f} | {row['cpu50']:.0f} "
            f"| {row['queries']} | {row['sql_ms']:.0f} |"
        )
    if args.slowest:
        print()
        for row in rows:
            print(f"- {row['name']} ({row['slowest_ms']:.0f} ms): {row['slowest_sql']}")
    slow = [r["name"] for r in rows if r["p95"] >= 300]
    print(f"\nover 300 ms at p95: {', '.join(slow) if slow else 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
