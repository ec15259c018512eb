"""Site-wide page fragments rendered once per process and version, not once per page.

The masthead and section navigation, the legal footer, the banners and the most-viewed
box look the same on every reader page, yet rendering them (template nodes, ``reverse()``
for every link, the site settings) was half the cost of an uncached article page. The
``{% fragment %}`` tag (``templatetags/fragments.py``) keeps each rendered fragment in
this process's memory under the current version (``sinmun.core.versions``) of the topic
it shows:

- ``site``: the site profile, banners, sections and reporters (topic ``site``);
- ``ranking``: the most-viewed list (topic ``article``: renewed when an article is
  published, unpublished or deleted; a fragment of it also expires after
  ``SINMUN_RANKING_CACHE_SECONDS``, as views move it).

A change announced through any process (``sinmun.core.changes.announce``) reaches every
process within ``SINMUN_FRAGMENT_VERSION_MEMO`` seconds, the announcing one at once.
"""

from __future__ import annotations

import threading
import time

from sinmun.core import versions

# fragment group -> the content topic it follows
GROUPS = {"site": "site", "ranking": "article"}
_MAX_FRAGMENTS = 2000

_lock = threading.Lock()
# (group, key...) -> (version, expires at monotonic seconds or 0, html)
_fragments: dict[tuple, tuple[str, float, str]] = {}


def cached(group: str, key: tuple, render, *, ttl: float = 0) -> str:
    """Return the fragment ``key`` of ``group``, calling ``render()`` when this process
    has no copy of the current version (or its ``ttl`` seconds ran out)."""
    current = versions.version(GROUPS[group])
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
    versions.forget_local()
