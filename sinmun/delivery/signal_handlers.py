"""Glue from Wagtail's publishing signals to the purge service."""

from django.db.models.signals import post_delete
from wagtail.signals import published, unpublished

from sinmun.articles.models import Article

from .purge import article_purge


def _on_published(sender, instance, **kwargs):
    article_purge(article=instance, reason="published")


def _on_unpublished(sender, instance, **kwargs):
    article_purge(article=instance, reason="unpublished")


def _on_deleted(sender, instance, **kwargs):
    if instance.live:
        article_purge(article=instance, reason="deleted")


def register_signal_handlers():
    # A scheduled publish or an embargo lift is a `published` signal too, sent by the
    # scheduler process (sinmun/newsroom/services.py), which purges the same way.
    published.connect(_on_published, sender=Article, dispatch_uid="delivery_purge_pub")
    unpublished.connect(_on_unpublished, sender=Article, dispatch_uid="delivery_purge_unpub")
    post_delete.connect(_on_deleted, sender=Article, dispatch_uid="delivery_purge_del")
