from django.apps import AppConfig


class SitesettingsConfig(AppConfig):
    name = "sinmun.sitesettings"
    label = "sitesettings"
    default_auto_field = "django.db.models.BigAutoField"
