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
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host

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


# What a browser's Sec-Fetch-Site may say for a beacon sent by one of our own pages:
# "same-origin", or "none" (the reader typed or bookmarked the address, no page sent it).
OWN_FETCH_SITES = frozenset({"same-origin", "none"})


def _own_host(host: str) -> bool:
    """Whether ``host`` (``name[:port]``) is this site: ALLOWED_HOSTS or SINMUN_BASE_URL."""
    domain, _port = split_domain_port(host.lower())
    if not domain:
        return False
    base = urlsplit(getattr(settings, "SINMUN_BASE_URL", "")).netloc
    own = [*settings.ALLOWED_HOSTS, split_domain_port(base.lower())[0]]
    return validate_host(domain, [h for h in own if h])


def is_cross_site(request) -> bool:
    """Whether another site's page sent this request (a beacon to refuse).

    Browsers set ``Sec-Fetch-Site`` and no page can forge it: "same-origin" and "none"
    pass, "cross-site" is refused. "same-site" (a sibling subdomain, which may or may not
    be ours) and a request without the header (older browsers, the view log's older
    lines) are decided by the ``Origin``, else the ``Referer``: it must name one of our
    own hosts, and ``Origin: null`` (a sandboxed frame, a file) does not. A request with
    neither header and no Sec-Fetch-Site says nothing either way and passes: a script
    can send any header it likes, which is what the per-address cap
    (services.view_record) is for.
    """
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE", "").strip().lower()
    if fetch_site in OWN_FETCH_SITES:
        return False
    if fetch_site == "cross-site":
        return True
    origin = request.META.get("HTTP_ORIGIN", "").strip()
    source = origin or request.META.get("HTTP_REFERER", "").strip()
    if not source:
        return fetch_site != ""  # a browser that says "same-site" sends an Origin
    if source.lower() == "null":
        return True
    try:
        netloc = urlsplit(source).netloc
    except ValueError:
        return True
    return not _own_host(netloc.rsplit("@", 1)[-1])
