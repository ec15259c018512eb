"""Which reader pages show a change: the website's answer to the page purge.

``reader_pages`` receives ``sinmun.core.changes.pages_showing`` and returns the paths of
the website's cached pages that show the change; the purge (sinmun/delivery/purge.py)
asks every app the same question and purges all the answers.
"""

from __future__ import annotations

from sinmun.articles.models import Section
from sinmun.articles.selectors import (
    article_latest_list,
    article_neighbours,
    article_placements,
    articles_changed,
)
from sinmun.core.changes import Change
from sinmun.core.urls import reverse_or_none as _reverse

# An import of many articles purges the lists they appear in, not each new article's
# own page (never served yet) nor its neighbours'.
ARTICLE_PAGES_UP_TO = 50
# A change to what frames every page (site profile, banners, sections) renews every page
# in the application cache at once (its keys follow the site version); in nginx the
# pages readers land on most are refreshed at once and the rest within their max-age.
SITE_LATEST_ARTICLES = 30

RANKING_NAMES = ("articles:ranking", "articles:mobile_ranking")


def article_pages(pk: int) -> list[str | None]:
    """An article's own pages: PC, mobile, print."""
    return [
        _reverse("articles:article", pk),
        _reverse("articles:mobile_article", pk),
        _reverse("articles:article_print", pk),
    ]


def section_pages(code: str) -> list[str | None]:
    return [_reverse("articles:section", code), _reverse("articles:mobile_section", code)]


def home_pages() -> list[str | None]:
    return [_reverse("articles:home"), _reverse("articles:mobile_home")]


def ranking_pages() -> list[str | None]:
    paths: list[str | None] = []
    for name in RANKING_NAMES:
        path = _reverse(name)
        if path:
            paths += [path, f"{path}?period=week", f"{path}?period=month"]
    return paths


def _article_change(change: Change) -> list[str | None]:
    articles = articles_changed(change)
    few = len(articles) <= ARTICLE_PAGES_UP_TO
    paths: list[str | None] = []
    section_ids: set[int] = set()
    reporter_ids: set[int] = set()
    for article in articles:
        if few:
            paths += article_pages(article.pk)
            sections, reporters = article_placements(article)
        else:
            sections, reporters = {article.section_id} - {None}, {article.reporter_id} - {None}
        section_ids |= sections
        reporter_ids |= reporters
        if few and change.reason != "deleted":
            paths += [
                _reverse("articles:tag", slug)
                for slug in article.tags.values_list("slug", flat=True)
            ]
        if few and article.first_published_at and article.section_id:
            # The neighbours' 이전/다음 links show this article's title.
            for neighbour in article_neighbours(article=article):
                if neighbour is not None:
                    paths += article_pages(neighbour.pk)
    for code in Section.objects.filter(pk__in=section_ids).values_list("code", flat=True):
        paths += section_pages(code)
    paths += [_reverse("articles:reporter", r) for r in sorted(reporter_ids)]
    paths += home_pages()
    if change.reason != "published":
        # An article that leaves (unpublished, deleted) must leave the rankings too; a
        # new one enters them with time, which their max-age bounds.
        paths += ranking_pages()
    return paths


def _corrections_change(change: Change) -> list[str | None]:
    paths: list[str | None] = []
    for pk in sorted(change.ids):
        paths += article_pages(pk)
    paths.append(_reverse("newsroom:corrections"))
    return paths


def _site_change(change: Change) -> list[str | None]:
    paths: list[str | None] = [*home_pages(), *ranking_pages()]
    for code in Section.objects.values_list("code", flat=True):
        paths += section_pages(code)
    for article in article_latest_list(limit=SITE_LATEST_ARTICLES):
        paths += article_pages(article.pk)
    paths += [_reverse("newsroom:corrections"), _reverse("newsroom:youth_policy")]
    return paths


_BY_TOPIC = {
    "article": _article_change,
    "corrections": _corrections_change,
    "home": lambda change: home_pages(),
    "site": _site_change,
}


def reader_pages(sender, change: Change, **kwargs) -> list[str | None]:
    """``pages_showing`` receiver: the website's pages that show ``change``."""
    answer = _BY_TOPIC.get(change.topic)
    return answer(change) if answer else []
