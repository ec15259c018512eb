from django.core.cache import cache

from sinmun.core import versions

from .models import SITE_CACHE_KEY, Banner, SiteProfile

# This process's copy: (site version, data). Every reader page needs it, so it is not
# unpickled from the cache per request; the site version (sinmun/core/versions.py) is
# shared by every process, so a change announced through one is seen by all.
_local: tuple[str, dict] | None = None


def site_context() -> dict:
    """Return the site profile, active banners and sections (for navigation), under the
    current ``site`` version: renewed whenever one of them is announced changed."""
    global _local
    current = versions.version("site")
    if _local is not None and _local[0] == current:
        return _local[1]
    for _attempt in range(3):
        key = f"{SITE_CACHE_KEY}:{current}"
        data = cache.get(key)
        if data is None:
            from sinmun.articles.models import Section

            data = {
                # load() creates the profile on first use, which announces a change.
                "profile": SiteProfile.load(),
                # A banner saved around the form (a script, an import) with a script
                # or off-site-looking URL is not shown at all (tests/hostile).
                "banners": [b for b in Banner.objects.filter(active=True) if b.url_allowed],
                "sections": list(Section.objects.all()),
            }
            cache.set(key, data, 3600)
        if versions.version("site") == current:
            break
        current = versions.version("site")
    _local = (current, data)
    return data
