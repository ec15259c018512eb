"""Writes to the search index: one article, a removal, or a full rebuild."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

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
            live.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", "title", "subtitle", "rendered_body", "reporter__name")[:batch_size]
        )
        if not rows:
            break
        last_id = rows[-1][0]
        tags: dict[int, list[str]] = defaultdict(list)
        for article_id, name in ArticleTag.objects.filter(
            content_object_id__in=[r[0] for r in rows]
        ).values_list("content_object_id", "tag__name"):
            tags[article_id].append(name)
        items = [
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
