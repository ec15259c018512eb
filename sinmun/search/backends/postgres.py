"""Search on PostgreSQL: a tsvector per article over the analyser's terms, GIN-indexed.

The tsvector is built from its literal form (``'term':1A``), not by ``to_tsvector``,
so no text-search parser, dictionary or server locale changes a term: the index holds
exactly what the analyser produced, as the SQLite backend does. Queries are tsquery
literals of quoted terms. Weights: title A, subtitle/reporter/tags B, body D.
"""

# SQL here is assembled only from constant table names and placeholder conditions; every
# value, the match expression included, is passed as a query parameter.
# ruff: noqa: S608

from __future__ import annotations

from .base import (
    ARTICLE_TABLE,
    IndexDocument,
    SearchBackend,
    SearchQuery,
    render_clauses,
)

# bandit B608 is silenced on the lines below: SQL text here is built from the table-name constants
# and %s placeholders only; every value is passed as a parameter.
TABLE = "search_article"
FIELD_WEIGHTS = (("title", "A"), ("subtitle", "B"), ("reporter", "B"), ("tags", "B"), ("body", "D"))
MAX_POSITION = 16383  # PostgreSQL's limit for a tsvector position
MAX_POSITIONS_PER_TERM = 256


def _quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(document: IndexDocument) -> str:
    positions: dict[str, list[str]] = {}
    position = 0
    for name, weight in FIELD_WEIGHTS:
        for term in getattr(document, name):
            position = min(position + 1, MAX_POSITION)
            slots = positions.setdefault(term, [])
            if len(slots) < MAX_POSITIONS_PER_TERM:
                slots.append(f"{position}{weight}")
    return " ".join(f"{_quote(t)}:{','.join(p)}" for t, p in positions.items())


def tsquery_literal(terms, operator: str) -> str:
    return f" {operator} ".join(_quote(t) for t in terms)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def index(self, documents: list[IndexDocument]) -> None:
        if not documents:
            return
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (article_id, document) VALUES (%s, %s::tsvector) "  # nosec B608
                "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document",
                [(d.article_id, tsvector_literal(d)) for d in documents],
            )

    def remove(self, article_ids: list[int]) -> None:
        if not article_ids:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE article_id = ANY(%s)", [list(article_ids)])  # nosec B608

    def remove_missing(self, live_ids_sql: str, params: list) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE article_id NOT IN ({live_ids_sql})", params)  # nosec B608
            return cursor.rowcount

    def indexed_ids(self) -> set[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT article_id FROM {TABLE}")  # nosec B608
            return {row[0] for row in cursor.fetchall()}

    def _match(self, query: SearchQuery) -> str:
        return render_clauses(query.clauses, _quote, "&", "|")

    def newest_matches(self, query: SearchQuery, limit: int, offset: int = 0) -> list[int]:
        conditions, params = self.article_conditions(query.filters)
        sql = (
            f"SELECT a.id FROM {ARTICLE_TABLE} a WHERE {conditions} AND a.id IN "  # nosec B608: table names and conditions are our own constants; values are parameters
            f"(SELECT article_id FROM {TABLE} WHERE document @@ %s::tsquery) "
            "ORDER BY a.first_published_at DESC, a.id DESC LIMIT %s OFFSET %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, self._match(query), limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def scores(self, query: SearchQuery, article_ids: list[int]) -> dict[int, float]:
        # Rank with every query term, so compounds found raise the score (as on SQLite).
        terms = dict.fromkeys(t for c in query.clauses for t in c.terms)
        rank = tsquery_literal([*terms, *query.optional], "|")
        sql = (
            f"SELECT article_id, ts_rank(document, %s::tsquery, 1) FROM {TABLE} "  # nosec B608: table names and conditions are our own constants; values are parameters
            "WHERE article_id = ANY(%s)"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [rank, list(article_ids)])
            return {row[0]: row[1] for row in cursor.fetchall()}

    def count_all(self, query: SearchQuery) -> int:
        conditions, params = self.article_conditions(query.filters)
        sql = (
            f"SELECT count(*) FROM {ARTICLE_TABLE} a WHERE {conditions} AND a.id IN "  # nosec B608: table names and conditions are our own constants; values are parameters
            f"(SELECT article_id FROM {TABLE} WHERE document @@ %s::tsquery)"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, self._match(query)])
            return cursor.fetchone()[0]
