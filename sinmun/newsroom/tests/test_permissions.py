"""The permission matrix: each role × each action, through Wagtail's real admin views.

Every refused case also checks that nothing changed in the database, and every allowed
case that the change happened: a hidden button is not a rule.
"""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from sinmun.articles.access import access_article_edit
from sinmun.articles.models import Article, Section
from sinmun.sitesettings.models import Banner

from .conftest import admin_url, article_form, make_draft, make_published, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(reporter, other_reporter, desk, admin_user):
    superuser = User.objects.create_superuser("boss", "boss@example.com", "pw-boss-1234")
    return {
        "reporter": reporter,
        "other_reporter": other_reporter,
        "desk": desk,
        "admin": admin_user,
        "superuser": superuser,
    }


@pytest.fixture
def articles(section, reporter):
    return {
        "own_draft": make_draft(reporter, section=section, title="내 초고"),
        "published": make_published(section=section, owner=reporter, title="내 발행 기사"),
    }


def _edit(client, article, title):
    return client.post(admin_url("edit", article.pk), article_form(article, title=title))


def _latest_title(article):
    article.refresh_from_db()
    return article.get_latest_revision().content["title"]


# (actor, article, may edit?)
EDIT_MATRIX = [
    ("reporter", "own_draft", True),
    ("other_reporter", "own_draft", False),  # someone else's draft
    ("reporter", "published", False),  # own, but published
    ("desk", "own_draft", True),
    ("desk", "published", True),
    ("admin", "own_draft", False),  # 관리자 runs the site, not the news
    ("superuser", "published", True),
]


@pytest.mark.parametrize(("actor", "which", "allowed"), EDIT_MATRIX)
def test_edit_matrix(client, people, articles, actor, which, allowed):
    article = articles[which]
    client.force_login(people[actor])
    page = client.get(admin_url("edit", article.pk))
    response = _edit(client, article, "바뀐 제목")
    if allowed:
        assert page.status_code == 200
        assert response.status_code == 302, response.content[:500]
        assert _latest_title(article) == "바뀐 제목"
    else:
        assert refused(page) and refused(response)
        assert _latest_title(article) != "바뀐 제목"
    assert access_article_edit(people[actor], article) is allowed


def test_reporter_creates_article_and_owns_it(client, people, section):
    client.force_login(people["reporter"])
    response = client.post(admin_url("add"), article_form(section=section.pk, title="새 소식"))
    assert response.status_code == 302
    article = Article.objects.get(title="새 소식")
    assert article.owner == people["reporter"] and not article.live


def test_admin_role_cannot_create_articles(client, people, section):
    client.force_login(people["admin"])
    response = client.post(admin_url("add"), article_form(section=section.pk, title="관리자 기사"))
    assert refused(response)
    assert not Article.objects.filter(title="관리자 기사").exists()


def test_reporter_cannot_publish_even_by_posting_the_publish_action(client, people, articles):
    article = articles["own_draft"]
    client.force_login(people["reporter"])
    response = client.post(
        admin_url("edit", article.pk), article_form(article, **{"action-publish": "publish"})
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.live and article.first_published_at is None


def test_desk_publishes_now(client, people, articles):
    article = articles["own_draft"]
    client.force_login(people["desk"])
    response = client.post(
        admin_url("edit", article.pk), article_form(article, **{"action-publish": "publish"})
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live and article.first_published_at is not None


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [("reporter", False), ("other_reporter", False), ("desk", True), ("admin", False)],
)
def test_unpublish_matrix(client, people, articles, actor, allowed):
    article = articles["published"]
    client.force_login(people[actor])
    response = client.post(admin_url("unpublish", article.pk))
    article.refresh_from_db()
    if allowed:
        assert response.status_code == 302 and not article.live
    else:
        assert refused(response) and article.live


@pytest.mark.parametrize(
    ("actor", "which", "allowed"),
    [
        ("reporter", "own_draft", True),
        ("other_reporter", "own_draft", False),
        ("reporter", "published", False),
        ("desk", "published", False),  # an article number is for life
        ("desk", "own_draft", True),
        ("superuser", "published", True),
    ],
)
def test_delete_matrix(client, people, articles, actor, which, allowed):
    article = articles[which]
    client.force_login(people[actor])
    response = client.post(admin_url("delete", article.pk))
    exists = Article.objects.filter(pk=article.pk).exists()
    if allowed:
        assert response.status_code == 302 and not exists
    else:
        assert refused(response) and exists


@pytest.mark.parametrize(
    ("actor", "which", "allowed"),
    [
        ("reporter", "own_draft", True),
        ("other_reporter", "own_draft", False),
        ("reporter", "published", False),
        ("desk", "published", True),
    ],
)
def test_history_compare_preview_revert_matrix(client, people, articles, actor, which, allowed):
    article = articles[which]
    first = article.latest_revision
    second = article.save_revision(log_action=False, clean=False)
    client.force_login(people[actor])
    urls = [
        admin_url("history", article.pk),
        admin_url("revisions_compare", article.pk, first.pk, second.pk),
        admin_url("revisions_view", article.pk, first.pk),
        admin_url("revisions_revert", article.pk, first.pk),
        admin_url("workflow_history", article.pk),
    ]
    for url in urls:
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
        else:
            assert refused(response), url
    response = client.post(admin_url("preview_on_edit", article.pk), article_form(article))
    assert (response.status_code == 200) if allowed else refused(response)


@pytest.mark.parametrize(
    ("actor", "which", "allowed"),
    [
        ("reporter", "own_draft", False),  # locking is the desk's tool
        ("other_reporter", "own_draft", False),
        ("desk", "published", True),
        ("desk", "own_draft", True),
    ],
)
def test_lock_matrix(client, people, articles, actor, which, allowed):
    article = articles[which]
    client.force_login(people[actor])
    response = client.post(admin_url("lock", article.pk))
    article.refresh_from_db()
    if allowed:
        assert response.status_code == 302 and article.locked
        assert article.locked_by == people[actor]
    else:
        assert refused(response) and not article.locked


def test_a_lock_holds_against_another_desk_editor(client, people, articles, desk2):
    article = articles["published"]
    client.force_login(people["desk"])
    client.post(admin_url("lock", article.pk))
    client.force_login(desk2)
    response = _edit(client, article, "잠긴 기사 덮어쓰기")
    assert response.status_code == 200  # the form again, with an error
    assert _latest_title(article) != "잠긴 기사 덮어쓰기"
    # unlocking someone else's lock is for the desk (unlock_article) only
    client.force_login(people["reporter"])
    assert refused(client.post(admin_url("unlock", article.pk)))
    article.refresh_from_db()
    assert article.locked


def test_reporter_cannot_copy_someone_elses_article(client, people, articles):
    client.force_login(people["other_reporter"])
    assert refused(client.get(admin_url("copy", articles["own_draft"].pk)))


@pytest.mark.parametrize(
    ("actor", "url_name", "allowed"),
    [
        ("admin", "wagtailsnippets_articles_section:add", True),
        ("admin", "wagtailsnippets_articles_reporter:add", True),
        ("admin", "wagtailusers_users:index", True),
        ("admin", "wagtailsnippets_sitesettings_banner:add", True),
        ("desk", "wagtailsnippets_articles_section:add", False),
        ("desk", "wagtailusers_users:index", False),
        ("desk", "wagtailsnippets_sitesettings_banner:add", True),
        ("desk", "wagtailsnippets_newsroom_correction:add", True),
        ("reporter", "wagtailsnippets_sitesettings_banner:add", False),
        ("reporter", "wagtailsnippets_articles_section:add", False),
        ("reporter", "wagtailusers_users:index", False),
        ("reporter", "wagtailsnippets_newsroom_correction:add", False),
        ("reporter", "wagtailimages:add", True),
    ],
)
def test_admin_areas_matrix(client, people, actor, url_name, allowed):
    client.force_login(people[actor])
    response = client.get(reverse(url_name))
    assert (response.status_code == 200) if allowed else refused(response)


def _settings_page_allowed(client, app, model) -> bool:
    # The settings URL redirects to the setting's own page first.
    response = client.get(reverse("wagtailsettings:edit", args=[app, model]), follow=True)
    if response.status_code == 403:
        return False
    assert response.status_code == 200
    return bool(response.redirect_chain) and response.redirect_chain[-1][0].rstrip("/") != "/admin"


@pytest.mark.parametrize(("actor", "allowed"), [("admin", True), ("desk", False)])
def test_site_settings_matrix(client, people, actor, allowed):
    client.force_login(people[actor])
    assert _settings_page_allowed(client, "sitesettings", "siteprofile") is allowed


@pytest.mark.parametrize(("actor", "allowed"), [("desk", True), ("reporter", False)])
def test_home_layout_setting_matrix(client, people, actor, allowed):
    client.force_login(people[actor])
    assert _settings_page_allowed(client, "newsroom", "homelayout") is allowed


@pytest.mark.parametrize(("actor", "allowed"), [("desk", True), ("reporter", False)])
def test_banner_create_matrix(client, people, actor, allowed):
    client.force_login(people[actor])
    response = client.post(
        reverse("wagtailsnippets_sitesettings_banner:add"),
        {
            "label": "캠페인",
            "url": "/section/society/",
            "description": "",
            "active": "on",
            "order": 0,
        },
    )
    created = Banner.objects.filter(label="캠페인").exists()
    assert (response.status_code == 302 and created) if allowed else refused(response)
    if not allowed:
        assert not created


def test_section_create_by_admin_role(client, people):
    client.force_login(people["admin"])
    response = client.post(
        reverse("wagtailsnippets_articles_section:add"),
        {"name": "경제", "code": "economy", "order": 2},
    )
    assert response.status_code == 302 and Section.objects.filter(code="economy").exists()
