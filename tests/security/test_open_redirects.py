"""Open redirects: well over a hundred hostile targets on every `next=`-style parameter
and every sinmun view or middleware that redirects; no answer may send a browser to
another site.

A Location is judged as a browser would read it: tabs and newlines removed, backslashes
taken as slashes, leading spaces and control characters dropped.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from sinmun.newsroom.roles import DESK
from tests.support.factories import make_article, make_section

pytestmark = pytest.mark.django_db

OUR_HOSTS = {"", "testserver"}
HOSTS = ["evil.example", "evil.example:443", "testserver.evil.example"]
PREFIXES = [
    "//",
    "///",
    "////",
    "/\\",
    "\\\\",
    "\\/",
    "/\\/",
    "\\/\\/",
    "/%09/",
    "/%5C",
    "%2F%2F",
    "/%2F",
    "%5C%5C",
    "https://",
    "http://",
    "https:",
    "http:",
    "https:/",
    "https:\\\\",
    "HTTPS://",
    "//\t",
    "/\t/",
    " //",
    "\t//",
    "\n//",
    "\r\n//",
    "\x00//",
    "\x0b//",
    "\u3000//",
    "\uff0f\uff0f",
    "\u2215\u2215",
    "/\u2215",
    "//testserver@",
    "https://testserver@",
    "//testserver:80@",
    "//testserver%40",
    "https://testserver.",
    "h\ttps://",
    "ht\ntp://",
    "//%65vil.example@",
]
SPECIAL = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "javascript://%0aalert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "https://evil.example/admin/",
    "//evil.example/%2e%2e",
    "https://evil.example\\@testserver/",
    "https://testserver\\@evil.example/",
    "https://evil.example#@testserver/",
    "https://evil.example?@testserver/",
    "//evil.example%23@testserver",
    "/admin/../../evil.example",
    "http://[::1]/",
    "http://0x7f000001/",
    "http://2130706433/",
    "http://evil。example/",
    "https://ｅｖｉｌ.example/",
    "//google.com%2F@evil.example",
    "https:/%5Cevil.example",
    "/%2F%2Fevil.example",
    "/%5C%5Cevil.example",
    "%0d%0aLocation: https://evil.example",
    "/\r\nLocation: https://evil.example",
    "https://" + "a" * 2000 + ".example",
]
PAYLOADS = list(dict.fromkeys([p + h for p in PREFIXES for h in HOSTS] + SPECIAL))


def test_there_are_enough_payloads():
    assert len(PAYLOADS) >= 100


def browser_view(location: str) -> str:
    """What a browser makes of a Location header."""
    cleaned = re.sub(r"[\t\n\r]", "", location)
    cleaned = cleaned.lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f \u3000")
    return cleaned.replace("\\", "/")


def assert_stays(response, payload, where):
    if response.status_code not in (301, 302, 303, 307, 308):
        assert response.status_code < 500, (where, payload, response.status_code)
        return
    location = response.headers["Location"]
    seen = browser_view(location)
    parts = urlsplit(seen)
    assert parts.scheme.lower() in ("", "http", "https"), (where, payload, location)
    assert parts.netloc.lower() in OUR_HOSTS, (where, payload, location)
    assert not seen.startswith("//"), (where, payload, location)


@pytest.fixture
def desk(db):
    user = User.objects.create_user("desk-redir", "dr@example.com", "Redirect-pass-2026")
    user.groups.add(Group.objects.get(name=DESK))
    return user


@pytest.fixture
def article(db):
    return make_article(title="다리 공사", section=make_section(code="local"))


def test_admin_login_next(desk, settings):
    settings.AXES_ENABLED = False  # hundreds of logins from one address in a second
    for payload in PAYLOADS:
        client = Client()
        response = client.post(
            "/admin/login/",
            {"username": "desk-redir", "password": "Redirect-pass-2026", "next": payload},
        )
        assert response.status_code == 302, payload
        assert_stays(response, payload, "login POST")
        # Signed in already, the login page redirects straight to `next`.
        assert_stays(client.get("/admin/login/", {"next": payload}), payload, "login GET")


def test_admin_logout_next(desk):
    client = Client()
    for payload in PAYLOADS:
        client.force_login(desk)
        assert_stays(client.post("/admin/logout/", {"next": payload}), payload, "logout")
        assert_stays(client.post(f"/admin/logout/?next={payload}"), payload, "logout query")


def test_admin_views_with_next(desk, article, client):
    """Wagtail's snippet views that honour `next` after an action."""
    client.force_login(desk)
    lock = reverse("wagtailsnippets_articles_article:lock", args=[article.pk])
    unlock = reverse("wagtailsnippets_articles_article:unlock", args=[article.pk])
    for payload in PAYLOADS:
        assert_stays(client.post(lock, {"next": payload}), payload, "lock")
        assert_stays(client.post(unlock, {"next": payload}), payload, "unlock")


def test_sinmun_redirecting_views(article, client):
    for payload in PAYLOADS:
        for url, params in [
            ("/news/articleList.html", {"sc_word": payload}),
            ("/news/articleList.html", {"sc_section_code": payload}),
            ("/news/articleList.html", {"sc_word": payload, "sc_section_code": payload}),
            ("/news/articleView.html", {"idxno": payload}),
            ("/m/news/articleView.html", {"idxno": payload}),
            ("/", {"p": payload}),
            ("/m/", {"idxno": payload}),
            ("/reader/", {"next": payload}),
            ("/search", {"q": payload, "next": payload}),
        ]:
            assert_stays(client.get(url, params), payload, url)


def test_paths_that_look_like_other_sites(article, client):
    """CommonMiddleware's slash redirect and the legacy-address middleware look at the
    path itself: a path that starts like a network address must not become one."""
    from sinmun.transfer.models import LegacyURL

    LegacyURL.objects.create(path="/old/story", article=article)
    for payload in PAYLOADS:
        for path in (payload, payload + "/x", "/" + payload.lstrip("/"), "/old/story" + payload):
            # As a WSGI server passes it: the raw bytes, read as ISO-8859-1.
            raw = path.encode("utf-8").decode("iso-8859-1")
            response = client.get("/", PATH_INFO=raw)
            assert_stays(response, payload, f"path {path!r}")
