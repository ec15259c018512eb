"""Purge exactly the reader pages a change shows, once it is committed.

The one subscriber of ``sinmun.core.changes.content_changed`` that does work: it asks
every app which of its pages show the change (``pages_showing``: the website's reader
pages, syndication's feeds and sitemaps) and purges those URLs through Wagtail's frontend
cache module (``wagtail.contrib.frontend_cache``) from every backend in
``WAGTAILFRONTENDCACHE``: the application page cache (``backends.PageCacheBackend``,
synchronously) and nginx (``backends.NginxRefreshBackend``, from a background thread so
the editor's request never waits on it). Both run again ``SINMUN_PURGE_REPEAT_SECONDS``
later: a reader request that read the old row just before the commit may store the old
page just after the first purge, and the second one removes it.

The ranking is not purged when an article is published: it changes with time, and its
cache lifetime (``SINMUN_PAGE_MAX_AGE``) bounds how stale it can be. Search result pages
are not purged either (their URLs are whatever readers typed); they expire the same way.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time

from django.conf import settings
from wagtail.contrib.frontend_cache.utils import get_backends, purge_urls_from_cache

from sinmun.core.changes import Change, paths_showing

logger = logging.getLogger(__name__)

# Purge threads still running; a one-shot command (sinmun run_scheduled_jobs from a
# systemd timer, sinmun shell) waits for them at exit instead of dropping the purge.
_pending: set[threading.Thread] = set()
EXIT_WAIT_SECONDS = 15


@atexit.register
def _wait_for_purges() -> None:
    deadline = time.monotonic() + EXIT_WAIT_SECONDS
    for thread in list(_pending):
        thread.join(max(0.0, deadline - time.monotonic()))


def _local_backend_names() -> list[str]:
    return [name for name, backend in get_backends().items() if getattr(backend, "local", False)]


def _remote_backend_names() -> list[str]:
    return [
        name for name, backend in get_backends().items() if not getattr(backend, "local", False)
    ]


def urls_purge(urls: list[str]) -> None:
    """Purge ``urls`` (absolute) now: local caches in this thread, remote ones in the
    background; then both again after ``SINMUN_PURGE_REPEAT_SECONDS``."""
    if not urls:
        return
    local, remote = _local_backend_names(), _remote_backend_names()
    if local:
        purge_urls_from_cache(urls, backends=local)
    repeat = float(getattr(settings, "SINMUN_PURGE_REPEAT_SECONDS", 2))
    if not remote and repeat <= 0:
        return

    def background():
        try:
            if remote:
                purge_urls_from_cache(urls, backends=remote)
            if repeat > 0:
                time.sleep(repeat)
                purge_urls_from_cache(urls, backends=local + remote)
        except Exception:  # noqa: BLE001 - a failed purge must not take a worker down
            logger.exception("purging %d URLs failed", len(urls))
        finally:
            _pending.discard(threading.current_thread())

    thread = threading.Thread(target=background, name="sinmun-purge", daemon=True)
    _pending.add(thread)
    thread.start()


def purge_on_change(sender, change: Change, **kwargs) -> list[str]:
    """``content_changed`` receiver: purge every page that shows ``change``; return the
    absolute URLs."""
    base = settings.SINMUN_BASE_URL
    urls = [base + path for path in paths_showing(change)]
    logger.info(
        "purge after %s %s %s: %d URLs",
        change.topic,
        change.reason,
        sorted(change.ids)[:5],
        len(urls),
    )
    urls_purge(urls)
    return urls
