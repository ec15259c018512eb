"""Roles hygiene, through Wagtail's real user and group views.

관리자 manages people (adds users, resets passwords, assigns 기자/데스크/관리자) but
cannot change what a role may do, make anyone a superuser, take over a superuser's
account, or change its own role. Wagtail's unused default groups are gone.
"""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from wagtail.models import Workflow

from sinmun.articles.models import Article
from sinmun.newsroom.roles import ADMIN, DESK, REPORTER

from .conftest import refused

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Saeyeoul-2031-pass!"


def user_form(**overrides) -> dict:
    data = {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "first_name": "새",
        "last_name": "기자",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("boss", "boss@example.com", "pw-boss-1234")


@pytest.fixture
def secret_group(db):
    group = Group.objects.create(name="비밀 권한")
    group.permissions.add(Permission.objects.get(codename="change_group"))
    return group


def test_wagtails_default_groups_and_page_workflow_are_gone():
    names = set(Group.objects.values_list("name", flat=True))
    assert names == {REPORTER, DESK, ADMIN}
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert Article.get_default_workflow().name == "데스크 승인 절차"


def test_admin_role_has_no_group_permission():
    codenames = set(Group.objects.get(name=ADMIN).permissions.values_list("codename", flat=True))
    assert not codenames & {"add_group", "change_group", "delete_group"}
    assert {"add_user", "change_user"} <= codenames


def test_admin_role_cannot_see_or_change_groups(client, admin_user):
    desk = Group.objects.get(name=DESK)
    before = set(desk.permissions.values_list("pk", flat=True))
    client.force_login(admin_user)
    for url in (
        reverse("wagtailusers_groups:index"),
        reverse("wagtailusers_groups:add"),
        reverse("wagtailusers_groups:edit", args=[desk.pk]),
    ):
        assert refused(client.get(url)), url
    everything = list(Permission.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("wagtailusers_groups:edit", args=[desk.pk]),
        {"name": DESK, "permissions": everything},
    )
    assert refused(response)
    assert set(desk.permissions.values_list("pk", flat=True)) == before
    response = client.post(reverse("wagtailusers_groups:add"), {"name": "전권"})
    assert refused(response) and not Group.objects.filter(name="전권").exists()


def test_admin_role_creates_a_reporter_but_not_a_superuser(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="is_superuser"' in page and "disabled" in page
    reporter_group = Group.objects.get(name=REPORTER)
    response = client.post(
        reverse("wagtailusers_users:add"),
        user_form(is_superuser="on", groups=[reporter_group.pk]),
    )
    assert response.status_code == 302, response.content[:1000]
    newcomer = User.objects.get(username="newcomer")
    assert not newcomer.is_superuser
    assert list(newcomer.groups.values_list("name", flat=True)) == [REPORTER]


def test_admin_role_is_offered_only_the_newsroom_roles(client, admin_user, secret_group):
    client.force_login(admin_user)
    page = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert "비밀 권한" not in page
    response = client.post(
        reverse("wagtailusers_users:add"),
        user_form(username="sneaky", groups=[secret_group.pk]),
    )
    assert response.status_code == 200  # the form again, with an error
    assert not User.objects.filter(username="sneaky").exists()


def test_admin_role_assigns_others_but_not_itself(client, admin_user, reporter):
    desk = Group.objects.get(name=DESK)
    client.force_login(admin_user)
    # Promoting a reporter to the desk is 관리자's job ...
    response = client.post(
        reverse("wagtailusers_users:edit", args=[reporter.pk]),
        user_form(
            username=reporter.username,
            email=reporter.email,
            password1="",
            password2="",
            is_active="on",
            is_superuser="on",
            groups=[desk.pk],
        ),
    )
    assert response.status_code == 302, response.content[:1000]
    reporter.refresh_from_db()
    assert list(reporter.groups.values_list("name", flat=True)) == [DESK]
    assert not reporter.is_superuser  # ... making a superuser is not
    # ... and its own role stays as it is.
    response = client.post(
        reverse("wagtailusers_users:edit", args=[admin_user.pk]),
        user_form(
            username=admin_user.username,
            email=admin_user.email,
            password1="",
            password2="",
            groups=[desk.pk, Group.objects.get(name=ADMIN).pk],
        ),
    )
    assert response.status_code == 302, response.content[:1000]
    assert list(admin_user.groups.values_list("name", flat=True)) == [ADMIN]


def test_admin_role_cannot_take_over_a_superuser(client, admin_user, superuser):
    client.force_login(admin_user)
    url = reverse("wagtailusers_users:edit", args=[superuser.pk])
    assert refused(client.get(url))
    response = client.post(
        url,
        user_form(
            username=superuser.username,
            email="mine@example.com",
            password1=NEW_PASSWORD,
            password2=NEW_PASSWORD,
            is_active="on",
        ),
    )
    assert refused(response)
    superuser.refresh_from_db()
    assert superuser.email == "boss@example.com" and not superuser.check_password(NEW_PASSWORD)
    assert refused(client.post(reverse("wagtailusers_users:delete", args=[superuser.pk])))
    assert User.objects.filter(pk=superuser.pk).exists()


def test_admin_role_keeps_a_superusers_extra_group_on_someone_it_edits(
    client, admin_user, reporter, secret_group
):
    reporter.groups.add(secret_group)
    client.force_login(admin_user)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[reporter.pk]),
        user_form(
            username=reporter.username,
            email="new-address@example.com",
            password1="",
            password2="",
            is_active="on",
            groups=[Group.objects.get(name=REPORTER).pk],
        ),
    )
    assert response.status_code == 302, response.content[:1000]
    assert set(reporter.groups.values_list("name", flat=True)) == {REPORTER, "비밀 권한"}


def test_superuser_still_edits_groups_and_grants_superuser(client, superuser, reporter):
    client.force_login(superuser)
    assert client.get(reverse("wagtailusers_groups:index")).status_code == 200
    response = client.post(
        reverse("wagtailusers_users:edit", args=[reporter.pk]),
        user_form(
            username=reporter.username,
            email=reporter.email,
            password1="",
            password2="",
            is_active="on",
            is_superuser="on",
        ),
    )
    assert response.status_code == 302, response.content[:1000]
    reporter.refresh_from_db()
    assert reporter.is_superuser
