"""PostgreSQL stopped abruptly (``pg_ctl stop -m immediate``, like a crash) and started
again, under a running site: meanwhile every page is a clean 503 in Korean with
Retry-After (never a 500 or a traceback); afterwards the site recovers by itself, without
restarting the app (persistent connections are health-checked), and nothing is lost.

A private cluster in a temp folder is stopped; the machine's PostgreSQL is never touched.
"""

from __future__ import annotations

import shutil
import time

import pytest

from tests.support.servers import http_get

from .conftest import (
    Gunicorn,
    PrivatePostgres,
    base_env,
    prepare_site,
    snapshot,
    untouched_identical,
)


@pytest.fixture
def postgres():
    if not PrivatePostgres.available() or not shutil.which("runuser"):
        pytest.skip("PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin) not installed")
    server = PrivatePostgres().init()
    server.start()
    yield server
    server.remove()


def test_postgres_crash_gives_503_then_recovers_by_itself(postgres, sqlite_template, tmp_path):
    url = postgres.create_database("sinmun_faults")
    env = base_env(
        tmp_path / "site",
        DATABASE_URL=url,
        SINMUN_STATIC_ROOT=str(sqlite_template / "static"),
        # The page cache would (rightly) keep serving stored pages; look at the app itself.
        SINMUN_PAGE_CACHE="false",
    )
    prepare_site(env)
    before = snapshot(env)
    article = min(before["articles"])
    pages = ["/", f"/article/{article}/", "/section/", "/rss/", "/admin/login/"]
    server = Gunicorn(env, workers=2).start()
    try:
        for path in pages[:2]:
            assert http_get(server.url + path)[0] == 200

        postgres.stop("immediate")
        for path in [*pages, f"/article/{article}/"]:
            status, headers, body = http_get(server.url + path, timeout=30)
            if path == "/section/" and status == 404:
                continue  # not a page without a section code; the others are
            assert status == 503, (path, status, body[:500])
            assert headers["Retry-After"] == "30"
            assert "잠시 점검 중입니다" in body
            assert "Traceback" not in body and "OperationalError" not in body
            assert "no-store" in headers.get("Cache-Control", "") or "max-age=0" in headers.get(
                "Cache-Control", ""
            )

        postgres.start()
        deadline = time.monotonic() + 30
        statuses = []
        while time.monotonic() < deadline:
            statuses = [http_get(server.url + p, timeout=30)[0] for p in pages[:2]]
            if statuses == [200, 200]:
                break
            time.sleep(0.5)
        assert statuses == [200, 200], statuses
        # every worker recovered, not only the one that answered first
        for _ in range(6):
            assert http_get(server.url + f"/article/{article}/")[0] == 200
    finally:
        server.stop()
    after = snapshot(env)
    untouched_identical(before, after, set())
    assert after == before
