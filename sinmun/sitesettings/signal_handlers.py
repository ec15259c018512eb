"""Glue from row saves of the site's own settings to the one announcement of a change.

The profile and banners are edited in Wagtail's generic settings and snippet views, which
save the rows themselves; every save or delete says ``site`` changed (sinmun/core/changes.py).
"""

from django.db.models.signals import post_delete, post_save

from sinmun.core.changes import announce

from .models import Banner, SiteProfile


def site_changed(sender, instance, raw=False, created=False, **kwargs):
    # SiteProfile.load() creates the profile with its defaults on first use (a reader
    # page may): that shows nothing new.
    if raw or (created and sender is SiteProfile):
        return
    announce("site", reason=f"{sender._meta.model_name} saved")


def register_signal_handlers():
    for model in (SiteProfile, Banner):
        name = model._meta.model_name
        post_save.connect(site_changed, sender=model, dispatch_uid=f"site_changed_save_{name}")
        post_delete.connect(site_changed, sender=model, dispatch_uid=f"site_changed_del_{name}")
