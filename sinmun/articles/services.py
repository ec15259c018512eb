"""Writes of the article archive that do not go through Wagtail's editor: imports.

The editor writes articles through Wagtail's own views (revisions, publishing); the
importers (sinmun/transfer) write whole papers through the functions here, one row or
one article at a time inside the importer's batch transaction, so a 100,000-article
archive costs a handful of queries per article.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.management.color import no_style
from django.db import connection
from wagtail.models import Revision

from sinmun.core.changes import announce

from .models import Article, Reporter, Section


def section_create(*, code: str, name: str, order: int) -> Section:
    """Create a section; raises ``ValidationError`` for a value the model refuses."""
    section = Section(code=code, name=name, order=order)
    section.full_clean()
    section.save()
    return section


def reporter_get_or_create(*, name: str, email: str) -> Reporter:
    """The reporter of a byline, created on first sight (name and e-mail identify it)."""
    reporter, _ = Reporter.objects.get_or_create(name=name, email=email)
    return reporter


def reporter_create(*, name: str, email: str, bio: str, photo_id: int | None) -> Reporter:
    """Create a reporter with a profile; raises ``ValidationError`` for a refused value."""
    reporter = Reporter(name=name, email=email, bio=bio, photo_id=photo_id)
    reporter.full_clean()
    reporter.save()
    return reporter


@dataclass
class ImportedRevision:
    """An earlier version of an imported article, kept in its history."""

    created_at: datetime
    title: str
    subtitle: str
    body: str  # the StreamField's JSON


def article_create_imported(
    *,
    article: Article,
    tags: list[str],
    published: bool,
    saved_at: datetime,
    revisions: list[ImportedRevision],
) -> Article:
    """Save ``article`` (its number given) with its history, as a publish would leave it.

    The earlier versions become revisions dated when they were made; the current one is
    the latest revision (and the live one when ``published``). Raises
    ``ValidationError`` when the model refuses a value; the caller's savepoint then
    takes everything back.
    """
    if tags:
        article.tags.add(*tags)
    article.full_clean(exclude=["id"])
    article.save()
    content_type = article.get_base_content_type()
    current = article.serializable_data()
    for old in revisions:
        Revision.objects.create(
            content_object=article,
            base_content_type=content_type,
            content={**current, "title": old.title, "subtitle": old.subtitle, "body": old.body},
            object_str=old.title,
            created_at=old.created_at,
        )
    revision = Revision.objects.create(
        content_object=article,
        base_content_type=content_type,
        content=current,
        object_str=str(article),
        created_at=saved_at,
    )
    Article.objects.filter(pk=article.pk).update(
        latest_revision=revision,
        live_revision=revision if published else None,
        has_unpublished_changes=not published,
    )
    # Rows written here send no publish signal: say so (gathered per import batch).
    announce("article", [article.pk], reason="imported")
    return article


def article_sequence_reset() -> None:
    """Move the id sequence past imported article numbers (PostgreSQL needs this)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Article])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
