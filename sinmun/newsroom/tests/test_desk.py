"""Corrections, concurrent edits, photos, rich text, the home arrangement and site settings."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model

from sinmun.articles.models import Article
from sinmun.newsroom.models import Correction, HomeFeatured, HomeLayout
from sinmun.newsroom.services import correction_append
from sinmun.sitesettings.models import SiteProfile
from tests.support.factories import make_article

from .conftest import admin_url, article_form, make_draft

pytestmark = pytest.mark.django_db


# --- corrections ---------------------------------------------------------------------


def test_desk_adds_correction_notes_shown_under_the_article_everywhere(client, desk, section):
    article = make_article(title="시장 선거 공약 정리", section=section)
    client.force_login(desk)
    add = reverse("wagtailsnippets_newsroom_correction:add")
    # "정정·수정 사유 추가" from the article listing arrives with the article chosen
    assert "시장 선거 공약 정리" in client.get(f"{add}?article={article.pk}").content.decode()
    for note in ("후보 이름 표기를 바로잡았습니다.", "공약 수치를 고쳤습니다."):
        response = client.post(add, {"article": article.pk, "note": note})
        assert response.status_code == 302
    notes = list(Correction.objects.filter(article=article))
    assert [n.author for n in notes] == [desk, desk]
    client.logout()
    for url in (
        article.get_absolute_url(),
        article.get_mobile_url(),
        reverse("articles:article_print", args=[article.pk]),
    ):
        html = client.get(url).content.decode()
        first, second = html.find("후보 이름 표기를"), html.find("공약 수치를 고쳤습니다")
        assert 0 < first < second, url  # both notes, oldest first, with their time
        assert notes[0].created_at.astimezone().strftime("%Y-%m-%d") in html

    page = client.get("/corrections/").content.decode()
    assert "시장 선거 공약 정리" in page and "공약 수치를 고쳤습니다" in page


def test_correction_on_a_never_published_article_is_refused_with_a_reason(desk, reporter, section):
    draft = make_draft(reporter, section=section)
    with pytest.raises(Exception) as error:
        correction_append(article=draft, note="없는 기사 정정", author=desk)
    assert "발행된 적 없는 기사" in str(error.value)


def test_corrections_page_lists_only_public_articles(client, section, desk):
    shown = make_article(title="공개 기사", section=section)
    hidden = make_article(title="내린 기사", section=section, live=False)
    correction_append(article=shown, note="정정 1", author=desk)
    Correction.objects.create(article=hidden, note="정정 2")
    page = client.get("/corrections/").content.decode()
    assert "공개 기사" in page and "내린 기사" not in page


def test_editing_a_published_article_records_the_modified_time(client, desk, section):
    from datetime import timedelta

    from django.utils import timezone

    article = make_article(
        title="수정 전", section=section, registered_at=timezone.now() - timedelta(hours=3)
    )
    client.force_login(desk)
    client.post(
        admin_url("edit", article.pk),
        article_form(article, title="수정 후", **{"action-publish": "publish"}),
    )
    article.refresh_from_db()
    assert article.title == "수정 후" and article.modified_at is not None
    assert "수정" in client.get(article.get_absolute_url()).content.decode()


# --- concurrent edits ----------------------------------------------------------------


def test_second_editor_with_a_stale_copy_does_not_overwrite_the_first(client, desk, desk2, section):
    article = make_article(title="원래 제목", section=section)
    loaded = article.latest_revision  # both editors open the same version
    stale = {
        "loaded_revision_id": str(loaded.pk),
        "loaded_revision_created_at": loaded.created_at.isoformat(),
    }
    client.force_login(desk)
    first = client.post(
        admin_url("edit", article.pk), article_form(article, title="첫째 편집", **stale)
    )
    assert first.status_code == 302
    client.force_login(desk2)
    second = client.post(
        admin_url("edit", article.pk), article_form(article, title="둘째 편집", **stale)
    )
    assert second.status_code == 200
    html = second.content.decode()
    assert "다른 사람이 먼저 이 기사를 저장했습니다" in html
    assert "둘째 편집" in html  # what they typed is still in the form
    article.refresh_from_db()
    assert article.get_latest_revision().content["title"] == "첫째 편집"


# --- photos -------------------------------------------------------------------------


def _png(width=20, height=20) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("not-a-photo.jpg", b"this is not an image at all"),
        ("broken.png", _png()[:40]),  # a PNG header, then nothing: was a 500 in Wagtail 8
        ("script.gif", b"GIF89a<script>alert(1)</script>"),
    ],
)
def test_bad_image_uploads_get_a_clear_message_not_a_500(client, reporter, name, content):
    client.force_login(reporter)
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "사진", "file": SimpleUploadedFile(name, content), "collection": 1},
    )
    assert response.status_code == 200
    assert get_image_model().objects.count() == 0
    errors = response.context["form"].errors["file"]
    assert errors and errors[0] in response.content.decode()  # the message is shown


@override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=100)
def test_too_many_pixels_is_refused(client, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "큰 사진", "file": SimpleUploadedFile("big.png", _png(50, 50)), "collection": 1},
    )
    assert response.status_code == 200 and get_image_model().objects.count() == 0
    assert response.context["form"].errors["file"]


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=100)
def test_too_large_a_file_is_refused(client, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "무거운 사진",
            "file": SimpleUploadedFile("big.png", _png(200, 200)),
            "collection": 1,
        },
    )
    assert response.status_code == 200 and get_image_model().objects.count() == 0


def test_good_image_uploads(client, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "좋은 사진", "file": SimpleUploadedFile("ok.png", _png()), "collection": 1},
    )
    assert response.status_code == 302 and get_image_model().objects.count() == 1


# --- rich text ------------------------------------------------------------------------


def test_hostile_stored_rich_text_renders_safe(client, section):
    hostile = (
        '<p>본문<script>alert(1)</script><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">링크</a><span style="color:red" onclick="x()">'
        "워드에서 붙인 글</span></p><iframe src='https://evil.example'></iframe>"
    )
    article = make_article(section=section)
    article.body = json.dumps([{"type": "paragraph", "value": hostile}])
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    body = html[html.find('data-testid="article-body"') :]
    body = body[: body.find("</div>")]
    for bad in ("<script", "onerror", "javascript:", "onclick", "<iframe", "style="):
        assert bad not in body
    assert "워드에서 붙인 글" in body


# --- home arrangement -----------------------------------------------------------------


def test_home_shows_the_desks_choice_then_the_latest(
    client, section, django_assert_max_num_queries
):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    old = make_article(
        title="골라 둔 머리기사", section=section, registered_at=now - timedelta(days=3)
    )
    pick = make_article(
        title="골라 둔 주요기사", section=section, registered_at=now - timedelta(days=2)
    )
    newest = make_article(
        title="방금 들어온 기사", section=section, registered_at=now - timedelta(minutes=5)
    )

    html = client.get("/").content.decode()
    assert html.find("방금 들어온 기사") < html.find("골라 둔 머리기사")  # default: latest first

    layout = HomeLayout.objects.create(top_story=old)
    HomeFeatured.objects.create(layout=layout, article=pick, sort_order=0)
    client.get("/")  # warm caches
    with django_assert_max_num_queries(6):
        html = client.get("/").content.decode()
    top = html.find("골라 둔 머리기사")
    assert 0 < top < html.find("골라 둔 주요기사") < html.find("방금 들어온 기사")

    # an unpublished choice quietly gives way to the latest
    Article.objects.filter(pk=old.pk).update(live=False)
    html = client.get("/").content.decode()
    assert "골라 둔 머리기사" not in html and newest.title in html


# --- site settings --------------------------------------------------------------------


def test_admin_home_warns_while_a_legal_field_is_empty(client, desk):
    client.force_login(desk)
    profile = SiteProfile.load()
    profile.publisher = ""
    profile.save()
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-testid="legal-fields-warning"' in html and "발행인" in html
    for name in (
        "company",
        "registration_number",
        "publisher",
        "editor",
        "youth_protection_officer",
        "address",
        "phone",
    ):
        setattr(profile, name, "가상 값")
    profile.email = "paper@example.com"
    profile.registration_date = profile.publication_date = __import__("datetime").date(2020, 1, 1)
    profile.save()
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-testid="legal-fields-warning"' not in html


def test_youth_policy_page_and_footer_link(client):
    profile = SiteProfile.load()
    profile.youth_policy = "우리 신문은 청소년에게 해로운 정보를 막습니다.\n\n둘째 문단."
    profile.youth_protection_officer = "가상 책임자"
    profile.save()
    html = client.get("/policy/youth/").content.decode()
    assert "청소년에게 해로운 정보를 막습니다" in html and "가상 책임자" in html
    assert 'href="/policy/youth/"' in client.get("/").content.decode()
