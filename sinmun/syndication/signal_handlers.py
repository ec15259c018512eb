"""Forget what syndication caches when the paper or its archive changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import published, unpublished


def forget_logo(sender, instance, **kwargs):
    from .structured_data import publisher_logo_invalidate

    publisher_logo_invalidate()


def forget_sitemap_blocks(sender, instance, **kwargs):
    from .sitemaps import article_sitemap_blocks_invalidate

    article_sitemap_blocks_invalidate()


def register_signal_handlers():
    from sinmun.articles.models import Article
    from sinmun.sitesettings.models import SiteProfile

    post_save.connect(forget_logo, sender=SiteProfile, dispatch_uid="syndication_logo")
    for signal, uid in ((published, "pub"), (unpublished, "unpub"), (post_delete, "del")):
        signal.connect(
            forget_sitemap_blocks, sender=Article, dispatch_uid=f"syndication_blocks_{uid}"
        )
