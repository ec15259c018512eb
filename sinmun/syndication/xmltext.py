"""Text fit for XML 1.0: feeds and sitemaps drop the characters XML cannot carry.

A headline pasted from a word processor can hold a vertical tab (U+000B) or another C0
control character. XML 1.0 has no way to write them, so Django's feed writer raised
(a 500 on /rss/) and the news sitemap came out malformed (tests/hostile). They are
invisible, so they are dropped.
"""

from __future__ import annotations

import re

from django.utils.xmlutils import SimplerXMLGenerator

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value):
    """``value`` without the characters XML 1.0 forbids (non-strings pass through)."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    return value


class XmlSafeGenerator(SimplerXMLGenerator):
    """Django's XML writer, dropping forbidden characters instead of raising."""

    def characters(self, content):
        super().characters(xml_text(content))

    def startElement(self, name, attrs):  # noqa: N802 - the SAX method name
        super().startElement(name, {key: xml_text(value) for key, value in attrs.items()})
