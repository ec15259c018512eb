"""The desk and the reporter are told, over real SMTP (aiosmtpd on 127.0.0.1).

Submit → every 데스크 member gets an e-mail (and sees the article on the admin home);
approve → the reporter gets an e-mail; send back → the reporter gets an e-mail with the
desk's comment. Wagtail's own workflow notifiers send them (wagtail.admin.mail).
"""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from sinmun.readers.tests.conftest import local_smtp

from .conftest import admin_url, article_form, make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(settings):
    with local_smtp(settings) as handler:
        settings.DEFAULT_FROM_EMAIL = "새여울일보 편집국 <desk@saeyeoul.test>"
        yield handler


def _to(inbox, address):
    return [
        message
        for message, (_, recipients) in zip(inbox.messages, inbox.envelopes, strict=True)
        if address in recipients
    ]


def _text(message) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    return str(message["subject"]) + "\n" + (body.get_content() if body else "")


def _act(client, article, action, comment=""):
    state = WorkflowState.objects.for_instance(article).get(status=WorkflowState.STATUS_IN_PROGRESS)
    url = admin_url("workflow_action", article.pk, action, state.current_task_state.pk)
    return client.post(url, {"comment": comment})


def test_submit_tells_every_desk_member_and_approval_tells_the_reporter(
    client, inbox, reporter, other_reporter, desk, desk2, section
):
    article = make_draft(reporter, section=section, title="물길공원 개장 준비")
    client.force_login(reporter)
    response = client.post(
        admin_url("edit", article.pk), article_form(article, **{"action-submit": "submit"})
    )
    assert response.status_code == 302
    for member in (desk, desk2):
        mails = _to(inbox, member.email)
        assert len(mails) == 1 and "물길공원 개장 준비" in _text(mails[0])
    assert not _to(inbox, other_reporter.email)  # other reporters are not told
    client.force_login(desk)
    assert "물길공원 개장 준비" in client.get(reverse("wagtailadmin_home")).content.decode()

    before = len(inbox.messages)
    assert _act(client, article, "approve").status_code in (200, 302)
    told = [m for m in _to(inbox, reporter.email) if m in inbox.messages[before:]]
    assert len(told) == 1 and "물길공원 개장 준비" in _text(told[0])


def test_send_back_tells_the_reporter_with_the_desks_comment(
    client, inbox, reporter, desk, section
):
    article = make_draft(reporter, section=section, title="버스 노선 개편안")
    client.force_login(reporter)
    client.post(admin_url("edit", article.pk), article_form(article, **{"action-submit": "submit"}))
    client.force_login(desk)
    before = len(inbox.messages)
    response = _act(client, article, "reject", comment="노선별 배차 간격을 확인해 주세요")
    assert response.status_code in (200, 302)
    told = [m for m in _to(inbox, reporter.email) if m in inbox.messages[before:]]
    assert len(told) == 1
    text = _text(told[0])
    assert "버스 노선 개편안" in text and "노선별 배차 간격을 확인해 주세요" in text
