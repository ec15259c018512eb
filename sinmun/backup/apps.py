from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "sinmun.backup"
    label = "backup"
    verbose_name = "백업"
