"""Startup checks for syndication settings: a typo should be an error, not a silent no-op."""

import re

from django.conf import settings
from django.core.checks import Error, register

_NAME = re.compile(r"^[a-z][a-z0-9-]{1,60}$")


def verification_tags() -> list[tuple[str, str]]:
    """Return the (name, content) pairs of SINMUN_SITE_VERIFICATION that are well formed."""
    pairs = []
    for entry in settings.SINMUN_SITE_VERIFICATION:
        name, sep, content = entry.partition("=")
        if sep and _NAME.match(name.strip()) and content.strip():
            pairs.append((name.strip(), content.strip()))
    return pairs


@register()
def check_site_verification(app_configs=None, **kwargs):
    errors = []
    for entry in settings.SINMUN_SITE_VERIFICATION:
        name, sep, content = entry.partition("=")
        if not (sep and _NAME.match(name.strip()) and content.strip()):
            errors.append(
                Error(
                    f"SINMUN_SITE_VERIFICATION 항목 {entry!r}의 형식이 틀렸습니다.",
                    hint="'이름=값'을 쉼표로 이어 씁니다. 예: naver-site-verification=abc123",
                    id="sinmun.syndication.E001",
                )
            )
    return errors
