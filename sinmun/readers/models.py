"""What readers do to an article: counters kept apart from the revisioned article row.

Counters live in their own tables because publishing a revision rewrites the whole
article row; a view count kept there would be rolled back by every publish.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleCounter(models.Model):
    """Lifetime totals for one article: views (imported plus counted) and likes."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="counter"
    )
    views = models.PositiveBigIntegerField(_("조회수"), default=0)
    likes = models.PositiveIntegerField(_("추천수"), default=0)

    class Meta:
        verbose_name = _("기사 집계")
        verbose_name_plural = _("기사 집계")
        indexes = [models.Index(fields=["-views"], name="counter_views")]

    def __str__(self):
        return f"{self.article_id}: {self.views}/{self.likes}"


class ArticleViewHour(models.Model):
    """Views of one article during one hour (``hour`` is the start of the hour, UTC)."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="view_hours"
    )
    hour = models.DateTimeField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("시간별 조회수")
        verbose_name_plural = _("시간별 조회수")
        constraints = [models.UniqueConstraint(fields=["article", "hour"], name="view_hour_unique")]
        indexes = [models.Index(fields=["hour", "article"], name="view_hour_time")]
