"""Exactness under concurrency, against a real server: ``sinmun serve`` (gunicorn, several
worker processes) on a file SQLite database, on PostgreSQL, and with Redis counting.

N distinct visitors in parallel count exactly N; repeats and bots count nothing. The
visitors come through "nginx" (SINMUN_BEHIND_PROXY, X-Real-IP), so each has its own
address, as real readers would.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .conftest import REDIS_TEST_URL, free_port, redis_or_skip

N = 40
UA = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36"
BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
SINMUN = str(Path(sys.executable).with_name("sinmun"))


def server_env(data: Path, *, database_url: str | None, redis: bool) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="sinmun.settings.base",
        SINMUN_DATA_DIR=str(data),
        SINMUN_SECRET_KEY="parallel-test-key",
        SINMUN_BEHIND_PROXY="true",
        SINMUN_TRUSTED_PROXIES="127.0.0.1",
        SINMUN_LOG_LEVEL="ERROR",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis:
        env["REDIS_URL"] = REDIS_TEST_URL
    return env


def prepare_database(env: dict) -> None:
    """Migrate and load the demo paper once; tests start from a copy."""
    for command in (["migrate", "--no-input"], ["demo"]):
        subprocess.run([SINMUN, *command], env=env, check=True, capture_output=True)


class Server:
    """gunicorn with four worker processes, as `sinmun serve` runs it (without the
    migrate/collectstatic step, done once per session)."""

    def __init__(self, tmp_path: Path, *, database_url: str | None, redis: bool, sqlite_from=None):
        self.port = free_port()
        self.data = tmp_path / "data"
        self.data.mkdir()
        if sqlite_from is not None:
            shutil.copy(sqlite_from, self.data / "sinmun.sqlite3")
        self.database_url = database_url
        self.env = server_env(self.data, database_url=database_url, redis=redis)
        self.log = open(tmp_path / "server.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "sinmun.wsgi:application",
                "--workers",
                "4",
                "--preload",
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((tmp_path / "server.log").read_text()[-3000:])
            try:
                if self.request("GET", "/reader/")[0] == 302:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("server did not start in time")

    def request(self, method, path, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def manage(self, *args):
        subprocess.run([SINMUN, *args], env=self.env, check=True, capture_output=True)

    def scalar(self, sql, params=()):
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                return conn.execute(sql.replace("?", "%s"), params).fetchone()[0]
        with sqlite3.connect(self.data / "sinmun.sqlite3") as conn:
            return conn.execute(sql, params).fetchone()[0]

    def counts(self, article_id):
        views = self.scalar(
            "SELECT views FROM readers_articlecounter WHERE article_id = ?", (article_id,)
        )
        likes = self.scalar(
            "SELECT likes FROM readers_articlecounter WHERE article_id = ?", (article_id,)
        )
        hours = self.scalar(
            "SELECT COALESCE(SUM(views), 0) FROM readers_articleviewhour WHERE article_id = ?",
            (article_id,),
        )
        return views, likes, hours

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    data = tmp_path_factory.mktemp("sqlite-template")
    prepare_database(server_env(data, database_url=None, redis=False))
    return data / "sinmun.sqlite3"


def visitor_headers(n, *, ua=UA):
    return {"User-Agent": f"{ua} v{n}", "X-Real-IP": f"198.51.{n // 200}.{n % 200 + 1}"}


def article_id_of(server):
    return server.scalar("SELECT MAX(id) FROM articles_article WHERE live = ?", (True,))


def send_views(server, article_id, headers_list):
    def one(headers):
        return server.request("POST", f"/reader/article/{article_id}/view/", headers)[0]

    with ThreadPoolExecutor(max_workers=20) as pool:
        return list(pool.map(one, headers_list))


def like(server, article_id, headers):
    status, response_headers, body = server.request(
        "GET", f"/reader/article/{article_id}/state/", headers
    )
    assert status == 200, body
    cookie = response_headers["Set-Cookie"].split(";")[0]
    token = json.loads(body)["csrfToken"]
    status, _, body = server.request(
        "POST",
        f"/reader/article/{article_id}/like/",
        {**headers, "Cookie": cookie, "X-CSRFToken": token, "Accept": "application/json"},
    )
    assert status == 200, body
    return json.loads(body)


def check_exact_counting(server, *, flush):
    article_id = article_id_of(server)
    views0, likes0, hours0 = server.counts(article_id)

    visitors = [visitor_headers(n) for n in range(N)]
    bots = [visitor_headers(n, ua=BOT_UA) for n in range(N, N + 10)]
    prefetches = [{**visitor_headers(n), "Sec-Purpose": "prefetch"} for n in range(N, N + 10)]
    statuses = send_views(server, article_id, visitors + visitors + bots + prefetches)
    assert set(statuses) == {204}
    flush()
    views, _, hours = server.counts(article_id)
    assert (views - views0, hours - hours0) == (N, N)

    # A second wave of the same visitors within 30 minutes counts nothing.
    send_views(server, article_id, visitors)
    flush()
    views, _, hours = server.counts(article_id)
    assert (views - views0, hours - hours0) == (N, N)

    # Likes: N visitors in parallel, each pressing twice at the same moment: one counts.
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda h: like(server, article_id, h), visitors + visitors))
    added = [r["added"] for r in results]
    assert [a + b for a, b in zip(added[:N], added[N:], strict=True)] == [1] * N
    assert {r["likes"] for r in results} <= set(range(likes0 + 1, likes0 + N + 1))
    assert server.counts(article_id)[1] - likes0 == N
    assert (
        server.scalar(
            "SELECT COUNT(*) FROM readers_articlelike WHERE article_id = ?", (article_id,)
        )
        == N
    )


def test_sqlite_database_path_counts_exactly(tmp_path, sqlite_template):
    server = Server(tmp_path, database_url=None, redis=False, sqlite_from=sqlite_template)
    try:
        check_exact_counting(server, flush=lambda: None)
    finally:
        server.stop()


def _flush_redis_keys(client):
    keys = list(client.scan_iter(match="sinmun:readers:views:*")) + list(
        client.scan_iter(match="sinmun:1:readers:*")
    )
    if keys:
        client.delete(*keys)


def test_redis_path_counts_exactly_through_the_flusher(tmp_path, sqlite_template):
    client = redis_or_skip()
    _flush_redis_keys(client)
    server = Server(tmp_path, database_url=None, redis=True, sqlite_from=sqlite_template)
    try:
        article_id = article_id_of(server)
        before = server.counts(article_id)
        send_views(server, article_id, [visitor_headers(n) for n in range(5)])
        # Counts wait in Redis until the flusher runs.
        assert server.counts(article_id) == before
        check_exact_counting(server, flush=lambda: server.manage("flush_view_counts"))
    finally:
        server.stop()
        _flush_redis_keys(client)


@pytest.fixture(scope="session")
def postgres_template(tmp_path_factory):
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL is not running at 127.0.0.1:5432")
    name = f"sinmun_readers_tpl_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://postgres@127.0.0.1:5432/{name}"
    prepare_database(server_env(tmp_path_factory.mktemp("pg"), database_url=url, redis=False))
    yield admin, name
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def postgres_database(postgres_template):
    admin, template = postgres_template
    name = f"sinmun_readers_live_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgres_with_redis_counts_exactly(tmp_path, postgres_database):
    client = redis_or_skip()
    _flush_redis_keys(client)
    server = Server(tmp_path, database_url=postgres_database, redis=True)
    try:
        check_exact_counting(server, flush=lambda: server.manage("flush_view_counts"))
    finally:
        server.stop()
        _flush_redis_keys(client)


def test_postgres_database_path_counts_exactly(tmp_path, postgres_database):
    server = Server(tmp_path, database_url=postgres_database, redis=False)
    try:
        check_exact_counting(server, flush=lambda: None)
    finally:
        server.stop()
