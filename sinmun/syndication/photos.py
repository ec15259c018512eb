"""The lead photo of an article and absolute URLs, read from the stored ``rendered_body``.

Feeds, Open Graph and JSON-LD need the article's first photo. It is taken from the
sanitized HTML the article already stores, not from the body blocks, so it costs no
query and no image processing: the photo block's template wrote the renditions'
URLs and sizes into ``<img src srcset width height>`` when the article was saved.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.conf import settings
from django.core.files.storage import default_storage

_MIME = {".webp": "image/webp", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


@dataclass(frozen=True)
class LeadPhoto:
    url: str  # as written in the body: usually a path under MEDIA_URL
    width: int | None
    height: int | None
    alt: str

    @property
    def mime_type(self) -> str:
        path = self.url.split("?", 1)[0].lower()
        for ext, mime in _MIME.items():
            if path.endswith(ext):
                return mime
        return mimetypes.guess_type(path)[0] or "image/jpeg"

    def absolute_url(self) -> str:
        return absolute(self.url)

    def file_size(self) -> int:
        """Return the size in bytes of a photo stored in media storage, or 0 if unknown.

        RSS wants a length on an enclosure; 0 is what feed validators accept when the
        size is not known (a photo hosted elsewhere).
        """
        media_url = settings.MEDIA_URL
        if not self.url.startswith(media_url):
            return 0
        try:
            return default_storage.size(self.url[len(media_url) :])
        except (OSError, NotImplementedError, ValueError):
            return 0


class _FirstImage(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "img" and self.attrs is None:
            self.attrs = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def lead_photo(rendered_body: str) -> LeadPhoto | None:
    """Return the first photo of a body, in its largest stored size, or None."""
    if "<img" not in (rendered_body or ""):
        return None
    parser = _FirstImage()
    parser.feed(rendered_body)
    parser.close()
    attrs = parser.attrs
    if not attrs or not attrs.get("src"):
        return None
    url, width, height = attrs["src"], _int(attrs.get("width", "")), _int(attrs.get("height", ""))
    # The photo block lists a wider rendition in srcset ("<url> 1200w"); portals prefer it.
    best = 0
    for candidate in attrs.get("srcset", "").split(","):
        parts = candidate.split()
        if len(parts) == 2 and parts[1].endswith("w") and parts[1][:-1].isdigit():
            w = int(parts[1][:-1])
            if w > best:
                best, best_url = w, parts[0]
    if best and (width is None or best > width):
        if width and height:
            height = round(height * best / width)
        url, width = best_url, best
    return LeadPhoto(url=url, width=width, height=height, alt=attrs.get("alt", ""))


def absolute(url: str) -> str:
    """Return ``url`` made absolute against ``SINMUN_BASE_URL`` (site paths only)."""
    if url.startswith("/") and not url.startswith("//"):
        return settings.SINMUN_BASE_URL + url
    return url


_URL_ATTR = re.compile(r'(\s(?:src|href))="(/(?!/)[^"]*)"')
_SRCSET_ATTR = re.compile(r'(\ssrcset)="([^"]*)"')


def absolutize_html(fragment: str) -> str:
    """Return an HTML fragment with site-relative links and images made absolute.

    A feed is read away from the site, where ``/media/…`` means nothing. The fragment is
    the sanitizer's output, so attributes are always double-quoted.
    """
    base = settings.SINMUN_BASE_URL

    def srcset(match):
        items = []
        for candidate in match.group(2).split(","):
            parts = candidate.strip().split(None, 1)
            if parts:
                parts[0] = absolute(parts[0])
            items.append(" ".join(parts))
        return f'{match.group(1)}="{", ".join(items)}"'

    fragment = _URL_ATTR.sub(lambda m: f'{m.group(1)}="{base}{m.group(2)}"', fragment)
    return _SRCSET_ATTR.sub(srcset, fragment)
