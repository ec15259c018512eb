from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "sinmun.articles"
    label = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
