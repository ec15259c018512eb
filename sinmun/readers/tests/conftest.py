"""Fixtures for reader features: a real SMTP server on loopback, real Redis."""

from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from tests.support.servers import free_port

REDIS_TEST_URL = "redis://127.0.0.1:6379/5"


class Inbox:
    """An aiosmtpd handler keeping every message it accepts, parsed."""

    def __init__(self):
        self.messages = []
        self.raw = []
        self.envelopes = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.raw.append(envelope.original_content)
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        self.arrived.set()
        return "250 Message accepted for delivery"


@contextmanager
def local_smtp(settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd) with Django's SMTP backend pointed at
    it; yields its Inbox. Shared by the readers', newsroom's and audit's tests."""
    inbox = Inbox()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = inbox.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1, with Django's SMTP backend pointed at it."""
    with local_smtp(settings) as inbox:
        settings.DEFAULT_FROM_EMAIL = "테스트신문 <news@sinmun.test>"
        settings.SINMUN_BASE_URL = "https://news.sinmun.test"
        yield inbox


@pytest.fixture
def smtp_down(settings):
    """SMTP settings pointing at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 2


def redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not running at {REDIS_TEST_URL}; the Redis path needs a server")
    return client


@pytest.fixture
def redis_views(settings):
    """Switch view counting to the real Redis server, under a key prefix of our own."""
    client = redis_or_skip()
    prefix = f"sinmun-test:{uuid.uuid4().hex}:"
    settings.REDIS_URL = REDIS_TEST_URL
    settings.SINMUN_VIEW_REDIS_PREFIX = prefix
    yield client
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
