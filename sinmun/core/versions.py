"""Versions of what caches show, kept in the store every process shares.

A cache never deletes its entries when content changes: it puts the versions of the
topics it shows into its keys (``versioned_key``), and an announcement that a topic
changed (``sinmun.core.changes.announce``) starts a new version of that topic. Every
process then builds new keys and reads afresh; the old entries are simply never read
again and expire. This works the same for a key in Redis, in the data folder's shared
store or in one process's memory, and needs no list of keys to delete.

Versions live in ``SINMUN_VERSION_CACHE`` (the ``pages`` cache: Redis in production,
files in the data folder otherwise; one store for every process). Each process reads a
version at most once per ``SINMUN_FRAGMENT_VERSION_MEMO`` seconds (0.25), so a change made
through one process is seen by every other within that time, and by the process that
made it at once. docs/caches.md lists every cache and the topics it follows.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.core.cache import caches

# The topics content can change in. A change of one topic starts a new version of it;
# a cache follows the topics whose content it shows.
TOPICS = (
    "article",  # an article was published, edited, unpublished, deleted or imported
    "corrections",  # a correction note was added or removed
    "home",  # the desk's home arrangement
    "site",  # site profile, banners, sections, reporters: what every page frames
    "pages",  # the application page cache was purged (its in-memory tier)
)
_KEY = "fragment-version:"

# topic -> (version, read at monotonic seconds)
_versions: dict[str, tuple[str, float]] = {}


def _store():
    return caches[getattr(settings, "SINMUN_VERSION_CACHE", "pages")]


def _check(topic: str) -> None:
    if topic not in TOPICS:
        raise ValueError(f"unknown content topic {topic!r}; one of {', '.join(TOPICS)}")


def version(topic: str) -> str:
    """Return the current version of ``topic`` (see the module docstring)."""
    now = time.monotonic()
    memo = _versions.get(topic)
    if memo is not None and now - memo[1] < settings.SINMUN_FRAGMENT_VERSION_MEMO:
        return memo[0]
    _check(topic)
    key = _KEY + topic
    store = _store()
    value = store.get(key)
    if value is None:
        # First use, an emptied cache or an outage: start a new version. add() keeps
        # the one another process stored first.
        candidate = uuid.uuid4().hex
        store.add(key, candidate, None)
        value = store.get(key) or candidate
    _versions[topic] = (value, now)
    return value


def bump(*topics: str) -> None:
    """Start a new version of ``topics``: every cache that follows them reads afresh."""
    store = _store()
    for topic in topics:
        _check(topic)
        value = uuid.uuid4().hex
        store.set(_KEY + topic, value, None)
        _versions[topic] = (value, time.monotonic())


def versioned_key(name: str, *topics: str) -> str:
    """The cache key ``name`` under the current versions of ``topics``."""
    return name + ":" + ".".join(version(topic)[:12] for topic in topics)


def forget_local() -> None:
    """Drop this process's memo of the versions (tests)."""
    _versions.clear()
