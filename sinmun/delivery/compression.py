"""gzip for the default install, where no nginx sits in front to compress.

Behind nginx (deploy/nginx) the app gets no ``Accept-Encoding`` and compresses nothing:
nginx compresses, with brotli where it can. Without nginx, ``CompressionMiddleware``
compresses text answers (pages, feeds, sitemaps, JSON); images, video and the static
files (WhiteNoise answers before this middleware, with its own precompressed copies)
pass untouched. Page-cache hits are compressed once per cached copy
(``pagecache.gzipped``), not once per reader.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.text import compress_string

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)
# Below this the gzip header and trailer outweigh the saving (Django's own threshold).
MIN_LENGTH = 200


def accepts_gzip(request) -> bool:
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def compress(content: bytes) -> bytes:
    """gzip ``content`` deterministically: for anonymous cached pages, which hold no secret
    (the page cache stores no answer that sets a cookie), so BREACH has nothing to find."""
    return compress_string(content)


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its BREACH padding), for text answers only."""

    def process_response(self, request, response):
        if not settings.SINMUN_GZIP or not response.get("Content-Type", "").startswith(
            COMPRESSIBLE
        ):
            return response
        return super().process_response(request, response)
