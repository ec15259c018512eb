"""Glue from row saves of the newsroom's reader-facing rows to the one announcement of a
change (sinmun/core/changes.py).

Correction notes are added through ``services.correction_append`` (the admin's add view
too), but edited and deleted in Wagtail's snippet views, and the home arrangement is a
Wagtail setting: each saved or deleted row says what changed. Rows written in bulk (an
import) send no signals; their services announce them.

Desk and reporter e-mails on submit, approve and send back are Wagtail's own workflow
notifiers (wagtail.admin.mail), connected by wagtail.admin; see README.md.
"""

from django.db.models.signals import post_delete, post_save

from sinmun.core.changes import announce

from .models import Correction, HomeFeatured, HomeLayout


def correction_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        announce("corrections", [instance.article_id], reason="correction saved")


def home_changed(sender, instance, raw=False, created=False, **kwargs):
    # HomeLayout.load() creates the empty arrangement on first use: nothing new to show.
    if raw or (created and sender is HomeLayout):
        return
    announce("home", reason="home arrangement saved")


def register_signal_handlers():
    post_save.connect(correction_changed, sender=Correction, dispatch_uid="correction_save")
    post_delete.connect(correction_changed, sender=Correction, dispatch_uid="correction_del")
    for model in (HomeLayout, HomeFeatured):
        name = model._meta.model_name
        post_save.connect(home_changed, sender=model, dispatch_uid=f"home_changed_save_{name}")
        post_delete.connect(home_changed, sender=model, dispatch_uid=f"home_changed_del_{name}")
