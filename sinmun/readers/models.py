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


class ArticleLike(models.Model):
    """One like (추천) of one article by one visitor.

    ``visitor`` is a keyed hash of the client address and user agent; ``address`` a keyed
    hash of the address alone, so a single address can add only a few likes to an article
    however often it changes its user agent (readers/README.md). No raw address is kept.
    """

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    visitor = models.CharField(max_length=64)
    address = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("추천")
        verbose_name_plural = _("추천")
        constraints = [
            models.UniqueConstraint(fields=["article", "visitor"], name="like_once_per_visitor")
        ]
        indexes = [models.Index(fields=["article", "address"], name="like_address")]


class ArticleViewSeen(models.Model):
    """When a visitor was last counted for an article (the database counting path).

    With Redis the same 30-minute window is a key with an expiry; without it this row
    is the window, shared by every worker process. Rows older than the window are
    pruned by ``flush_view_counts``.
    """

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    visitor = models.CharField(max_length=64)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "visitor"], name="view_seen_unique")
        ]
        indexes = [models.Index(fields=["seen_at"], name="view_seen_time")]


class ViewAddressCount(models.Model):
    """Views counted from one client address in a fixed window (the database and view
    log paths; with Redis these are keys with an expiry).

    ``address`` is ``visitor.address_hash`` (keyed, the raw address is never stored).
    ``article_id`` is the article for the per-article cap (30-minute windows) and 0 for
    the address's total over all articles (one-hour windows); a plain integer rather than
    a foreign key so the total fits the same unique constraint. Rows whose window has
    ended are pruned by ``flush_view_counts``.
    """

    address = models.CharField(max_length=64)
    article_id = models.PositiveIntegerField()
    window = models.DateTimeField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["address", "article_id", "window"], name="view_address_unique"
            )
        ]
        indexes = [models.Index(fields=["window"], name="view_address_time")]


class ViewFlushBatch(models.Model):
    """A batch of Redis view counts already applied to the database.

    Written in the same transaction as the counts, so a flusher that dies after the
    commit but before deleting the batch from Redis cannot apply it twice.
    """

    name = models.CharField(max_length=200, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True)


class ViewLogPosition(models.Model):
    """How far the view log written by nginx has been counted (sinmun/readers/viewlog.py).

    ``inode`` tells the file apart from the one before a rotation; ``offset`` is the
    first byte not yet counted. Moved in the same transaction as the counts it covers,
    so a crash neither loses nor repeats a view.
    """

    path = models.CharField(max_length=500, unique=True)
    inode = models.PositiveBigIntegerField(default=0)
    offset = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
