"""The search boundary: what the rest of sinmun asks of a search index.

A backend stores one document per live article (fields already reduced to analyser
terms, see ``sinmun.search.analyzer``) and answers a query — required terms, optional
rank-raising terms, reader filters — with a ranked page of article ids and a total.
Visibility (live, registered no later than now) is applied at query time, so an
embargoed article becomes findable at its time without another write.

Moving search to OpenSearch with nori is a new subclass of :class:`SearchBackend`
(docs/search.md); views, signals and the rebuild command do not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Relative weight of each field in ranking; the backends map these to their own knobs.
ARTICLE_TABLE = "articles_article"
# Results are counted up to this many ("1,000건 이상" beyond): counting every match of a
# common word joins each one with its article, which costs seconds at 100,000 articles.
COUNT_CAP = 1000
# A relevance ranking orders the RANK_WINDOW newest matches (by article number) by
# score: a reader sees at most 50 pages of 10, and in a news archive the newest matches
# of a common word are the ones wanted. Queries with fewer matches rank them all.
RANK_WINDOW = 2000
FIELDS = ("title", "subtitle", "body", "reporter", "tags")


@dataclass(frozen=True)
class IndexDocument:
    article_id: int
    title: list[str]
    subtitle: list[str]
    body: list[str]
    reporter: list[str]
    tags: list[str]

    def field_text(self, name: str) -> str:
        return " ".join(getattr(self, name))


@dataclass(frozen=True)
class SearchFilters:
    now: datetime
    section_id: int | None = None
    reporter_id: int | None = None
    start: datetime | None = None  # inclusive, registered time
    end: datetime | None = None  # exclusive


@dataclass(frozen=True)
class SearchQuery:
    """Every clause must match; a clause is all its units, or else its surface term.

    ``clauses`` holds :class:`sinmun.search.analyzer.Clause` objects (``units``,
    ``surface``); ``optional`` terms only raise the rank of articles that hold them.
    """

    clauses: tuple
    optional: tuple[str, ...] = ()
    filters: SearchFilters | None = None
    order: str = "relevance"  # or "newest"


@dataclass
class SearchHits:
    ids: list[int] = field(default_factory=list)
    total: int = 0


def render_clauses(clauses, quote, and_op: str, or_op: str) -> str:
    """Write clauses as a boolean expression of quoted terms (FTS5 or tsquery syntax)."""
    parts = []
    for clause in clauses:
        expression = f" {and_op} ".join(quote(t) for t in clause.units)
        if len(clause.units) > 1:
            expression = f"({expression})"
        if clause.surface:
            expression = f"({expression} {or_op} {quote(clause.surface)})"
        parts.append(expression)
    return f" {and_op} ".join(parts)


class SearchBackend:
    """Base class; subclasses implement storage and querying for one engine."""

    vendor = ""

    def __init__(self, connection):
        self.connection = connection
        self._candidates: dict = {}

    def candidates(self, query: SearchQuery) -> list[int]:
        """The RANK_WINDOW newest visible matches, newest first (memoised per query, so
        a result page's count and its page of ids share one query)."""
        if query not in self._candidates:
            self._candidates[query] = self.newest_matches(query, RANK_WINDOW)
        return self._candidates[query]

    def newest_matches(self, query: SearchQuery, limit: int, offset: int = 0) -> list[int]:
        raise NotImplementedError

    def scores(self, query: SearchQuery, article_ids: list[int]) -> dict[int, float]:
        """A relevance score per article among ``article_ids`` (higher is better)."""
        raise NotImplementedError

    def count_all(self, query: SearchQuery) -> int:
        raise NotImplementedError

    def search(self, query: SearchQuery, *, offset: int, limit: int) -> SearchHits:
        """Newest first, or by score among the RANK_WINDOW newest matches (ties: newer
        first). The reader's page never goes past 50 pages, well inside the window."""
        if not query.clauses:
            return SearchHits()
        if offset + limit > RANK_WINDOW and query.order == "newest":
            return SearchHits(ids=self.newest_matches(query, limit, offset))
        ids = self.candidates(query)
        if query.order != "newest" and ids:
            scores = self.scores(query, ids)
            position = {pk: i for i, pk in enumerate(ids)}
            ids = sorted(ids, key=lambda pk: (-scores.get(pk, 0.0), position[pk]))
        return SearchHits(ids=ids[offset : offset + limit])

    def count(self, query: SearchQuery, *, cap: int | None = None) -> int:
        """How many visible articles match; with ``cap``, at most ``cap + 1``."""
        if not query.clauses:
            return 0
        found = len(self.candidates(query))
        if found < RANK_WINDOW:
            return found
        if cap is not None and cap < RANK_WINDOW:
            return cap + 1
        return self.count_all(query)

    def index(self, documents: list[IndexDocument]) -> None:
        """Insert or replace the documents."""
        raise NotImplementedError

    def remove(self, article_ids: list[int]) -> None:
        raise NotImplementedError

    def remove_missing(self, live_ids_sql: str, params: list) -> int:
        """Drop documents whose article id is not in ``live_ids_sql``; return how many."""
        raise NotImplementedError

    def indexed_ids(self) -> set[int]:
        raise NotImplementedError

    def stored_documents(self, article_ids: list[int]) -> dict[int, IndexDocument] | None:
        """The indexed terms of these articles per field, if the engine keeps them apart
        (then a rename re-analyses only the names); ``None`` when it does not."""
        return None

    # Shared SQL for the article side of a query: visibility and reader filters.
    def article_conditions(self, filters: SearchFilters, alias: str = "a") -> tuple[str, list]:
        ops = self.connection.ops
        when = ops.adapt_datetimefield_value
        conditions = [f"{alias}.live = %s", f"{alias}.first_published_at <= %s"]
        params: list = [True, when(filters.now)]
        if filters.section_id is not None:
            conditions.append(f"{alias}.section_id = %s")
            params.append(filters.section_id)
        if filters.reporter_id is not None:
            conditions.append(f"{alias}.reporter_id = %s")
            params.append(filters.reporter_id)
        if filters.start is not None:
            conditions.append(f"{alias}.first_published_at >= %s")
            params.append(when(filters.start))
        if filters.end is not None:
            conditions.append(f"{alias}.first_published_at < %s")
            params.append(when(filters.end))
        return " AND ".join(conditions), params
