"""The index follows every state change of an article at once."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from sinmun.articles.models import Article
from sinmun.core.testing import make_article, make_reporter, make_section
from sinmun.search.analyzer import analyse_query
from sinmun.search.backends import get_backend
from sinmun.search.selectors import article_search
from sinmun.transfer.jsonl import import_lines

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
