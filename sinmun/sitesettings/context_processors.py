from django.conf import settings

from .selectors import site_context


def site(request):
    data = site_context()
    return {
        "site_profile": data["profile"],
        "site_banners": data["banners"],
        "nav_sections": data["sections"],
        "base_url": settings.SINMUN_BASE_URL,
    }
