"""What the desk keeps beside the articles: correction notes, the home arrangement,
and the record of scheduled articles that went out late."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable


class Correction(models.Model):
    """A correction note (정정·수정 사유) shown to readers under the article.

    Notes are appended, never rewritten: they live outside the article's revisions so that
    reverting an article never takes a published correction back.
    """

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("기사"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    note = models.TextField(_("정정·수정 사유"), max_length=2000)
    created_at = models.DateTimeField(_("작성 시각"), default=timezone.now, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("작성자"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = ["article", "note"]

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("정정·수정")
        verbose_name_plural = _("정정·수정")
        indexes = [
            models.Index(fields=["article", "created_at"], name="correction_article_time"),
            models.Index(fields=["-created_at", "-id"], name="correction_time"),
        ]

    def __str__(self):
        return f"{self.article_id}: {self.note[:40]}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.article_id and not self.article.first_published_at:
            raise ValidationError(
                {"article": _("발행된 적 없는 기사에는 정정·수정 사유를 달 수 없습니다.")}
            )


@register_setting(icon="home")
class HomeLayout(ClusterableModel, BaseGenericSetting):
    """The desk's arrangement of the home page; empty means "show the latest"."""

    top_story = models.ForeignKey(
        "articles.Article",
        verbose_name=_("머리기사"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("비워 두면 가장 최근 기사가 머리기사가 됩니다."),
    )

    panels = [FieldPanel("top_story"), InlinePanel("featured", label=_("주요 기사"))]

    class Meta:
        verbose_name = _("첫 화면 편집")


class HomeFeatured(Orderable):
    layout = ParentalKey(HomeLayout, on_delete=models.CASCADE, related_name="featured")
    article = models.ForeignKey(
        "articles.Article", verbose_name=_("기사"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("article")]

    class Meta(Orderable.Meta):
        verbose_name = _("주요 기사")
        verbose_name_plural = _("주요 기사")


class LatePublication(models.Model):
    """A scheduled article that went public late (the scheduler was down), for the desk."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="late_publications"
    )
    due_at = models.DateTimeField(_("예약 시각"))
    published_at = models.DateTimeField(_("실제 발행 시각"))

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("늦게 발행된 기사")
        verbose_name_plural = _("늦게 발행된 기사")

    def __str__(self):
        return f"{self.article_id}: {self.due_at} → {self.published_at}"

    @property
    def delay(self):
        return self.published_at - self.due_at
