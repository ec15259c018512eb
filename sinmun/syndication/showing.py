"""Which feeds and sitemaps show a change: syndication's answer to the page purge
(``sinmun.core.changes.pages_showing``; sinmun/delivery/purge.py purges the answers)."""

from __future__ import annotations

from sinmun.articles.models import Section
from sinmun.articles.selectors import article_placements, articles_changed
from sinmun.core.changes import Change
from sinmun.core.urls import reverse_or_none as _reverse


def _section_feeds(codes) -> list[str | None]:
    paths: list[str | None] = []
    for code in codes:
        paths += [
            _reverse("syndication:section_feed", code),
            _reverse("syndication:legacy_section_feed", code),
        ]
    return paths


def feeds_and_sitemaps(sender, change: Change, **kwargs) -> list[str | None]:
    """``pages_showing`` receiver: the paper's feeds and news sitemap show every article
    change; a section's feed its own articles; every feed the site's name and logo."""
    if change.topic == "article":
        section_ids: set[int] = set()
        for article in articles_changed(change):
            section_ids |= article_placements(article)[0]
        codes = Section.objects.filter(pk__in=section_ids).values_list("code", flat=True)
        return [
            _reverse("syndication:feed"),
            _reverse("syndication:legacy_feed"),
            _reverse("syndication:news_sitemap"),
            *_section_feeds(codes),
        ]
    if change.topic == "site":
        codes = Section.objects.values_list("code", flat=True)
        return [
            _reverse("syndication:feed"),
            _reverse("syndication:legacy_feed"),
            *_section_feeds(codes),
        ]
    return []
