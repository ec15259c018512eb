"""The index follows every state change of an article at once."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from sinmun.articles.models import Article
from sinmun.search.analyzer import analyse_query
from sinmun.search.backends import get_backend
from sinmun.search.selectors import article_search
from sinmun.transfer.jsonl import import_lines
from tests.support.factories import make_article, make_reporter, make_section

pytestmark = pytest.mark.django_db


def found(query: str) -> set[int]:
    return {a.pk for a in article_search(analysed=analyse_query(query))[:50]}


def test_publishing_a_draft_indexes_it():
    article = make_article(title="물빛터널 개통식", live=False)
    assert found("물빛터널") == set()
    article.save_revision().publish()
    assert found("물빛터널") == {article.pk}


def test_a_draft_edit_of_a_live_article_leaves_the_index_alone():
    article = make_article(title="은행나무 가로수 정비", paragraphs=["가로수 가지치기를 한다."])
    article.title = "벚나무 가로수 정비"
    article.save_revision()  # saved as a draft, not published
    assert found("은행나무") == {article.pk}
    assert found("벚나무") == set()


def test_publishing_an_edit_replaces_the_indexed_text():
    article = make_article(title="은행나무 가로수 정비", paragraphs=["가로수 가지치기를 한다."])
    article.title = "벚나무 가로수 정비"
    article.save_revision().publish()
    assert found("벚나무") == {article.pk}
    assert found("은행나무") == set()
    assert found("가지치기") == {article.pk}


def test_unpublishing_removes_it():
    article = make_article(title="시민 자전거 대여소 확대")
    assert found("자전거") == {article.pk}
    article.unpublish()
    assert found("자전거") == set()
    assert article.pk not in get_backend().indexed_ids()


def test_deleting_removes_it_from_the_index():
    article = make_article(title="시민 자전거 대여소 확대")
    pk = article.pk
    assert pk in get_backend().indexed_ids()
    article.delete()
    assert pk not in get_backend().indexed_ids()
    assert found("자전거") == set()


def test_embargoed_registration_time_is_hidden_until_it_passes():
    """A live article registered in the future is indexed but not shown before its time."""
    article = make_article(
        title="물가 안정 대책 발표", registered_at=timezone.now() + timedelta(hours=3)
    )
    assert found("물가") == set()
    # Time passes (no reindex happens): the same index entry becomes visible.
    Article.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(minutes=1)
    )
    assert found("물가") == {article.pk}


def test_scheduled_publishing_is_found_only_once_published():
    article = make_article(title="야간 도서관 운영 시작", live=False)
    article.go_live_at = timezone.now() + timedelta(days=1)
    article.embargo = True
    revision = article.save_revision()
    revision.publish()
    article.refresh_from_db()
    assert not article.live
    assert found("야간") == set()
    # The time comes: move the schedule into the past, as the clock would.
    past = timezone.now() - timedelta(minutes=1)
    revision = Revision.objects.get(pk=revision.pk)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    assert found("야간") == {article.pk}


def test_imported_articles_are_indexed_with_their_tags_and_reporter():
    line = json.dumps(
        {
            "id": 9101,
            "title": "바람개비 공원 새 단장",
            "section": {"code": "imp", "name": "가져온 섹션"},
            "reporter": {"name": "도가온", "email": "gaon@example.com"},
            "registered_at": "2021-03-02T09:00:00+09:00",
            "status": "published",
            "body_html": "<p>산책로와 쉼터를 새로 꾸몄다.</p>",
            "tags": ["녹지공간"],
        },
        ensure_ascii=False,
    )
    draft = json.dumps(
        {
            "id": 9102,
            "title": "바람개비 공원 둘째 구역",
            "section": {"code": "imp", "name": "가져온 섹션"},
            "status": "draft",
            "body_html": "<p>초안</p>",
        },
        ensure_ascii=False,
    )
    report = import_lines([line, draft])
    assert report.errors == [], report.errors
    assert found("바람개비") == {9101}
    assert found("녹지공간") == {9101}
    assert found("도가온") == {9101}
    assert found("쉼터를") == {9101}


def test_rebuild_command_restores_and_prunes_the_index(capsys):
    section = make_section()
    reporter = make_reporter("나들이")
    live = make_article(title="호수공원 음악회", section=section, reporter=reporter, tags=["공연"])
    draft = make_article(title="호수공원 불꽃놀이", section=section, live=False)
    backend = get_backend()
    backend.remove([live.pk])
    # A stale entry, as if a signal had been missed.
    from sinmun.search.services import article_sources, build_documents

    backend.index(
        build_documents(
            [
                (
                    draft.pk,
                    article_sources(
                        title="호수공원 불꽃놀이",
                        subtitle="",
                        rendered_body="",
                        reporter="",
                        tags=[],
                    ),
                )
            ]
        )
    )
    call_command("rebuild_search_index", "--batch-size", "1")
    assert "Indexed" in capsys.readouterr().out
    assert backend.indexed_ids() >= {live.pk}
    assert draft.pk not in backend.indexed_ids()
    assert found("호수공원") == {live.pk}
    assert found("공연") == {live.pk}
    assert found("나들이") == {live.pk}


def test_renaming_a_reporter_reindexes_their_articles():
    reporter = make_reporter("도가온")
    other = make_reporter("한별찬")
    mine = [
        make_article(title=f"솔바람 숲길 {n}구간 개방", reporter=reporter, tags=["숲길"])
        for n in range(3)
    ]
    theirs = make_article(title="솔바람 숲길 안내소", reporter=other)
    draft = make_article(title="솔바람 숲길 초안", reporter=reporter, live=False)
    assert found("도가온") == {a.pk for a in mine}
    reporter.name = "나윤슬"
    reporter.save()
    assert found("나윤슬") == {a.pk for a in mine}
    assert found("도가온") == set()
    # The rest of each entry is intact; the other reporter and the draft are untouched.
    assert found("솔바람 숲길") == {a.pk for a in mine} | {theirs.pk}
    assert found("숲길 나윤슬") == {a.pk for a in mine}
    assert found("한별찬") == {theirs.pk}
    assert draft.pk not in get_backend().indexed_ids()
    # Saving without a change of name does not touch the index.
    reporter.email = "yoonseul@example.com"
    reporter.save()
    assert found("나윤슬") == {a.pk for a in mine}


def test_renaming_or_deleting_a_tag_reindexes_its_articles():
    from taggit.models import Tag

    tagged = make_article(title="물빛천 산책로 정비", tags=["생태하천"])
    plain = make_article(title="물빛천 다리 보수")
    assert found("생태하천") == {tagged.pk}
    tag = Tag.objects.get(name="생태하천")
    tag.name = "도심습지"
    tag.save()
    assert found("도심습지") == {tagged.pk}
    assert found("생태하천") == set()
    assert found("물빛천") == {tagged.pk, plain.pk}
    tag.delete()
    assert found("도심습지") == set()
    assert found("산책로") == {tagged.pk}


def test_renaming_a_section_keeps_its_filter_working():
    section = make_section("생활")
    article = make_article(title="골목 텃밭 가꾸기", section=section)
    section.name = "생활·환경"
    section.save()
    hits = article_search(analysed=analyse_query("텃밭"), section_id=section.pk)
    assert [a.pk for a in hits[:10]] == [article.pk]


def _lines(first: int, count: int) -> list[str]:
    return [
        json.dumps(
            {
                "id": n,
                "title": f"너울섬 등대 {n}호 복원",
                "section": {"code": "imp", "name": "가져온 섹션"},
                "reporter": {"name": "여다온", "email": "daon@example.com"},
                "registered_at": "2021-03-02T09:00:00+09:00",
                "body_html": f"<p>등대지기 {n}번째 기록을 모았다.</p>",
                "tags": ["등대"],
            },
            ensure_ascii=False,
        )
        for n in range(first, first + count)
    ]


def test_an_import_indexes_every_batch_once_and_skips_refused_records():
    bad = json.dumps(
        {"id": 9299, "title": "날짜 없는 기사", "section": {"code": "imp", "name": "가져온 섹션"}}
    )
    report = import_lines([*_lines(9201, 5), bad, *_lines(9206, 2)], batch_size=2)
    assert report.created == 7
    assert [n for n, _ in report.errors] == [6]
    assert found("너울섬 등대") == set(range(9201, 9208))
    assert found("여다온") == set(range(9201, 9208))
    assert 9299 not in get_backend().indexed_ids()


def test_an_interrupted_import_is_indexed_by_the_next_run(monkeypatch):
    """Articles committed without their index entries (the process died between a
    batch's commit and its index write) are indexed when the import runs again."""
    from sinmun.search.services import BulkIndexer

    with monkeypatch.context() as crash:
        crash.setattr(BulkIndexer, "batch_committed", lambda self: None)
        crash.setattr(BulkIndexer, "finish", lambda self: None)
        report = import_lines(_lines(9301, 3))
    assert report.created == 3
    assert found("너울섬 등대") == set()
    again = import_lines(_lines(9301, 4))
    assert (again.created, again.existing) == (1, 3)
    assert found("너울섬 등대") == set(range(9301, 9305))


def test_counts_stop_at_the_cap_and_relevance_ranks_the_newest_matches(monkeypatch, client):
    from sinmun.search import selectors
    from sinmun.search.backends import base

    now = timezone.now()
    oldest = make_article(
        title="등불축제 등불축제", registered_at=now - timedelta(days=9)
    )  # the best score, but the oldest
    newer = [
        make_article(
            title=f"강변 산책 {n}",
            paragraphs=[f"올해도 등불축제가 열린다 {n}."],
            registered_at=now - timedelta(days=n),
        )
        for n in (1, 2, 3)
    ]
    assert found("등불축제") == {oldest.pk, *(a.pk for a in newer)}
    monkeypatch.setattr(base, "RANK_WINDOW", 3)
    ranked = [a.pk for a in article_search(analysed=analyse_query("등불축제"))[:10]]
    assert ranked == [a.pk for a in newer]  # equal scores: newer first
    newest = article_search(analysed=analyse_query("등불축제"), order="newest")
    # Newest first is exact past the window: every match, by time.
    assert [a.pk for a in newest[:10]] == [*(a.pk for a in newer), oldest.pk]
    monkeypatch.setattr(base, "RANK_WINDOW", 2000)
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    page = client.get("/search", {"q": "등불축제"}).content.decode()
    assert 'data-testid="search-count">기사 2건 이상<' in page
    monkeypatch.setattr(selectors, "COUNT_CAP", 10)
    page = client.get("/search", {"q": "등불축제", "x": "1"}).content.decode()
    assert 'data-testid="search-count">기사 4건<' in page
