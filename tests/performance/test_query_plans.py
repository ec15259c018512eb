"""The hot reader queries use an index, never a full scan of the article table.

A synthetic archive (bench/archive.py, a few thousand articles over 15 years, ANALYZEd)
is loaded, the reader pages are requested through the test client, and every query that
touches ``articles_article`` is EXPLAINed: on SQLite no bare ``SCAN articles_article``
(a scan must go through an index), and no sort of the whole table for ORDER BY; on
PostgreSQL (``DATABASE_URL=postgres://…``; also run from the last test here when a
server is up) no ``Seq Scan on articles_article`` with sequential scans disabled, which
the planner only obeys when an index can serve the query. The desk's admin listing is
checked the same way (every URL of bench/desk.py: filters, deep pages, title search).
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinmun.articles.models import Article

REPO = Path(__file__).resolve().parents[2]
ARCHIVE_SIZE = 2000


def _archive():
    spec = importlib.util.spec_from_file_location("sinmun_bench_archive", REPO / "bench/archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        summary = _archive().generate(articles=ARCHIVE_SIZE, years=15, batch=1000, view_days=10)
        yield summary
        _remove_archive()


def _remove_archive():
    """The archive is written outside any test's transaction: take all of it out again
    (articles, their sections, reporters, the desk's users, revisions and workflow states),
    so the tests that run after these find the empty database they expect."""
    from django.contrib.auth.models import User
    from taggit.models import Tag
    from wagtail.models import ModelLogEntry, Revision, TaskState, WorkflowState

    from sinmun.articles.models import Reporter, Section

    TaskState.objects.all().delete()
    WorkflowState.objects.all().delete()
    Revision.objects.all().delete()
    ModelLogEntry.objects.all().delete()
    Article.objects.all().delete()
    Reporter.objects.all().delete()
    Section.objects.all().delete()
    Tag.objects.all().delete()
    User.objects.all().delete()


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return "\n".join(row[-1] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def full_scans(plan_text: str, sql: str) -> list[str]:
    # Sorting a listing means reading every matching row first: the indexes are ordered
    # by time so listings never sort. (The ranking sorts its aggregated totals: fine.)
    # (Nor does sorting a handful of rows fetched by primary key, as in_bulk does.)
    listing = "GROUP BY" not in sql and "USING INTEGER PRIMARY KEY" not in plan_text
    listing = listing and "Index Scan using articles_article_pkey" not in plan_text
    bad = []
    for line in plan_text.splitlines():
        if connection.vendor == "sqlite":
            words = line.split()
            if "SCAN" in words and "articles_article" in words and "USING" not in words:
                bad.append(line)
            if listing and "TEMP B-TREE FOR ORDER BY" in line:
                bad.append(line)
        elif "Seq Scan on articles_article" in line:
            bad.append(line)
    return bad


def hot_paths(article: Article) -> dict[str, str]:
    return {
        "article by number + prev/next": article.get_absolute_url(),
        "mobile article": article.get_mobile_url(),
        "section list, first page": article.section.get_absolute_url(),
        "section list, deep page": article.section.get_absolute_url() + "?page=10",
        "reporter page": article.reporter.get_absolute_url(),
        "home": "/",
        "ranking": "/ranking/",
        "ranking, month": "/ranking/?period=month",
    }


@pytest.mark.django_db
def test_hot_reader_queries_use_an_index(archive, client, settings):
    settings.SINMUN_PAGE_CACHE = False
    assert Article.objects.count() >= ARCHIVE_SIZE
    # An article from the middle of the archive: neighbours on both sides.
    article = Article.objects.exclude(reporter=None).order_by("first_published_at")[
        ARCHIVE_SIZE // 2
    ]
    checked = counts = 0
    for name, path in hot_paths(article).items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (name, path)
        for query in queries.captured_queries:
            sql = query["sql"]
            if "articles_article" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor():
                text = plan(sql)
            checked += 1
            assert not full_scans(text, sql), f"{name}: {sql}\n{text}"
            if connection.vendor == "sqlite" and "COUNT(*)" in sql:
                # A list's page count from the index alone, not a table row per article:
                # a covering index, or a partial one on published articles. (PostgreSQL
                # plans by its statistics: on this small archive a bitmap scan of the
                # section's few hundred rows is its cheapest, and rightly so.)
                assert "COVERING INDEX" in text or "_public" in text, f"{name}: {sql}\n{text}"
                counts += 1
    assert checked >= 10  # the pages did query the article table
    assert counts >= 3 or connection.vendor != "sqlite"  # section (twice), reporter


@pytest.mark.skipif(
    os.environ.get("SINMUN_PLANS_NESTED") == "1", reason="already running inside the PostgreSQL run"
)
def test_the_same_plans_on_postgresql():
    from tests.support.servers import postgres_available

    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("this run is already on PostgreSQL (the test above covered it)")
    if not postgres_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    import fcntl

    lock = open("/tmp/sinmun-production-tests.lock", "w")  # noqa: S108, SIM115 - see tests/production
    fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            __file__,
            "-q",
            "-p",
            "no:cacheprovider",
            "-k",
            "use_an_index",
        ],
        env={
            **os.environ,
            "SINMUN_PLANS_NESTED": "1",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/sinmun_prod_plans",
        },
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=900,
        check=False,
    )
    lock.close()
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout  # the reader pages and the desk listing


def _desk_bench():
    spec = importlib.util.spec_from_file_location("sinmun_bench_desk", REPO / "bench/desk.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The desk's "mine" filter is an OR of two indexed columns (owner, byline): each side is
# an index lookup, and the union (one person's articles) is then sorted.
DESK_SORT_ALLOWED = {"mine (desk)"}


@pytest.mark.django_db
def test_desk_listing_queries_use_an_index(archive, client, settings):
    """Every listing URL of bench/desk.py (filters, deep pages, title search) on the archive,
    with a day of drafts, articles in review, scheduled and embargoed ones."""
    from django.contrib.auth.models import User

    desk = _desk_bench()
    desk.prepare_desk_day(
        log=lambda m: None, day={"draft": 30, "in_review": 10, "scheduled": 5, "embargoed": 3}
    )
    client.force_login(User.objects.get(username=desk.DESK_USER))
    checked = 0
    for name, path in desk.listing_urls().items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (name, path)
        for query in queries.captured_queries:
            sql = query["sql"]
            if "articles_article" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            text = plan(sql)
            checked += 1
            bad = full_scans(text, sql)
            if name in DESK_SORT_ALLOWED:
                bad = [line for line in bad if "TEMP B-TREE FOR ORDER BY" not in line]
            assert not bad, f"{name}: {sql}\n{text}"
    assert checked >= 40
