"""Glue from article changes to the search index: every state change, at once.

publish / edit published: ``published`` (and the full save before it)
unpublish: ``unpublished``; delete: ``post_delete``
import (sinmun.transfer.jsonl) and scripts: ``post_save`` of a live article
Saves that only move revision pointers or locks are skipped.
A reporter or tag renamed: its live articles' reporter/tag terms are rewritten in bulk
(sections are not indexed: the section filter goes by id, so a section rename needs nothing).
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from taggit.models import Tag
from wagtail.signals import published, unpublished

from sinmun.articles.models import Article, Reporter

from .services import (
    INDEXED_FIELDS,
    articles_by_reporter,
    articles_by_tag,
    bulk_indexer,
    search_index_article,
    search_reindex_names,
    search_remove_article,
)


def article_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not (set(update_fields) & INDEXED_FIELDS):
        return
    indexer = bulk_indexer()
    if indexer is not None and instance.live:
        indexer.note(instance.pk)  # an import: analysed with its batch
        return
    search_index_article(instance)


def article_published(sender, instance, **kwargs):
    search_index_article(instance)


def article_unpublished(sender, instance, **kwargs):
    search_remove_article(article_id=instance.pk)


def article_deleted(sender, instance, **kwargs):
    search_remove_article(article_id=instance.pk)


def remember_name(sender, instance, raw=False, **kwargs):
    """Keep the name as stored, so that post_save can tell a rename."""
    if raw or instance.pk is None:
        instance._search_old_name = None
        return
    instance._search_old_name = (
        sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    )


def reporter_renamed(sender, instance, created=False, raw=False, **kwargs):
    old = getattr(instance, "_search_old_name", None)
    if raw or created or old is None or old == instance.name:
        return
    instance._search_old_name = instance.name
    search_reindex_names(articles_by_reporter(instance.pk))


def tag_renamed(sender, instance, created=False, raw=False, **kwargs):
    old = getattr(instance, "_search_old_name", None)
    if raw or created or old is None or old == instance.name:
        return
    instance._search_old_name = instance.name
    search_reindex_names(articles_by_tag(instance.pk))


def tag_deleting(sender, instance, **kwargs):
    instance._search_articles = articles_by_tag(instance.pk)


def tag_deleted(sender, instance, **kwargs):
    search_reindex_names(getattr(instance, "_search_articles", []))


def register_signal_handlers():
    pre_delete.connect(tag_deleting, sender=Tag, dispatch_uid="search_tag_deleting")
    post_delete.connect(tag_deleted, sender=Tag, dispatch_uid="search_tag_deleted")
    pre_save.connect(remember_name, sender=Reporter, dispatch_uid="search_reporter_name")
    post_save.connect(reporter_renamed, sender=Reporter, dispatch_uid="search_reporter_renamed")
    pre_save.connect(remember_name, sender=Tag, dispatch_uid="search_tag_name")
    post_save.connect(tag_renamed, sender=Tag, dispatch_uid="search_tag_renamed")
    post_save.connect(article_saved, sender=Article, dispatch_uid="search_article_saved")
    published.connect(article_published, sender=Article, dispatch_uid="search_published")
    unpublished.connect(article_unpublished, sender=Article, dispatch_uid="search_unpublished")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="search_article_deleted")
