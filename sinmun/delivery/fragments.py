"""Site-wide page fragments rendered once per process and version, not once per page.

The masthead and section navigation, the legal footer, the banners and the most-viewed
box look the same on every reader page, yet rendering them (template nodes, ``reverse()``
for every link, the site settings) was half the cost of an uncached article page. The
``{% fragment %}`` tag (``templatetags/fragments.py``) keeps each rendered fragment in
this process's memory under a *version* of what it shows:

- ``site``: the site profile, banners and sections (bumped when one is saved or deleted);
- ``ranking``: the most-viewed list (bumped on publish and unpublish; a fragment of it
  also expires after ``SINMUN_RANKING_CACHE_SECONDS``);
- ``pages``: the application page cache's in-memory tier (pagecache.py; bumped by every
  purge).

Versions live in a store every process shares (``SINMUN_VERSION_CACHE``: the ``pages``
cache, Redis in production, files in the data folder otherwise). Each process reads a
version at most once per ``SINMUN_FRAGMENT_VERSION_MEMO`` seconds (0.25), so a change
made through one process is seen by every other within that time; the process that
made it sees it at once.
"""

from __future__ import annotations

import threading
import time
import uuid

from django.conf import settings
from django.core.cache import caches

GROUPS = ("site", "ranking", "pages")
_KEY = "fragment-version:"
_MAX_FRAGMENTS = 2000

_lock = threading.Lock()
# group -> (version, read at monotonic seconds)
_versions: dict[str, tuple[str, float]] = {}
# (group, key...) -> (version, expires at monotonic seconds or 0, html)
_fragments: dict[tuple, tuple[str, float, str]] = {}


def _store():
    return caches[getattr(settings, "SINMUN_VERSION_CACHE", "pages")]


def version(group: str) -> str:
    """Return the current version of ``group`` (see the module docstring)."""
    now = time.monotonic()
    memo = _versions.get(group)
    if memo is not None and now - memo[1] < settings.SINMUN_FRAGMENT_VERSION_MEMO:
        return memo[0]
    key = _KEY + group
    value = _store().get(key)
    if value is None:
        # First use, an emptied cache or an outage: start a new version. add() keeps
        # one if another process stored it first.
        candidate = uuid.uuid4().hex
        _store().add(key, candidate, None)
        value = _store().get(key) or candidate
    _versions[group] = (value, now)
    return value


def bump(*groups: str) -> None:
    """Start a new version of ``groups``: every process renders their fragments afresh."""
    store = _store()
    for group in groups:
        value = uuid.uuid4().hex
        store.set(_KEY + group, value, None)
        _versions[group] = (value, time.monotonic())


def bump_site(*args, **kwargs) -> None:
    """Signal receiver: the site profile, a banner or a section changed."""
    bump("site")


def bump_ranking(*args, **kwargs) -> None:
    """Signal receiver: an article was published or unpublished, or views were flushed."""
    bump("ranking")


def cached(group: str, key: tuple, render, *, ttl: float = 0) -> str:
    """Return the fragment ``key`` of ``group``, calling ``render()`` when this process
    has no copy of the current version (or its ``ttl`` seconds ran out)."""
    current = version(group)
    full_key = (group, *key)
    stored = _fragments.get(full_key)
    now = time.monotonic()
    if stored is not None and stored[0] == current and (not stored[1] or now < stored[1]):
        return stored[2]
    html = render()
    with _lock:
        if len(_fragments) >= _MAX_FRAGMENTS:
            _fragments.clear()
        _fragments[full_key] = (current, now + ttl if ttl else 0.0, html)
    return html


def forget_local() -> None:
    """Drop this process's copies (tests)."""
    with _lock:
        _fragments.clear()
        _versions.clear()
