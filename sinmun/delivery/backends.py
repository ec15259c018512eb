"""Frontend cache backends for ``WAGTAILFRONTENDCACHE`` (wagtail.contrib.frontend_cache).

``PageCacheBackend`` deletes pages from the application page cache (pagecache.py).
``NginxRefreshBackend`` asks nginx to fetch pages afresh. Debian's nginx has no purge
module in its default package, so deploy/nginx/sinmun.conf has a purge listener on
loopback: a GET through it bypasses the cache (``proxy_cache_bypass``), goes to the
app and stores the fresh answer under the same key, replacing the stale one. The page
is never missing from the cache, so a viral article never stampedes the app after an
edit. (Wagtail's own ``HTTPBackend`` sends the PURGE method, which nginx cannot cache
a response for; hence this backend.)
"""

from __future__ import annotations

import logging
import threading
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from sinmun.core import versions

from .pagecache import page_cache, page_key

logger = logging.getLogger(__name__)


class PageCacheBackend(BaseBackend):
    """Delete purged URLs from the application page cache."""

    local = True

    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        keys = []
        for url in urls:
            parts = urlsplit(url)
            keys.append(page_key(parts.path or "/", parts.query))
        page_cache().delete_many(keys)
        # Every process drops its in-memory copies (pagecache.py's first tier).
        versions.bump("pages")


class NginxRefreshBackend(BaseBackend):
    """Refresh purged URLs in nginx's cache through its loopback purge listener.

    ``LOCATION`` is the listener (``http://127.0.0.1:8081``); the Host header is the
    purged URL's host, as nginx's cache key is ``$host$request_uri``.
    """

    local = False

    def __init__(self, params):
        super().__init__(params)
        location = urlsplit(params["LOCATION"])
        self.scheme, self.netloc = location.scheme, location.netloc
        self.timeout = float(params.get("TIMEOUT", 10))
        # Each refresh is a render by an app worker: leave the others to readers.
        self.concurrency = int(params.get("CONCURRENCY", 2))

    def _refresh(self, url: str) -> None:
        parts = urlsplit(url)
        request = Request(  # noqa: S310 - the scheme comes from our own settings
            urlunsplit((self.scheme, self.netloc, parts.path or "/", parts.query, "")),
            headers={"Host": parts.netloc, "User-Agent": "sinmun-purge"},
        )
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310 # nosec B310
                response.read()
        except HTTPError as error:
            if error.code != 404:  # an unpublished article's page is now a 404: fine
                logger.warning("refreshing %s in nginx: HTTP %s", url, error.code)
        except (URLError, OSError) as error:
            logger.warning("refreshing %s in nginx failed: %s", url, error)

    def purge(self, url):
        self._refresh(url)

    def purge_batch(self, urls):
        # Plain threads, not concurrent.futures: a one-shot command purges while the
        # interpreter shuts down (purge.py waits at exit), when executors refuse work.
        urls = list(urls)
        chunks = [urls[i :: self.concurrency] for i in range(self.concurrency)]
        threads = [
            threading.Thread(target=lambda c=c: [self._refresh(u) for u in c], daemon=True)
            for c in chunks
            if c
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
