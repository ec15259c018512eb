"""Helpers for sinmun's own tests: build sections, reporters and articles quickly."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta

from django.utils import timezone

from sinmun.articles.models import Article, Reporter, Section
from sinmun.readers.models import ArticleCounter

_numbers = itertools.count(1)


def make_section(name: str | None = None, code: str | None = None, order: int = 0) -> Section:
    n = next(_numbers)
    return Section.objects.create(name=name or f"섹션{n}", code=code or f"s{n}", order=order)


def make_reporter(name: str = "김기자", email: str = "") -> Reporter:
    return Reporter.objects.create(name=name, email=email or f"r{next(_numbers)}@example.com")


def make_article(
    *,
    title: str = "기사 제목",
    section: Section | None = None,
    reporter: Reporter | None = None,
    paragraphs: list[str] | None = None,
    registered_at: datetime | None = None,
    live: bool = True,
    views: int = 0,
    likes: int = 0,
    pk: int | None = None,
    tags: list[str] | None = None,
) -> Article:
    """Create an article the way a publish would leave it: a revision, live or draft."""
    section = section or make_section()
    when = registered_at or timezone.now() - timedelta(hours=1)
    body = [
        {"type": "paragraph", "value": f"<p>{text}</p>"}
        for text in (paragraphs or ["첫 문단입니다.", "둘째 문단입니다."])
    ]
    article = Article(
        pk=pk,
        title=title,
        section=section,
        reporter=reporter,
        body=json.dumps(body, ensure_ascii=False),
        live=live,
        first_published_at=when if live else None,
        last_published_at=when if live else None,
    )
    if tags:
        article.tags.add(*tags)
    article.save()
    revision = article.save_revision(log_action=False, clean=False)
    Article.objects.filter(pk=article.pk).update(
        live_revision=revision if live else None, has_unpublished_changes=not live
    )
    ArticleCounter.objects.create(article=article, views=views, likes=likes)
    article.refresh_from_db()
    return article
