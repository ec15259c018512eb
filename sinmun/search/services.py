"""Writes to the search index: one article, a removal, or a full rebuild."""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db import transaction

from sinmun.articles.models import Article, ArticleTag
from sinmun.core.sanitize import plain_text

from .analyzer import analyse_many, clean_term, index_terms
from .backends import IndexDocument, get_backend

FIELD_ORDER = ("title", "subtitle", "body", "reporter", "tags")
# Article fields whose change must reach the index; a save touching none of them
# (a revision pointer, a lock) is skipped.
INDEXED_FIELDS = frozenset(
    {
        "title",
        "subtitle",
        "body",
        "rendered_body",
        "reporter",
        "reporter_id",
        "live",
        "first_published_at",
        "tags",
        "tagged_items",
    }
)


def article_sources(
    *, title: str, subtitle: str, rendered_body: str, reporter: str, tags: list[str]
) -> dict[str, str]:
    # Tags and fields are separated by full stops, so compounds never join across them.
    return {
        "title": title or "",
        "subtitle": subtitle or "",
        "body": plain_text(rendered_body or ""),
        "reporter": reporter or "",
        "tags": ". ".join(tags),
    }


def _sources_for(article: Article) -> dict[str, str]:
    reporter = article.reporter.name if article.reporter_id else ""
    return article_sources(
        title=article.title,
        subtitle=article.subtitle,
        rendered_body=article.rendered_body,
        reporter=reporter,
        # On a ClusterableModel this reads tags not yet committed (post_save runs before
        # modelcluster commits child relations), so an import's tags are indexed too.
        tags=[tag.name for tag in article.tags.all()],
    )


def build_documents(items: list[tuple[int, dict[str, str]]]) -> list[IndexDocument]:
    """Analyse the fields of many articles in one Kiwi batch."""
    texts = [sources[name] for _, sources in items for name in FIELD_ORDER]
    analysed = analyse_many(texts)
    documents = []
    for i, (article_id, sources) in enumerate(items):
        fields = {
            name: index_terms(analysed[i * len(FIELD_ORDER) + k])
            for k, name in enumerate(FIELD_ORDER)
        }
        # A reporter's whole name is a term too, however Kiwi splits it.
        whole_name = clean_term(sources["reporter"])
        if whole_name and whole_name not in fields["reporter"]:
            fields["reporter"].append(whole_name)
        documents.append(IndexDocument(article_id=article_id, **fields))
    return documents


def _fingerprint(article: Article, sources: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for name in FIELD_ORDER:
        digest.update(sources[name].encode())
        digest.update(b"\0")
    return f"{article.pk}:{digest.hexdigest()}"


def search_index_article(article: Article) -> None:
    """Bring the index in line with ``article`` as saved: indexed if live, else absent.

    An article that is live but registered in the future (embargo) is indexed; the
    query-time visibility filter keeps it out of results until its time.
    """
    if not article.live:
        search_remove_article(article_id=article.pk)
        article._search_fingerprint = None
        return
    sources = _sources_for(article)
    fingerprint = _fingerprint(article, sources)
    if getattr(article, "_search_fingerprint", None) == fingerprint:
        return  # publish saves and then signals: analyse once
    get_backend().index(build_documents([(article.pk, sources)]))
    article._search_fingerprint = fingerprint


def search_remove_article(*, article_id: int) -> None:
    get_backend().remove([article_id])


def live_sources(ids: list[int]) -> list[tuple[int, dict[str, str]]]:
    """Read the indexed fields of the live articles among ``ids`` (two queries)."""
    rows = list(
        Article.objects.filter(live=True, pk__in=ids)
        .order_by("pk")
        .values_list("pk", "title", "subtitle", "rendered_body", "reporter__name")
    )
    tags: dict[int, list[str]] = defaultdict(list)
    for article_id, name in (
        ArticleTag.objects.filter(content_object_id__in=[r[0] for r in rows])
        .order_by("pk")
        .values_list("content_object_id", "tag__name")
    ):
        tags[article_id].append(name)
    return [
        (
            pk,
            article_sources(
                title=title,
                subtitle=subtitle,
                rendered_body=body,
                reporter=reporter or "",
                tags=tags.get(pk, []),
            ),
        )
        for pk, title, subtitle, body, reporter in rows
    ]


def search_index_articles(ids) -> int:
    """Index the live articles among ``ids`` in one Kiwi batch; return how many."""
    documents = build_documents(live_sources(list(ids)))
    with transaction.atomic():
        get_backend().index(documents)
    return len(documents)


def search_index_missing(*, batch_size: int = 500) -> int:
    """Index every live article that has no index entry (after an interrupted import)."""
    live = set(Article.objects.filter(live=True).values_list("pk", flat=True))
    missing = sorted(live - get_backend().indexed_ids())
    for start in range(0, len(missing), batch_size):
        search_index_articles(missing[start : start + batch_size])
    return len(missing)


def search_reindex_names(article_ids, *, batch_size: int = 500) -> int:
    """Bring the reporter and tag terms of these articles up to date (after a rename).

    Works in batches of ``batch_size``. Where the backend keeps each field's terms
    (SQLite), the title, subtitle and body terms are reused and only the names are
    analysed; otherwise (PostgreSQL's single tsvector) the articles are analysed again,
    in Kiwi batches.
    """
    backend = get_backend()
    ids = sorted(set(article_ids))
    done = 0
    for start in range(0, len(ids), batch_size):
        items = live_sources(ids[start : start + batch_size])
        stored = backend.stored_documents([pk for pk, _ in items])
        if stored is None:
            documents = build_documents(items)
        else:
            names_only = [
                (pk, {**sources, "title": "", "subtitle": "", "body": ""})
                for pk, sources in items
                if pk in stored
            ]
            documents = [
                replace(stored[d.article_id], reporter=d.reporter, tags=d.tags)
                for d in build_documents(names_only)
            ]
            documents += build_documents([item for item in items if item[0] not in stored])
        with transaction.atomic():
            backend.index(documents)
        done += len(documents)
    return done


def articles_by_reporter(reporter_id: int) -> list[int]:
    return list(
        Article.objects.filter(live=True, reporter_id=reporter_id).values_list("pk", flat=True)
    )


def articles_by_tag(tag_id: int) -> list[int]:
    return list(
        ArticleTag.objects.filter(tag_id=tag_id, content_object__live=True).values_list(
            "content_object_id", flat=True
        )
    )


# -- bulk indexing for imports

_bulk = threading.local()


def bulk_indexer() -> BulkIndexer | None:
    """The :class:`BulkIndexer` collecting this thread's saves, if any."""
    return getattr(_bulk, "current", None)


class BulkIndexer:
    """Index imported articles per batch, analysing on Kiwi's threads in the background.

    While active (``with BulkIndexer() as indexer``) the ``post_save`` hook only notes the
    ids of live articles saved in this thread. After the importer commits a batch it calls
    :meth:`batch_committed`: the batch's fields are read back and handed to a background
    thread, where Kiwi analyses them all at once (``Kiwi.tokenize`` over the list, spread
    over its ``num_workers`` threads) while the importer writes the next batch; the index
    rows are written from this thread, in bulk, as analyses finish. A rolled-back batch is
    dropped with :meth:`batch_rolled_back`. On leaving, every pending analysis is written,
    then every live article still without an index entry is indexed — so an import that
    was interrupted between a batch's commit and its index write is completed by the next
    run, with no marker to keep.
    """

    MAX_IN_FLIGHT = 2

    def __init__(self, *, background: bool = True):
        self.background = background
        self.pending: list[int] = []
        self.futures: deque = deque()
        self.executor = None
        self.indexed = 0

    def __enter__(self) -> BulkIndexer:
        if bulk_indexer() is not None:
            raise RuntimeError("bulk indexing is already active in this thread")
        _bulk.current = self
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        _bulk.current = None
        try:
            if exc_type is None:
                self.finish()
        finally:
            if self.executor is not None:
                self.executor.shutdown(wait=exc_type is None, cancel_futures=True)

    def note(self, article_id: int) -> None:
        self.pending.append(article_id)

    def batch_rolled_back(self) -> None:
        self.pending.clear()

    def batch_committed(self) -> None:
        ids = list(dict.fromkeys(self.pending))
        self.pending.clear()
        if not ids:
            return
        items = live_sources(ids)
        if not items:
            return
        if not self.background:
            self._write(build_documents(items))
            return
        if self.executor is None:
            from concurrent.futures import ThreadPoolExecutor

            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sinmun-index")
        self.futures.append(self.executor.submit(build_documents, items))
        self._drain(block=len(self.futures) > self.MAX_IN_FLIGHT)

    def _drain(self, *, block: bool) -> None:
        while self.futures and (block or self.futures[0].done()):
            self._write(self.futures.popleft().result())
            block = block and len(self.futures) > self.MAX_IN_FLIGHT

    def _write(self, documents: list[IndexDocument]) -> None:
        with transaction.atomic():
            get_backend().index(documents)
        self.indexed += len(documents)

    def finish(self) -> None:
        self.batch_committed()
        while self.futures:
            self._write(self.futures.popleft().result())
        self.indexed += search_index_missing()


@dataclass
class RebuildReport:
    indexed: int = 0
    removed: int = 0


def search_rebuild(
    *, batch_size: int = 500, progress: Callable[[int], None] | None = None
) -> RebuildReport:
    """Index every live article again, in batches, then drop what is no longer live.

    Each batch commits on its own, so readers keep searching the old entries while a
    rebuild of a large archive runs.
    """
    backend = get_backend()
    report = RebuildReport()
    live = Article.objects.filter(live=True)
    last_id = 0
    while True:
        rows = list(
            live.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not rows:
            break
        last_id = rows[-1]
        items = live_sources(rows)
        documents = build_documents(items)
        with transaction.atomic():
            backend.index(documents)
        report.indexed += len(documents)
        if progress:
            progress(report.indexed)
    sql, params = live.values("pk").query.sql_with_params()
    with transaction.atomic():
        report.removed = backend.remove_missing(sql, list(params))
    return report
