"""Reads of the search index for the reader's search page."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from django.utils import timezone

from sinmun.articles.models import Article
from sinmun.core.sanitize import plain_text

from .analyzer import AnalysedQuery
from .backends import SearchFilters, SearchQuery, get_backend
from .backends.base import COUNT_CAP
from .highlight import highlight, snippet


class SearchResults(Sequence):
    """A lazy, sliceable result list for Django's Paginator: one count, one page query.

    Each article in a slice carries ``title_html`` and ``snippet_html``: escaped text
    with the query's terms in ``<mark>``.
    """

    def __init__(self, query: SearchQuery, analysed: AnalysedQuery):
        self.query = query
        self.analysed = analysed
        self.backend = get_backend()

    @cached_property
    def _counted(self) -> int:
        return self.backend.count(self.query, cap=COUNT_CAP)

    @property
    def total(self) -> int:
        """Matches counted up to COUNT_CAP; beyond, COUNT_CAP (``capped`` says so)."""
        return min(self._counted, COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self._counted > COUNT_CAP

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if not isinstance(index, slice):
            items = self[index : index + 1]
            if not items:
                raise IndexError(index)
            return items[0]
        start = index.start or 0
        stop = self.total if index.stop is None else index.stop
        if stop <= start:
            return []
        hits = self.backend.search(self.query, offset=start, limit=stop - start)
        articles = (
            Article.objects.select_related("section", "reporter")
            .only(
                "id",
                "title",
                "subtitle",
                "rendered_body",
                "first_published_at",
                "section__name",
                "section__code",
                "reporter__name",
            )
            .in_bulk(hits.ids)
        )
        terms = self.analysed.highlight_terms
        results = []
        for pk in hits.ids:
            article = articles.get(pk)
            if article is None:  # deleted between the two queries
                continue
            article.title_html = highlight(article.title, terms)
            text = plain_text(article.rendered_body)
            if article.subtitle:
                text = f"{article.subtitle} · {text}" if text else article.subtitle
            article.snippet_html = snippet(text, terms)
            results.append(article)
        return results


def article_search(
    *,
    analysed: AnalysedQuery,
    section_id: int | None = None,
    reporter_id: int | None = None,
    start=None,
    end=None,
    order: str = "relevance",
) -> SearchResults:
    filters = SearchFilters(
        now=timezone.now(),
        section_id=section_id,
        reporter_id=reporter_id,
        start=start,
        end=end,
    )
    query = SearchQuery(
        clauses=analysed.clauses, optional=analysed.optional, filters=filters, order=order
    )
    return SearchResults(query, analysed)
