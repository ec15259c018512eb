"""The desk workflow: submit → 데스크 승인 → published, with notices to the desk and reporter."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import WorkflowState

from sinmun.articles.models import Article

from .conftest import admin_url, article_form, make_draft, refused

pytestmark = pytest.mark.django_db


def _submit(client, article, **extra):
    return client.post(
        admin_url("edit", article.pk), article_form(article, **{"action-submit": "submit"}, **extra)
    )


def _task_state(article):
    return (
        WorkflowState.objects.for_instance(article)
        .get(status=WorkflowState.STATUS_IN_PROGRESS)
        .current_task_state
    )


def _act(client, article, action, comment=""):
    task_state = _task_state(article)
    url = admin_url("workflow_action", article.pk, action, task_state.pk)
    return client.post(url, {"comment": comment})


def test_workflow_is_assigned_to_articles_by_the_migration():
    workflow = Article.get_default_workflow()
    assert workflow is not None and workflow.name == "데스크 승인 절차"
    task = workflow.tasks.get().specific
    assert task.name == "데스크 승인"
    assert [g.name for g in task.groups.all()] == ["데스크"]


def test_submit_notifies_the_desk_and_approval_publishes_and_tells_the_reporter(
    client, reporter, desk, section
):
    article = make_draft(reporter, section=section, title="구청 예산 심의")
    mail.outbox.clear()
    client.force_login(reporter)
    assert _submit(client, article).status_code == 302
    article.refresh_from_db()
    assert article.workflow_in_progress and not article.live
    to_desk = [m for m in mail.outbox if desk.email in m.to]
    assert to_desk and "구청 예산 심의" in to_desk[0].subject + to_desk[0].body

    # The desk sees it on the admin home ("awaiting your review").
    client.force_login(desk)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "구청 예산 심의" in home

    # While it waits, it is read-only for the reporter (Wagtail's workflow lock).
    client.force_login(reporter)
    response = client.post(admin_url("edit", article.pk), article_form(article, title="몰래 고침"))
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.get_latest_revision().content["title"] == "구청 예산 심의"
    # and a reporter cannot approve it
    assert refused(_act(client, article, "approve")) or not Article.objects.get(pk=article.pk).live

    mail.outbox.clear()
    client.force_login(desk)
    assert _act(client, article, "approve").status_code in (200, 302)
    article.refresh_from_db()
    assert article.live and article.first_published_at is not None
    to_reporter = [m for m in mail.outbox if reporter.email in m.to]
    assert to_reporter and "구청 예산 심의" in to_reporter[0].subject + to_reporter[0].body


def test_sent_back_with_a_comment_reaches_the_reporter_who_can_edit_again(
    client, reporter, desk, section
):
    article = make_draft(reporter, section=section, title="하천 정비 사업")
    client.force_login(reporter)
    _submit(client, article)
    mail.outbox.clear()
    client.force_login(desk)
    assert _act(client, article, "reject", comment="출처를 밝혀 주세요").status_code in (200, 302)
    article.refresh_from_db()
    assert not article.live and not article.workflow_in_progress
    to_reporter = [m for m in mail.outbox if reporter.email in m.to]
    assert to_reporter
    assert "출처를 밝혀 주세요" in to_reporter[0].body

    client.force_login(reporter)
    response = client.post(
        admin_url("edit", article.pk), article_form(article, title="하천 정비 사업(보완)")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.get_latest_revision().content["title"] == "하천 정비 사업(보완)"
