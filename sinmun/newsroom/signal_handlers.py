"""Glue from model signals to the newsroom's caches.

Desk and reporter e-mails on submit, approve and send back are Wagtail's own workflow
notifiers (wagtail.admin.mail), connected by wagtail.admin; see README.md.
"""

from django.db.models.signals import post_delete, post_save

from .models import Correction, HomeFeatured, HomeLayout
from .selectors import correction_cache_invalidate
from .services import home_arrangement_invalidate


def register_signal_handlers():
    post_save.connect(
        correction_cache_invalidate, sender=Correction, dispatch_uid="correction_save"
    )
    post_delete.connect(
        correction_cache_invalidate, sender=Correction, dispatch_uid="correction_del"
    )
    for model in (HomeLayout, HomeFeatured):
        post_save.connect(
            home_arrangement_invalidate, sender=model, dispatch_uid=f"home_layout_save_{model}"
        )
        post_delete.connect(
            home_arrangement_invalidate, sender=model, dispatch_uid=f"home_layout_del_{model}"
        )
