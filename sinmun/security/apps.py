from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "sinmun.security"
    label = "security"
    verbose_name = "보안"
