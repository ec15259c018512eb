"""Export → import into an empty site gives the same paper back, compared field by field."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Revision

from sinmun.articles.models import Article, Reporter, Section
from sinmun.newsroom.models import Correction
from sinmun.newsroom.services import correction_append
from sinmun.readers.models import ArticleCounter
from sinmun.sitesettings.models import Banner, SiteProfile
from sinmun.transfer.jsonl import SITE_FIELDS, import_jsonl, import_lines
from sinmun.transfer.media import check_image, store_image
from tests.support.factories import make_article

from .helpers import make_image
from .test_jsonl_extended import EXAMPLE

pytestmark = pytest.mark.django_db
Image = get_image_model()


def build_paper(tmp_path):
    assert import_jsonl(EXAMPLE).errors == []
    site = {
        "type": "site",
        "name": "솔내일보",
        "company": "(주)솔내미디어",
        "registration_number": "솔내 아 00001",
        "registration_date": "2020-02-03",
        "publisher": "오솔빛",
        "youth_policy": "청소년 보호를 위해 노력합니다.\n\n둘째 문단.",
        "banners": [
            {"label": "솔내천 이야기", "url": "/tag/솔내천/", "description": "연재"},
            {"label": "지난 캠페인", "url": "https://campaign.example/", "active": False},
        ],
    }
    assert import_lines([json.dumps(site, ensure_ascii=False)]).errors == []
    logo = store_image(check_image(make_image(tmp_path / "logo.png", colour=(200, 0, 0))))
    profile = SiteProfile.load()
    profile.logo = logo
    profile.save()
    face = store_image(check_image(make_image(tmp_path / "face.jpg", colour=(0, 0, 200))))
    face.focal_point_x, face.focal_point_y = 10, 20
    face.focal_point_width, face.focal_point_height = 30, 40
    face.save()
    Reporter.objects.filter(name="오솔빛").update(photo=face)
    Reporter.objects.create(name="기사 없는 기자", email="", bio="아직 기사가 없습니다.")
    Section.objects.create(code="empty", name="빈 섹션", order=9)

    # An article edited and republished in the newsroom: several revisions, a 수정 time.
    edited = make_article(title="처음 제목", tags=["첫 태그", "둘째"], views=40, likes=2)
    edited.title = "고친 제목"
    revision = edited.save_revision()
    revision.publish()
    correction_append(article=Article.objects.get(pk=edited.pk), note="제목을 고쳤습니다.")
    draft = make_article(title="예약된 엠바고 기사", live=False)
    Article.objects.filter(pk=draft.pk).update(
        go_live_at=timezone.now() + timedelta(days=3), embargo=True
    )
    Image.objects.create(
        title="어디에도 쓰지 않은 사진",
        file=make_image(tmp_path / "unused.jpg", colour=(9, 9, 9)).name
        and _django_file(tmp_path / "unused.jpg"),
        width=320,
        height=200,
    )


def _django_file(path):
    from django.core.files.images import ImageFile

    return ImageFile(open(path, "rb"), name=path.name)  # noqa: SIM115 - closed by save


def canonical() -> dict:
    images = {}
    for image in Image.objects.all():
        focal = (
            image.focal_point_x,
            image.focal_point_y,
            image.focal_point_width,
            image.focal_point_height,
        )
        images[image.pk] = (image.get_file_hash(), image.title, focal)

    def body(raw):
        if isinstance(raw, str):
            raw = json.loads(raw)
        out = []
        for block in raw:
            value = block["value"]
            if block["type"] == "photo":
                value = {**value, "image": images[value["image"]]}
            out.append((block["type"], block.get("id"), value))
        return out

    articles = []
    for a in Article.objects.select_related("section", "reporter").order_by("pk"):
        revisions = Revision.objects.filter(
            base_content_type=a.get_base_content_type(), object_id=str(a.pk)
        ).order_by("created_at", "id")
        counter = ArticleCounter.objects.get(article=a)
        articles.append(
            {
                "pk": a.pk,
                "fields": (a.title, a.subtitle, a.excerpt, a.live, a.embargo),
                "section": (a.section.code, a.section.name, a.section.order),
                "reporter": (a.reporter.name, a.reporter.email) if a.reporter else None,
                "body": body(a.body.raw_data),
                "tags": sorted(t.name for t in a.tags.all()),
                "times": (
                    a.first_published_at,
                    a.last_published_at,
                    a.modified_at,
                    a.go_live_at,
                    a.expire_at,
                ),
                "counter": (counter.views, counter.likes),
                "corrections": list(
                    Correction.objects.filter(article=a).values_list("note", "created_at")
                ),
                "legacy": sorted(a.legacy_urls.values_list("path", flat=True)),
                "revisions": [
                    (r.created_at, r.content["title"], body(r.content["body"])) for r in revisions
                ],
                "current_is_latest": a.latest_revision_id == revisions.last().pk,
                "live_revision": a.live_revision_id is not None,
            }
        )
    profile = SiteProfile.load()
    return {
        "articles": articles,
        "images": sorted(images.values()),
        "sections": list(Section.objects.order_by("code").values_list("code", "name", "order")),
        "reporters": sorted(
            (r.name, r.email, r.bio, images[r.photo_id] if r.photo_id else None)
            for r in Reporter.objects.all()
        ),
        "site": [getattr(profile, k) for k in SITE_FIELDS]
        + [images[profile.logo_id] if profile.logo_id else None],
        "banners": list(
            Banner.objects.order_by("order", "id").values_list(
                "label", "url", "description", "active", "order"
            )
        ),
    }


def empty_the_site():
    Article.objects.all().delete()
    Revision.objects.all().delete()
    Section.objects.all().delete()
    Reporter.objects.all().delete()
    Tag.objects.all().delete()
    Banner.objects.all().delete()
    SiteProfile.objects.all().delete()
    Image.objects.all().delete()


def test_export_then_import_into_an_empty_site_gives_the_same_paper(tmp_path, capsys):
    build_paper(tmp_path)
    before = canonical()
    assert len(before["articles"]) == 5 and len(before["images"]) == 6
    assert any(len(a["revisions"]) >= 2 for a in before["articles"])

    call_command("export_articles", str(tmp_path / "out"))
    assert "기사 5건, 사진 6건" in capsys.readouterr().out
    exported = (tmp_path / "out" / "paper.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["type"] for line in exported} == {
        "image",
        "site",
        "section",
        "reporter",
        "article",
    }
    assert len(list((tmp_path / "out" / "images").iterdir())) == 6

    empty_the_site()
    assert not Article.objects.exists() and not Image.objects.exists()
    call_command("import_articles", str(tmp_path / "out"))
    after = canonical()
    for key in before:
        assert after[key] == before[key], key

    # And the exported copy imports into itself as "nothing new".
    report = import_jsonl(tmp_path / "out" / "paper.jsonl")
    assert report.created == 0 and report.errors == []
    assert canonical() == before
