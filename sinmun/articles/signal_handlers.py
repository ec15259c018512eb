"""Glue from Wagtail's publishing signals to the article's own bookkeeping."""

from datetime import timedelta

from django.db.models.signals import post_delete, post_save
from wagtail.signals import published, unpublished

from sinmun.sitesettings.selectors import site_context_invalidate

from .models import Article, Section

# A publish within this long of the first one is still the first edition, not a 수정.
MODIFIED_GRACE = timedelta(minutes=1)


def record_modified_time(sender, instance, **kwargs):
    first, last = instance.first_published_at, instance.last_published_at
    if first and last and last - first > MODIFIED_GRACE:
        Article.objects.filter(pk=instance.pk).update(modified_at=last)
        instance.modified_at = last


def forget_rankings(sender, instance, **kwargs):
    from sinmun.readers.selectors import most_viewed_invalidate

    most_viewed_invalidate()


def register_signal_handlers():
    published.connect(record_modified_time, sender=Article, dispatch_uid="article_modified")
    published.connect(forget_rankings, sender=Article, dispatch_uid="article_rank_pub")
    unpublished.connect(forget_rankings, sender=Article, dispatch_uid="article_rank_unpub")
    post_save.connect(site_context_invalidate, sender=Section, dispatch_uid="section_nav_save")
    post_delete.connect(site_context_invalidate, sender=Section, dispatch_uid="section_nav_del")
