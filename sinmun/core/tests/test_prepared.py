"""PreparedQuery must really run its kept SQL on the reader pages, not the ORM fallback.

The fallback returns the same rows, so every other test stays green when it is taken;
these tests fail when it is.
"""

import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sinmun.articles import selectors
from sinmun.articles.models import Article
from sinmun.core.prepared import PreparedQuery, PreparedQueryUnavailable
from tests.support.factories import make_article, make_section

pytestmark = pytest.mark.django_db

READER_QUERIES = {
    "article_get_public": selectors._get_public,
    "article_neighbours (previous)": selectors._previous,
    "article_neighbours (following)": selectors._following,
    "article_tag_list": selectors._tags,
}


def _counting(monkeypatch, query: PreparedQuery) -> list:
    """Forget what ``query`` prepared and count how often it builds a queryset."""
    calls = []
    build = query.build

    def counted(**values):
        calls.append(values)
        return build(**values)

    monkeypatch.setattr(query, "_prepared", {})
    monkeypatch.setattr(query, "build", counted)
    return calls


def test_the_article_page_runs_prepared_sql_not_the_orm(monkeypatch):
    section = make_section()
    when = timezone.now() - timedelta(hours=3)
    older = make_article(title="전", section=section, registered_at=when - timedelta(hours=1))
    article = make_article(title="본", section=section, registered_at=when, tags=["예산"])
    newer = make_article(title="후", section=section, registered_at=when + timedelta(hours=1))
    builds = {name: _counting(monkeypatch, q) for name, q in READER_QUERIES.items()}

    for _ in range(3):
        response = Client().get(article.get_absolute_url())
        assert response.status_code == 200
    html = response.content.decode()
    assert older.get_absolute_url() in html and newer.get_absolute_url() in html
    assert "예산" in html
    for name, query in READER_QUERIES.items():
        assert query.is_prepared(), f"{name} fell back to the ORM"
        # Built once, with the placeholders, to compile; never again per request.
        assert len(builds[name]) == 1, f"{name} built a queryset per call: {builds[name]}"


def _unpreparable() -> PreparedQuery:
    """A query whose placeholder never reaches the SQL (as on a backend that rewrites it)."""
    return PreparedQuery(
        lambda pk: Article.objects.filter(live=True).order_by("pk"),
        pk=(Article._meta.pk, -9_020_417),
    )


def test_a_query_that_cannot_be_prepared_raises_in_strict_mode(settings):
    assert settings.SINMUN_PREPARED_QUERY_STRICT  # the test settings turn it on
    make_article()
    with pytest.raises(PreparedQueryUnavailable, match="'pk' not found"):
        _unpreparable()(pk=1)


def test_outside_strict_mode_it_falls_back_to_the_orm_and_says_so(settings, caplog):
    settings.SINMUN_PREPARED_QUERY_STRICT = False
    article = make_article()
    query = _unpreparable()
    with caplog.at_level(logging.WARNING, logger="sinmun.core.prepared"):
        assert query(pk=article.pk) == [article]
    assert not query.is_prepared()
    assert "pk not found in the parameters" in caplog.text
