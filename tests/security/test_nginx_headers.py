"""Security headers through deploy/nginx's configuration: pages nginx serves from its
microcache keep the app's headers, the files nginx serves itself (/static/, /media/) get
their own, and a request body over the upload limit is refused by nginx (413)."""

from __future__ import annotations

import re

import pytest
import requests
from django.conf import settings

from tests.support.servers import LiveNginx, LiveSinmun, free_port, nginx_binary

APP_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if nginx_binary() is None:
        pytest.skip("nginx is not installed (run scripts/install-system-deps.sh)")
    data = tmp_path_factory.mktemp("security-data")
    (data / "media").mkdir(parents=True, exist_ok=True)
    # An uploaded SVG with a script, as a hostile upload would leave it on disk.
    (data / "media" / "hostile.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    app_port = free_port()
    nginx = LiveNginx(
        workdir=tmp_path_factory.mktemp("security-nginx"),
        upstreams=[f"127.0.0.1:{app_port}"],
        static_root=data / "static",
        media_root=data / "media",
    )
    app = LiveSinmun(
        data_dir=data,
        port=app_port,
        workers=1,
        env={"SINMUN_BASE_URL": nginx.url, "SINMUN_BEHIND_PROXY": "true"},
    )
    app.start()
    try:
        nginx.start()
        yield app, nginx
    finally:
        nginx.stop()
        app.stop()


def test_cached_reader_page_keeps_the_app_headers(stack):
    app, nginx = stack
    home = requests.get(nginx.url + "/", timeout=10)
    number = re.search(r'href="/article/(\d+)/"', home.text).group(1)
    url = f"{nginx.url}/article/{number}/"
    first = requests.get(url, timeout=10)
    second = requests.get(url, timeout=10)
    assert second.headers.get("X-Cache-Status") == "HIT"
    for name in APP_HEADERS:
        assert second.headers.get(name) == first.headers.get(name), name
        assert second.headers.get(name), name
    assert "script-src 'self';" in second.headers["Content-Security-Policy"]
    # One header each: nginx adds none of its own on proxied answers.
    assert second.raw.headers.getlist("Content-Security-Policy") == [
        second.headers["Content-Security-Policy"]
    ]


def test_files_nginx_serves_itself_have_headers(stack):
    _, nginx = stack
    for path in ["/static/sinmun/site.css", "/media/hostile.svg", "/media/missing.jpg"]:
        response = requests.get(nginx.url + path, timeout=10)
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
        csp = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'none'" in csp and "sandbox" in csp, path
        assert response.headers.get("X-Frame-Options") == "DENY", path


def test_body_limit_matches_the_upload_limit(stack):
    _, nginx = stack
    conf = (nginx.workdir / "nginx.conf").read_text()
    for path in nginx.workdir.rglob("*.conf"):
        conf += path.read_text()
    limit = re.search(r"client_max_body_size (\d+)m;", conf)
    assert limit, "client_max_body_size is set"
    limit_bytes = int(limit.group(1)) * 1024 * 1024
    upload = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    # Room for the largest photo and the rest of the form, and not much more.
    assert upload < limit_bytes <= upload + 10 * 1024 * 1024
    too_big = b"x" * (limit_bytes + 1024)
    response = requests.post(
        nginx.url + "/admin/images/add/",
        data=too_big,
        headers={"Content-Type": "application/octet-stream"},
        timeout=30,
    )
    assert response.status_code == 413
