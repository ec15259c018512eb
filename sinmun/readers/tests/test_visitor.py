"""Who the visitor is: never a header a visitor can forge."""

import pytest
from django.test import RequestFactory

from sinmun.readers.visitor import client_ip, is_bot, is_prefetch, visitor_hash

rf = RequestFactory()


def request(remote="203.0.113.5", **headers):
    return rf.get("/", REMOTE_ADDR=remote, **headers)


def test_without_proxy_setting_headers_are_ignored(settings):
    settings.SINMUN_BEHIND_PROXY = False
    req = request("127.0.0.1", HTTP_X_REAL_IP="1.2.3.4", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(req) == "127.0.0.1"


def test_trusted_proxy_passes_x_real_ip(settings):
    settings.SINMUN_BEHIND_PROXY = True
    settings.SINMUN_TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    assert client_ip(request("127.0.0.1", HTTP_X_REAL_IP="198.51.100.3")) == "198.51.100.3"
    assert client_ip(request("::1", HTTP_X_REAL_IP="2001:db8::7")) == "2001:db8::7"


def test_trusted_proxy_right_most_forwarded_for_entry(settings):
    settings.SINMUN_BEHIND_PROXY = True
    settings.SINMUN_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client wrote "6.6.6.6"; nginx appended the address it saw.
    req = request("10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9")
    assert client_ip(req) == "198.51.100.9"


def test_untrusted_peer_cannot_claim_another_address(settings):
    settings.SINMUN_BEHIND_PROXY = True
    settings.SINMUN_TRUSTED_PROXIES = ["127.0.0.1"]
    req = request("203.0.113.5", HTTP_X_REAL_IP="1.2.3.4", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(req) == "203.0.113.5"


def test_garbage_headers_fall_back_to_the_peer(settings):
    settings.SINMUN_BEHIND_PROXY = True
    settings.SINMUN_TRUSTED_PROXIES = ["127.0.0.1"]
    req = request("127.0.0.1", HTTP_X_REAL_IP="not-an-ip", HTTP_X_FORWARDED_FOR="x, y")
    assert client_ip(req) == "127.0.0.1"


def test_visitor_hash_is_keyed_and_separates_agents():
    a = visitor_hash(request(HTTP_USER_AGENT="Mozilla/5.0 A"))
    b = visitor_hash(request(HTTP_USER_AGENT="Mozilla/5.0 B"))
    assert a != b and len(a) == 40
    assert "203.0.113.5" not in a


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; Yeti/1.1; +http://naver.me/spd)",
        "Mozilla/5.0 (compatible; Daum/4.1; +http://cs.daum.net/faq/15/4118.html?faqId=28966) Daumoa",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
    ],
)
def test_bots(agent):
    assert is_bot(request(HTTP_USER_AGENT=agent))


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36 NAVER(inapp; search; 2000; 12.0.0)",
        "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36 KAKAOTALK 10.4.0",
    ],
)
def test_people(agent):
    assert not is_bot(request(HTTP_USER_AGENT=agent))


def test_prefetch_headers():
    assert is_prefetch(request(HTTP_SEC_PURPOSE="prefetch"))
    assert is_prefetch(request(HTTP_SEC_PURPOSE="prefetch;prerender"))
    assert is_prefetch(request(HTTP_PURPOSE="prefetch"))
    assert is_prefetch(request(HTTP_X_MOZ="prefetch"))
    assert not is_prefetch(request())
