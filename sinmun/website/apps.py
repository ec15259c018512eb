from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    """The reader-facing website: reader pages, their mobile and print editions, and the
    redirects from a moved-in paper's old addresses. The top floor: it reads every app
    below it and nothing imports it (docs/decisions/0004-layers.md)."""

    name = "sinmun.website"
    label = "website"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from sinmun.core.changes import pages_showing

        from . import showing

        pages_showing.connect(showing.reader_pages, dispatch_uid="website_pages_showing")
