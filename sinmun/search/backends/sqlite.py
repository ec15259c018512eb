"""Search on SQLite: an FTS5 table over the analyser's terms, ranked by bm25.

The table holds space-separated terms (letters and digits only), so FTS5's
``unicode61`` tokenizer splits them back exactly; the reader's words never reach the
MATCH expression, only quoted terms produced by the analyser.
"""

# SQL here is assembled only from constant table names and placeholder conditions; every
# value, the match expression included, is passed as a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import json

from .base import (
    ARTICLE_TABLE,
    IndexDocument,
    SearchBackend,
    SearchQuery,
    render_clauses,
)

# bandit B608 is silenced on the lines below: SQL text here is built from the table-name constants
# and %s placeholders only; every value is passed as a parameter.
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
                f"DELETE FROM {TABLE} WHERE rowid = %s",  # nosec B608
                [(d.article_id,) for d in documents],
            )
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, subtitle, body, reporter, tags) "  # nosec B608
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
                f"DELETE FROM {TABLE} WHERE rowid = %s",  # nosec B608
                [(pk,) for pk in article_ids],
            )

    def remove_missing(self, live_ids_sql: str, params: list) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid NOT IN ({live_ids_sql})", params)  # nosec B608
            return cursor.rowcount

    def indexed_ids(self) -> set[int]:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {TABLE}")  # nosec B608
            return {row[0] for row in cursor.fetchall()}

    def stored_documents(self, article_ids: list[int]) -> dict[int, IndexDocument]:
        if not article_ids:
            return {}
        marks = ", ".join(["%s"] * len(article_ids))
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, title, subtitle, body, reporter, tags FROM {TABLE} "  # nosec B608
                f"WHERE rowid IN ({marks})",
                list(article_ids),
            )
            return {
                row[0]: IndexDocument(row[0], *((value or "").split() for value in row[1:]))
                for row in cursor.fetchall()
            }

    # Matches are found from the articles' side: SQLite walks the (live,
    # first_published_at, id) index (or the section/reporter one) newest first and tests
    # each id against the set of matching rowids, built once from the FTS index; it stops
    # after ``limit`` rows. Joining from the FTS side instead looks up every match in the
    # wide articles table: seconds for a common word at 100,000 articles.
    def newest_matches(self, query: SearchQuery, limit: int, offset: int = 0) -> list[int]:
        conditions, params = self.article_conditions(query.filters)
        sql = (
            f"SELECT a.id FROM {ARTICLE_TABLE} a WHERE {conditions} AND a.id IN "  # nosec B608: table names and conditions are our own constants; values are parameters
            f"(SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s) "
            "ORDER BY a.first_published_at DESC, a.id DESC LIMIT %s OFFSET %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, match_expression(query.clauses), limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def scores(self, query: SearchQuery, article_ids: list[int]) -> dict[int, float]:
        # The rowid range is handed to FTS5 (it reads only that stretch of each doclist);
        # ``rowid + 0`` keeps the id list a plain filter instead of one FTS lookup per id.
        sql = (
            f"SELECT rowid, bm25({TABLE}, {WEIGHTS}) FROM {TABLE} WHERE {TABLE} MATCH %s "  # nosec B608: table names and conditions are our own constants; values are parameters
            "AND rowid BETWEEN %s AND %s AND (rowid + 0) IN (SELECT value FROM json_each(%s))"
        )
        params = [
            match_expression(query.clauses, query.optional),
            min(article_ids),
            max(article_ids),
            json.dumps(article_ids),
        ]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {row[0]: -row[1] for row in cursor.fetchall()}  # bm25: lower is better

    def count_all(self, query: SearchQuery) -> int:
        conditions, params = self.article_conditions(query.filters)
        sql = (
            f"SELECT count(*) FROM {ARTICLE_TABLE} a WHERE {conditions} AND a.id IN "  # nosec B608: table names and conditions are our own constants; values are parameters
            f"(SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s)"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, match_expression(query.clauses)])
            return cursor.fetchone()[0]
