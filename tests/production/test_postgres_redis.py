"""Production mode from environment variables, against the real PostgreSQL and Redis.

``sinmun serve`` (gunicorn, two workers) in a subprocess with DATABASE_URL and REDIS_URL
pointing at a fresh database (sinmun_prod) and Redis database 8; the start-up path
migrates, collects static files and loads the demo paper; the reader paths answer from
PostgreSQL, the page cache lives in Redis, connections persist, e-mail goes out by SMTP.
"""

import re
import secrets
import subprocess
import sys

import pytest
import redis
import requests

from tests.support.servers import REPO, LiveSinmun, free_port, http_get

from .conftest import POSTGRES_DB, article_ids

PRODUCTION_ENV = {
    "SINMUN_HTTPS": "true",
    "SINMUN_SECRET_KEY": secrets.token_urlsafe(50),
    "SINMUN_ALLOWED_HOSTS": "news.example.kr",
    "SINMUN_BASE_URL": "https://news.example.kr",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.kr:587",
    "SINMUN_DEBUG": "false",
}


def run_check(env: dict, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sinmun.ops.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "sinmun.settings.base",
            "SINMUN_DATA_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(postgres_redis, tmp_path):
    result = run_check({**PRODUCTION_ENV, **postgres_redis}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_catches_a_site_without_https(tmp_path):
    """The check above is not vacuous: without SINMUN_HTTPS it warns."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SINMUN_HTTPS"}
    result = run_check(env, tmp_path)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output


@pytest.fixture(scope="module")
def smtp():
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture(scope="module")
def server(postgres_redis, tmp_path_factory, smtp):
    controller, _ = smtp
    app = LiveSinmun(
        data_dir=tmp_path_factory.mktemp("data"),
        workers=2,
        env={**postgres_redis, "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}"},
    )
    app.start()
    yield app, postgres_redis
    app.stop()


def pg_connections(database_url: str) -> list[tuple]:
    import psycopg

    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin) as conn:
        return conn.execute(
            "SELECT pid, backend_start FROM pg_stat_activity WHERE datname = %s ORDER BY pid",
            [POSTGRES_DB],
        ).fetchall()


def test_serve_on_postgresql_and_redis_answers_the_reader_paths(server):
    app, env = server
    vendor = app.run("shell", "-c", "from django.db import connection; print(connection.vendor)")
    assert vendor.stdout.strip().endswith("postgresql"), vendor.stderr

    status, _, home = http_get(app.url + "/")
    assert status == 200
    ids = article_ids(home)
    assert ids, "the start-up path should have loaded the demo paper into PostgreSQL"
    pk = ids[0]
    _, _, article = http_get(f"{app.url}/article/{pk}/")
    section = re.search(r'href="(/section/[^/"]+/)"', article).group(1)
    paths = [
        f"/article/{pk}/",
        f"/m/article/{pk}/",
        f"/article/{pk}/print/",
        section,
        "/m/",
        "/ranking/",
        "/rss/",
        "/sitemap.xml",
        "/search?q=" + requests.utils.quote("신문"),
    ]
    for path in paths:
        status, headers, body = http_get(app.url + path)
        assert status == 200, (path, body[:300])
        assert "Set-Cookie" not in headers, path
    # Static files were collected by the start-up path and are served (WhiteNoise).
    css = re.search(r'href="(/static/[^"]+\.css)"', article).group(1)
    assert http_get(app.url + css)[0] == 200


def test_the_page_cache_is_shared_in_redis(server):
    app, env = server
    _, _, home = http_get(app.url + "/")
    url = f"{app.url}/article/{article_ids(home)[0]}/?from={secrets.token_hex(4)}"
    assert http_get(url)[1]["X-Page-Cache"] == "MISS"
    # Two workers, one cache: every later request is a hit whichever worker answers.
    assert {http_get(url)[1]["X-Page-Cache"] for _ in range(6)} == {"HIT"}
    keys = redis.Redis.from_url(env["REDIS_URL"]).keys("sinmun-pages:*")
    assert keys


def test_database_connections_persist_across_requests(server):
    app, env = server
    _, _, home = http_get(app.url + "/")
    ids = article_ids(home)
    for pk in ids[:5]:  # bypass the page cache: different pages
        http_get(f"{app.url}/m/article/{pk}/?n=1")
    before = pg_connections(env["DATABASE_URL"])
    for _ in range(3):
        for pk in ids[:5]:
            http_get(f"{app.url}/article/{pk}/?n={secrets.token_hex(4)}")
    after = pg_connections(env["DATABASE_URL"])
    # Every connection open before is still open (same backend, same start): none was
    # closed and reopened per request. gthread workers (the default) hold one per
    # thread that has served a request, so more may have joined: at most 2 workers × 4.
    assert before and set(before) <= set(after), (before, after)
    assert len(after) <= 2 * 4


def test_email_goes_out_through_smtp_from_email_url(server, smtp):
    app, _ = server
    _, inbox = smtp
    result = app.run("sendtestemail", "reader@example.com")
    assert result.returncode == 0, result.stderr
    assert any("reader@example.com" in m.rcpt_tos for m in inbox.messages)
