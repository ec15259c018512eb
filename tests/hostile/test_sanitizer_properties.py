"""The sanitizer under hypothesis: a fixed point, and nothing dangerous in what it returns.

``clean_html`` must give the same output when run on its own output (otherwise a save
and a re-save could differ, or a second pass could uncover markup), and the output, as a
browser parses it, holds only allowed elements, attributes and URL schemes.
``plain_text`` is checked the way it is used: its result escaped back into a page is text,
and reading that page's text again gives the same string.
"""

from __future__ import annotations

from django.utils.html import escape
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sinmun.core.sanitize import BODY_ATTRIBUTES, BODY_TAGS, clean_html, plain_text

from .checks import _local, page_problems, parse_fragment, url_is_dangerous
from .xss_corpus import PAYLOADS

TAGS = sorted(BODY_TAGS) + [
    "script",
    "style",
    "svg",
    "math",
    "mtext",
    "mglyph",
    "template",
    "noscript",
    "iframe",
    "form",
    "textarea",
    "title",
    "xmp",
    "select",
    "option",
    "img",
    "a",
    "table",
    "td",
]
ATTRS = [
    "href",
    "src",
    "srcset",
    "onerror",
    "onclick",
    "style",
    "id",
    "class",
    "title",
    "xlink:href",
    "colspan",
]
VALUES = [
    "javascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    " JAVASCRIPT:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://ok.example/",
    "/media/x.png 1x, javascript:alert(1) 2x",
    'x" onerror="alert(1)',
    "</style><img src=x onerror=alert(1)>",
    "1",
]


@st.composite
def markup(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 5))
        if kind == 0 or depth > 3:
            parts.append(
                draw(
                    st.text(
                        alphabet=st.sampled_from(list("<>&\"'=/ ab가!-\x00\u202e")), max_size=12
                    )
                )
            )
        elif kind == 1:
            parts.append(draw(st.sampled_from([p.text for p in PAYLOADS])))
        elif kind == 2:
            parts.append(
                draw(
                    st.sampled_from(
                        [
                            "<!--",
                            "-->",
                            "<![CDATA[",
                            "]]>",
                            "</p>",
                            "<p",
                            "</",
                            "&lt;",
                            "&#60;",
                            "&amp;",
                        ]
                    )
                )
            )
        else:
            tag = draw(st.sampled_from(TAGS))
            attrs = "".join(
                f' {draw(st.sampled_from(ATTRS))}="{draw(st.sampled_from(VALUES))}"'
                for _ in range(draw(st.integers(0, 2)))
            )
            inner = draw(markup(depth=depth + 1))
            close = draw(st.booleans())
            parts.append(f"<{tag}{attrs}>{inner}" + (f"</{tag}>" if close else ""))
    return "".join(parts)


def _allowed_only(html: str) -> list[str]:
    problems = []
    for el in parse_fragment(html).iter():
        name = _local(el.tag)
        if not name or name in ("div", "document_fragment"):  # the fragment's container
            continue
        if name not in BODY_TAGS:
            problems.append(f"<{name}>")
        allowed = BODY_ATTRIBUTES.get(name, set()) | BODY_ATTRIBUTES["*"] | {"rel"}
        for attr, value in el.attrib.items():
            if _local(attr) not in allowed:
                problems.append(f"<{name} {attr}>")
            listed = _local(attr) == "srcset"
            if _local(attr) in ("href", "src", "srcset") and url_is_dangerous(value, listed=listed):
                problems.append(f"<{name} {attr}={value!r}>")
    return problems


FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(markup())
@example("<a><table><a>")  # found by this test: a link misnested around a table
def test_clean_html_is_a_fixed_point_and_safe(value):
    once = clean_html(value)
    assert clean_html(once) == once
    assert not _allowed_only(once), (value, once)
    assert not page_problems(once, fragment=True), (value, once)


@FAST
@given(st.text(max_size=200))
def test_clean_html_on_any_text(value):
    once = clean_html(value)
    assert clean_html(once) == once
    assert not _allowed_only(once)


@FAST
@given(st.one_of(markup(), st.text(max_size=200)))
def test_plain_text_round_trips_as_text(value):
    text = plain_text(value)
    # Printed into a page (escaped, as templates do) it is text and nothing else ...
    assert not page_problems(escape(text), fragment=True)
    assert "\n" not in text and text == text.strip()
    # ... and reading that page's text back gives the same string: a fixed point.
    assert plain_text(escape(text)) == text


def test_every_corpus_payload_is_a_fixed_point():
    for p in PAYLOADS:
        once = clean_html(p.text)
        assert clean_html(once) == once, p.marker
        assert not _allowed_only(once), (p.marker, once)


def test_page_checker_catches_what_it_looks_for():
    """The HTML checker itself, on markup that would run (so a pass means something)."""
    bad = (
        "<html><head><script>alert(1)</script></head><body>"
        "<img src=x id=xss1 onerror=alert(1)><a href=' java&#x09;script:1'>x</a>"
        "<iframe></iframe><div style='x'></div>"
        '<script type="application/ld+json">{"a": "</script><script>1</script>"}</script>'
        "</body></html>"
    )
    found = " ".join(page_problems(bad))
    for expected in (
        "not ours",
        "injected element",
        "event handler",
        "script URL",
        "<iframe>",
        "style",
    ):
        assert expected in found, expected
