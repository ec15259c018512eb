from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "sinmun.search"
    label = "search"
    verbose_name = "검색"

    def ready(self):
        # Only signal wiring here: the Kiwi model loads on the first analysis, not now.
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
