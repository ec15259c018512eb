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
    "img": {
        "src",
        "alt",
        "width",
        "height",
        "srcset",
        "sizes",
        "loading",
        "decoding",
        "fetchpriority",
    },
    "source": {"srcset", "type", "sizes"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "*": {"class", "lang"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


# A scheme at the start of a URL, once the characters browsers ignore there are gone.
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")


def _url_allowed(url: str) -> bool:
    match = _SCHEME.match(_URL_IGNORED.sub("", html.unescape(url)))
    return match is None or match.group(1).lower() in URL_SCHEMES


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # nh3 checks the scheme of href and src but not of the URLs listed in srcset
    # (tests/hostile found <img srcset="javascript:…"> kept).
    if attribute == "srcset":
        for candidate in value.split(","):
            url = candidate.strip().split(" ", 1)[0]
            if url and not _url_allowed(url):
                return None
    return value


# An <img> start tag as nh3 writes it (attribute values quoted, `>` inside them escaped)
# that has no alt attribute.
_IMG_WITHOUT_ALT = re.compile(r'<img(?![^>]*\salt=")(?=[\s>/])')


def clean_html(value: str) -> str:
    """Return ``value`` with every tag, attribute and URL outside the allow-list removed.

    An image without an ``alt`` (imported bodies often have none) gets ``alt=""``: screen
    readers then skip it instead of reading its file name, and the page stays valid HTML.
    A real description is the photo block's 대체 텍스트, which the desk fills in.
    """
    cleaned = _clean_once(value or "")
    # Misnested markup (an <a> inside a <table> inside an <a>) is repaired by the HTML
    # parser one step per pass; clean until the output no longer changes, so what is
    # stored is exactly what the next save would store (tests/hostile found it).
    for _ in range(3):
        again = _clean_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    if "<img" in cleaned:
        cleaned = _IMG_WITHOUT_ALT.sub('<img alt=""', cleaned)
    return cleaned


def _clean_once(value: str) -> str:
    return nh3.clean(
        value,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_filter_attribute,
    )


_SPACE = re.compile(r"\s+")

# Elements that end a run of text: a reader sees a line break between two of them, so
# their plain text needs a space. Rendered bodies join blocks with nothing in between
# ("<p>밝혔다.</p><p>시는</p>"), and without it the excerpt, the feed, the search snippet
# and the search index read "밝혔다.시는", which also defeats Kiwi's morpheme analysis.
# Inline elements (b, a, span, …) are not here: "<b>밝</b>혔다" is one word.
TEXT_BREAK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
# After nh3 has kept only TEXT_BREAK_TAGS, without attributes, every "<" left starts one
# of those tags (a "<" in the text comes out as "&lt;").
_KEPT_TAG = re.compile(r"<[^>]*>")


def plain_text(value: str) -> str:
    """Return the visible text of an HTML fragment, whitespace collapsed, with a space
    where one block (paragraph, heading, quote, caption, list item, cell) meets the next.
    """
    text = nh3.clean(
        value or "", tags=TEXT_BREAK_TAGS, attributes={}, link_rel=None, strip_comments=True
    )
    return _SPACE.sub(" ", html.unescape(_KEPT_TAG.sub(" ", text))).strip()


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, ending with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


# What Wagtail's rich-text editor (Draftail) can hold for a body paragraph: the features
# in sinmun/articles/blocks.py, plus Wagtail's own link attributes.
EDITOR_TAGS = {"p", "br", "b", "strong", "i", "em", "a", "h2", "h3", "ol", "ul", "li", "sup", "sub"}
EDITOR_ATTRIBUTES = {"a": {"href", "linktype", "id"}}


def editor_html(source: str) -> str:
    """``source`` reduced to what the editor holds, balanced and well-formed."""
    return nh3.clean(
        source or "",
        tags=EDITOR_TAGS,
        attributes=EDITOR_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
