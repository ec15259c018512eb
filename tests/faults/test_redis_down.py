"""Redis killed under a running site (a private redis-server without persistence, the
worst case) and started again empty:

* reader pages keep being served (the page cache and the shared cache ignore a dead
  Redis; pages are rendered from the database);
* views counted while Redis is down go to the database (the fallback path); the views
  lost are at most those counted in Redis since the last flush (readers/README.md: about
  one minute of views in production, where the flush runs every minute);
* the e-mail form's rate limits fail closed: it refuses with a Korean "try later"
  message instead of sending without limits; after Redis returns it sends again.
"""

from __future__ import annotations

import re
import shutil
import time

import pytest
import requests

from .conftest import (
    Gunicorn,
    PrivateRedis,
    base_env,
    copy_site,
    python_in_site,
    sinmun,
    snapshot,
    untouched_identical,
)

UA = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36"


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.kill()


def views_in_database(env, article: int) -> int:
    code = (
        "from sinmun.readers.models import ArticleCounter\n"
        f"print(ArticleCounter.objects.get(article_id={article}).views)"
    )
    return int(python_in_site(env, code).strip().splitlines()[-1])


def beacons(base: str, article: int, tag: str, n: int) -> None:
    for i in range(n):
        response = requests.post(
            f"{base}/reader/article/{article}/view/",
            headers={"User-Agent": f"{UA} reader/{tag}-{i}"},
            timeout=30,
        )
        assert response.status_code == 204


def email_attempt(base: str, article: int) -> requests.Response:
    session = requests.Session()
    url = f"{base}/reader/article/{article}/email/"
    form = session.get(url, timeout=30)
    assert form.status_code == 200, form.text[:500]
    nonce = re.search(r'name="nonce" value="([^"]+)"', form.text).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return session.post(
        url,
        data={
            "csrfmiddlewaretoken": token,
            "nonce": nonce,
            "sender_name": "독자",
            "sender_email": "reader@example.com",
            "recipient": "friend@example.com",
            "message": "읽어 보세요",
        },
        headers={"Referer": url},
        timeout=30,
    )


def test_redis_killed_site_serves_counts_fall_back_and_mail_fails_closed(
    redis_server, sqlite_template, tmp_path
):
    data = copy_site(sqlite_template, tmp_path / "site")
    env = base_env(
        data,
        REDIS_URL=redis_server.url(0),
        SINMUN_STATIC_ROOT=str(sqlite_template / "static"),
        EMAIL_URL="console://",
    )
    before = snapshot(env)
    article = min(before["articles"])
    start_views = views_in_database(env, article)
    pages = ["/", f"/article/{article}/", f"/m/article/{article}/", "/ranking/", "/rss/"]
    server = Gunicorn(env, workers=2).start()
    try:
        for path in pages:
            assert requests.get(server.url + path, timeout=30).status_code == 200, path
        beacons(server.url, article, "flushed", 10)
        sinmun(env, "flush_view_counts")
        assert views_in_database(env, article) == start_views + 10
        beacons(server.url, article, "unflushed", 7)  # waiting in Redis for the next flush

        redis_server.kill()
        for path in pages:
            response = requests.get(server.url + path, timeout=30)
            assert response.status_code == 200, (path, response.status_code, response.text[:300])
        beacons(server.url, article, "outage", 5)  # counted in the database instead
        refused = email_attempt(server.url, article)
        assert refused.status_code == 503, refused.status_code
        assert "지금은 메일을 보낼 수 없습니다" in refused.text
        assert "메일을 보냈습니다" not in refused.text

        redis_server.start()  # back, empty (no persistence): the 7 unflushed views are gone
        time.sleep(0.5)
        for path in pages:
            assert requests.get(server.url + path, timeout=30).status_code == 200, path
        sent = email_attempt(server.url, article)
        assert sent.status_code == 200, sent.text[:1000]
        sinmun(env, "flush_view_counts")
        counted = views_in_database(env, article) - start_views
        lost = 10 + 7 + 5 - counted
        # lost: exactly what Redis held since the last flush; the outage's views counted
        assert lost == 7 and counted == 15, counted
    finally:
        server.stop()
    untouched_identical(before, snapshot(env), set())
