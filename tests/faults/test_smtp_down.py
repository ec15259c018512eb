"""The SMTP server goes away while readers use 기사 메일전송, then comes back on the same
port: while it is down each form gets the Korean "try later" message (503) with what the
reader typed kept; after it returns each form, sent again (twice, as an impatient reader
would), goes out exactly once. Extends sinmun/readers/tests/test_email.py (which starts
with SMTP already down) with a server that was working, stops and returns.
"""

from __future__ import annotations

import re

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import reverse

from sinmun.readers.tests.conftest import Inbox
from tests.support.factories import make_article
from tests.support.servers import free_port

pytestmark = pytest.mark.django_db


def form(client, url) -> dict:
    html = client.get(url).content.decode()
    return {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1],
        "nonce": re.search(r'name="nonce" value="([^"]+)"', html)[1],
        "sender_name": "김독자",
        "sender_email": "reader@example.org",
        "message": "이 기사 읽어 보세요",
    }


def test_smtp_stops_and_returns_no_loss_no_duplicates(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 3
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    article = make_article(title="시청 앞 광장 공사 끝나")
    url = reverse("readers:article_email", args=[article.pk])
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    readers = [Client(enforce_csrf_checks=True, REMOTE_ADDR=f"203.0.113.{i}") for i in (1, 2, 3)]
    try:
        first = form(readers[0], url) | {"recipient": "one@example.net"}
        assert readers[0].post(url, first).status_code == 200
        assert inbox.arrived.wait(5) and len(inbox.messages) == 1
    finally:
        controller.stop()

    # SMTP is down: two other readers try
    pending = []
    for reader, recipient in zip(
        readers[1:], ("two@example.net", "three@example.net"), strict=True
    ):
        data = form(reader, url) | {"recipient": recipient}
        response = reader.post(url, data)
        body = response.content.decode()
        assert response.status_code == 503
        assert "잠시 뒤 다시 보내 주세요" in body and recipient in body  # the form is kept
        pending.append((reader, data))
    assert len(inbox.messages) == 1

    inbox2 = Inbox()
    controller = Controller(inbox2, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        for reader, data in pending:
            assert reader.post(url, data).status_code == 200
            assert reader.post(url, data).status_code == 200  # pressed twice: sent once
        # and the first reader's reload of an already sent form sends nothing
        assert readers[0].post(url, first).status_code == 200
        assert inbox2.arrived.wait(5)
    finally:
        controller.stop()
    recipients = sorted(str(m["To"]) for m in inbox2.messages)
    assert recipients == ["three@example.net", "two@example.net"]
