"""Who is asking: the client address, a keyed visitor hash, bots and prefetches.

The client address is ``REMOTE_ADDR`` unless the direct peer is a proxy we trust
(``SINMUN_TRUSTED_PROXIES``, only when ``SINMUN_BEHIND_PROXY`` is on). Only then do we
read what that proxy passed on: ``X-Real-IP`` (nginx: ``proxy_set_header X-Real-IP
$remote_addr``), else the right-most ``X-Forwarded-For`` entry, the one nginx appended
itself. Entries further left were written by the client and can be forged.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from functools import lru_cache

from django.conf import settings

# Crawlers, link previewers, monitors and scripts. Matching is case-insensitive.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|spider|crawl|slurp|scrape|fetch|archiver|facebookexternalhit|"
    r"embedly|preview|monitor|pingdom|uptime|lighthouse|headlesschrome|phantomjs|"
    r"python-requests|python-urllib|aiohttp|httpx|curl/|wget/|go-http-client|java/|"
    # Naver's and Daum's crawlers (Yeti, Daumoa), not their in-app browsers (NAVER(inapp…)).
    r"okhttp|libwww|scrapy|node-fetch|axios/|daumoa|yeti\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=8)
def _trusted_networks(proxies: tuple[str, ...]):
    networks = []
    for entry in proxies:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def _parse_ip(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request) -> str:
    """Return the visitor's address as nginx saw it (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not getattr(settings, "SINMUN_BEHIND_PROXY", False):
        return remote
    peer = _parse_ip(remote)
    trusted = _trusted_networks(tuple(getattr(settings, "SINMUN_TRUSTED_PROXIES", ())))
    if peer is None or not any(peer in network for network in trusted):
        return remote
    real = _parse_ip(request.META.get("HTTP_X_REAL_IP", ""))
    if real is not None:
        return str(real)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        last = _parse_ip(forwarded.split(",")[-1])
        if last is not None:
            return str(last)
    return remote


def _keyed_hash(*parts: str) -> str:
    # Keyed with the secret key, so a stored hash cannot be reversed by trying every
    # IPv4 address.
    message = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    key = ("sinmun.readers.visitor:" + settings.SECRET_KEY).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:40]


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:512]


def visitor_hash(request) -> str:
    """Return a stable, non-reversible key for this visitor: address + user agent."""
    return _keyed_hash("v", client_ip(request), user_agent(request))


def address_hash(request) -> str:
    return _keyed_hash("a", client_ip(request))


def is_bot(request) -> bool:
    agent = user_agent(request)
    return not agent.strip() or bool(BOT_PATTERN.search(agent))


def is_prefetch(request) -> bool:
    """Whether the browser says this is a prefetch or prerender, not a reader."""
    for header in ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ"):
        value = request.META.get(header, "").lower()
        if "prefetch" in value or "prerender" in value or "preview" in value:
            return True
    return False
