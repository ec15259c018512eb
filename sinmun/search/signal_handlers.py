"""Glue from article changes to the search index: every state change, at once.

publish / edit published: ``published`` (and the full save before it)
unpublish: ``unpublished``; delete: ``post_delete``
import (sinmun.transfer.jsonl) and scripts: ``post_save`` of a live article
Saves that only move revision pointers or locks are skipped.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import published, unpublished

from sinmun.articles.models import Article

from .services import INDEXED_FIELDS, search_index_article, search_remove_article


def article_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not (set(update_fields) & INDEXED_FIELDS):
        return
    search_index_article(instance)


def article_published(sender, instance, **kwargs):
    search_index_article(instance)


def article_unpublished(sender, instance, **kwargs):
    search_remove_article(article_id=instance.pk)


def article_deleted(sender, instance, **kwargs):
    search_remove_article(article_id=instance.pk)


def register_signal_handlers():
    post_save.connect(article_saved, sender=Article, dispatch_uid="search_article_saved")
    published.connect(article_published, sender=Article, dispatch_uid="search_published")
    unpublished.connect(article_unpublished, sender=Article, dispatch_uid="search_unpublished")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="search_article_deleted")
