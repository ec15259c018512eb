"""Highlighted titles and snippets for result lists: escape everything, then mark.

Matching is on the surface text: each query term (a noun, a compound, a stem) is
looked for as written, case-insensitively. Latin and number terms must stand alone
('19' is not marked inside '2019'); a one-syllable Korean term only at a word start.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SNIPPET_LENGTH = 150
LEAD_IN = 40


@lru_cache(maxsize=256)
def _pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        escaped = re.escape(term)
        if term.isascii():
            parts.append(rf"(?<![0-9a-z]){escaped}(?![0-9a-z])")
        elif len(term) == 1:
            parts.append(rf"(?<!\w){escaped}")
        else:
            parts.append(escaped)
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


def _spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    pattern = _pattern(terms)
    if pattern is None or not text:
        return []
    return [m.span() for m in pattern.finditer(text)]


def _mark(text: str, spans: list[tuple[int, int]]) -> SafeString:
    out, at = [], 0
    for start, end in spans:
        out.append(escape(text[at:start]))
        out.append("<mark>" + escape(text[start:end]) + "</mark>")
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped # nosec B308 B703


def highlight(text: str, terms: tuple[str, ...]) -> SafeString:
    return _mark(text, _spans(text, terms))


def snippet(text: str, terms: tuple[str, ...], length: int = SNIPPET_LENGTH) -> SafeString:
    """Return the passage of ``text`` with the most distinct query terms, marked."""
    spans = _spans(text, terms)
    if not spans:
        cut = text[:length]
        return mark_safe(escape(cut) + ("…" if len(text) > length else ""))  # noqa: S308 # nosec B308 B703
    best_start, best_score = spans[0][0], -1
    for start, _ in spans:
        window = {
            text[s:e].lower() for s, e in spans if start <= s and e <= start + length - LEAD_IN
        }
        if len(window) > best_score:
            best_start, best_score = start, len(window)
    begin = max(0, best_start - LEAD_IN)
    if begin:
        space = text.rfind(" ", begin - 15, begin + 1)
        begin = space + 1 if space > 0 else begin
    end = min(len(text), begin + length)
    if end < len(text):
        space = text.rfind(" ", end - 15, end)
        end = space if space > begin else end
    inside = [
        (max(s, begin) - begin, min(e, end) - begin) for s, e in spans if s < end and e > begin
    ]
    body = _mark(text[begin:end], inside)
    return mark_safe(  # noqa: S308 - body is escaped and marked by _mark # nosec B308 B703
        ("…" if begin else "") + body + ("…" if end < len(text) else "")
    )
