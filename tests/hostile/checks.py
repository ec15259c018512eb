"""What "nothing executes" means for a page, checked on the parse a browser would make.

Pages are parsed with html5lib (the WHATWG algorithm browsers follow), so markup that
only turns dangerous when re-parsed (mutation XSS) is judged as the browser sees it.
"""

from __future__ import annotations

import json
import re
from xml.etree.ElementTree import Element

import html5lib
from defusedxml import ElementTree as SafeET

# URL-bearing attributes a browser follows or runs.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "background",
    "poster",
    "srcset",
    "xlink:href",
    "{http://www.w3.org/1999/xlink}href",
    "content",
}
# What a browser drops from a URL before reading its scheme: leading/trailing C0
# controls and spaces, and tabs and newlines anywhere (WHATWG URL parser).
_URL_NOISE = re.compile(r"[\t\n\r]")
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data|livescript):", re.IGNORECASE)
# Elements our templates never emit and a sanitised text must never bring.
FOREIGN_ELEMENTS = {
    "iframe",
    "object",
    "embed",
    "base",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "svg",
    "math",
    "template",
    "style",
    "noscript",
    "xmp",
    "plaintext",
    "isindex",
    "keygen",
    "marquee",
    "details",
    "video",
    "audio",
    "frameset",
    "applet",
}
MARKER = re.compile(r"xss\d+")
# Foreign elements sinmun's own templates use (the masthead search form, the search
# page's filters); an injected one carries a marker id, which is checked separately.
PAGE_ELEMENTS = {"form", "input", "button", "select", "details"}


def url_is_dangerous(value: str, *, listed: bool = False) -> bool:
    """Whether a browser would run ``value`` as a script URL. ``listed``: the attribute
    holds URLs after other text (srcset candidates, a meta refresh's ``url=``)."""
    cleaned = _URL_NOISE.sub("", value).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
        "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
        "\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )
    if _BAD_SCHEME.match(cleaned):
        return True
    if not listed:
        return False
    return bool(re.search(r"(?:^|[\s,;=])\s*(?:javascript|vbscript):", cleaned, re.IGNORECASE))


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return tag.rsplit("}", 1)[-1].lower()


def parse(html: str) -> Element:
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def parse_fragment(html: str) -> Element:
    return html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)


def page_problems(html: str, *, allowed_forms: set[str] | None = None, fragment=False) -> list[str]:
    """Every way ``html`` could run a script or carry an injected element.

    ``allowed_forms``: names of foreign elements the page's own template uses (the
    search page has a <form>, the e-mail page inputs).
    """
    allowed = (set() if fragment else PAGE_ELEMENTS) | (allowed_forms or set())
    root = parse_fragment(html) if fragment else parse(html)
    problems = []
    for el in root.iter():
        name = _local(el.tag)
        if not name:
            continue
        if name == "script":
            problems.extend(_script_problems(el))
        elif name in FOREIGN_ELEMENTS and name not in allowed:
            problems.append(f"<{name}> element")
        elif name == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            problems.append("meta refresh")
        elif name == "link" and (el.get("rel") or "").lower() not in {
            "stylesheet",
            "canonical",
            "alternate",
            "icon",
            "apple-touch-icon",
            "manifest",
            "preload",
        }:
            problems.append(f"link rel={el.get('rel')}")
        for attr, value in el.attrib.items():
            local = _local(attr)
            if local.startswith("on"):
                problems.append(f"<{name} {local}=…> event handler")
            if local == "id" and MARKER.fullmatch(value or ""):
                problems.append(f"<{name} id={value}> injected element")
            if local == "style":
                problems.append(f"<{name} style> attribute")
            if local == "content" and not el.get("http-equiv"):
                continue  # a meta's text (description, og:title), not a URL
            listed = local in {"srcset", "content"}
            if (local in URL_ATTRIBUTES or attr in URL_ATTRIBUTES) and url_is_dangerous(
                value, listed=listed
            ):
                problems.append(f"<{name} {local}={value[:60]!r}> script URL")
    return problems


def _script_problems(el: Element) -> list[str]:
    kind = (el.get("type") or "").lower()
    text = el.text or ""
    if kind == "application/ld+json":
        try:
            json.loads(text)
        except ValueError as error:
            return [f"JSON-LD does not parse: {error}"]
        if re.search(r"</script|<!--|<script", text, re.IGNORECASE):
            return ["JSON-LD holds an unescaped </script or <!--"]
        return []
    src = el.get("src") or ""
    if src.startswith("/static/") and not text.strip():
        return []
    return [f"<script> not ours: src={src[:60]!r} text={text[:60]!r}"]


def xml_problems(body: bytes, *, html_in=("description",)) -> list[str]:
    """A feed or sitemap: well-formed XML, and the HTML it carries for feed readers
    (``<description>``) safe by the same rules as a page."""
    try:
        root = SafeET.fromstring(body)
    except SafeET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    problems = []
    for el in root.iter():
        # Only RSS's own <description> is HTML; media:description is plain text.
        if isinstance(el.tag, str) and el.tag in html_in and el.text:
            problems.extend(page_problems(el.text, fragment=True))
    return problems
