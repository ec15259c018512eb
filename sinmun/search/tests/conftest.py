from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from sinmun.articles.models import Reporter, Section
from tests.support.factories import make_article

from .corpus import ARTICLES, REPORTERS, SECTIONS


def build_corpus():
    """Create the corpus articles; the post_save hook indexes the live ones."""
    sections = {
        key: Section.objects.create(name=name, code=f"q-{key}", order=i)
        for i, (key, name) in enumerate(SECTIONS.items())
    }
    reporters = {name: Reporter.objects.create(name=name) for name in REPORTERS}
    now = timezone.now()
    for i, item in enumerate(ARTICLES):
        when = now + timedelta(days=2) if item.embargo else now - timedelta(days=30 - i)
        article = make_article(
            pk=item.id,
            title=item.title,
            section=sections[item.section],
            reporter=reporters[item.reporter],
            paragraphs=list(item.paragraphs),
            registered_at=when,
            live=item.live,
            tags=list(item.tags) or None,
        )
        if item.subtitle:
            article.subtitle = item.subtitle
            article.save()
    return sections, reporters


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The query-set corpus, built once per module inside a transaction rolled back after.

    Each test's own transaction nests inside it (as Django's setUpTestData does).
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            sections, reporters = build_corpus()
            yield {"sections": sections, "reporters": reporters}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
