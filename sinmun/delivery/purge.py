"""Purge exactly the reader pages a publish, edit, unpublish or embargo lift changed.

The URLs go through Wagtail's frontend cache module (``wagtail.contrib.frontend_cache``)
to every backend in ``WAGTAILFRONTENDCACHE``: the application page cache
(``backends.PageCacheBackend``, synchronously, right after the transaction commits) and
nginx (``backends.NginxRefreshBackend``, from a background thread so the editor's
request never waits on it). Both run again ``SINMUN_PURGE_REPEAT_SECONDS`` later: a
reader request that read the old row just before the commit may store the old page
just after the first purge, and the second one removes it.

The ranking is not purged on publish: it changes with time, and its cache lifetime
(``SINMUN_PAGE_MAX_AGE``) bounds how stale it can be. Search result pages are not
purged either (their URLs are whatever readers typed); they expire the same way.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from wagtail.contrib.frontend_cache.utils import get_backends, purge_urls_from_cache

from sinmun.articles.models import Article, Section

logger = logging.getLogger(__name__)

# How many recent revisions to look at for sections and reporters the article was in
# before this edit: their list pages lose it.
_REVISIONS_LOOKED_AT = 5


def _reverse(name: str, *args) -> str | None:
    """Reverse a URL name that another app may or may not provide."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _section_paths(code: str) -> list[str | None]:
    return [
        _reverse("articles:section", code),
        _reverse("articles:mobile_section", code),
        _reverse("syndication:section_feed", code),
        _reverse("syndication:legacy_section_feed", code),
    ]


def _article_paths(pk: int) -> list[str | None]:
    return [
        _reverse("articles:article", pk),
        _reverse("articles:mobile_article", pk),
        _reverse("articles:article_print", pk),
    ]


def article_cached_paths(*, article: Article, reason: str = "published") -> list[str]:
    """Return the paths of every cached reader page that shows ``article``.

    The article's own pages (PC, mobile, print); the first page of its section lists and
    section feeds, now and in its recent revisions (an edit may move it); its reporter's
    and tags' lists; the articles before and after it in its section (their
    이전/다음 기사 links show its title); home, the mobile home, the paper's feeds and
    the news sitemap. On unpublish the ranking pages too, which may list it.
    """
    from sinmun.articles.selectors import article_neighbours

    paths: list[str | None] = [*_article_paths(article.pk)]

    section_ids = {article.section_id}
    reporter_ids = {article.reporter_id}
    if article.pk:
        recent = article.revisions.order_by("-created_at").values_list(
            "content__section", "content__reporter"
        )[:_REVISIONS_LOOKED_AT]
        for section_id, reporter_id in recent:
            section_ids.add(section_id)
            reporter_ids.add(reporter_id)
    codes = Section.objects.filter(pk__in=[s for s in section_ids if s]).values_list(
        "code", flat=True
    )
    for code in codes:
        paths += _section_paths(code)
    paths += [_reverse("articles:reporter", r) for r in reporter_ids if r]
    if article.pk and reason != "deleted":
        paths += [
            _reverse("articles:tag", slug) for slug in article.tags.values_list("slug", flat=True)
        ]

    if article.first_published_at and article.section_id:
        for neighbour in article_neighbours(article=article):
            if neighbour is not None:
                paths += _article_paths(neighbour.pk)

    paths += [
        _reverse("articles:home"),
        _reverse("articles:mobile_home"),
        _reverse("syndication:feed"),
        _reverse("syndication:legacy_feed"),
        _reverse("syndication:news_sitemap"),
    ]
    if reason != "published":
        for name in ("articles:ranking", "articles:mobile_ranking"):
            path = _reverse(name)
            if path:
                paths += [path, f"{path}?period=week", f"{path}?period=month"]

    seen: dict[str, None] = {}
    for path in paths:
        if path:
            seen.setdefault(path, None)
    return list(seen)


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


def article_purge(*, article: Article, reason: str = "published") -> list[str]:
    """Purge the pages showing ``article`` once the current transaction commits; return
    their absolute URLs."""
    base = settings.SINMUN_BASE_URL
    urls = [base + path for path in article_cached_paths(article=article, reason=reason)]
    logger.info("purge after %s of article %s: %d URLs", reason, article.pk, len(urls))
    transaction.on_commit(lambda: urls_purge(urls))
    return urls
