"""Fixtures for the newsroom: people in each role and articles at each stage.

The roles come from the data migration (0002_roles_and_workflow), as on a real install.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from sinmun.articles.models import Article, Reporter
from sinmun.newsroom.roles import ADMIN, DESK, REPORTER
from tests.support.factories import make_article, make_section

PASSWORD = "newsroom-pass-1234"


def make_user(username: str, role: str | None, *, email: str = "", reporter_name: str = ""):
    user = User.objects.create_user(
        username, email=email or f"{username}@example.com", password=PASSWORD
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    if reporter_name:
        Reporter.objects.create(name=reporter_name, email=user.email, user=user)
    return user


@pytest.fixture
def section(db):
    return make_section(name="사회", code="society")


@pytest.fixture
def reporter(db):
    return make_user("reporter", REPORTER, reporter_name="나기자")


@pytest.fixture
def other_reporter(db):
    return make_user("other", REPORTER, reporter_name="남기자")


@pytest.fixture
def desk(db):
    return make_user("desk", DESK)


@pytest.fixture
def desk2(db):
    return make_user("desk2", DESK)


@pytest.fixture
def admin_user(db):
    return make_user("manager", ADMIN)


def make_draft(owner: User, *, section, title: str = "초고 기사") -> Article:
    """A draft as the admin's create view leaves it: not live, one revision, an owner."""
    article = Article(
        title=title,
        section=section,
        reporter=getattr(owner, "reporter", None),
        body=json.dumps([{"type": "paragraph", "value": "<p>초고 문단.</p>"}]),
        live=False,
        owner=owner,
    )
    article.save()
    article.save_revision(user=owner, log_action=False, clean=False)
    article.refresh_from_db()
    return article


def make_published(*, section, owner: User | None = None, **kwargs) -> Article:
    article = make_article(section=section, **kwargs)
    if owner is not None:
        Article.objects.filter(pk=article.pk).update(owner=owner)
        article.refresh_from_db()
    return article


def article_form(article: Article | None = None, **overrides) -> dict:
    """POST data for the article edit/create form (what the browser would send)."""
    fields = {
        "title": overrides.pop("title", article.title if article else "새 기사"),
        "subtitle": overrides.pop("subtitle", ""),
        "section": overrides.pop("section", article.section_id if article else ""),
        "reporter": overrides.pop("reporter", (article.reporter_id or "") if article else ""),
        "body": streamfield(
            [("paragraph", rich_text(overrides.pop("paragraph", "<p>본문 문단입니다.</p>")))]
        ),
        "tags": overrides.pop("tags", ""),
        "go_live_at": overrides.pop("go_live_at", ""),
        "expire_at": overrides.pop("expire_at", ""),
    }
    data = nested_form_data(fields)
    if overrides.pop("embargo", False):
        data["embargo"] = "on"
    data.update(overrides)
    return data


def admin_url(name: str, *args) -> str:
    return reverse(f"wagtailsnippets_articles_article:{name}", args=args)


def refused(response) -> bool:
    """Wagtail answers a refused admin request with 403, or a redirect to the admin home
    (its permission_denied helper); either way nothing was done."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"].rstrip("/") == "/admin"
