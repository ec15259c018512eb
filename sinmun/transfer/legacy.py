"""Old addresses of imported articles: normalising them and finding their article.

A paper's links live on in portals, social media and its own old pages. Every imported
article remembers the addresses it had (``LegacyURL``); a request for one is answered
with a permanent redirect. Lookups happen only off the hot path: for a request that
would otherwise be a 404, for ``/?p=…`` on the home page, and in the Korean news
solutions' ``articleView.html`` view.
"""

from __future__ import annotations

import posixpath
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from django.urls import reverse

from .models import LegacyURL

MAX_PATH = 500
# Query parameters that identify an article on their own in the systems papers leave:
# WordPress (?p=, ?page_id=) and the Korean news solutions (?idxno=, ?no=, ?aid=).
ID_PARAMETERS = ("p", "idxno", "no", "aid", "page_id", "article_id", "id")


class LegacyURLError(ValueError):
    """An old address that cannot be stored; the message says why, in Korean."""


def normalise_url(url: str) -> str:
    """Return the lookup key of an old address (see ``LegacyURL``)."""
    if not isinstance(url, str) or not url.strip():
        raise LegacyURLError("예전 주소가 비어 있습니다")
    parts = urlsplit(url.strip())
    path = unquote(parts.path or "/")
    if not path.startswith("/"):
        path = "/" + path
    if "\x00" in path or any(segment == ".." for segment in path.split("/")):
        raise LegacyURLError(f"예전 주소 {url!r}에 쓸 수 없는 경로가 있습니다")
    path = posixpath.normpath(path)
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    path = path.rstrip("/") or "/"
    query = sorted(parse_qsl(parts.query, keep_blank_values=True))
    key = path + ("?" + urlencode(query) if query else "")
    if len(key) > MAX_PATH:
        raise LegacyURLError(f"예전 주소가 너무 깁니다({len(key)}자, 최대 {MAX_PATH}자)")
    return key


def _candidates(path: str, query_string: str) -> list[str]:
    """Keys to try for a request, best first: the whole address, then one id parameter."""
    try:
        full = normalise_url(path + ("?" + query_string if query_string else ""))
    except LegacyURLError:
        return []
    keys = [full]
    bare = full.split("?", 1)[0]
    if query_string:
        params = dict(parse_qsl(query_string, keep_blank_values=True))
        for name in ID_PARAMETERS:
            if params.get(name):
                keys.append(bare + "?" + urlencode({name: params[name]}))
        keys.append(bare)
    return list(dict.fromkeys(keys))


def legacy_article_for(path: str, query_string: str = ""):
    """Return the public article an old address belongs to, or None (one query)."""
    from sinmun.articles.models import Article

    keys = _candidates(path, query_string)
    if path.startswith("/m/"):
        # The mobile edition of an old address is the same article.
        keys += _candidates(path[2:], query_string)
    if not keys:
        return None
    rows = dict(
        LegacyURL.objects.filter(path__in=keys, article__in=Article.objects.public()).values_list(
            "path", "article_id"
        )
    )
    for key in keys:
        if key in rows:
            return rows[key]
    return None


def legacy_redirect_url(request) -> str | None:
    """Return where an old address now lives, or None when it is not one we know."""
    article_id = legacy_article_for(request.path, request.META.get("QUERY_STRING", ""))
    if article_id is None:
        return None
    mobile = request.path.startswith("/m/")
    name = "articles:mobile_article" if mobile else "articles:article"
    return reverse(name, args=[article_id])
