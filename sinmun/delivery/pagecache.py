"""The application page cache: anonymous reader pages served from the Django cache.

For the default install with no nginx in front (and, with Redis, shared by every app
process behind one). Only responses of views marked ``reader_page`` are stored, only
for requests without a session cookie, only when the response is ``public`` with a
max-age and sets no cookie; so staff never get a cached page, and a page rendered for
staff (with an edit link) is never stored for readers. Purged by ``purge.py`` through
``backends.PageCacheBackend``.

Keys are the path and the query string, minus tracking parameters (utm_*, fbclid, …)
that never change a page, so links from portals and social media share one entry.
"""

from __future__ import annotations

import hashlib
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_max_age, patch_vary_headers

from sinmun.core import versions
from sinmun.core.http import has_session

from .compression import MIN_LENGTH, accepts_gzip, compress

CACHE_ALIAS = "pages"
KEY_PREFIX = "page:v1:"
HEADER = "X-Page-Cache"
# Sent by nginx's purge listener (deploy/nginx/sinmun.conf) when it refreshes a page:
# render afresh instead of answering from this cache. Honoured from loopback only.
REFRESH_HEADER = "HTTP_X_SINMUN_REFRESH"
TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_", "_ga")
MAX_QUERY_LENGTH = 512


def page_cache():
    return caches[CACHE_ALIAS]


def _strip_tracking(query: str) -> str:
    if not query:
        return ""
    pairs = [
        (k, v)
        for k, v in parse_qsl(query, keep_blank_values=True)
        if not k.startswith(TRACKING_PARAMS)
    ]
    return urlencode(sorted(pairs))


def page_key(path: str, query: str = "") -> str:
    """The cache key of a reader page; ``purge`` uses the same function.

    Under the current ``site`` version (sinmun/core/versions.py): every page frames the
    site profile, banners and sections, so a change to those renews every stored page at
    once, with no list of pages to purge."""
    raw = f"{path}?{_strip_tracking(query)}"
    digest = hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
    return versions.versioned_key(KEY_PREFIX + digest, "site")


def _is_refresh(request) -> bool:
    return request.META.get(REFRESH_HEADER) == "1" and request.META.get("REMOTE_ADDR") in {
        "127.0.0.1",
        "::1",
    }


def _storable(response) -> int:
    """Return how long ``response`` may be stored (0: not at all)."""
    if not getattr(response, "sinmun_reader_page", False):
        return 0
    if response.status_code != 200 or response.streaming or response.cookies:
        return 0
    cache_control = response.get("Cache-Control", "")
    if "public" not in cache_control or "private" in cache_control or "no-store" in cache_control:
        return 0
    max_age = get_max_age(response) or 0
    return min(max_age, settings.SINMUN_PAGE_CACHE_SECONDS)


# The first tier: this process's memory. key -> (pages version, expires at, status,
# headers, body). Valid while the shared "pages" version (core/versions.py) is unchanged:
# every purge bumps it, so a purge through any process reaches every other one within
# SINMUN_FRAGMENT_VERSION_MEMO seconds, and the purging process at once.
_local: dict[str, tuple[str, float, int, tuple, bytes]] = {}
_LOCAL_MAX = 500


def forget_local() -> None:
    _local.clear()
    _gzip_memo.clear()


def _local_get(key: str):
    entry = _local.get(key)
    if entry is None:
        return None
    if entry[0] != versions.version("pages") or time.monotonic() >= entry[1]:
        _local.pop(key, None)
        return None
    return entry


def _local_put(key: str, version: str, timeout: float, status, headers, content) -> None:
    ttl = min(timeout, settings.SINMUN_PAGE_CACHE_LOCAL_SECONDS)
    if ttl <= 0:
        return
    if len(_local) >= _LOCAL_MAX:
        _local.pop(next(iter(_local)), None)
    _local[key] = (version, time.monotonic() + ttl, status, tuple(headers), content)


# key -> (the cached body, its gzip): compressed once per cached copy. The local tier
# hands out the same bytes object until the entry changes, so identity tells staleness.
_gzip_memo: dict[str, tuple[bytes, bytes]] = {}


def gzipped(key: str, content: bytes) -> bytes:
    memo = _gzip_memo.get(key)
    if memo is not None and memo[0] is content:
        return memo[1]
    compressed = compress(content)
    if len(_gzip_memo) >= _LOCAL_MAX:
        _gzip_memo.pop(next(iter(_gzip_memo)), None)
    _gzip_memo[key] = (content, compressed)
    return compressed


def _hit(request, key: str, status: int, headers, content: bytes) -> HttpResponse:
    compressed = None
    if settings.SINMUN_GZIP and len(content) >= MIN_LENGTH and accepts_gzip(request):
        compressed = gzipped(key, content)
        if len(compressed) >= len(content):
            compressed = None
    response = HttpResponse(compressed if compressed is not None else content, status=status)
    for name, value in headers:
        response.headers[name] = value
    if compressed is not None:
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(compressed))
        patch_vary_headers(response, ("Accept-Encoding",))
    response.headers[HEADER] = "HIT"
    return response


class PageCacheMiddleware:
    """Serve and store anonymous reader pages (see the module docstring).

    Sits right after the security middleware and WhiteNoise, so a hit skips sessions,
    authentication, CSRF and the view, while the security headers are still added. A hit
    is served from this process's memory when it can (no unpickling), else from the
    shared store, whose answer is then kept in memory too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL or "/static/"

    def __call__(self, request):
        if (
            not settings.SINMUN_PAGE_CACHE
            or request.method not in ("GET", "HEAD")
            or request.path.startswith(self.static_prefix)
            or has_session(request)
            or len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH
        ):
            return self.get_response(request)
        key = page_key(request.path, request.META.get("QUERY_STRING", ""))
        if not _is_refresh(request):
            entry = _local_get(key)
            if entry is not None:
                return _hit(request, key, entry[2], entry[3], entry[4])
            version = versions.version("pages")
            stored = page_cache().get(key)
            if stored is not None:
                status, headers, content, *rest = stored
                expires = rest[0] if rest else 0
                remaining = expires - time.time() if expires else 0
                if remaining > 0:
                    _local_put(key, version, remaining, status, headers, content)
                return _hit(request, key, status, headers, content)
        version = versions.version("pages")
        response = self.get_response(request)
        timeout = _storable(response)
        if timeout > 0:
            headers = [(k, v) for k, v in response.items() if k != HEADER]
            content = response.content
            page_cache().set(
                key, (response.status_code, headers, content, time.time() + timeout), timeout
            )
            _local_put(key, version, timeout, response.status_code, headers, content)
            response.headers[HEADER] = "MISS"
        return response
