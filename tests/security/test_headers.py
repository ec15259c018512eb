"""Security headers on every kind of response the app gives, reader pages that need no
inline script or style, and ``check --deploy`` clean with production settings.

nginx's part (cached pages, /static/, /media/, the body-size limit) is in
test_nginx_headers.py; the admin's policy in a real browser in test_csp_browser.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sinmun.articles.models import Reporter
from sinmun.newsroom.roles import DESK
from tests.support.factories import make_article, make_section

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(db):
    section = make_section(name="사회", code="society")
    reporter = Reporter.objects.create(name="한별기자", email="hb@example.com")
    article = make_article(
        title="새여울 다리 공사 시작", section=section, reporter=reporter, tags=["다리"]
    )
    return {"section": section, "reporter": reporter, "article": article}


def reader_urls(site) -> list[str]:
    a, s, r = site["article"], site["section"], site["reporter"]
    return [
        "/",
        "/m/",
        f"/article/{a.pk}/",
        f"/m/article/{a.pk}/",
        f"/article/{a.pk}/print/",
        f"/section/{s.code}/",
        f"/m/section/{s.code}/",
        f"/reporter/{r.pk}/",
        reverse("articles:tag", args=[a.tags.first().slug]),
        "/ranking/",
        "/ranking/?period=week",
        "/m/ranking/",
        "/search?q=다리",
        "/m/search?q=다리",
        "/corrections/",
        "/policy/youth/",
        f"/reader/article/{a.pk}/email/",
        f"/reader/article/{a.pk}/like/",
        "/no-such-page/",
    ]


def other_urls(site) -> list[str]:
    a = site["article"]
    return [
        "/rss/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/robots.txt",
        f"/reader/article/{a.pk}/state/",
        "/static/sinmun/site.css",
        "/static/sinmun/reader.js",
        f"/news/articleView.html?idxno={a.pk}",  # a permanent redirect
        "/reader/",  # a redirect
        "/admin/login/",
        "/admin/",  # anonymous: a redirect to the login page
    ]


def assert_common_headers(response, url):
    h = response.headers
    assert h.get("X-Content-Type-Options") == "nosniff", url
    assert h.get("Referrer-Policy") == "strict-origin-when-cross-origin", url
    assert h.get("X-Frame-Options") in ("DENY", "SAMEORIGIN"), url
    assert "camera=()" in h.get("Permissions-Policy", ""), url
    csp = h.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "object-src 'none'" in csp, url
    assert "frame-ancestors" in csp, url


def directives(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def assert_reader_policy(response, url):
    csp = directives(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"], url
    assert csp["script-src"] == ["'self'"], url  # no 'unsafe-inline', no 'unsafe-eval'
    assert "'unsafe-inline'" not in csp["style-src"], url
    assert csp["frame-ancestors"] == ["'none'"], url
    assert response.headers["X-Frame-Options"] == "DENY", url


class InlineFinder(HTMLParser):
    """Everything a strict CSP would block: inline scripts (JSON data blocks are fine),
    event-handler and style attributes, <style> elements, javascript: links."""

    DATA_TYPES = {"application/ld+json", "application/json"}

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and not a.get("src") and a.get("type") not in self.DATA_TYPES:
            self.problems.append(f"inline <script {a}>")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f'<{tag} style="{value}">')
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value}>")


def test_reader_pages_strict_policy_and_no_inline_code(client, site):
    for url in reader_urls(site):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        assert_common_headers(response, url)
        assert_reader_policy(response, url)
        finder = InlineFinder()
        finder.feed(response.content.decode())
        assert finder.problems == [], (url, finder.problems[:5])


def test_every_other_kind_of_answer_has_the_headers(client, site):
    for url in other_urls(site):
        response = client.get(url)
        assert response.status_code in (200, 301, 302), (url, response.status_code)
        assert_common_headers(response, url)
    # POST answers, errors, the beacon.
    a = site["article"]
    for response, what in [
        (client.post(f"/reader/article/{a.pk}/view/", HTTP_USER_AGENT="Mozilla/5.0"), "beacon"),
        (client.post(f"/article/{a.pk}/"), "405"),
        (
            Client(enforce_csrf_checks=True).post(
                f"/reader/article/{a.pk}/like/", HTTP_ACCEPT="application/json"
            ),
            "csrf",
        ),
        (client.get("/reader/article/999999/state/"), "404 json"),
    ]:
        assert response.status_code in (204, 403, 404, 405), what
        assert_common_headers(response, what)


def test_page_cache_hits_carry_the_same_headers(client, site, settings):
    settings.SINMUN_PAGE_CACHE = True
    url = f"/article/{site['article'].pk}/"
    first = client.get(url)
    second = client.get(url)
    assert second.headers.get("X-Page-Cache") == "HIT"
    for name in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
        "Permissions-Policy",
    ):
        assert second.headers.get(name) == first.headers.get(name), name
    assert_reader_policy(second, url)


def test_admin_gets_its_own_policy(client, site):
    user = User.objects.create_user("desk-csp", "d@example.com", "x-pass-123456")
    user.groups.add(Group.objects.get(name=DESK))
    client.force_login(user)
    edit = reverse("wagtailsnippets_articles_article:edit", args=[site["article"].pk])
    for url in ["/admin/", edit]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_common_headers(response, url)
        csp = directives(response.headers["Content-Security-Policy"])
        assert csp["script-src"] == ["'self'", "'unsafe-inline'"]  # no eval, no other host
        assert csp["frame-ancestors"] == ["'self'"]


def test_lockout_and_upload_error_answers_have_headers(client, site, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = Client(REMOTE_ADDR="192.0.2.9").post(
            "/admin/login/", {"username": "x", "password": f"p{n}"}
        )
    assert response.status_code == 429
    assert_common_headers(response, "lockout")
    user = User.objects.create_superuser("boss-h", "b@example.com", "x-pass-123456")
    client.force_login(user)
    bad = client.post(
        reverse("wagtailimages:add"),
        {"title": "x", "file": SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg")},
    )
    assert bad.status_code == 200  # the form with an error
    assert_common_headers(bad, "upload error")


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "sinmun.settings.base",
    "SINMUN_DEBUG": "false",
    "SINMUN_SECRET_KEY": "prod-like-" + "k3y" * 20,
    "SINMUN_ALLOWED_HOSTS": "news.example.kr",
    "SINMUN_CSRF_TRUSTED_ORIGINS": "https://news.example.kr",
    "SINMUN_BASE_URL": "https://news.example.kr",
    "SINMUN_HTTPS": "true",
    "SINMUN_BEHIND_PROXY": "true",
}

PRODUCTION_PROBE = """
from django.conf import settings
from django.test import Client
c = Client(HTTP_HOST="news.example.kr")
r = c.get("/robots.txt", secure=True)
print("HSTS", r.headers.get("Strict-Transport-Security"))
print("CSP", r.headers.get("Content-Security-Policy"))
plain = c.get("/robots.txt")
print("PLAIN", plain.status_code, plain.headers.get("Location"))
print("COOKIES", settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY)
"""


def _production(tmp_path, *args):
    env = {**os.environ, **PRODUCTION_ENV, "SINMUN_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    # Set by the browser tests for their in-process live server; a deployment never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    sinmun = (
        [sys.executable, "-m", "sinmun.ops.cli"]
        if not (REPO / ".venv/bin/sinmun").exists()
        else [str(REPO / ".venv/bin/sinmun")]
    )
    return subprocess.run(
        [*sinmun, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=180
    )


def test_check_deploy_clean_and_https_headers_in_production(tmp_path):
    check = _production(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout
    # robots.txt needs no database: no migrate, the probe stays quick.
    probe = _production(tmp_path, "shell", "-c", PRODUCTION_PROBE)
    assert probe.returncode == 0, probe.stderr[-2000:]
    out = dict(line.split(" ", 1) for line in probe.stdout.splitlines() if " " in line)
    assert out["HSTS"].startswith("max-age=31536000"), out
    assert "upgrade-insecure-requests" in out["CSP"]
    assert out["PLAIN"] == "301 https://news.example.kr/robots.txt"
    assert out["COOKIES"] == "True True True"
