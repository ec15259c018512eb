"""기사 메일전송 against header injection: every variant through the real form, the real
view and a real SMTP server on loopback (aiosmtpd).

An accepted request must deliver exactly one message, to exactly the one address typed,
in the fixed template (subject "[paper] headline", the article link, the notice), with no
header the reader wrote. A refused one must say why in Korean with a 4xx, and send nothing.
"""

from __future__ import annotations

import re
from email.utils import getaddresses, parseaddr

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from sinmun.readers.tests.conftest import smtp_server  # noqa: F401 - the fixture
from tests.support.factories import make_article, make_reporter

from . import tally

pytestmark = pytest.mark.django_db

SUITE = "E-mail header injection"
TITLE = "해오름 마을 도서관, 주민 손으로 다시 문 연다"
GOOD = {
    "sender_name": "김독자",
    "sender_email": "reader@example.org",
    "recipient": "friend@example.net",
    "message": "이 기사 꼭 읽어 봐요",
}
EVIL = "victim@evil.example"

# Line breaks in every dress a header could be split with: raw, percent-encoded (as a
# reader could paste them), Unicode separators, NEL, vertical tab, form feed,
# MIME encoded-words.
BREAKS = [
    "\r\n",
    "\n",
    "\r",
    "\r\n\r\n",
    "%0d%0a",
    "%0a",
    "%0D%0A",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0b",
    "\x0c",
    "\x00",
    "=?utf-8?q?=0D=0A?=",
    "\r\n\t",
]
HEADERS = [f"Bcc: {EVIL}", f"Cc: {EVIL}", f"To: {EVIL}", "X-Injected: yes", "Subject: 광고"]

ADDRESS_TRICKS = [
    f"friend@example.net, {EVIL}",
    f"friend@example.net,{EVIL}",
    f"friend@example.net; {EVIL}",
    f"friend@example.net {EVIL}",
    f"friend@example.net\t{EVIL}",
    f'"friend@example.net" <{EVIL}>',
    f"친구 <{EVIL}>",
    f"<{EVIL}>",
    f"friend@example.net%0d%0aBcc:{EVIL}",
    f"friend@example.net%2C{EVIL}",
    f"Bcc: {EVIL}",
    "friend@@example.net",
    "friend@example.net,",
    "friend@example.net\\",
    "friend(comment)@example.net",
    '"friend\\"@evil"@example.net',
    "a" * 250 + "@example.net",
    "a" * 65 + "@example.net",
    "friend@" + "b" * 260 + ".net",
    "friend@example.net" + " " * 3,
    "=?utf-8?b?ZnJpZW5kQGV4YW1wbGUubmV0?=",
    "friend@exam\u200bple.net",
    "friend@example.net\u202e",
    "ｆｒｉｅｎｄ＠ｅｘａｍｐｌｅ．ｎｅｔ",
    "friend@[127.0.0.1]",
]
OVERLONG = [
    ("sender_name", "가" * 31),
    ("sender_name", "가" * 5000),
    ("message", "나" * 201),
    ("message", "나" * 100_000),
    ("sender_name", f"김독자 {EVIL}"),
    ("sender_name", "김독자 https://spam.example"),
    ("message", "싸게 팝니다 spam.example"),
    ("message", "싸게 팝니다 ｓｐａｍ．ｅｘａｍｐｌｅ"),
    ("message", "javascript:alert(1)"),
]


def variants() -> list[tuple[str, str, dict]]:
    out = []
    for field in ("sender_name", "sender_email", "recipient", "message"):
        for brk in BREAKS:
            # every header after the plain breaks; the Bcc/Cc pair after the other dresses
            full = brk in ("\r\n", "%0d%0a") and field in ("sender_name", "message")
            for header in HEADERS if full else HEADERS[:2]:
                if brk in ("\x0b", "\x0c", "\x00", "\r\n\t") and header != HEADERS[0]:
                    continue
                family = (
                    f"CR/LF in {field}"
                    if brk.strip("\r\n\t") == ""
                    else f"encoded break in {field}"
                )
                out.append(
                    (family, f"{field}+{brk!r}+{header}", {field: GOOD[field] + brk + header})
                )
    for address in ADDRESS_TRICKS:
        out.append(("address lists/tricks (recipient)", address, {"recipient": address}))
        out.append(("address lists/tricks (sender)", address, {"sender_email": address}))
    for field, value in OVERLONG:
        out.append(("overlong/links", f"{field} {value[:20]!r}", {field: value}))
    # the whole form as one raw, percent-encoded body with real CR/LF bytes
    out.append(
        (
            "raw body",
            "raw %0d%0a in recipient",
            {"__raw__": "recipient=friend%40example.net%0d%0aBcc%3a+victim%40evil.example"},
        )
    )
    out.append(
        (
            "raw body",
            "raw %0a in name",
            {"__raw__": "sender_name=%EA%B9%80%0aBcc%3a+victim%40evil.example"},
        )
    )
    out.append(("raw body", "raw invalid UTF-8 in name", {"__raw__": "sender_name=%ff%fe%0a"}))
    return out


VARIANTS = variants()


def _form(client, url):
    html = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    nonce = re.search(r'name="nonce" value="([^"]+)"', html).group(1)
    return token, nonce


def _send(client, url, fields):
    token, nonce = _form(client, url)
    data = {"csrfmiddlewaretoken": token, "nonce": nonce, "website": "", **GOOD}
    raw = fields.pop("__raw__", None)
    data.update(fields)
    if raw is None:
        return client.post(url, data)
    from urllib.parse import urlencode

    key = raw.split("=", 1)[0]
    data.pop(key)
    body = urlencode(data) + "&" + raw
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def _check_delivered(inbox, article, expected_to: str) -> list[str]:
    problems = []
    if len(inbox.messages) != 1:
        return [f"{len(inbox.messages)} messages delivered"]
    message, raw = inbox.messages[0], inbox.raw[0]
    mail_from, rcpt = inbox.envelopes[0]
    if rcpt != [expected_to]:
        problems.append(f"envelope recipients {rcpt}")
    to = [a for _, a in getaddresses([str(message["To"])])]
    if to != [expected_to]:
        problems.append(f"To: {to}")
    for header in ("Cc", "Bcc", "X-Injected"):
        if message[header] is not None:
            problems.append(f"{header} header present")
    if len(message.get_all("To") or []) != 1 or len(message.get_all("Subject") or []) != 1:
        problems.append("duplicated To/Subject")
    if str(message["Subject"]).strip() != f"[신문] {TITLE}":
        problems.append(f"subject {message['Subject']!r}")
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
    if "evil.example" in head or "광고" in str(message["Subject"]):
        problems.append("injected text in the headers")
    body = message.get_content()
    if f"https://news.sinmun.test/article/{article.pk}/" not in body or TITLE not in body:
        problems.append("body is not the fixed template")
    if parseaddr(str(message["From"]))[1] != "news@sinmun.test" or mail_from != "news@sinmun.test":
        problems.append("From is not the site")
    return problems


def test_header_injection_variants(smtp_server):  # noqa: F811
    assert len(VARIANTS) >= 100, len(VARIANTS)
    article = make_article(title=TITLE, reporter=make_reporter("한기자"), paragraphs=["첫 문단."])
    url = reverse("readers:article_email", args=[article.pk])
    failures = {}
    for family, label, fields in VARIANTS:
        cache.clear()  # the rate limits are not what is tested here
        smtp_server.messages.clear(), smtp_server.raw.clear(), smtp_server.envelopes.clear()
        client = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.10")
        response = _send(client, url, dict(fields))
        status = response.status_code
        if status >= 500:
            failures[label] = f"status {status}"
            tally.count(SUITE, family, "crashed")
            continue
        if status == 200 and "기사를 보냈습니다" in response.content.decode():
            expected = fields.get("recipient", GOOD["recipient"]).strip()
            problems = _check_delivered(smtp_server, article, expected)
            tally.count(SUITE, family, "crashed" if problems else "neutralised")
            if problems:
                failures[label] = problems
            continue
        html = response.content.decode()
        error = re.search(r'data-testid="form-error">(.*?)</div>', html, re.S)
        ok = (
            400 <= status < 500
            and error is not None
            and re.search("[가-힣]", error.group(1))
            and not smtp_server.messages
        )
        tally.count(SUITE, family, "refused" if ok else "crashed")
        if not ok:
            failures[label] = (
                f"status {status}, error shown: {bool(error)}, sent: {len(smtp_server.messages)}"
            )
    tally.note_surface(SUITE, "/reader/article/<id>/email/ + aiosmtpd on 127.0.0.1")
    assert not failures, failures
