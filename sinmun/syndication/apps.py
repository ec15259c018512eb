from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "sinmun.syndication"
    label = "syndication"
    verbose_name = "배포(RSS·사이트맵·구조화 데이터)"

    def ready(self):
        from sinmun.core.changes import pages_showing

        from . import checks  # noqa: F401 - registers the system checks
        from .showing import feeds_and_sitemaps

        pages_showing.connect(feeds_and_sitemaps, dispatch_uid="syndication_pages_showing")
