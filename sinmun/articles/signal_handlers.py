"""Glue from Wagtail's publishing signals and row saves to the article's own bookkeeping
and to the one announcement of a change (sinmun/core/changes.py).

An article is written by Wagtail (publish, unpublish, revisions: the admin and the
scheduler) or by the import's batches (which announce themselves: rows written in bulk
send no signals). Sections are edited in Wagtail's snippet views and frame every page
(navigation): a ``site`` change. A reporter's name is on their articles: an ``article``
change of those.
"""

import copy
from datetime import timedelta

from django.db.models.signals import post_delete, post_save
from wagtail.signals import published, unpublished

from sinmun.core.changes import announce

from .models import Article, Reporter, Section

# A publish within this long of the first one is still the first edition, not a 수정.
MODIFIED_GRACE = timedelta(minutes=1)


def record_modified_time(sender, instance, **kwargs):
    first, last = instance.first_published_at, instance.last_published_at
    if first and last and last - first > MODIFIED_GRACE:
        Article.objects.filter(pk=instance.pk).update(modified_at=last)
        instance.modified_at = last


def article_published(sender, instance, **kwargs):
    announce("article", [instance.pk], reason="published")


def article_unpublished(sender, instance, **kwargs):
    announce("article", [instance.pk], reason="unpublished")


def article_deleted(sender, instance, **kwargs):
    if instance.live:
        # A copy: Django clears the instance's pk once the delete is done, and the
        # purge reads it after the commit.
        snapshot = copy.copy(instance)
        announce("article", [instance.pk], reason="deleted", before={"article": snapshot})


def section_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        announce("site", reason="section saved")


def reporter_changed(sender, instance, raw=False, created=False, **kwargs):
    """A renamed reporter's byline is on each of their articles and their page."""
    if raw or created:
        return
    ids = Article.objects.filter(reporter_id=instance.pk).values_list("pk", flat=True)
    announce("article", list(ids), reason="reporter saved")


def register_signal_handlers():
    # Scheduled publishing and embargo lifts send `published` from the scheduler process
    # (sinmun/newsroom/services.py): announced the same way.
    published.connect(record_modified_time, sender=Article, dispatch_uid="article_modified")
    published.connect(article_published, sender=Article, dispatch_uid="article_changed_pub")
    unpublished.connect(article_unpublished, sender=Article, dispatch_uid="article_changed_unpub")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="article_changed_del")
    post_save.connect(section_changed, sender=Section, dispatch_uid="section_changed_save")
    post_delete.connect(section_changed, sender=Section, dispatch_uid="section_changed_del")
    post_save.connect(reporter_changed, sender=Reporter, dispatch_uid="reporter_changed_save")
