"""deploy/nginx's configuration in front of a live sinmun: static files, the microcache,
the purge on publish, and staff bypassing the cache.

A real nginx (Debian's package) on loopback ports, run as the current user, in front of
``sinmun serve`` (gunicorn, the default SQLite install here; tests/production/
test_postgres_redis.py and test_scale_out.py put it on PostgreSQL and Redis).
"""

import re
import time

import pytest
import requests

from tests.support.servers import LiveNginx, LiveSinmun, free_port, http_get

from .conftest import article_ids, create_staff, publish_title, staff_session, wait_for


@pytest.fixture(scope="module")
def stack(tmp_path_factory, need_nginx):
    data = tmp_path_factory.mktemp("sinmun-data")
    app_port = free_port()
    nginx = LiveNginx(
        workdir=tmp_path_factory.mktemp("nginx"),
        upstreams=[f"127.0.0.1:{app_port}"],
        static_root=data / "static",
        media_root=data / "media",
    )
    app = LiveSinmun(
        data_dir=data,
        port=app_port,
        workers=2,
        env={
            "SINMUN_BASE_URL": nginx.url,
            "SINMUN_NGINX_PURGE_URL": nginx.purge_url,
            "SINMUN_BEHIND_PROXY": "true",
        },
    )
    app.start()
    try:
        nginx.start()
        create_staff(app)
        yield app, nginx
    finally:
        nginx.stop()
        app.stop()


@pytest.fixture(scope="module")
def article(stack):
    app, _ = stack
    _, _, html = http_get(app.url + "/")
    ids = article_ids(html)
    assert len(ids) >= 3, "the demo paper should be on the home page"
    return ids


def test_static_files_come_from_nginx_compressed(stack):
    _, nginx = stack
    status, headers, body = http_get(
        nginx.url + "/static/sinmun/site.css", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Server"].startswith("nginx")
    assert headers["Content-Encoding"] in {"gzip", "br"}
    assert "public" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
    assert "X-Cache-Status" not in headers  # not proxied at all


def test_reader_pages_are_gzipped(stack, article):
    _, nginx = stack
    response = requests.get(
        f"{nginx.url}/article/{article[0]}/", headers={"Accept-Encoding": "gzip"}, timeout=10
    )
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"


def test_a_page_cached_for_a_gzip_browser_reaches_others_uncompressed(stack, article):
    """nginx's cache key has no Accept-Encoding: the app must hand nginx plain pages (it
    compresses on its own only when nothing is in front), and nginx compresses per reader."""
    _, nginx = stack
    url = f"{nginx.url}/article/{article[2]}/"
    first = requests.get(url, headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert first.headers["X-Cache-Status"] in {"MISS", "EXPIRED"}
    status, headers, body = http_get(url)  # urllib sends no Accept-Encoding
    assert status == 200 and headers["X-Cache-Status"] == "HIT"
    assert "Content-Encoding" not in headers
    assert body.lstrip().startswith("<!DOCTYPE html>") and body == first.text


def test_second_anonymous_request_is_a_hit(stack, article):
    _, nginx = stack
    url = f"{nginx.url}/article/{article[1]}/"
    first = http_get(url)
    second = http_get(url)
    assert first[0] == second[0] == 200
    assert first[1]["X-Cache-Status"] in {"MISS", "EXPIRED"}
    assert second[1]["X-Cache-Status"] == "HIT"
    assert first[2] == second[2]


def test_cookies_other_than_the_session_share_the_cached_page(stack, article):
    _, nginx = stack
    url = f"{nginx.url}/article/{article[1]}/"
    http_get(url)
    status, headers, _ = http_get(url, headers={"Cookie": "_ga=GA1.2.3; theme=dark"})
    assert status == 200 and headers["X-Cache-Status"] == "HIT"


def test_staff_with_a_session_bypass_the_cache_and_readers_never_get_their_page(stack, article):
    app, nginx = stack
    url = f"{nginx.url}/article/{article[2]}/"
    http_get(url)
    assert http_get(url)[1]["X-Cache-Status"] == "HIT"

    staff = staff_session(nginx.url)
    for _ in range(2):
        response = staff.get(url, timeout=10)
        assert response.headers["X-Cache-Status"] == "BYPASS"
        assert 'data-testid="edit-link"' in response.text
        assert "no-store" in response.headers["Cache-Control"]

    status, headers, body = http_get(url)
    assert headers["X-Cache-Status"] == "HIT"
    assert 'data-testid="edit-link"' not in body


def test_an_edit_published_through_the_app_is_visible_through_nginx_within_a_second(stack, article):
    app, nginx = stack
    pk = article[0]
    url = f"{nginx.url}/article/{pk}/"
    http_get(url)
    assert http_get(url)[1]["X-Cache-Status"] == "HIT"
    home = http_get(nginx.url + "/")
    assert http_get(nginx.url + "/")[1]["X-Cache-Status"] == "HIT"

    title = f"nginx 갱신 확인 {time.time_ns()}"
    committed, process = publish_title(app, pk, title)
    try:
        seen, _ = wait_for(lambda: title in http_get(url)[2] and time.time(), timeout=5)
    finally:
        process.wait(timeout=60)
    assert seen, "the edit never showed through nginx"
    assert seen - committed < 1.0, f"visible {seen - committed:.2f}s after the publish"
    # From the cache, refreshed, not by bypassing it:
    status, headers, body = http_get(url)
    assert headers["X-Cache-Status"] == "HIT" and title in body
    # Home lists the article: purged too.
    assert title in http_get(nginx.url + "/")[2]
    assert home[0] == 200


def test_unpublishing_in_the_admin_removes_the_page_from_nginx_within_a_second(stack, article):
    app, nginx = stack
    pk = article[-1]
    url = f"{nginx.url}/article/{pk}/"
    http_get(url)
    assert http_get(url)[1]["X-Cache-Status"] == "HIT"

    staff = staff_session(nginx.url)
    confirm = staff.get(f"{nginx.url}/admin/snippets/articles/article/unpublish/{pk}/", timeout=10)
    assert confirm.status_code == 200, confirm.text[:300]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', confirm.text).group(1)
    response = staff.post(
        f"{nginx.url}/admin/snippets/articles/article/unpublish/{pk}/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": confirm.url},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:300]
    done = time.monotonic()
    gone, _ = wait_for(lambda: http_get(url)[0] == 404, timeout=5)
    assert gone, "the unpublished article is still served by nginx"
    assert time.monotonic() - done < 1.0
