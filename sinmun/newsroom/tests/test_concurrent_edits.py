"""Two editors on one article, each in their own browser session (two logged-in clients).

Wagtail's concurrent-edit warning (the editing-sessions ping) tells each that the other
is there and, once one has saved, that a newer version exists; the stale copy's save is
refused with what was typed kept in the form (ArticleEditView.is_valid). Reloading the
article then saves normally. (Locking: test_permissions.py.)
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.support.factories import make_article

from .conftest import admin_url, article_form

pytestmark = pytest.mark.django_db


def open_editor(client, article) -> dict:
    """GET the edit page as the browser does; return what the form would post back."""
    html = client.get(admin_url("edit", article.pk)).content.decode()
    loaded = {}
    for name in ("loaded_revision_id", "loaded_revision_created_at"):
        match = re.search(rf'name="{name}" value="([^"]*)"', html)
        assert match, name
        loaded[name] = match.group(1)
    return loaded


def ping(client, article, **data) -> dict:
    url = reverse("wagtailadmin_editing_sessions:ping", args=["articles", "article", article.pk, 0])
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_two_editors_see_each_other_and_the_stale_save_is_refused(desk, desk2, section):
    article = make_article(title="시의회 본회의 결과", section=section)
    first, second = Client(), Client()
    first.force_login(desk)
    second.force_login(desk2)
    first_form = open_editor(first, article)
    second_form = open_editor(second, article)
    assert first_form == second_form  # both opened the same version

    ping(first, article, is_editing="1")
    others = ping(second, article)["other_sessions"]
    assert [(o["user"], o["is_editing"]) for o in others] == [("desk", True)]

    response = first.post(
        admin_url("edit", article.pk), article_form(article, title="첫째 편집", **first_form)
    )
    assert response.status_code == 302

    # The second editor's next ping says a newer version exists, and by whom.
    others = ping(
        second,
        article,
        revision_id=second_form["loaded_revision_id"],
        revision_created_at=second_form["loaded_revision_created_at"],
    )["other_sessions"]
    assert others and others[0]["user"] == "desk" and others[0]["revision_id"]

    response = second.post(
        admin_url("edit", article.pk), article_form(article, title="둘째 편집", **second_form)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "다른 사람이 먼저 이 기사를 저장했습니다" in html
    assert 'value="둘째 편집"' in html  # nothing typed is lost
    article.refresh_from_db()
    assert article.get_latest_revision().content["title"] == "첫째 편집"

    # Reloading shows the first editor's version; saving from it works.
    reloaded = open_editor(second, article)
    assert reloaded != second_form
    response = second.post(
        admin_url("edit", article.pk), article_form(article, title="둘째 편집", **reloaded)
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.get_latest_revision().content["title"] == "둘째 편집"


def test_a_locked_article_is_read_only_for_the_other_editor(desk, desk2, section):
    article = make_article(title="잠긴 기사", section=section)
    first, second = Client(), Client()
    first.force_login(desk)
    second.force_login(desk2)
    assert first.post(admin_url("lock", article.pk)).status_code == 302
    form = open_editor(second, article)
    response = second.post(
        admin_url("edit", article.pk), article_form(article, title="덮어쓰기", **form)
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.get_latest_revision().content["title"] == "잠긴 기사"
    # The lock holder still saves.
    form = open_editor(first, article)
    response = first.post(
        admin_url("edit", article.pk), article_form(article, title="잠근 사람 편집", **form)
    )
    assert response.status_code == 302
