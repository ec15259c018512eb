"""기사 메일전송 against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import re
from email.utils import getaddresses, parseaddr

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.support.factories import make_article, make_reporter

pytestmark = pytest.mark.django_db

TITLE = "성수동 골목 공방, 주민과 함께 여는 첫 장터"


@pytest.fixture
def article():
    return make_article(
        title=TITLE,
        reporter=make_reporter("한지민"),
        paragraphs=["성수동 공방 열두 곳이 이번 주말 첫 골목 장터를 연다.", "둘째 문단."],
    )


def email_url(article):
    return reverse("readers:article_email", args=[article.pk])


def form_page(client, article):
    response = client.get(email_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    nonce = re.search(r'name="nonce" value="([^"]+)"', html).group(1)
    return token, nonce


def post(client, article, **fields):
    token, nonce = form_page(client, article)
    data = {
        "csrfmiddlewaretoken": token,
        "nonce": nonce,
        "sender_name": "김독자",
        "sender_email": "reader@example.org",
        "recipient": "friend@example.net",
        "message": "이 기사 꼭 읽어 봐요",
        "website": "",
    }
    data.update(fields)
    return client.post(email_url(article), data)


@pytest.fixture
def client():
    return Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.10")


def test_sends_real_mail_with_right_headers_and_body(client, article, smtp_server):
    response = post(client, article)
    assert response.status_code == 200
    assert "friend@example.net 주소로 기사를 보냈습니다." in response.content.decode()

    assert smtp_server.arrived.wait(5)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    mail_from, rcpt_tos = smtp_server.envelopes[0]
    assert mail_from == "news@sinmun.test"  # the site, never the reader
    assert rcpt_tos == ["friend@example.net"]
    assert parseaddr(str(message["From"]))[1] == "news@sinmun.test"
    assert [a for _, a in getaddresses([str(message["To"])])] == ["friend@example.net"]
    assert parseaddr(str(message["Reply-To"])) == ("김독자", "reader@example.org")
    # Django folds the encoded header onto a continuation line; unfolding leaves a space.
    assert str(message["Subject"]).strip() == f"[신문] {TITLE}"
    # The raw header is RFC 2047 encoded, not raw UTF-8.
    raw_subject = message.get_all("Subject")[0]
    assert "성수동" in str(raw_subject)
    body = message.get_content()
    assert f"https://news.sinmun.test/article/{article.pk}/" in body
    assert "성수동 공방 열두 곳이 이번 주말 첫 골목 장터를 연다." in body  # the lead
    assert "김독자 님이" in body
    assert "이 기사 꼭 읽어 봐요" in body


def test_subject_is_rfc2047_encoded_on_the_wire(client, article, smtp_server):
    post(client, article)
    assert smtp_server.arrived.wait(5)
    raw = smtp_server.raw[0]
    subject_line = re.search(rb"^Subject:(.*(?:\r?\n[ \t].*)*)", raw, re.M).group(1)
    assert subject_line.isascii()
    assert b"=?utf-8?" in subject_line.lower()


def test_the_page_is_linked_from_the_article_and_never_cached(client, article):
    page = client.get(article.get_absolute_url())
    assert email_url(article) in page.content.decode()
    response = client.get(email_url(article))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    cookie = response.cookies["csrftoken"]
    assert cookie["path"] == "/reader/"


def errors_of(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sender_name", "김독자\r\nBcc: victim@example.com"),
        ("sender_name", "김독자\nBcc: victim@example.com"),
        ("sender_name", "김독자\u2028Bcc: victim@example.com"),
        ("sender_name", "김독자\u0085Bcc: x"),
        ("sender_email", "reader@example.org\r\nBcc: victim@example.com"),
        ("recipient", "friend@example.net\nBcc: victim@example.com"),
        ("recipient", "friend@example.net\rCc: victim@example.com"),
        ("recipient", "friend@example.net\u2029"),
        ("message", "안녕\r\nBcc: victim@example.com"),
        ("message", "안녕\u2028하세요"),
    ],
)
def test_line_breaks_in_any_field_are_refused(client, article, smtp_server, field, value):
    response = post(client, article, **{field: value})
    assert response.status_code == 400
    html = errors_of(response)
    assert f'data-testid="error-{field}"' in html
    assert "aria-invalid" in html
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    "recipient",
    [
        "a@example.net, b@example.net",
        "a@example.net;b@example.net",
        "a@example.net b@example.net",
        "친구 <a@example.net>",
        "not-an-address",
        "a@@example.net",
        "a@example",
        "",
    ],
)
def test_exactly_one_valid_recipient(client, article, smtp_server, recipient):
    response = post(client, article, recipient=recipient)
    assert response.status_code == 400
    assert 'data-testid="error-recipient"' in errors_of(response)
    assert smtp_server.messages == []


def test_invalid_sender_address_is_refused_in_korean(client, article, smtp_server):
    response = post(client, article, sender_email="reader-at-example.org")
    assert response.status_code == 400
    assert "올바른 이메일 주소를 하나만 입력해 주세요" in errors_of(response)
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    "message",
    [
        "여기 보세요 https://spam.example/x",
        "http://spam.example",
        "www.spam.example 에서",
        "spam.example.com 방문",
        "bit.ly/abc 클릭",
        "ｗｗｗ．ｓｐａｍ．ｃｏｍ",  # full-width
        "스팸.한국 가기",
        "연락 spam@spam.example",
    ],
)
def test_links_in_the_message_are_refused(client, article, smtp_server, message):
    response = post(client, article, message=message)
    assert response.status_code == 400
    assert "메시지에는 링크(인터넷 주소)를 넣을 수 없습니다." in errors_of(response)
    assert smtp_server.messages == []


def test_ordinary_korean_message_with_numbers_is_accepted(client, article, smtp_server):
    response = post(client, article, message="3.5% 오른대요. 주말 10시 장터 같이 가요!")
    assert response.status_code == 200
    assert smtp_server.arrived.wait(5)


def test_link_in_name_is_refused(client, article, smtp_server):
    response = post(client, article, sender_name="www.spam.example")
    assert response.status_code == 400
    assert 'data-testid="error-sender_name"' in errors_of(response)


def test_message_length_limit(client, article, smtp_server):
    response = post(client, article, message="가" * 201)
    assert response.status_code == 400
    assert "메시지는 200자 이내로 적어 주세요." in errors_of(response)
    assert smtp_server.messages == []


def test_honeypot_filled_is_refused_on_the_form(client, article, smtp_server):
    response = post(client, article, website="http://spam.example")
    assert response.status_code == 400
    assert 'data-testid="form-error"' in errors_of(response)
    assert "자동 입력으로 보여 보내지 않았습니다." in errors_of(response)
    assert smtp_server.messages == []


def test_missing_csrf_token_gets_a_korean_message_not_django_403_page(article, smtp_server):
    client = Client(enforce_csrf_checks=True)
    _, nonce = form_page(client, article)
    response = client.post(
        email_url(article),
        {
            "nonce": nonce,
            "sender_name": "김독자",
            "sender_email": "reader@example.org",
            "recipient": "friend@example.net",
        },
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "보안 확인이 만료되었습니다." in html
    assert 'value="friend@example.net"' in html  # what the reader typed is kept
    assert smtp_server.messages == []


def test_a_cross_site_post_is_refused(article, smtp_server):
    attacker = Client(enforce_csrf_checks=True, HTTP_ORIGIN="https://evil.example")
    token, nonce = form_page(attacker, article)
    response = attacker.post(
        email_url(article),
        {
            "csrfmiddlewaretoken": token,
            "nonce": nonce,
            "sender_name": "김독자",
            "sender_email": "reader@example.org",
            "recipient": "friend@example.net",
        },
    )
    assert response.status_code == 403
    assert smtp_server.messages == []


def test_double_submit_sends_once(client, article, smtp_server):
    token, nonce = form_page(client, article)
    data = {
        "csrfmiddlewaretoken": token,
        "nonce": nonce,
        "sender_name": "김독자",
        "sender_email": "reader@example.org",
        "recipient": "friend@example.net",
    }
    first = client.post(email_url(article), data)
    second = client.post(email_url(article), data)
    assert first.status_code == second.status_code == 200
    assert "이미 메일을 보냈습니다" in second.content.decode()
    assert smtp_server.arrived.wait(5)
    assert len(smtp_server.messages) == 1


def test_smtp_down_says_try_later_and_a_retry_sends_once(client, article, settings, smtp_down):
    token, nonce = form_page(client, article)
    data = {
        "csrfmiddlewaretoken": token,
        "nonce": nonce,
        "sender_name": "김독자",
        "sender_email": "reader@example.org",
        "recipient": "friend@example.net",
    }
    response = client.post(email_url(article), data)
    assert response.status_code == 503
    assert "잠시 뒤 다시 보내 주세요" in response.content.decode()
    assert f'value="{nonce}"' in response.content.decode()  # the same form may be retried

    # The server comes back: the same form goes out exactly once.
    from aiosmtpd.controller import Controller

    from .conftest import Inbox

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        assert client.post(email_url(article), data).status_code == 200
        assert client.post(email_url(article), data).status_code == 200
        assert inbox.arrived.wait(5)
        assert len(inbox.messages) == 1
    finally:
        controller.stop()


def test_rate_limit_per_visitor(client, article, smtp_server, settings):
    settings.SINMUN_EMAIL_RATE_LIMITS = {"visitor_per_hour": 2, "recipient_per_day": 100}
    for n in range(2):
        assert post(client, article, recipient=f"f{n}@example.net").status_code == 200
    response = post(client, article, recipient="f9@example.net")
    assert response.status_code == 429
    assert "한 시간 뒤 다시 보내 주세요" in response.content.decode()
    # Another visitor (another address) is not affected.
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.7")
    assert post(other, article, recipient="f9@example.net").status_code == 200
    assert len(smtp_server.messages) == 3


def test_rate_limit_per_recipient_across_visitors(article, smtp_server, settings):
    settings.SINMUN_EMAIL_RATE_LIMITS = {"recipient_per_day": 2}
    for n in range(2):
        visitor = Client(enforce_csrf_checks=True, REMOTE_ADDR=f"198.51.100.{n + 1}")
        assert post(visitor, article, recipient="Target@Example.net").status_code == 200
    visitor = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.50")
    response = post(visitor, article, recipient="target@example.net")
    assert response.status_code == 429
    html = response.content.decode()
    assert 'data-testid="error-recipient"' in html
    assert "이 주소로는 오늘 더 보낼 수 없습니다." in html
    assert len(smtp_server.messages) == 2


def test_rate_limit_site_wide(article, smtp_server, settings):
    settings.SINMUN_EMAIL_RATE_LIMITS = {"site_per_hour": 3}
    statuses = [
        post(
            Client(enforce_csrf_checks=True, REMOTE_ADDR=f"192.0.2.{n}"),
            article,
            recipient=f"r{n}@example.net",
        ).status_code
        for n in range(1, 5)
    ]
    assert statuses == [200, 200, 200, 429]
    assert len(smtp_server.messages) == 3


def test_forged_forwarded_for_does_not_escape_the_visitor_limit(article, smtp_server, settings):
    settings.SINMUN_EMAIL_RATE_LIMITS = {"visitor_per_hour": 1, "recipient_per_day": 100}
    settings.SINMUN_BEHIND_PROXY = True
    settings.SINMUN_TRUSTED_PROXIES = ["127.0.0.1"]
    # Directly connected (not through the trusted proxy): the header is ignored.
    first = Client(
        enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.1.1.1"
    )
    second = Client(
        enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="2.2.2.2"
    )
    assert post(first, article, recipient="a@example.net").status_code == 200
    assert post(second, article, recipient="b@example.net").status_code == 429


def test_cache_failure_fails_closed(client, article, smtp_server, monkeypatch):
    token, nonce = form_page(client, article)

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", broken)
    response = client.post(
        email_url(article),
        {
            "csrfmiddlewaretoken": token,
            "nonce": nonce,
            "sender_name": "김독자",
            "sender_email": "reader@example.org",
            "recipient": "friend@example.net",
        },
    )
    assert response.status_code == 503
    assert "지금은 메일을 보낼 수 없습니다." in response.content.decode()
    assert smtp_server.messages == []


def test_service_refuses_header_injection_even_without_the_form(article, smtp_server):
    from sinmun.readers.services import EmailRefused, article_email_send

    with pytest.raises(EmailRefused) as refused:
        article_email_send(
            article=article,
            sender_name="x",
            sender_email="reader@example.org",
            recipient="a@example.net\r\nBcc: b@example.net",
            message="",
            visitor="v",
            nonce="n" * 20,
        )
    assert refused.value.field == "recipient"
    with pytest.raises(EmailRefused):
        article_email_send(
            article=article,
            sender_name="x",
            sender_email="reader@example.org",
            recipient="a@example.net,b@example.net",
            message="",
            visitor="v",
            nonce="m" * 20,
        )
    assert smtp_server.messages == []


def test_unknown_or_unpublished_article_is_404(client):
    draft = make_article(live=False)
    assert client.get(reverse("readers:article_email", args=[draft.pk])).status_code == 404
    assert client.get(reverse("readers:article_email", args=[999999])).status_code == 404
