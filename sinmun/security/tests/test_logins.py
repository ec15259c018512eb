"""Staff logins: lock-out per account and per address through Wagtail's real login view,
the client address as visitor.py trusts it, generic errors, password rules, and other
sessions ended by a password change."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sinmun.newsroom.roles import DESK, REPORTER
from tests.support.factories import make_article, make_section

from .formdata import form_values

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "Saeyeoul-desk-2026!"


@pytest.fixture
def desk_user(db):
    user = User.objects.create_user("desk-lee", "desk@example.com", PASSWORD)
    user.groups.add(Group.objects.get(name=DESK))
    return user


def attempt(username, password, *, ip="203.0.113.10", client=None, **headers):
    client = client or Client(REMOTE_ADDR=ip)
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, **headers
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_wrong_password_and_unknown_name_get_the_same_generic_error(desk_user):
    def error_text(response):
        assert response.status_code == 200
        errors = response.context["form"].non_field_errors()
        assert len(errors) == 1
        # What the page shows: the message itself is in the HTML.
        assert str(errors[0]) in response.content.decode()
        return str(errors[0])

    known = error_text(attempt("desk-lee", "wrong-password-1"))
    unknown = error_text(attempt("no-such-person", "wrong-password-1"))
    assert known == unknown
    assert "desk-lee" not in known


def test_account_locked_after_limit_from_any_address(desk_user):
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(limit):
        response = attempt("desk-lee", f"guess-{n}", ip=f"198.51.100.{n + 1}")
        # The form again with an error, until the failure that reaches the limit.
        assert response.status_code == (200 if n < limit - 1 else 429), n
    # Even the right password from a fresh address is refused while the lock lasts.
    locked = attempt("desk-lee", PASSWORD, ip="192.0.2.200")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "로그인 시도가 너무 많습니다" in body
    assert "desk-lee" not in body  # the page names no account
    assert "_auth_user_id" not in locked.client.session


def test_unknown_account_is_locked_the_same_way(db):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt("ghost", f"guess-{n}", ip=f"198.51.100.{n + 1}")
    response = attempt("ghost", "whatever-123", ip="192.0.2.201")
    assert response.status_code == 429  # no hint whether "ghost" exists


def test_address_locked_after_limit_across_names(desk_user):
    ip = "203.0.113.77"
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(f"spray-{n}", "Password123!", ip=ip)
    assert attempt("desk-lee", PASSWORD, ip=ip).status_code == 429
    # The account itself is not locked: its owner elsewhere still gets in.
    assert logged_in(attempt("desk-lee", PASSWORD, ip="203.0.113.78"))


def test_success_resets_the_account_count(desk_user):
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(limit - 1):
        attempt("desk-lee", f"typo-{n}", ip="203.0.113.5")
    assert logged_in(attempt("desk-lee", PASSWORD, ip="203.0.113.5"))
    for n in range(limit - 1):
        attempt("desk-lee", f"typo-again-{n}", ip="203.0.113.5")
    assert logged_in(attempt("desk-lee", PASSWORD, ip="203.0.113.5"))


def test_behind_proxy_counts_the_address_nginx_saw(desk_user, settings):
    settings.SINMUN_BEHIND_PROXY = True
    settings.SINMUN_TRUSTED_PROXIES = ["127.0.0.1"]
    # Every request comes from nginx (127.0.0.1) with the real client in X-Real-IP and a
    # forged, ever-changing left part of X-Forwarded-For: the forgery changes nothing.
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(
            f"name-{n}",
            "nope-12345",
            ip="127.0.0.1",
            HTTP_X_REAL_IP="198.51.100.9",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.9",
        )
    blocked = attempt("desk-lee", PASSWORD, ip="127.0.0.1", HTTP_X_REAL_IP="198.51.100.9")
    assert blocked.status_code == 429
    # Another reader behind the same nginx is not locked out.
    assert logged_in(attempt("desk-lee", PASSWORD, ip="127.0.0.1", HTTP_X_REAL_IP="198.51.100.10"))


def test_untrusted_peer_cannot_escape_the_count_with_headers(desk_user, settings):
    settings.SINMUN_BEHIND_PROXY = True
    settings.SINMUN_TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(f"n{n}", "nope-12345", ip="192.0.2.50", HTTP_X_REAL_IP=f"10.9.9.{n}")
    response = attempt("desk-lee", PASSWORD, ip="192.0.2.50", HTTP_X_REAL_IP="10.9.9.250")
    assert response.status_code == 429


def test_password_rules():
    validators = {v["NAME"].rsplit(".", 1)[-1]: v for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] >= 10
    user = User(username="kimreporter", email="kim@example.com")
    for weak in ["short1!", "1234567890123", "password1234", "kimreporter1", "qwertyuiop"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("봄비-내리는-새여울-2026", user)


def _account_post(client, old, new1, new2):
    page = client.get(reverse("wagtailadmin_account"))
    assert page.status_code == 200
    data = form_values(page.content.decode(), has_field="password-")
    data.update(
        {
            "name_email-first_name": "데스크",
            "name_email-last_name": "이",
            "password-old_password": old,
            "password-new_password1": new1,
            "password-new_password2": new2,
        }
    )
    return client.post(reverse("wagtailadmin_account"), data)


def test_weak_password_refused_in_the_admin(desk_user):
    client = Client(REMOTE_ADDR="203.0.113.20")
    assert logged_in(attempt("desk-lee", PASSWORD, client=client))
    response = _account_post(client, PASSWORD, "abc12345", "abc12345")
    assert response.status_code == 200  # the form again, with the rule that failed
    desk_user.refresh_from_db()
    assert desk_user.check_password(PASSWORD)


def test_password_change_ends_the_other_sessions(desk_user):
    here = Client(REMOTE_ADDR="203.0.113.21")
    elsewhere = Client(REMOTE_ADDR="203.0.113.22")
    assert logged_in(attempt("desk-lee", PASSWORD, client=here))
    assert logged_in(attempt("desk-lee", PASSWORD, client=elsewhere))
    assert elsewhere.get("/admin/").status_code == 200

    new = "Saeyeoul-new-pass-2027?"
    response = _account_post(here, PASSWORD, new, new)
    assert response.status_code == 302, response.content[:2000]
    desk_user.refresh_from_db()
    assert desk_user.check_password(new)

    assert here.get("/admin/").status_code == 200  # the session that changed it stays
    gone = elsewhere.get("/admin/")
    assert gone.status_code == 302 and gone["Location"].startswith(LOGIN)


def test_public_pages_never_show_login_names(client, db):
    from sinmun.articles.models import Reporter

    user = User.objects.create_user("secret-login-7", "s7@example.com", PASSWORD)
    user.groups.add(Group.objects.get(name=REPORTER))
    reporter = Reporter.objects.create(name="한별기자", email="hb@example.com", user=user)
    article = make_article(title="동네 소식", section=make_section(), reporter=reporter)
    Client().force_login(user)  # a session exists somewhere; pages still must not leak it
    urls = [
        f"/article/{article.pk}/",
        f"/m/article/{article.pk}/",
        f"/article/{article.pk}/print/",
        reverse("articles:reporter", args=[reporter.pk]),
        "/",
        "/rss/" if _resolves("/rss/") else reverse("syndication:feed"),
        "/sitemap.xml",
    ]
    assert reverse("articles:reporter", args=[reporter.pk]) == f"/reporter/{reporter.pk}/"
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"secret-login-7" not in response.content, url
        assert "한별기자".encode() in response.content or url.endswith(".xml") or url == "/"


def _resolves(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return False
    return True
