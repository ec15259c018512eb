"""Search on SQLite: an FTS5 table over the analyser's terms, ranked by bm25.

The table holds space-separated terms (letters and digits only), so FTS5's
``unicode61`` tokenizer splits them back exactly; the reader's words never reach the
MATCH expression, only quoted terms produced by the analyser.
"""

# SQL here is assembled only from constant table names and placeholder conditions; every
# value, the match expression included, is passed as a query parameter.
# ruff: noqa: S608

from __future__ import annotations

from .base import (
    ARTICLE_TABLE,
    IndexDocument,
    SearchBackend,
    SearchHits,
    SearchQuery,
    render_clauses,
)

TABLE = "search_article_fts"
# bm25 weights in column order: title, subtitle, body, reporter, tags.
WEIGHTS = "10.0, 4.0, 1.0, 4.0, 4.0"


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_expression(clauses, optional=()) -> str:
    """Return an FTS5 expression: every clause; optional terms only raise bm25."""
    expression = render_clauses(clauses, _quote, "AND", "OR")
    if optional:
        # Always true when the clauses match (it repeats the first of them), but bm25
        # counts the hits of every phrase, so the compounds found raise the score.
        first = render_clauses(clauses[:1], _quote, "AND", "OR")
        boost = " OR ".join([*(_quote(t) for t in optional), first])
        expression = f"{expression} AND ({boost})"
    return expression


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    def index(self, documents: list[IndexDocument]) -> None:
        if not documents:
            return
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {TABLE} WHERE rowid = %s", [(d.article_id,) for d in documents]
            )
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, subtitle, body, reporter, tags) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (
                        d.article_id,
                        d.field_text("title"),
                        d.field_text("subtitle"),
                        d.field_text("body"),
                        d.field_text("reporter"),
                        d.field_text("tags"),
                    )
                    for d in documents
                ],
            )

    def remove(self, article_ids: list[int]) -> None:
        if not article_ids:
            return
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {TABLE} WHERE rowid = %s", [(pk,) for pk in article_ids]
            )

    def remove_missing(self, live_ids_sql: str, params: list) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid NOT IN ({live_ids_sql})", params)
            return cursor.rowcount

    def indexed_ids(self) -> set[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {TABLE}")
            return {row[0] for row in cursor.fetchall()}

    # CROSS JOIN makes SQLite drive the join from the FTS match (a few thousand rows at
    # most) instead of scanning the articles and testing MATCH on each one.
    def _where(self, query: SearchQuery, match: str) -> tuple[str, list]:
        conditions, params = self.article_conditions(query.filters)
        return f"{TABLE} MATCH %s AND {conditions}", [match, *params]

    def search(self, query: SearchQuery, *, offset: int, limit: int) -> SearchHits:
        if not query.clauses:
            return SearchHits()
        where, params = self._where(query, match_expression(query.clauses, query.optional))
        if query.order == "newest":
            order = "a.first_published_at DESC, a.id DESC"
        else:
            order = f"bm25({TABLE}, {WEIGHTS}), a.first_published_at DESC, a.id DESC"
        sql = (
            f"SELECT {TABLE}.rowid FROM {TABLE} "
            f"CROSS JOIN {ARTICLE_TABLE} a ON a.id = {TABLE}.rowid "
            f"WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return SearchHits(ids=[row[0] for row in cursor.fetchall()])

    def count(self, query: SearchQuery) -> int:
        if not query.clauses:
            return 0
        where, params = self._where(query, match_expression(query.clauses))
        sql = (
            f"SELECT count(*) FROM {TABLE} "
            f"CROSS JOIN {ARTICLE_TABLE} a ON a.id = {TABLE}.rowid WHERE {where}"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]
