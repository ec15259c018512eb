"""The one HTML sanitizer for everything readers see.

Whatever path text takes into sinmun (the editor, an import, a script), the HTML that
reaches a reader passes through :func:`clean_html`, built on nh3 (Ammonia). The allow-list
is what a news body needs and nothing that can run code.
"""

import html
import re

import nh3

BODY_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "mark",
    "small",
    "a",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "cite",
    "hr",
    "figure",
    "figcaption",
    "img",
    "picture",
    "source",
    "span",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
}
BODY_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "source": {"srcset", "type", "sizes"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "*": {"class", "lang"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_html(value: str) -> str:
    """Return ``value`` with every tag, attribute and URL outside the allow-list removed."""
    return nh3.clean(
        value or "",
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_SPACE = re.compile(r"\s+")


def plain_text(value: str) -> str:
    """Return the visible text of an HTML fragment, whitespace collapsed."""
    text = nh3.clean(value or "", tags=set(), strip_comments=True)
    return _SPACE.sub(" ", html.unescape(text)).strip()


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, ending with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"
