"""The role × endpoint permission matrix over Wagtail's real admin views and the reader
endpoints: no role gets a 2xx where the table says it may not.

Roles (as the newsroom migration creates them, sinmun/newsroom/roles.py):

* anon: not signed in;
* rep_other: a 기자 on a colleague's draft;
* rep_own_draft: a 기자 on their own draft;
* rep_own_pub: the same 기자 on their own published article;
* desk: 데스크 (on the published article; on the submitted one for workflow views);
* admin: 관리자 (users, sections, reporters, settings, images; not the news).

The endpoints are the URL names of Wagtail's urlconf for articles, sections, reporters,
banners, images, the site profile, users, groups and workflows, plus the reader
endpoints; ``test_matrix_covers_every_url_name`` fails when a view appears that the
table does not cover. A refusal is 403, 404, 405 or a redirect to the login page or the
admin home (Wagtail's "no permission" answer); an allowed request gets a 2xx, or a
redirect back to where its action leads.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import UploadedFile, WorkflowState

from sinmun.articles.models import Article, Reporter
from sinmun.newsroom.roles import ADMIN, DESK, REPORTER
from sinmun.sitesettings.models import Banner, SiteProfile
from tests.support.factories import make_article, make_section

pytestmark = pytest.mark.django_db

ROLES = ["anon", "rep_other", "rep_own_draft", "rep_own_pub", "desk", "admin"]
NONE: frozenset = frozenset()
ALL = frozenset(ROLES)
STAFF = frozenset(ROLES) - {"anon"}
REPORTERS = frozenset({"rep_other", "rep_own_draft", "rep_own_pub"})
NEWS = REPORTERS | {"desk"}  # everyone with article permissions
OWNER = frozenset({"rep_own_draft", "rep_own_pub"})  # the same person, two articles
DESK_ONLY = frozenset({"desk"})
ADMIN_ONLY = frozenset({"admin"})
DESK_ADMIN = frozenset({"desk", "admin"})
OWN_DRAFT_OR_DESK = frozenset({"rep_own_draft", "desk"})

# The URL namespaces the matrix must cover completely.
COVERED_NAMESPACES = [
    "wagtailsnippets_articles_article",
    "wagtailsnippetchoosers_articles_article",
    "wagtailsnippets_articles_section",
    "wagtailsnippetchoosers_articles_section",
    "wagtailsnippets_articles_reporter",
    "wagtailsnippetchoosers_articles_reporter",
    "wagtailsnippets_sitesettings_banner",
    "wagtailsnippetchoosers_sitesettings_banner",
    "wagtailimages",
    "wagtailimages_chooser",
    "wagtailsettings",
    "wagtailusers_users",
    "wagtailusers_groups",
    "wagtailadmin_workflows",
    "readers",
]


@dataclass(frozen=True)
class Endpoint:
    name: str  # namespace:url_name
    allowed: frozenset
    method: str = "GET"
    target: str = "article"  # which object of the role's world the URL points at
    kwargs: tuple = ()  # extra URL kwargs, by key: see World.kwargs
    data: dict = field(default_factory=dict, hash=False, compare=False)
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}[{self.method}:{self.target}]"


def snippet_endpoints(ns: str, allowed_list, allowed_edit, allowed_delete, allowed_add, target):
    s = f"wagtailsnippets_{ns}"
    c = f"wagtailsnippetchoosers_{ns}"
    return [
        Endpoint(f"{s}:list", allowed_list, target=None),
        Endpoint(f"{s}:list_results", allowed_list, target=None),
        Endpoint(f"{s}:add", allowed_add, target=None),
        Endpoint(f"{s}:edit", allowed_edit, target=target),
        Endpoint(f"{s}:delete", allowed_delete, target=target),
        Endpoint(f"{s}:usage", allowed_list, target=target),
        Endpoint(f"{s}:history", allowed_edit, target=target),
        Endpoint(f"{s}:history_results", allowed_edit, target=target),
        Endpoint(f"{s}:copy", allowed_add, target=target),
        # Choosers list public names (sections, bylines, banners): any staff member.
        Endpoint(f"{c}:choose", STAFF, target=None),
        Endpoint(f"{c}:choose_results", STAFF, target=None),
        Endpoint(f"{c}:chosen", STAFF, target=target),
        Endpoint(f"{c}:chosen_multiple", STAFF, target=None, kwargs=("ids",)),
        Endpoint(f"{c}:create", allowed_add, target=None),
    ]


A = "wagtailsnippets_articles_article"
AC = "wagtailsnippetchoosers_articles_article"
ENDPOINTS: list[Endpoint] = [
    # --- articles -------------------------------------------------------------------
    Endpoint(f"{A}:list", NEWS, target=None),
    Endpoint(f"{A}:list_results", NEWS, target=None),
    Endpoint(f"{A}:add", NEWS, target=None),
    Endpoint(f"{A}:preview_on_add", NEWS, method="POST", target=None, data={"form": 1}),
    Endpoint(f"{A}:edit", OWN_DRAFT_OR_DESK),
    Endpoint(f"{A}:edit", OWN_DRAFT_OR_DESK, method="POST", data={"form": 1}),
    # Deleting: the owner's draft only; the desk's target is published (kept for life).
    Endpoint(f"{A}:delete", frozenset({"rep_own_draft"})),
    Endpoint(f"{A}:delete", frozenset({"rep_own_draft"}), method="POST"),
    Endpoint(f"{A}:usage", OWN_DRAFT_OR_DESK),
    Endpoint(f"{A}:history", OWN_DRAFT_OR_DESK),
    Endpoint(f"{A}:history_results", OWN_DRAFT_OR_DESK),
    Endpoint(f"{A}:copy", OWN_DRAFT_OR_DESK),
    Endpoint(f"{A}:preview_on_edit", OWN_DRAFT_OR_DESK),
    Endpoint(f"{A}:preview_on_edit", OWN_DRAFT_OR_DESK, method="POST", data={"form": 1}),
    Endpoint(f"{A}:revisions_view", OWN_DRAFT_OR_DESK, kwargs=("revision_id",)),
    Endpoint(f"{A}:revisions_revert", OWN_DRAFT_OR_DESK, kwargs=("revision_id",)),
    Endpoint(f"{A}:revisions_compare", OWN_DRAFT_OR_DESK, kwargs=("compare",)),
    Endpoint(f"{A}:revisions_unschedule", DESK_ONLY, target="scheduled", kwargs=("revision_id",)),
    Endpoint(
        f"{A}:revisions_unschedule",
        DESK_ONLY,
        method="POST",
        target="scheduled",
        kwargs=("revision_id",),
    ),
    Endpoint(f"{A}:unpublish", DESK_ONLY),
    Endpoint(f"{A}:unpublish", DESK_ONLY, method="POST"),
    Endpoint(f"{A}:lock", DESK_ONLY, method="POST"),
    Endpoint(f"{A}:unlock", DESK_ONLY, method="POST", target="locked"),
    # The desk workflow, on an article the owner submitted.
    Endpoint(
        f"{A}:workflow_action",
        DESK_ONLY,
        method="POST",
        target="submitted",
        kwargs=("approve", "task_state_id"),
    ),
    Endpoint(
        f"{A}:workflow_action",
        DESK_ONLY,
        method="POST",
        target="submitted",
        kwargs=("reject", "task_state_id"),
    ),
    Endpoint(
        f"{A}:collect_workflow_action_data",
        DESK_ONLY,
        target="submitted",
        kwargs=("approve", "task_state_id"),
    ),
    # The owner may withdraw their submission; the desk may cancel it.
    Endpoint(f"{A}:confirm_workflow_cancellation", OWNER | DESK_ONLY, target="submitted"),
    Endpoint(f"{A}:workflow_history", OWNER | DESK_ONLY, target="submitted"),
    Endpoint(
        f"{A}:workflow_history_detail",
        OWNER | DESK_ONLY,
        target="submitted",
        kwargs=("workflow_state_id",),
    ),
    Endpoint(f"{A}:workflow_preview", DESK_ONLY, target="submitted", kwargs=("task_id",)),
    # Wagtail's choosers check no model permission: any staff member sees the titles
    # (as every 기자 does in the desk listing); choosing changes nothing. Creating
    # through the chooser needs add_article.
    Endpoint(f"{AC}:choose", STAFF, target=None),
    Endpoint(f"{AC}:choose_results", STAFF, target=None),
    Endpoint(f"{AC}:chosen", STAFF, target="published"),
    Endpoint(f"{AC}:chosen_multiple", STAFF, target=None, kwargs=("ids",)),
    Endpoint(f"{AC}:create", NEWS, target=None),
    # --- sections, reporters (관리자), banners (데스크, 관리자) -------------------------
    *snippet_endpoints(
        "articles_section", ADMIN_ONLY, ADMIN_ONLY, ADMIN_ONLY, ADMIN_ONLY, "section"
    ),
    *snippet_endpoints(
        "articles_reporter", ADMIN_ONLY, ADMIN_ONLY, ADMIN_ONLY, ADMIN_ONLY, "reporter"
    ),
    *snippet_endpoints(
        "sitesettings_banner", DESK_ADMIN, DESK_ADMIN, DESK_ADMIN, DESK_ADMIN, "banner"
    ),
    # --- images: the 기자 who uploaded one may change it; 데스크 changes any; 관리자 deletes.
    Endpoint("wagtailimages:index", STAFF, target=None),
    Endpoint("wagtailimages:index_results", STAFF, target=None),
    Endpoint("wagtailimages:add", STAFF, target=None),
    Endpoint("wagtailimages:add_multiple", STAFF, target=None),
    Endpoint("wagtailimages:edit", OWNER | DESK_ADMIN, target="image"),
    Endpoint(
        "wagtailimages:edit",
        OWNER | DESK_ADMIN,
        method="POST",
        target="image",
        data={"title": "바뀐 사진"},
    ),
    Endpoint("wagtailimages:delete", OWNER | ADMIN_ONLY, target="image"),
    Endpoint("wagtailimages:delete", OWNER | ADMIN_ONLY, method="POST", target="image"),
    # Wagtail's dynamic image serve view is not mounted: 404 for everyone.
    Endpoint("wagtailimages:url_generator", NONE, target="image"),
    Endpoint("wagtailimages:url_generator_output", NONE, target="image"),
    Endpoint("wagtailimages:preview", OWNER | DESK_ADMIN, target="image", kwargs=("filter_spec",)),
    Endpoint("wagtailimages:image_usage", OWNER | DESK_ADMIN, target="image"),
    Endpoint(
        "wagtailimages:edit_multiple",
        OWNER | DESK_ADMIN,
        method="POST",
        target="image",
        data={"multi": 1},
    ),
    Endpoint("wagtailimages:delete_multiple", OWNER | ADMIN_ONLY, method="POST", target="image"),
    Endpoint(
        "wagtailimages:create_multiple_from_uploaded_image", OWNER, method="POST", target="upload"
    ),
    Endpoint("wagtailimages:delete_upload_multiple", OWNER, method="POST", target="upload"),
    Endpoint("wagtailimages_chooser:choose", STAFF, target=None),
    Endpoint("wagtailimages_chooser:choose_results", STAFF, target=None),
    Endpoint("wagtailimages_chooser:chosen", STAFF, target="image"),
    Endpoint("wagtailimages_chooser:chosen_multiple", STAFF, target=None, kwargs=("image_ids",)),
    Endpoint("wagtailimages_chooser:create", STAFF, target=None),
    Endpoint("wagtailimages_chooser:select_format", STAFF, target="image"),
    # --- site settings (관리자) ----------------------------------------------------------
    Endpoint("wagtailsettings:edit", ADMIN_ONLY, target=None, kwargs=("settings",)),
    Endpoint("wagtailsettings:edit", ADMIN_ONLY, target="siteprofile", kwargs=("settings",)),
    Endpoint(
        "wagtailsettings:edit",
        ADMIN_ONLY,
        method="POST",
        target="siteprofile",
        kwargs=("settings",),
        data={"settings": 1},
    ),
    # The site profile has no preview: 404 for everyone.
    Endpoint("wagtailsettings:preview_on_edit", NONE, target="siteprofile", kwargs=("settings",)),
    # --- users (관리자); groups: superusers only (newsroom migration 0003) ----------
    Endpoint("wagtailusers_users:index", ADMIN_ONLY, target=None),
    Endpoint("wagtailusers_users:index_results", ADMIN_ONLY, target=None),
    Endpoint("wagtailusers_users:add", ADMIN_ONLY, target=None),
    Endpoint("wagtailusers_users:edit", ADMIN_ONLY, target="user"),
    Endpoint("wagtailusers_users:delete", ADMIN_ONLY, target="user"),
    Endpoint("wagtailusers_users:history", ADMIN_ONLY, target="user"),
    Endpoint("wagtailusers_users:history_results", ADMIN_ONLY, target="user"),
    Endpoint("wagtailusers_users:usage", ADMIN_ONLY, target="user"),
    Endpoint("wagtailusers_users:copy", ADMIN_ONLY, target="user"),
    Endpoint("wagtailusers_groups:index", NONE, target=None),
    Endpoint("wagtailusers_groups:index_results", NONE, target=None),
    Endpoint("wagtailusers_groups:add", NONE, target=None),
    Endpoint("wagtailusers_groups:edit", NONE, target="group"),
    Endpoint("wagtailusers_groups:delete", NONE, target="group"),
    Endpoint("wagtailusers_groups:history", NONE, target="group"),
    Endpoint("wagtailusers_groups:history_results", NONE, target="group"),
    Endpoint("wagtailusers_groups:usage", NONE, target="group"),
    # --- workflows and tasks: superusers only -----------------------------------------
    *[
        Endpoint(f"wagtailadmin_workflows:{n}", NONE, target=t, kwargs=k)
        for n, t, k in [
            ("index", None, ()),
            ("index_results", None, ()),
            ("add", None, ()),
            ("enable", "workflow", ()),
            ("disable", "workflow", ()),
            ("edit", "workflow", ()),
            ("usage", "workflow", ()),
            ("usage_results", "workflow", ()),
            ("remove", None, ("page_pk",)),
            ("remove", None, ("page_pk", "workflow_pk")),
            ("add_task", None, ("task_model",)),
            ("select_task_type", None, ()),
            ("task_index", None, ()),
            ("task_index_results", None, ()),
            ("edit_task", "task", ()),
            ("disable_task", "task", ()),
            ("enable_task", "task", ()),
        ]
    ],
    # Wagtail's task chooser lists active task names ("데스크 승인") to any staff member;
    # creating a task needs add_task (a POST without it is refused with 400).
    Endpoint("wagtailadmin_workflows:task_chooser", STAFF, target=None),
    Endpoint("wagtailadmin_workflows:task_chooser_results", STAFF, target=None),
    Endpoint("wagtailadmin_workflows:task_chosen", STAFF, target=None, kwargs=("task_id",)),
    Endpoint("wagtailadmin_workflows:task_chooser_create", STAFF, target=None),
    Endpoint(
        "wagtailadmin_workflows:task_chooser_create",
        NONE,
        method="POST",
        target=None,
        data={"create-task-name": "가짜 승인", "create-task-groups": "1"},
    ),
    # --- reader endpoints: public articles only ----------------------------------------
    Endpoint("readers:root", ALL, target=None),
    Endpoint("readers:article_email", ALL, target="published"),
    Endpoint("readers:article_like", ALL, target="published"),
    Endpoint("readers:article_state", ALL, target="published"),
    Endpoint("readers:article_view", ALL, method="POST", target="published"),
    # The same on a draft: nobody, not even the desk, reaches it through reader URLs.
    Endpoint("readers:article_email", NONE, target="draft"),
    Endpoint("readers:article_email", NONE, method="POST", target="draft", data={"mail": 1}),
    Endpoint("readers:article_like", NONE, target="draft"),
    Endpoint("readers:article_like", NONE, method="POST", target="draft"),
    Endpoint("readers:article_state", NONE, target="draft"),
    # The beacon answers 204 to everything (nothing to probe); it counts only public
    # articles (test_view_beacon_counts_no_draft below).
    Endpoint("readers:article_view", ALL, method="POST", target="draft", note="204, not counted"),
]


def _png(name="photo.png") -> ContentFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=name)


def _user(username, group, reporter_name=""):
    user = User.objects.create_user(username, f"{username}@example.com", "matrix-pass-12345")
    if group:
        user.groups.add(Group.objects.get(name=group))
    if reporter_name:
        Reporter.objects.create(name=reporter_name, email=user.email, user=user)
    return user


def _draft(owner, section, title):
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


class World:
    """One newsroom: people in each role and an object of every kind they act on."""

    def __init__(self):
        self.section = make_section(name="사회", code="society")
        self.owner = _user("owner-kim", REPORTER, "김기자")
        self.other = _user("other-park", REPORTER, "박기자")
        self.desk = _user("desk-lee", DESK)
        self.manager = _user("manager-choi", ADMIN)
        self.draft = _draft(self.owner, self.section, "내 초고")
        self.draft.save_revision(user=self.owner, log_action=False, clean=False)  # 2 revisions
        self.published = make_article(
            title="내 발행 기사", section=self.section, reporter=self.owner.reporter
        )
        Article.objects.filter(pk=self.published.pk).update(owner=self.owner)
        self.published.refresh_from_db()
        self.published.save_revision(user=self.desk, log_action=False, clean=False)
        self.submitted = _draft(self.owner, self.section, "제출한 기사")
        workflow = self.submitted.get_workflow()
        assert workflow is not None, "the desk workflow is assigned to articles"
        workflow.start(self.submitted, self.owner)
        self.submitted.refresh_from_db()
        self.scheduled = make_article(title="예약 기사", section=self.section, live=False)
        rev = self.scheduled.latest_revision
        from datetime import timedelta

        from django.utils import timezone

        rev.approved_go_live_at = timezone.now() + timedelta(days=1)
        rev.save()
        self.locked = make_article(title="잠긴 기사", section=self.section)
        Article.objects.filter(pk=self.locked.pk).update(
            locked=True, locked_by=self.desk, locked_at=self.published.first_published_at
        )
        self.locked.refresh_from_db()
        Image = get_image_model()
        self.image = Image.objects.create(
            title="현장 사진", file=_png(), uploaded_by_user=self.owner
        )
        self.upload = UploadedFile.objects.create(
            file=_png("up.png"),
            uploaded_by_user=self.owner,
            for_content_type=ContentType.objects.get_for_model(Image),
        )
        self.banner = Banner.objects.create(**_banner_fields())
        self.reporter = self.other.reporter
        self.siteprofile = SiteProfile.load()
        self.group = Group.objects.get(name=REPORTER)
        self.user = self.other
        self.workflow = workflow
        self.task = self.workflow.tasks.first()

    def user_for(self, role):
        return {
            "anon": None,
            "rep_other": self.other,
            "rep_own_draft": self.owner,
            "rep_own_pub": self.owner,
            "desk": self.desk,
            "admin": self.manager,
        }[role]

    def article_for(self, role):
        return {
            "anon": self.draft,
            "rep_other": self.draft,
            "rep_own_draft": self.draft,
            "rep_own_pub": self.published,
            "desk": self.published,
            "admin": self.published,
        }[role]

    def target(self, endpoint, role):
        if endpoint.target is None:
            return None
        if endpoint.target == "article":
            return self.article_for(role)
        return getattr(self, endpoint.target)

    def url(self, endpoint, role) -> str:
        obj = self.target(endpoint, role)
        name = endpoint.name
        args: list = []
        kwargs: dict = {}
        if obj is not None and "settings" not in endpoint.kwargs:
            key = (
                "image_id"
                if name.startswith("wagtailimages") and endpoint.target == "image"
                else "pk"
            )
            if endpoint.target == "upload":
                key = "uploaded_file_id"
            kwargs[key] = obj.pk
        for extra in endpoint.kwargs:
            if extra == "revision_id":
                kwargs["revision_id"] = obj.latest_revision_id
            elif extra == "compare":
                kwargs.update(revision_id_a="earliest", revision_id_b="latest")
            elif extra in ("approve", "reject"):
                kwargs["action_name"] = extra
            elif extra == "task_state_id":
                kwargs["task_state_id"] = obj.current_workflow_task_state.pk
            elif extra == "workflow_state_id":
                kwargs["workflow_state_id"] = WorkflowState.objects.for_instance(obj).first().pk
            elif extra == "task_id":
                kwargs["task_id"] = self.task.pk
            elif extra == "filter_spec":
                kwargs["filter_spec"] = "max-100x100"
            elif extra == "settings":
                kwargs.update(app_name="sitesettings", model_name="siteprofile")
                if obj is not None:
                    kwargs["pk"] = obj.pk
            elif extra == "page_pk":
                kwargs["page_pk"] = 1
            elif extra == "workflow_pk":
                kwargs["workflow_pk"] = self.workflow.pk
            elif extra == "task_model":
                kwargs.update(app_label="wagtailcore", model_name="groupapprovaltask")
        try:
            url = reverse(name, args=args, kwargs=kwargs)
        except NoReverseMatch:
            kwargs["pk"] = kwargs.pop("image_id")  # the image chooser names it pk
            url = reverse(name, args=args, kwargs=kwargs)
        if "ids" in endpoint.kwargs:
            url += f"?id={self.article_for(role).pk}"
        if "image_ids" in endpoint.kwargs:
            url += f"?id={self.image.pk}"
        return url

    def post_data(self, endpoint, role) -> dict:
        if "form" in endpoint.data:
            from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

            article = self.article_for(role) if endpoint.target else None
            return nested_form_data(
                {
                    "title": "권한 없는 수정",
                    "subtitle": "",
                    "section": self.section.pk,
                    "reporter": (article.reporter_id or "") if article else "",
                    "body": streamfield([("paragraph", rich_text("<p>바뀐 본문</p>"))]),
                    "tags": "",
                    "go_live_at": "",
                    "expire_at": "",
                }
            )
        if "multi" in endpoint.data:
            return {f"image-{self.image.pk}-title": "바뀐 사진", f"image-{self.image.pk}-tags": ""}
        if "settings" in endpoint.data:
            return {"name": "가짜 신문"}
        if "mail" in endpoint.data:
            return {
                "sender_name": "독자",
                "sender_email": "reader@example.com",
                "recipient": "friend@example.com",
                "message": "",
            }
        return dict(endpoint.data)


def _banner_fields() -> dict:
    return {"label": "역사 캠페인", "url": "https://example.com/campaign"}


def is_refusal(response) -> bool:
    if response.status_code in (400, 403, 404, 405):
        return True
    if response.status_code in (301, 302):
        location = response.headers["Location"]
        path = location.split("?", 1)[0].rstrip("/")
        return path in ("/admin", "/admin/login") or location.startswith("/admin/login/")
    return False


def _admin_redirect(response) -> bool:
    return (
        response.status_code in (301, 302)
        and not is_refusal(response)
        and response.headers["Location"].startswith("/admin/")
    )


def is_success(response) -> bool:
    return 200 <= response.status_code < 400 and not is_refusal(response)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the whole matrix, inside a transaction rolled back at the end; each
    test runs in a savepoint of it (pytest-django's), each request in another."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = World()
            # One signed-in browser per role for the whole matrix.
            world.clients = {}
            for role in ROLES:
                client = Client(REMOTE_ADDR="203.0.113.50", HTTP_USER_AGENT="Mozilla/5.0 matrix")
                if world.user_for(role) is not None:
                    client.force_login(world.user_for(role))
                world.clients[role] = client
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_permission_matrix(world, endpoint):
    results = {}
    # Refused roles first, then allowed ones; every request in a rolled-back savepoint,
    # so one role's action (a delete, an approval) never changes what the next one sees.
    for role in sorted(ROLES, key=lambda r: r in endpoint.allowed):
        client = world.clients[role]
        client.cookies.pop("messages", None)
        url = world.url(endpoint, role)
        with transaction.atomic():
            if endpoint.method == "POST":
                response = client.post(url, world.post_data(endpoint, role))
            else:
                response = client.get(url)
            transaction.set_rollback(True)
        if role not in endpoint.allowed and _admin_redirect(response):
            # A redirect to another admin page (the settings index to the row's page):
            # whatever it leads to must be a refusal too.
            response = client.get(response.headers["Location"])
        results[role] = (response.status_code, response.headers.get("Location", ""))
        if role in endpoint.allowed:
            assert is_success(response), (role, url, results[role])
        else:
            assert not (200 <= response.status_code < 300), (role, url, results[role])
            assert is_refusal(response), (role, url, results[role])


def _url_names(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = ns
            if p.namespace:
                inner = f"{ns}:{p.namespace}" if ns else p.namespace
            yield from _url_names(p.url_patterns, inner)
        elif p.name:
            yield f"{ns}:{p.name}" if ns else p.name


def test_matrix_covers_every_url_name():
    names = {
        n for n in _url_names(get_resolver().url_patterns) if n.split(":")[0] in COVERED_NAMESPACES
    }
    covered = {e.name for e in ENDPOINTS}
    assert names - covered == set(), "views missing from the permission matrix"
    assert covered - names == set(), "matrix entries for views that no longer exist"
    for namespace in COVERED_NAMESPACES:
        assert any(n.startswith(namespace + ":") for n in names), namespace


def test_view_beacon_counts_no_draft(world):
    from sinmun.readers.services import view_record

    response = Client(HTTP_USER_AGENT="Mozilla/5.0").post(f"/reader/article/{world.draft.pk}/view/")
    assert response.status_code == 204
    assert view_record(article_id=world.draft.pk, visitor="v1") is False
    assert view_record(article_id=world.published.pk, visitor="v1") is True
