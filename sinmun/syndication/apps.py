from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "sinmun.syndication"
    label = "syndication"
    verbose_name = "배포(RSS·사이트맵·구조화 데이터)"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
