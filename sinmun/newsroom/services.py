"""Writes of the newsroom: scheduled publishing, correction notes, the home arrangement."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from wagtail.models import Revision

from sinmun.articles.models import Article
from sinmun.core.changes import announce
from sinmun.core.versions import versioned_key

from .models import Correction, HomeFeatured, HomeLayout, LatePublication

logger = logging.getLogger(__name__)

# The scheduler runs every minute; an article that goes out later than this after its
# time was held up (the scheduler was down) and is shown to the desk as late.
LATE_AFTER = timedelta(minutes=2)
HOME_LAYOUT_CACHE_KEY = "newsroom:home-layout"


@dataclass
class ScheduledRunReport:
    published: list[int] = field(default_factory=list)
    late: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def article_publish_due(*, now: datetime | None = None) -> ScheduledRunReport:
    """Publish every article revision approved for a time that has come, exactly once.

    Each revision is claimed in its own transaction (``SELECT … FOR UPDATE SKIP LOCKED``
    on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers) and re-checked
    after the claim, so two schedulers on two machines never publish one article twice.
    """
    now = now or timezone.now()
    report = ScheduledRunReport()
    ct = ContentType.objects.get_for_model(Article)
    due = list(
        Revision.objects.filter(base_content_type=ct, approved_go_live_at__lt=now)
        .order_by("approved_go_live_at")
        .values_list("pk", flat=True)
    )
    for revision_id in due:
        try:
            with transaction.atomic():
                revision = (
                    Revision.objects.select_for_update(skip_locked=True)
                    .filter(pk=revision_id, approved_go_live_at__lt=now)
                    .first()
                )
                if revision is None:
                    continue  # another scheduler took it, or the desk unscheduled it
                due_at = revision.approved_go_live_at
                revision.publish(log_action="wagtail.publish.scheduled")
                article_id = int(revision.object_id)
                report.published.append(article_id)
                published_at = timezone.now()
                if published_at - due_at > LATE_AFTER:
                    LatePublication.objects.create(
                        article_id=article_id, due_at=due_at, published_at=published_at
                    )
                    report.late.append(article_id)
        except Exception as error:  # noqa: BLE001 - one bad revision must not stop the rest
            logger.exception("scheduled publish of revision %s failed", revision_id)
            report.errors.append(f"{revision_id}: {error}")
    return report


def correction_append(*, article: Article, note: str, author=None) -> Correction:
    """Add a correction note to ``article``; the article's 수정 time follows it.

    The save is announced (``corrections``) by the glue in signal_handlers.py, as any
    saved or deleted note is, so readers see it on the article and /corrections/."""
    correction = Correction(article=article, note=(note or "").strip(), author=author)
    correction.full_clean()
    with transaction.atomic():
        correction.save()
        article_modified_follow(article_ids=[article.pk], at=correction.created_at)
    return correction


def article_modified_follow(*, article_ids, at: datetime) -> None:
    """Move the articles' 수정 time to ``at`` where it is earlier (a correction is a
    change readers are told of; an older note imported later moves nothing back)."""
    from django.db.models import Q

    Article.objects.filter(pk__in=list(article_ids)).filter(
        Q(modified_at__isnull=True) | Q(modified_at__lt=at), first_published_at__lt=at
    ).update(modified_at=at)


def correction_add_many(*, article_id: int, notes: list[tuple[str, datetime]]) -> None:
    """Add dated correction notes (note, created_at) to an article in one insert: an
    import's history, where each note keeps the time it was made. The article's 수정
    time follows the latest; a bulk insert sends no signals, so this announces it."""
    if not notes:
        return
    Correction.objects.bulk_create(
        Correction(article_id=article_id, note=note, created_at=created_at)
        for note, created_at in notes
    )
    article_modified_follow(article_ids=[article_id], at=max(when for _, when in notes))
    announce("corrections", [article_id], reason="imported")


@dataclass
class HomeArrangement:
    top_id: int | None
    featured_ids: list[int]


def home_arrangement() -> HomeArrangement:
    """Return the desk's home choice (article numbers only), cached until it changes."""
    key = versioned_key(HOME_LAYOUT_CACHE_KEY, "home")
    data = cache.get(key)
    if data is None:
        layout = HomeLayout.objects.only("id", "top_story_id").first()
        featured = []
        if layout is not None:
            featured = list(
                HomeFeatured.objects.filter(layout=layout)
                .order_by("sort_order", "id")
                .values_list("article_id", flat=True)
            )
        data = (layout.top_story_id if layout else None, featured)
        cache.set(key, data, 3600)
    return HomeArrangement(top_id=data[0], featured_ids=list(data[1]))
