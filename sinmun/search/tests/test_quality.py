"""The Korean query set: each query finds what it must and nothing it must not.

Runs on the database in use: SQLite by default, PostgreSQL when DATABASE_URL points
at one (see docs/search.md); test_postgres.py runs this module on PostgreSQL too.
"""

import pytest
from django.db import connection

from sinmun.search.analyzer import analyse_query
from sinmun.search.selectors import article_search

from .corpus import ARTICLE_IDS, QUERIES


def found_ids(query: str, **filters) -> list[int]:
    results = article_search(analysed=analyse_query(query), **filters)
    return [a.pk for a in results[:100] if a.pk in ARTICLE_IDS]


def test_query_set_is_large_enough():
    assert len(QUERIES) >= 40
    assert len({q.query for q in QUERIES}) == len(QUERIES)


@pytest.mark.django_db
@pytest.mark.parametrize("case", QUERIES, ids=[f"{q.query}" for q in QUERIES])
def test_query(corpus, case):
    found = set(found_ids(case.query))
    missing = case.find - found
    unwanted = case.not_find & found
    assert not missing, f"{case.query!r} ({case.note}) on {connection.vendor} missed {missing}"
    assert not unwanted, f"{case.query!r} on {connection.vendor} wrongly found {unwanted}"


@pytest.mark.django_db
def test_compound_ranks_above_scattered_parts(corpus):
    """'사회적기업' finds 118 (기업의 사회적 책임) at most below both real matches."""
    for query in ("사회적기업", "사회적 기업"):
        ranked = found_ids(query)
        assert set(ranked[:2]) == {102, 103}, (query, ranked)


@pytest.mark.django_db
def test_title_match_ranks_above_body_match(corpus):
    # '도서관' is in 108's title; '공사' is in 108's body and 109's body.
    ranked = found_ids("돌봄")
    assert ranked[0] in {101, 113}
    ranked = found_ids("경선")
    assert ranked == [104]
    ranked = found_ids("청년")
    # 119 has 청년 in its title, 102 in its title too; 106 only in the body (청소년 is no match).
    assert set(ranked) >= {102, 119}
    ranked = found_ids("시장")
    assert ranked.index(110) < len(ranked)  # 전통시장 is found by its part


@pytest.mark.django_db
def test_filters_section_reporter_and_dates(corpus):
    sections, reporters = corpus["sections"], corpus["reporters"]
    assert set(found_ids("돌봄", section_id=sections["politics"].pk)) == {113}
    assert set(found_ids("돌봄", section_id=sections["culture"].pk)) == set()
    assert set(found_ids("사회적기업", reporter_id=reporters["한지우"].pk)) == {103}
    from sinmun.articles.models import Article

    when = Article.objects.get(pk=102).first_published_at
    # 118 holds 기업 and 사회적 apart, so it is found too (ranked last, see above).
    assert set(found_ids("사회적기업", start=when)) == {102, 103, 118}
    assert set(found_ids("사회적기업", end=when)) == set()  # end is exclusive
    later = Article.objects.get(pk=103).first_published_at
    assert set(found_ids("사회적기업", start=when, end=later)) == {102}


@pytest.mark.django_db
def test_newest_order(corpus):
    ranked = found_ids("박서윤", order="newest")
    assert ranked == sorted(ranked, reverse=True)  # corpus ids grow with time
