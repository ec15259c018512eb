from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running sinmun: the ``sinmun`` command, the gunicorn server, the scheduler and its
    minute jobs. The top floor with the website (docs/decisions/0004-layers.md)."""

    name = "sinmun.ops"
    label = "ops"
    default_auto_field = "django.db.models.BigAutoField"
