"""Articles in the states syndication must tell apart: public, edited, photo, hidden."""

from __future__ import annotations

import json
from datetime import timedelta
from io import BytesIO

import PIL.Image
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images import get_image_model

from sinmun.articles.models import Article
from tests.support.factories import make_article


def make_image(title: str = "사진", size=(1600, 900), colour="navy"):
    buffer = BytesIO()
    PIL.Image.new("RGB", size, colour).save(buffer, "JPEG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="photo.jpg"))


def make_photo_article(
    *, image=None, alt="강변을 걷는 주민들", caption="새여울천 산책로", **kwargs
):
    """Create a public article whose body opens with a paragraph followed by a photo."""
    article = make_article(**kwargs)
    image = image or make_image()
    article.body = json.dumps(
        [
            {"type": "paragraph", "value": "<p>사진이 있는 기사의 첫 문단입니다.</p>"},
            {
                "type": "photo",
                "value": {"image": image.pk, "alt": alt, "caption": caption, "credit": "본사"},
            },
        ],
        ensure_ascii=False,
    )
    article.save()
    revision = article.save_revision(log_action=False, clean=False)
    Article.objects.filter(pk=article.pk).update(live_revision=revision)
    article.refresh_from_db()
    return article


def edit_and_republish(article: Article, **changes) -> Article:
    """Edit a public article and publish the change, as the desk does (a new revision)."""
    article = Article.objects.get(pk=article.pk)
    for name, value in changes.items():
        setattr(article, name, value)
    revision = article.save_revision(log_action=False, clean=False)
    revision.publish(log_action=False)
    return Article.objects.get(pk=article.pk)


def make_hidden_articles(section, reporter=None) -> dict[str, Article]:
    """Return one article in each state a reader must not see, by name."""
    now = timezone.now()
    draft = make_article(
        title="초안 상태의 비공개 기사", section=section, reporter=reporter, live=False
    )
    embargoed = make_article(
        title="엠바고 걸린 기사",
        section=section,
        reporter=reporter,
        registered_at=now + timedelta(hours=3),
    )
    scheduled = make_article(title="예약 발행 기사", section=section, reporter=reporter, live=False)
    scheduled.go_live_at = now + timedelta(days=1)
    scheduled.save_revision(log_action=False, clean=False).publish(log_action=False)
    unpublished = make_article(title="내린 기사", section=section, reporter=reporter)
    unpublished.unpublish(log_action=False)
    hidden = {
        "draft": draft,
        "embargoed": embargoed,
        "scheduled": Article.objects.get(pk=scheduled.pk),
        "unpublished": Article.objects.get(pk=unpublished.pk),
    }
    for article in hidden.values():
        assert not Article.objects.public().filter(pk=article.pk).exists()
    assert hidden["scheduled"].go_live_at is not None
    return hidden
