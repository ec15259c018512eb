"""The one way to say that content readers see has changed.

Every write that changes what a reader page shows — from the admin, an import, the
scheduler, the CLI or a shell — ends in ``announce(topic, ids)``, called by the owning
app's services (or by the glue from Wagtail's and Django's signals to them). It:

1. starts a new version of the topic at once (``sinmun.core.versions``), so this process
   and every other reads afresh from now on;
2. once the transaction commits, starts a new version again (a process that read the old
   rows just before the commit may have stored them under the first new version) and
   sends ``content_changed`` with the ``Change``.

Caches follow versions and need nothing more. The one subscriber of ``content_changed``
that does work is the page purge (``sinmun.delivery.purge``): it asks every app which
reader pages show the change (``pages_showing``) and purges those from the application
page cache and nginx. docs/caches.md lists every cache, its key and what renews it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from django.db import transaction
from django.dispatch import Signal

from . import versions

logger = logging.getLogger(__name__)

# Sent after the commit, with ``change``: a Change.
content_changed = Signal()
# Sent by the page purge with ``change``; each receiver returns the paths of the reader
# pages of its app that show it (an iterable of str, None entries ignored).
pages_showing = Signal()


@dataclass(frozen=True)
class Change:
    """What changed: a topic (versions.TOPICS), the ids of what changed in it (article
    numbers for ``article`` and ``corrections``), why (published, edited, unpublished,
    deleted, imported, …) and what a subscriber cannot read back after the commit (a
    deleted article's section and reporter)."""

    topic: str
    ids: frozenset[int] = frozenset()
    reason: str = "changed"
    before: Mapping = field(default_factory=lambda: MappingProxyType({}))


def announce(
    topic: str,
    ids: Iterable[int] = (),
    *,
    reason: str = "changed",
    before: Mapping | None = None,
    using: str | None = None,
) -> Change:
    """Say that ``topic`` changed (see the module docstring); return the Change."""
    change = Change(
        topic=topic,
        ids=frozenset(int(i) for i in ids if i is not None),
        reason=reason,
        before=MappingProxyType(dict(before or {})),
    )
    gathering = getattr(_gathering, "changes", None)
    if gathering is not None:
        gathering.append(change)
        return change
    versions.bump(change.topic)
    transaction.on_commit(lambda: _deliver(change), using=using)
    return change


_gathering = threading.local()


@contextmanager
def gathered():
    """Announce the changes made in the block once, at its end, merged by topic.

    For writers of many rows at a time (an import batch): a hundred reporters saved in
    one batch are one ``site`` change, not a hundred purges of the same pages.
    """
    if getattr(_gathering, "changes", None) is not None:
        yield  # already gathering: the outer block announces
        return
    _gathering.changes = []
    try:
        yield
        changes = _gathering.changes
    finally:
        _gathering.changes = None
    merged: dict[str, Change] = {}
    for change in changes:
        known = merged.get(change.topic)
        if known is None:
            merged[change.topic] = change
            continue
        reason = known.reason if known.reason == change.reason else "changed"
        before = known.before if not change.before else change.before
        merged[change.topic] = replace(
            known, ids=known.ids | change.ids, reason=reason, before=before
        )
    for change in merged.values():
        announce(change.topic, change.ids, reason=change.reason, before=change.before)


def _deliver(change: Change) -> None:
    versions.bump(change.topic)
    for receiver, result in content_changed.send_robust(sender=Change, change=change):
        if isinstance(result, Exception):
            # A subscriber that fails (nginx unreachable) must not fail the others, nor
            # the write that was already committed.
            logger.error(
                "%s failed on %s change: %r", receiver, change.topic, result, exc_info=result
            )


def paths_showing(change: Change) -> list[str]:
    """Every app's reader pages that show ``change`` (in order, without repeats)."""
    seen: dict[str, None] = {}
    for _receiver, paths in pages_showing.send(sender=Change, change=change):
        for path in paths or ():
            if path:
                seen.setdefault(path, None)
    return list(seen)
