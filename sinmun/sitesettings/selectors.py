from django.core.cache import cache

from .models import SITE_CACHE_KEY, Banner, SiteProfile


def site_context() -> dict:
    """Return the site profile, active banners and sections (for navigation), cached
    until one of them changes."""
    data = cache.get(SITE_CACHE_KEY)
    if data is None:
        from sinmun.articles.models import Section

        data = {
            "profile": SiteProfile.load(),
            "banners": list(Banner.objects.filter(active=True)),
            "sections": list(Section.objects.all()),
        }
        cache.set(SITE_CACHE_KEY, data, 3600)
    return data


def site_context_invalidate(*args, **kwargs):
    cache.delete(SITE_CACHE_KEY)
