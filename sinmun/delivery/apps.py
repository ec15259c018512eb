from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """How reader pages reach readers: the application page cache and purging on publish."""

    name = "sinmun.delivery"
    label = "delivery"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
